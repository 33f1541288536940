package extract

// Organisation rules: the known list, appositions, head words, CTI cues, other names and acronyms.

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// recogniseKnownOrgs finds the organisations of orgs.tsv.
func (x *extractor) recogniseKnownOrgs(i int) {
	s, sent := x.sentence(i)
	// Organisations the gazetteer knows.
	for _, m := range x.orgRE.FindAllStringSubmatchIndex(sent, -1) {
		o := x.orgOf[sent[m[2]:m[3]]]
		e := x.entity(labelOrg, o.name, s.at(m[2], m[3]), ruleOrgKnown, 0.9)
		e.kind, e.parent = o.kind, o.parent
		x.mention(i, s.at(m[2], m[3]), e)
	}
}

// recogniseOrgAppositions: "X, a front company", "a front company, X".
func (x *extractor) recogniseOrgAppositions(i int) {
	s, sent := x.sentence(i)
	// Organisations by head word or apposition ("X, a front company").
	if hasAny(sent, ", a ", ", an ") {
		for _, m := range reApposOrg.FindAllStringSubmatchIndex(sent, -1) {
			if e := x.orgCandidate(i, s.at(m[2], m[3]), ruleOrgApposition, 0.7); e != nil && e.rule == ruleOrgApposition {
				e.evidence = s.at(m[2], m[1])
			}
		}
	}
	if hasAny(sent, "company, ", "firm, ", "contractor, ", "business, ") {
		for _, m := range reApposOrgAfter.FindAllStringSubmatchIndex(sent, -1) {
			if e := x.orgCandidate(i, s.at(m[2], m[3]), ruleOrgApposition, 0.65); e != nil && e.rule == ruleOrgApposition {
				e.evidence = s.at(m[0], m[3])
			}
		}
	}
}

// recogniseOrgPatterns finds unnamed victims and organisations by head word.
func (x *extractor) recogniseOrgPatterns(i int) {
	s, sent := x.sentence(i)
	if hasAny(sent, " of a", "ictim") {
		for _, m := range reUnnamedVictim.FindAllStringSubmatchIndex(sent, -1) {
			name := sent[m[2]:m[3]]
			name = strings.ToUpper(name[:1]) + name[1:]
			e := x.entity(labelOrg, name, s.at(m[2], m[3]), ruleOrgUnnamed, 0.5)
			e.kind = "victim"
			x.mention(i, s.at(m[2], m[3]), e)
		}
	}
	// "the FSB's Center 16", "Military Unit 26165": units known by number
	if strings.ContainsAny(sent, "0123456789") && hasAny(sent, "Center ", "Centre ", "Unit ", "Directorate ", "Bureau ", "Division ") {
		for _, m := range reNumberedUnit.FindAllStringIndex(sent, -1) {
			x.orgCandidate(i, s.at(m[0], m[1]), ruleOrgPattern, 0.7)
		}
	}
	for _, found := range x.pre[i].orgHead {
		for _, m := range found {
			x.orgCandidate(i, s.at(m[0], m[1]), ruleOrgPattern, 0.7)
		}
	}
}

