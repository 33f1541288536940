package extract

// Relation rules of places.

import (
	"strings"
)

// relateLocations: "X, a PRC company", "registered in Y", "nationals of Y".
func (x *extractor) relateLocations(i int) {
	s := x.sents[i]
	ms := x.perSent[i]
	for k, m := range ms {
		if m.ent.label != labelCountry && !(m.ent.label == labelGovernment && m.ent.st != nil) {
			continue
		}
		before := x.text[s.start:m.start]
		after := x.text[m.end:s.end]
		// "X, a Malaysian company", "a front company registered in Y"
		if org := x.orgBefore(i, k); org != nil {
			gap := x.text[org.end:m.start]
			if reCompanyOf.MatchString(gap) && reCompanyCue.MatchString(after) ||
				reLocatedAt.MatchString(tail(before, 60)) && reApposGap.MatchString(strings.TrimSuffix(gap, reLocatedAt.FindString(tail(before, 60)))) {
				x.addRel(relLocatedIn, org.ent, x.asCountry(m.ent), span{org.start, m.end}, ruleRelLocated, 0.7)
			}
		}
		// "nationals of the PRC", "both Malaysian nationals and residents"
		nat := reNationals.FindStringIndex(after)
		natBefore := reNationalsOf.MatchString(tail(before, 40))
		if natBefore || (nat != nil && nat[0] <= 1) {
			people := ents(x.before(i, m.start, labelPerson))
			if len(people) == 0 {
				people = x.defendants(i)
			}
			for _, p := range people {
				x.addRel(relLocatedIn, p, x.asCountry(m.ent), x.evidence(i, m.span), ruleRelNational, 0.6)
			}
		}
	}
}

// stateInName is the state an agency's name names ("Royal Malaysia
// Police", "U.S. District Court", "Norwegian Police Security Service").
func (x *extractor) stateInName(name string) *state {
	for _, w := range strings.Fields(name) {
		if st := x.stateOf[w]; st != nil {
			return st
		}
	}
	for _, st := range x.g.states {
		for _, n := range st.names {
			if strings.Contains(n, " ") && strings.Contains(name, n) {
				return st
			}
		}
	}
	return nil
}

func (x *extractor) orgBefore(i, k int) *mention {
	for j := k - 1; j >= 0; j-- {
		if x.perSent[i][j].ent.label == labelOrg {
			return &x.perSent[i][j]
		}
	}
	return nil
}

func (x *extractor) asCountry(e *entity) *entity {
	if e.label == labelCountry || e.st == nil {
		return e
	}
	c := x.entity(labelCountry, e.st.name, e.evidence, ruleStateKnown, e.confidence)
	c.st = e.st
	if e.st.iso2 != "" {
		c.props["iso2"] = e.st.iso2
	}
	if c.count == 0 {
		c.count = 1
	}
	return c
}
