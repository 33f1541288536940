package extract

import (
	"sort"
	"unicode"
	"unicode/utf8"
)

// dict finds known names in text: the leftmost-longest, non-overlapping
// occurrences that start and end on word boundaries. It replaces a regexp
// alternation of hundreds of names, which Go's regexp engine runs slowly:
// here each word start costs one map lookup.
type dict struct {
	byPrefix map[string][]string // names of 2 bytes, by those bytes
	byLong   map[string][]string // longer names, by their first longPrefix bytes; longest first
}

// prefixLen is the shortest name a dict holds; longPrefix keys longer
// names, so that a word start compares few names (a catalogue has
// thousands).
const (
	prefixLen  = 2
	longPrefix = 3
)

func newDict(names []string) *dict {
	d := &dict{byPrefix: map[string][]string{}, byLong: map[string][]string{}}
	seen := map[string]bool{}
	for _, n := range names {
		if len(n) < prefixLen || seen[n] {
			continue
		}
		seen[n] = true
		if len(n) >= longPrefix {
			d.byLong[n[:longPrefix]] = append(d.byLong[n[:longPrefix]], n)
			continue
		}
		k := n[:prefixLen]
		d.byPrefix[k] = append(d.byPrefix[k], n)
	}
	for _, list := range d.byLong {
		sort.Slice(list, func(i, j int) bool {
			if len(list[i]) != len(list[j]) {
				return len(list[i]) > len(list[j])
			}
			return list[i] < list[j]
		})
	}
	for _, list := range d.byPrefix {
		sort.Slice(list, func(i, j int) bool {
			if len(list[i]) != len(list[j]) {
				return len(list[i]) > len(list[j])
			}
			return list[i] < list[j]
		})
	}
	return d
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// FindAllStringSubmatchIndex has regexp's shape (a whole match and one
// group, the same here) so that callers treat a dict and a regexp alike.
func (d *dict) FindAllStringSubmatchIndex(s string, _ int) [][]int {
	var out [][]int
	prevWord := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !prevWord && isWordRune(r) && i+prefixLen <= len(s) {
			var lists [2][]string
			if i+longPrefix <= len(s) {
				lists[0] = d.byLong[s[i:i+longPrefix]]
			}
			lists[1] = d.byPrefix[s[i:i+prefixLen]]
			for _, list := range lists {
				for _, name := range list {
					end := i + len(name)
					if end > len(s) || s[i:end] != name {
						continue
					}
					if end < len(s) {
						if next, _ := utf8.DecodeRuneInString(s[end:]); isWordRune(next) {
							last, _ := utf8.DecodeLastRuneInString(name)
							if isWordRune(last) {
								continue
							}
						}
					}
					out = append(out, []int{i, end, i, end})
					i = end
					prevWord = true
					goto next
				}
			}
		}
		prevWord = isWordRune(r)
		i += size
	next:
	}
	return out
}
