package extract

// Relation rules of agreements, condemnations and legal actions.

import (
	"slices"
	"strings"
)

// relateAgreements: VIOLATED and PARTY_TO.
func (x *extractor) relateAgreements(c clause) {
	i, s, main, abs, generic := c.i, c.s, c.main, c.abs, c.generic
	// VIOLATED: "the APT10 hack violates the 2015 Cyber Agreement".
	for _, loc := range x.relFound(c.i, reViolation) {
		t := abs(loc)
		objects := x.after(i, t.end, s.end, labelAgreement)
		if len(objects) == 0 {
			continue
		}
		var subjects []*entity
		for _, m := range x.perSent[i] {
			if m.end <= t.start && hasLabel(m.ent, []string{labelActor, labelGovernment, labelCampaign}) {
				subjects = append(subjects, m.ent)
			}
		}
		if len(subjects) == 0 && main != nil && generic(t.start) {
			subjects = []*entity{main}
		}
		for _, sub := range subjects {
			x.addRel(relViolated, sub, objects[0].ent, x.evidence(i, t, objects[0].span), ruleRelViolated, 0.75)
		}
	}

	// PARTY_TO: "the Agreement made between the U.S. and China", "which X signed".
	for k, m := range x.perSent[i] {
		if m.ent.label != labelAgreement {
			continue
		}
		rest := x.text[m.end:s.end]
		if loc := reBetween.FindStringIndex(rest); loc != nil {
			for _, p := range x.after(i, m.end+loc[1], s.end, labelGovernment, labelCountry) {
				x.addRel(relPartyTo, x.asGovernment(p.ent), m.ent, x.evidence(i, m.span, p.span), ruleRelPartyTo, 0.75)
			}
		}
		if k+1 < len(x.perSent[i]) {
			next := x.perSent[i][k+1]
			gap := x.text[m.end:next.start]
			if (next.ent.label == labelGovernment || next.ent.label == labelCountry) && reSigned.MatchString(strings.TrimLeft(gap, ", ")) && strings.HasPrefix(x.text[next.end:s.end], " signed") {
				x.addRel(relPartyTo, x.asGovernment(next.ent), m.ent, x.evidence(i, m.span, next.span), ruleRelPartyTo, 0.7)
			}
		}
	}
}

// relateCondemned: CONDEMNED, by verb or by a judgement in a quote.
func (x *extractor) relateCondemned(c clause) {
	i, s, sent, abs := c.i, c.s, c.sent, c.abs
	// CONDEMNED: "Leaders from A, B and C are expected to speak out",
	// "We condemn the Government of X" (a verb: its subject condemns);
	// "“Russia's behaviour is irresponsible,” said X" (a judgement: the
	// speaker condemns the state it names).
	for _, loc := range x.relFound(c.i, reCondemn) {
		t := abs(loc)
		quoted := x.inQuote(i, t.start)
		judgement := reJudgement.MatchString(sent[loc[0]:loc[1]])
		var subjects []*entity
		if !judgement {
			subjects = ents(x.before(i, t.start, labelGovernment, labelPerson, labelOrg))
		}
		if quoted {
			// inside a quote, only a government named in it speaks for itself
			var govs []*entity
			for _, sub := range subjects {
				if sub.label == labelGovernment {
					govs = append(govs, sub)
				}
			}
			subjects = govs
			if len(subjects) == 0 {
				subjects = x.speakers[s.para]
			}
		}
		if len(subjects) == 0 {
			continue
		}
		var object *entity
		if judgement {
			// the state or actor the judgement is about: "Russia's
			// behaviour is irresponsible"
			for _, m := range x.perSent[i] {
				if (m.ent.label == labelGovernment || m.ent.label == labelActor) && !slices.Contains(subjects, m.ent) &&
					(m.ent == x.accusedState() || rePossessiveAfter.MatchString(x.text[m.end:s.end])) {
					object = m.ent
					break
				}
			}
		} else {
			// the first state or actor after the verb that is not a victim
			// ("... campaign by Russia against Germany")
			clauseEnd := s.end
			if loc := reClauseBreak.FindStringIndex(x.text[t.end:s.end]); loc != nil {
				clauseEnd = t.end + loc[0]
			}
			for _, m := range x.allAfter(i, t.end, clauseEnd, labelGovernment, labelActor) {
				if !reVictimBefore.MatchString(tail(x.text[s.start:m.start], 14)) && !slices.Contains(subjects, m.ent) {
					object = m.ent
					break
				}
			}
		}
		status := "made"
		if reExpected.MatchString(x.text[s.start:t.start]) {
			status = "expected"
		}
		// without an object in the sentence, the accused state, known once
		// every sentence is read
		x.condemnations = append(x.condemnations, condemnation{subjects: subjects, object: object, evidence: x.evidence(i, t), status: status})
	}
}

