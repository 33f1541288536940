package extract

// Relation rules of targeting.

import (
	"strings"
)

// relateTargeted: TARGETED, "the defendants hacked X", "intrusions affecting ... in A, B".
func (x *extractor) relateTargeted(c clause) {
	i, s, main, limit, abs, generic := c.i, c.s, c.main, c.limit, c.abs, c.generic
	// TARGETED: "the defendants hacked X", "intrusions affecting ... in A, B".
	if loc := x.pre[i].attack; loc != nil {
		x.attackAt[i] = true
		t := abs(loc)
		subjects := ents(x.before(i, t.start, labelActor, labelCampaign, labelPerson))
		if len(subjects) == 0 {
			// "the Ryuk ransomware hit hospitals": the software
			subjects = ents(x.before(i, t.start, labelMalware, labelTool))
		}
		if len(subjects) == 0 && main != nil && (generic(t.start) || !strings.Contains(x.text[s.start:t.start], " ")) {
			subjects = []*entity{main}
		}
		if len(subjects) == 0 && main != nil && generic(s.end) {
			subjects = []*entity{main}
		}
		for _, obj := range x.allAfter(i, t.end, limit, labelOrg, labelSector, labelCountry, labelRegion) {
			if obj.ent.label == labelCountry && reCompanyCue.MatchString(x.text[obj.end:s.end]) {
				continue // "Unitronics, an Israeli company": where the company is, not a victim
			}
			if obj.ent.label == labelOrg && (obj.ent.kind == "agency" || obj.ent.kind == "intelligence" || obj.ent.kind == "news-outlet" || obj.ent.kind == "court") {
				continue
			}
			for _, sub := range subjects {
				x.addRel(relTargeted, sub, obj.ent, x.evidence(i, t, obj.span), ruleRelTargeted, 0.6)
			}
		}
	}
}

// attackTrigger is the first attack verb of a sentence: "hacking" as in
// "a hacking team" is an adjective, not an attack.
func (x *extractor) attackTrigger(sent string) []int {
	if !hasAny(sent, attackWords...) {
		return nil
	}
	for _, loc := range reAttack.FindAllStringIndex(sent, -1) {
		if reNotAnAttack.MatchString(sent[loc[0]:]) {
			continue
		}
		return loc
	}
	return nil
}
