package extract

import (
	"regexp"
)

// Relation rules of software, techniques and vulnerabilities: who uses
// what, and what exploits which vulnerability.
const (
	ruleRelUses       = "uses-verb"
	ruleRelUsedBy     = "software-used-by"
	ruleRelExploits   = "exploits-verb"
	ruleRelExploitsBy = "exploited-by"
)

var (
	reUse    = regexp.MustCompile(`\b(?:us(?:es|ed|ing)|deploy(?:s|ed|ing)|leverag(?:es|ed|ing)|dropp(?:ed|ing)|drops|deliver(?:s|ed|ing)|distribut(?:es|ed|ing)|install(?:s|ed|ing)|employ(?:s|ed|ing)|reli(?:es|ed) on|relying on|spread(?:s|ing)?|download(?:s|ed|ing)|execut(?:es|ed|ing)|ran|runs|(?:arsenal|toolset|toolkit|tooling) (?:includes|included|of))\b`)
	useWords = []string{"use", "using", "deploy", "leverag", "dropp", "drops", "deliver", "distribut", "install", "employ", "relie", "relying",
		"spread", "download", "execut", "ran ", "runs", "arsenal", "toolset", "toolkit", "tooling"}
	// "X, a backdoor used by Y", "X, which is used by Y"
	reUsedBy     = regexp.MustCompile(`^[”"]?,? (?:a|an|the|which is|which was|which has been)? ?(?:[\p{L}-]+ ){0,4}(?:used|deployed|leveraged|employed|operated|developed|distributed) (?:exclusively |primarily |mainly |mostly |solely )?by (?:the )?$`)
	reExploit    = regexp.MustCompile(`\b(?:exploit(?:s|ed|ing)?|exploitation of|abus(?:es|ed|ing))\b`)
	reExploitBy  = regexp.MustCompile(`^,? (?:(?:was|were|is|are|has been|have been|being) )?(?:actively )?(?:exploited|abused) (?:in the wild )?by (?:the )?$`)
	exploitWords = []string{"xploit", "abus"}
)

var (
	usersOf    = []string{labelActor, labelCampaign}
	softwareOf = []string{labelMalware, labelTool, labelTechnique}
)

// relateSoftware finds USES and EXPLOITS in sentence i.
func (x *extractor) relateSoftware(i int, limit int, generic func(int) bool) {
	has := func(labels ...string) bool {
		for _, m := range x.perSent[i] {
			if hasLabel(m.ent, labels) {
				return true
			}
		}
		return false
	}
	if !has(softwareOf...) && !has(labelVuln) {
		return
	}
	subject := func(pos int) []*entity {
		sub := ents(x.before(i, pos, usersOf...))
		if len(sub) == 0 && x.main != nil && generic(pos) {
			sub = []*entity{x.main}
		}
		return sub
	}

	// USES: "APT41 deployed BADFLICK and HOMEFRY"; "ShadowPad, a backdoor
	// used by APT41".
	if has(softwareOf...) {
		x.verbRelation(i, reUse, limit, subject, softwareOf, relUses, ruleRelUses, 0.7)
		x.passiveRelation(i, []string{labelMalware, labelTool}, usersOf, reUsedBy, relUses, ruleRelUsedBy, 0.75)
	}
	// EXPLOITS: "the group exploited CVE-2019-19781", "CVE-2021-26855,
	// exploited by HAFNIUM".
	if has(labelVuln) {
		x.verbRelation(i, reExploit, limit, subject, []string{labelVuln}, relExploits, ruleRelExploits, 0.75)
		x.passiveRelation(i, []string{labelVuln}, []string{labelActor, labelCampaign, labelMalware, labelTool}, reExploitBy, relExploits, ruleRelExploitsBy, 0.8)
	}
}

// verbRelation: for each match of a verb pattern in sentence i, its
// subjects (an actor or campaign, else the software before it) and every
// object of the given labels after it, up to the clause's end.
func (x *extractor) verbRelation(i int, re *regexp.Regexp, limit int, subject func(int) []*entity, objectLabels []string, typ, rule string, conf float64) {
	s := x.sents[i]
	for _, loc := range x.relFound(i, re) {
		t := span{s.start + loc[0], s.start + loc[1]}
		objects := x.allAfter(i, t.end, limit, objectLabels...)
		if len(objects) == 0 {
			continue
		}
		subjects := subject(t.start)
		if len(subjects) == 0 {
			// software that uses a tool or exploits a flaw: "PlugX uses ..."
			if sw := x.before(i, t.start, labelMalware, labelTool); len(sw) > 0 {
				subjects = ents(sw[len(sw)-1:])
			}
		}
		for _, sub := range subjects {
			for _, obj := range objects {
				x.addRel(typ, sub, obj.ent, x.evidence(i, t, obj.span), rule, conf)
			}
		}
	}
}

// passiveRelation: "OBJECT, <pattern> SUBJECTS" ("ShadowPad, a backdoor
// used by APT41"): the subjects after the object, when the gap matches.
func (x *extractor) passiveRelation(i int, objectLabels, subjectLabels []string, gap *regexp.Regexp, typ, rule string, conf float64) {
	s := x.sents[i]
	for _, m := range x.perSent[i] {
		if !hasLabel(m.ent, objectLabels) {
			continue
		}
		users := x.after(i, m.end, s.end, subjectLabels...)
		if len(users) == 0 || !gap.MatchString(x.text[m.end:users[0].start]) {
			continue
		}
		for _, u := range users {
			x.addRel(typ, u.ent, m.ent, x.evidence(i, m.span, u.span), rule, conf)
		}
	}
}
