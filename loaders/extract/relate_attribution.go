package extract

import "slices"

// Relation rules of attribution: membership, on behalf of, nationality, campaigns conducted, defendants who are the actor.

// relateAffiliation: AFFILIATED_WITH, "Zhu and Zhang collaborated with APT10".
func (x *extractor) relateAffiliation(c clause) {
	i, s, abs, generic := c.i, c.s, c.abs, c.generic
	// AFFILIATED_WITH: "Zhu and Zhang collaborated with APT10".
	for _, loc := range x.relFound(c.i, reAffiliation) {
		t := abs(loc)
		subjects := ents(x.before(i, t.start, labelPerson))
		if len(subjects) == 0 && generic(t.start) {
			subjects = x.defendants(i)
		}
		objects := x.after(i, t.end, s.end, labelActor, labelOrg)
		if len(objects) == 0 {
			continue
		}
		for _, sub := range subjects {
			x.addRel(relAffiliated, sub, objects[0].ent, x.evidence(i, t, objects[0].span), ruleRelAffiliated, 0.7)
		}
	}
}

// relateAttribution: ATTRIBUTED_TO, "the group acted on behalf of X", "China's state-sponsored APT10", "the Chinese group APT40".
func (x *extractor) relateAttribution(c clause) {
	i, s, main, abs, generic := c.i, c.s, c.main, c.abs, c.generic
	// ATTRIBUTED_TO: "the group acted on behalf of X", "China's state-sponsored APT10".
	for _, loc := range x.relFound(c.i, reOnBehalf) {
		t := abs(loc)
		subjects := ents(x.before(i, t.start, labelActor, labelCampaign))
		if len(subjects) == 0 && main != nil && (generic(t.start) || reGenericEvent.MatchString(x.text[s.start:t.start])) {
			subjects = []*entity{main}
		}
		objects := x.after(i, t.end, s.end, labelGovernment, labelOrg)
		if len(objects) == 0 {
			continue
		}
		targets := []*entity{objects[0].ent}
		// "X, a service of the Government of Y": Y too
		for _, m := range x.allAfter(i, objects[0].end, s.end, labelGovernment) {
			if reServiceOf.MatchString(x.text[objects[0].end:m.start]) || objects[0].ent.label == labelOrg {
				targets = append(targets, m.ent)
				break
			}
		}
		for _, sub := range subjects {
			for _, to := range targets {
				x.addRel(relAttributed, sub, to, x.evidence(i, t, objects[0].span), ruleRelAttributed, 0.7)
			}
		}
	}
	for k, m := range x.perSent[i] {
		// "the Chinese group APT40", "Iranian threat actor TA453", "the
		// China-based APT41": the actor's country
		if m.ent.label == labelCountry && k+1 < len(x.perSent[i]) {
			next := x.perSent[i][k+1]
			gap := x.text[m.end:next.start]
			if next.ent.label == labelActor && (reNationalityGap.MatchString(gap) || m.ent.st != nil && slices.Contains(m.ent.st.demonyms, x.text[m.start:m.end]) && reActorKind.MatchString(gap)) {
				x.addRel(relAttributed, next.ent, m.ent, span{m.start, next.end}, ruleRelNationality, 0.7)
			}
			continue
		}
		if m.ent.label != labelGovernment {
			continue
		}
		rest := x.text[m.end:s.end]
		if loc := reSponsored.FindStringIndex(rest); loc != nil && k+1 < len(x.perSent[i]) {
			next := x.perSent[i][k+1]
			if next.ent.label == labelActor && reActorNoun.MatchString(x.text[m.end+loc[1]:next.start]) {
				x.addRel(relAttributed, next.ent, m.ent, span{m.start, next.end}, ruleRelSponsored, 0.8)
			}
		}
	}
}

// relateConducted: CONDUCTED, "Zhang and Tan participated in a 'Video Game Conspiracy'".
func (x *extractor) relateConducted(c clause) {
	i, s, abs, generic := c.i, c.s, c.abs, c.generic
	// CONDUCTED: "Zhang and Tan participated in a 'Video Game Conspiracy'".
	for _, loc := range x.relFound(c.i, reParticipate) {
		t := abs(loc)
		objects := x.after(i, t.end, s.end, labelCampaign)
		if len(objects) == 0 || objects[0].start-t.end > 40 {
			continue
		}
		subjects := ents(x.before(i, t.start, labelPerson, labelActor))
		if len(subjects) == 0 && generic(t.start) {
			subjects = x.defendants(i)
		}
		for _, sub := range subjects {
			x.addRel(relConducted, sub, objects[0].ent, x.evidence(i, t, objects[0].span), ruleRelConducted, 0.7)
		}
	}
}

// defendantsAreTheActor: where the text says its defendants (or their
// intrusions) are a threat actor, everyone a legal action of the text
// charges is AFFILIATED_WITH that actor.
func (x *extractor) defendantsAreTheActor() {
	var charged []*entity
	seen := map[*entity]bool{}
	for _, e := range x.order {
		if e.label == labelLegalAction {
			for _, p := range e.charged {
				if p.label == labelPerson && !seen[p] {
					seen[p] = true
					charged = append(charged, p)
				}
			}
		}
	}
	if len(charged) == 0 {
		return
	}
	for i, s := range x.sents {
		sent := x.text[s.start:s.end]
		if !hasAny(sent, "efendant", "ackers", "onspirator", "ntrusions", "ctors", "EFENDANT", "CTORS") {
			continue
		}
		loc := reDefendantsActor.FindStringIndex(sent)
		if loc == nil {
			loc = reIncludingActors.FindStringIndex(sent)
		}
		if loc == nil {
			continue
		}
		var actor *mention
		for k, m := range x.perSent[i] {
			if m.ent.label == labelActor && m.start >= s.start+loc[0] {
				actor = &x.perSent[i][k]
				break
			}
		}
		if actor == nil {
			continue
		}
		for _, p := range charged {
			x.addRel(relAffiliated, p, actor.ent, x.evidence(i, span{s.start + loc[0], actor.end}), ruleRelDefendantsActor, 0.65)
		}
		return // the first such sentence says it
	}
}