// orgCandidate records an organisation found by pattern: the part of the
// match no earlier rule claimed, without leading articles or trailing
// connectors.
func (x *extractor) orgCandidate(i int, s span, rule string, conf float64) *entity {
	// cut at the first earlier mention inside the candidate
	for _, m := range x.perSent[i] {
		if m.start > s.start && m.start < s.end {
			s.end = m.start
		}
		if m.start <= s.start && m.end > s.start {
			if m.end >= s.end {
				return nil
			}
			s.start = m.end
		}
	}
	str := x.text[s.start:s.end]
	for {
		trimmed := strings.TrimSpace(str)
		for _, p := range []string{"The ", "the ", "’s ", "'s ", "of ", "and ", ", "} {
			trimmed = strings.TrimPrefix(trimmed, p)
		}
		for _, suf := range []string{" of the", " of", " and", " for the", " for", " the", "’s", "'s", ",", " &"} {
			trimmed = strings.TrimSuffix(trimmed, suf)
		}
		// "Ministry of Trade Secretary [Elena Vorn]": the title is not the name
		if k := strings.LastIndex(trimmed, " "); k > 0 && titleTail[trimmed[k+1:]] {
			trimmed = trimmed[:k]
		}
		if trimmed == str {
			break
		}
		off := strings.Index(str, trimmed)
		s.start += off
		s.end = s.start + len(trimmed)
		str = trimmed
	}
	// "Positive Technologies JSC and Acme GmbH": two companies
	if k := strings.Index(str, " and "); k > 0 && reLegalSuffixEnd.MatchString(str[:k]) {
		second := span{s.start + k + len(" and "), s.end}
		s.end = s.start + k
		str = x.text[s.start:s.end]
		defer x.orgCandidate(i, second, rule, conf)
	}
	// "Park Jin Hyok and Chosun Expo Joint Venture": a known name and
	// another; keep the other
	if k := strings.Index(str, " and "); k > 0 {
		head := str[:k]
		if x.lookup(labelPerson, head) != nil || x.lookup(labelOrg, head) != nil || x.lookup(labelGovernment, head) != nil {
			s.start += k + len(" and ")
			str = x.text[s.start:s.end]
		}
	}
	if str == "" || !startsUpperOrDigit(str) || (!strings.Contains(str, " ") && rule != ruleOrgApposition) {
		return nil
	}
	// a sentence's first word ("According", "The") does not start a name
	// unless it is a head word ("Department of ...")
	if first := strings.Fields(str)[0]; notNameWords[first] && !orgHeadStart[first] {
		return nil
	}
	if x.stateOf[str] != nil || x.actorOf[str] != nil || !reOrgHead.MatchString(str) && rule != ruleOrgApposition {
		return nil
	}
	// "Front Company" in a headline is the common noun the body writes
	// "front company": not a name; nor is a phrase of ordinary words
	// ("Cloud App Security", "Research Team") unless a legal suffix makes
	// it a company's
	if x.commonNoun(str, s.start) || rule == ruleOrgPattern && reProductHead.MatchString(str) && allOrdinary(str) {
		return nil
	}
	e := x.entity(labelOrg, str, s, rule, conf)
	if e.kind == "" {
		e.kind = orgKind(str)
	}
	x.mention(i, s, e)
	return e
}

func orgKind(name string) string {
	switch {
	case reAgencyHead.MatchString(name):
		return "agency"
	case strings.Contains(name, "Court"):
		return "court"
	case reUniversityHead.MatchString(name):
		return "university"
	default:
		return "company"
	}
}

// commonNoun reports whether the text writes name in lower case nearby:
// then a capitalised form is a headline's, not a name.
func (x *extractor) commonNoun(name string, pos int) bool {
	lower := strings.ToLower(name)
	if lower == name {
		return false
	}
	if v, ok := x.common[name]; ok {
		return v
	}
	v := strings.Contains(x.window(pos, 64<<10), lower)
	x.common[name] = v
	return v
}

// window is the text within n bytes of pos (on rune boundaries).
func (x *extractor) window(pos, n int) string {
	lo, hi := max(0, pos-n), min(len(x.text), pos+n)
	for lo > 0 && !utf8.RuneStart(x.text[lo]) {
		lo--
	}
	for hi < len(x.text) && !utf8.RuneStart(x.text[hi]) {
		hi++
	}
	return x.text[lo:hi]
}

