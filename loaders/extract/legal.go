package extract

// Legal rules: legal actions and the people they charge.

import (
	"regexp"
	"slices"
	"strings"
)

// legalHits finds the cues of legal actions in sentence i.
func (x *extractor) legalHits(i int) []legalHit {
	s, sent := x.sentence(i)
	type found = legalHit
	var hits []found
	for _, m := range findAllSubmatchIf(reAgainst, sent, "harge", "HARGE", "ndictment", "NDICTMENT", "omplaint", "anction", "ANCTION") {
		hits = append(hits, found{kind: strings.ToLower(sent[m[4]:m[5]]), expected: m[2] >= 0 || strings.Contains(sent, "expected"), at: s.start + m[1]})
	}
	for _, m := range findAllSubmatchIf(reIndictCharge, sent, "ndictment", "omplaint") {
		hits = append(hits, found{kind: strings.ToLower(sent[m[2]:m[3]]), at: s.start + m[1]})
	}
	for _, m := range findAllSubmatchIf(reSanctionedVerb, sent, "sanctioned", "designated") {
		hits = append(hits, found{kind: "sanctions", at: s.start + m[1]})
	}
	// "a grand jury indicted Ding Xiaoyang (丁晓阳), Cheng Qingmin ...":
	// the verb, then the names
	for _, m := range findAllSubmatchIf(reIndictedVerb, sent, "indicted", "charged") {
		dup := false
		for _, h := range hits {
			dup = dup || h.at == s.start+m[1] // "the indictment charged": found above
		}
		if !dup && m[1] < len(sent) && sent[m[1]] >= 'A' && sent[m[1]] <= 'Z' {
			kind := "indictment"
			if sent[m[2]:m[3]] == "charged" {
				kind = "charges"
			}
			hits = append(hits, found{kind: kind, at: s.start + m[1]})
		}
	}
	return hits
}

// chargedPeople records the people the legal actions of sentence i name,
// before states are read ("Dmitry Khoroshev, a Russian national": the
// demonym describes a person named in the sentence).
func (x *extractor) chargedPeople(i int) {
	x.hits = x.pre[i].legal
	for _, h := range x.hits {
		x.chargedNames(i, h.at)
	}
	x.sortMentions(i)
}

func (x *extractor) recogniseLegalActions(i int) {
	s := x.sents[i]
	x.sortMentions(i)
	for _, h := range x.hits { // found by chargedPeople for this sentence
		x.chargedNames(i, h.at)
		x.sortMentions(i)
		subjects := x.listAfter(i, h.at, labelPerson, labelActor, labelOrg, labelGovernment)
		if len(subjects) == 0 {
			continue
		}
		var names []string
		for _, sub := range subjects {
			names = append(names, sub.ent.name)
		}
		var kindName, kind string
		switch {
		case strings.HasPrefix(h.kind, "indictment"):
			kindName, kind = "Indictment", "indictment"
		case strings.HasPrefix(h.kind, "sanction"):
			kindName, kind = "Sanctions", "sanction"
		case strings.Contains(h.kind, "complaint"):
			kindName, kind = "Complaint", "complaint"
		default:
			kindName, kind = "Charges", "charge"
		}
		if h.expected {
			kindName = "Expected " + strings.ToLower(kindName)
		}
		name := kindName + " against " + joinNames(names)
		last := subjects[len(subjects)-1]
		ev := trimSpan(x.text, span{s.start, last.end})
		e := x.entity(labelLegalAction, name, ev, ruleLegalAction, 0.75)
		if e.count == 0 {
			e.first = h.at
		}
		e.props["kind"] = kind
		if h.expected {
			e.props["status"] = "expected"
		}
		for _, sub := range subjects {
			if !slices.Contains(e.charged, sub.ent) {
				e.charged = append(e.charged, sub.ent)
			}
		}
		e.count++
		if !slices.Contains(x.actionsBySent[i], e) {
			x.actionsBySent[i] = append(x.actionsBySent[i], e)
		}
	}
}

func joinNames(names []string) string {
	switch len(names) {
	case 1:
		return names[0]
	case 2:
		return names[0] + " and " + names[1]
	default:
		return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
	}
}

// listAfter returns the mentions of the given labels that start at pos (after
// spaces) and continue as a list ("A, 35, and B (…), 39"); nil if the first
// mention after pos is not one of them.
func (x *extractor) listAfter(i, pos int, labels ...string) []mention {
	var out []mention
	cur := pos
	for _, m := range x.perSent[i] {
		if m.start < cur {
			continue
		}
		gap := x.text[cur:m.start]
		if !reListGap.MatchString(gap) || !slices.Contains(labels, m.ent.label) {
			break
		}
		out = append(out, m)
		cur = m.end
	}
	return out
}

// chargedNames records the people a charge names ("charges against Zhu Hua
// and Zhang Shilong", "charged Zhang Haoran (张浩然), 35, and Tan Dailin").
func (x *extractor) chargedNames(i, pos int) {
	end := x.sents[i].end
	for first := true; pos < end; first = false {
		m := reNextName.FindStringSubmatchIndex(x.text[pos:min(end, pos+200)])
		if m == nil {
			// "an indictment charging Khoroshev": one name of a known person
			if w := reNextWord.FindStringSubmatchIndex(x.text[pos:min(end, pos+60)]); w != nil {
				word := x.text[pos+w[2] : pos+w[3]]
				if people := x.byLast[word]; len(people) == 1 {
					sp := span{pos + w[2], pos + w[3]}
					if !x.overlaps(i, sp) {
						x.mention(i, sp, people[0])
					}
				}
			}
			return
		}
		if first && m[2] != 0 && strings.TrimSpace(x.text[pos:pos+m[2]]) != "" {
			return
		}
		name := x.text[pos+m[2] : pos+m[3]]
		sp := span{pos + m[2], pos + m[3]}
		if x.overlaps(i, sp) {
			pos = sp.end
			continue
		}
		if !x.plausibleName(name) {
			return
		}
		e := x.personEntity(name, sp, rulePersonList, 0.75)
		x.mention(i, sp, e)
		x.originalScript(e, sp.end)
		pos = sp.end
	}
}

var (
	reIndictedVerb   = regexp.MustCompile(`\b(?:grand jury |jury |court |prosecutors |authorities )?(indicted|charged) `)
	reOriginalScript = regexp.MustCompile(`^ \(([^\x00-\x7F()]{1,40})\)`)
)

// originalScript: "Ding Xiaoyang (丁晓阳)": the name in its own script,
// after the transliteration, is an alias.
func (x *extractor) originalScript(e *entity, end int) {
	if m := reOriginalScript.FindStringSubmatch(x.text[end:min(len(x.text), end+130)]); m != nil && !strings.ContainsAny(m[1], "abcdefghijklmnopqrstuvwxyz") {
		e.addAlias(m[1])
	}
}