// relateLegal: ANNOUNCED, REPORTED, DISCOVERED and BROUGHT_BY.
func (x *extractor) relateLegal(c clause) {
	i, s, sent, abs := c.i, c.s, c.sent, c.abs
	// ANNOUNCED: "Rosenstein announced charges against ...".
	if loc := x.relFirst(c.i, reAnnounced); loc != nil {
		t := abs(loc)
		subs := x.before(i, t.start, labelPerson, labelOrg, labelGovernment)
		for _, a := range x.actionsIn(i) {
			if a.first > t.start {
				for _, sub := range subs {
					x.addRel(relAnnounced, sub.ent, a, x.evidence(i, sub.span, t), ruleRelAnnounced, 0.7)
				}
			}
		}
	}
	// REPORTED and DISCOVERED.
	if loc := x.relFirst(c.i, reReported); loc != nil {
		for _, m := range x.perSent[i] {
			if m.ent.kind == "news-outlet" {
				for _, o := range x.perSent[i] {
					if hasLabel(o.ent, []string{labelCampaign, labelLegalAction, labelActor}) {
						x.addRel(relReported, m.ent, o.ent, x.evidence(i, m.span, o.span), ruleRelReported, 0.6)
					}
				}
			}
		}
	}
	if loc := x.relFirst(c.i, reDiscovered); loc != nil {
		t := abs(loc)
		for _, sub := range x.before(i, t.start, labelOrg, labelPerson) {
			for _, o := range x.allAfter(i, t.end, s.end, labelCampaign, labelActor) {
				x.addRel(relDiscovered, sub.ent, o.ent, x.evidence(i, sub.span, o.span), ruleRelDiscovered, 0.6)
			}
		}
	}

	// BROUGHT_BY: "OFAC sanctioned X": the sanctioning agency or government.
	if loc := x.relFirst(c.i, reSanctionedVerb); loc != nil {
		t := abs(loc)
		subs := x.before(i, t.start, labelOrg, labelGovernment)
		for _, a := range x.actionsIn(i) {
			if a.props["kind"] == "sanction" && a.first >= t.start {
				for _, sub := range subs {
					x.addRel(relBroughtBy, a, sub.ent, x.evidence(i, sub.span, t), ruleRelBrought, 0.65)
				}
			}
		}
	}
	// BROUGHT_BY: "the Justice Department unsealed an indictment".
	if loc := x.relFirst(c.i, reBrings); loc != nil {
		t := abs(loc)
		subs := x.before(i, t.start, labelOrg, labelGovernment)
		for _, a := range x.actionsIn(i) {
			if a.first > t.start && len(subs) > 0 {
				x.addRel(relBroughtBy, a, subs[len(subs)-1].ent, x.evidence(i, subs[len(subs)-1].span, t), ruleRelBrought, 0.6)
			}
		}
	}
	// BROUGHT_BY: the agency named in the sentence of the charges.
	for _, a := range x.actionsIn(i) {
		for _, m := range x.perSent[i] {
			if m.ent.label == labelOrg && (m.ent.kind == "agency" || m.ent.kind == "court") && strings.Contains(sent, "according to") {
				x.addRel(relBroughtBy, a, m.ent, x.evidence(i, m.span), ruleRelBrought, 0.6)
			}
		}
	}
}

// addCondemnations adds the condemnations found, in text order, once the
// accused state is known.
func (x *extractor) addCondemnations() {
	for _, c := range x.condemnations {
		object := c.object
		if object == nil {
			object = x.accusedState()
		}
		for _, sub := range c.subjects {
			if sub == object {
				continue
			}
			if r := x.addRel(relCondemned, sub, object, c.evidence, ruleRelCondemned, 0.65); r != nil && r.props == nil {
				r.props = map[string]any{"status": c.status}
			}
		}
	}
}