// otherNames: "Chosun Expo Joint Venture (a/k/a Korea Expo Joint Venture
// or “KEJV”)": the bracketed names are aliases.
func (x *extractor) otherNames(i int) {
	if !hasAny(x.text[x.sents[i].start:x.sents[i].end], "a/k/a", "aka ", "also known as", "formerly") {
		return
	}
	for _, m := range append([]mention{}, x.perSent[i]...) {
		if m.ent.label != labelOrg && m.ent.label != labelActor {
			continue
		}
		rest := x.text[m.end:x.sents[i].end]
		loc := reAKA.FindStringSubmatchIndex(rest)
		if loc == nil {
			continue
		}
		inner := rest[loc[2]:loc[3]]
		off := m.end + loc[2]
		for _, part := range reAKASep.Split(inner, -1) {
			name := strings.Trim(part, "“”\" ")
			if name == "" || !startsUpperOrDigit(name) {
				continue
			}
			k := strings.Index(x.text[off:off+len(inner)], name)
			if k < 0 {
				continue
			}
			sp := span{off + k, off + k + len(name)}
			if x.mention(i, sp, m.ent) {
				m.ent.addAlias(name)
			}
		}
	}
}

// acronyms: "Chengdu 404 Network Technology (“Chengdu 404”)", "Digital
// Crimes Unit (DCU)": the bracketed form is an alias.
func (x *extractor) acronyms(i int) {
	for _, m := range append([]mention{}, x.perSent[i]...) {
		if m.ent.label != labelOrg && m.ent.label != labelActor {
			continue
		}
		loc := reAcronymAfter.FindStringSubmatchIndex(x.text[m.end:x.sents[i].end])
		if loc == nil {
			continue
		}
		sp := span{m.end + loc[2], m.end + loc[3]}
		if x.mention(i, sp, m.ent) {
			m.ent.addAlias(x.text[sp.start:sp.end])
			x.fire(ruleAcronym)
		}
	}
}

func (x *extractor) recogniseOrgCues(i int) {
	s, sent := x.sentence(i)
	for _, found := range x.pre[i].orgCues {
		for _, m := range found {
			name := sent[m[2]:m[3]]
			sp := span{s.start + m[2], s.start + m[3]}
			// "Additionally Intel 471": a sentence's adverb is no part of it
			for strings.Contains(name, " ") && strings.HasSuffix(strings.Fields(name)[0], "ly") {
				k := strings.Index(name, " ") + 1
				name, sp.start = name[k:], sp.start+k
			}
			first := strings.Fields(name)[0]
			if strings.HasSuffix(first, "ly") {
				continue
			}
			if x.overlaps(i, sp) || notNameWords[first] || x.stateOf[name] != nil || x.stateOf[first] != nil || x.actorOf[name] != nil ||
				len(x.cat.exact[name]) > 0 && x.cat.exact[name][0].label != labelOrg || x.commonNoun(name, sp.start) {
				continue
			}
			e := x.entity(labelOrg, name, span{s.start + m[0], s.start + m[1]}, ruleOrgCue, 0.6)
			if e.kind == "" {
				e.kind = "company"
			}
			x.mention(i, sp, e)
		}
	}
}

// allOrdinary reports whether every word of a capitalised phrase is an
// ordinary English word ("Cloud App Security", "Research Team"): then the
// phrase is a heading, a product or a common noun, not an organisation's
// name, which has a proper noun, an acronym or a number in it.
func allOrdinary(phrase string) bool {
	words := ordinaryWords()
	for _, w := range strings.FieldsFunc(phrase, func(r rune) bool { return r == ' ' || r == '-' || r == '/' }) {
		w = strings.Trim(w, ".,’'&()")
		if w == "" {
			continue
		}
		if !words[strings.ToLower(w)] {
			return false
		}
		// an acronym ("IT", "SOAS") is a name's even if a word is spelt so
		if len(w) > 1 && strings.ToUpper(w) == w {
			return false
		}
	}
	return true
}

var orgCuePatterns = []*regexp.Regexp{reOrgCueBefore, reOrgCueAfter, reOrgCueVerb}

var reNumberedUnit = regexp.MustCompile(`\b(?:(?:Military|Special|Technical) )?(?:Center|Centre|Unit|Directorate|Bureau|Division) \d{1,6}\b`)

var reLegalSuffixEnd = regexp.MustCompile(`(?:Inc\.|Ltd\.?|LLC|GmbH|JSC|PJSC|OJSC|PLC|Corp\.?|Co\.|S\.A\.|B\.V\.)$`)
