package extract

// The draft's date.

import (
	"strings"
	"time"
)

// date is the article's date: a dateline (a line holding only a date) or
// else the latest full date the text mentions.
func (x *extractor) date() string {
	best := ""
	head := x.text
	if len(head) > 64<<10 {
		head = head[:64<<10] // a dateline and the dates of the story are near the start
	}
	for _, m := range reDateDMY.FindAllStringSubmatch(head, 200) {
		if d := isoDate(m[2], m[1], m[3]); d > best {
			best = d
		}
	}
	for _, m := range reDateFull.FindAllStringSubmatch(head, 200) {
		d := isoDate(m[1], m[2], m[3])
		if d == "" {
			continue
		}
		if d > best {
			best = d
		}
	}
	for _, m := range reDateISO.FindAllStringSubmatch(head, 200) {
		if d := m[1] + "-" + m[2] + "-" + m[3]; d > best && loaderDate(d) {
			best = d
		}
	}
	for _, line := range strings.SplitN(head, "\n", 41)[:min(40, strings.Count(head, "\n")+1)] {
		line = strings.TrimSpace(line)
		if m := reDateISO.FindStringSubmatch(line); m != nil && len(line) < len(m[0])+15 {
			if d := m[1] + "-" + m[2] + "-" + m[3]; loaderDate(d) {
				return d
			}
		}
		if m := reDateFull.FindStringSubmatch(line); m != nil && len(line) < len(m[0])+15 {
			if d := isoDate(m[1], m[2], m[3]); d != "" {
				return d
			}
		}
		if m := reDateDMY.FindStringSubmatch(line); m != nil && len(line) < len(m[0])+15 {
			if d := isoDate(m[2], m[1], m[3]); d != "" {
				return d
			}
		}
	}
	if best == "" {
		// no full date: the latest month ("July 2021")
		for _, m := range reMonthYear.FindAllStringSubmatch(head, 200) {
			if d := m[2] + "-" + months[m[1]]; d > best {
				best = d
			}
		}
	}
	return best
}

func isoDate(month, day, year string) string {
	mm := months[strings.TrimSuffix(month, ".")]
	if mm == "" {
		return ""
	}
	if len(day) == 1 {
		day = "0" + day
	}
	return year + "-" + mm + "-" + day
}

// monthYear is the "Month YYYY" date a sentence names, as YYYY-MM.
func monthYear(sent string) string {
	if m := reMonthYear.FindStringSubmatch(sent); m != nil {
		return m[2] + "-" + months[m[1]]
	}
	return ""
}

// loaderDate reports whether an ISO date is a real day (2021-02-30 is not).
func loaderDate(d string) bool {
	_, err := time.Parse("2006-01-02", d)
	return err == nil
}
