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
	s := x.sents[i]
	abs := func(loc []int) span { return span{s.start + loc[0], s.start + loc[1]} }
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

	// USES: "APT41 deployed BADFLICK and HOMEFRY".
	if has(softwareOf...) {
		for _, loc := range x.relFound(i, reUse) {
			t := abs(loc)
			objects := x.allAfter(i, t.end, limit, softwareOf...)
			if len(objects) == 0 {
				continue
			}
			subjects := subject(t.start)
			if len(subjects) == 0 {
				// malware that uses a tool or technique: "PlugX uses DLL side-loading"
				if sw := x.before(i, t.start, labelMalware, labelTool); len(sw) > 0 {
					subjects = ents(sw[len(sw)-1:])
				}
			}
			for _, sub := range subjects {
				for _, obj := range objects {
					x.addRel(relUses, sub, obj.ent, x.evidence(i, t, obj.span), ruleRelUses, 0.7)
				}
			}
		}
		// "ShadowPad, a backdoor used by APT41"
		for _, m := range x.perSent[i] {
			if m.ent.label != labelMalware && m.ent.label != labelTool {
				continue
			}
			users := x.after(i, m.end, s.end, usersOf...)
			if len(users) == 0 || !reUsedBy.MatchString(x.text[m.end:users[0].start]) {
				continue
			}
			for _, u := range users {
				x.addRel(relUses, u.ent, m.ent, x.evidence(i, m.span, u.span), ruleRelUsedBy, 0.75)
			}
		}
	}

	// EXPLOITS: "the group exploited CVE-2019-19781", "CVE-2021-26855,
	// exploited by HAFNIUM".
	if has(labelVuln) {
		for _, loc := range x.relFound(i, reExploit) {
			t := abs(loc)
			objects := x.allAfter(i, t.end, limit, labelVuln)
			if len(objects) == 0 {
				continue
			}
			subjects := subject(t.start)
			if len(subjects) == 0 {
				if sw := x.before(i, t.start, labelMalware, labelTool); len(sw) > 0 {
					subjects = ents(sw[len(sw)-1:])
				}
			}
			for _, sub := range subjects {
				for _, obj := range objects {
					x.addRel(relExploits, sub, obj.ent, x.evidence(i, t, obj.span), ruleRelExploits, 0.75)
				}
			}
		}
		for _, m := range x.perSent[i] {
			if m.ent.label != labelVuln {
				continue
			}
			users := x.after(i, m.end, s.end, labelActor, labelCampaign, labelMalware, labelTool)
			if len(users) == 0 || !reExploitBy.MatchString(x.text[m.end:users[0].start]) {
				continue
			}
			for _, u := range users {
				x.addRel(relExploits, u.ent, m.ent, x.evidence(i, m.span, u.span), ruleRelExploitsBy, 0.8)
			}
		}
	}
}
