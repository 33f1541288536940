package extract

// Relation rules of people and organisations: posts, structure.

import (
	"sort"
	"strings"
)

// relateOrganisations: who works where, and which organisation is part of
// which.
func (x *extractor) relateOrganisations(i int) {
	s := x.sents[i]
	ms := x.perSent[i]
	for k, m := range ms {
		// organisation structure between neighbours
		if k+1 < len(ms) {
			n := ms[k+1]
			gap := x.text[m.end:n.start]
			a, b := m.ent, n.ent
			if (a.label == labelOrg || a.label == labelGovernment) && b.label == labelOrg {
				switch {
				case rePossessive.MatchString(gap), reAdjacent.MatchString(gap) && a.label == labelOrg:
					x.addRel(relPartOf, b, a, span{m.start, n.end}, ruleRelPartOf, 0.7)
				}
			}
			if a.label == labelOrg && (b.label == labelOrg || b.label == labelGovernment) {
				if reOfThe.MatchString(gap) || reServiceOf.MatchString(gap) {
					x.addRel(relPartOf, a, b, span{m.start, n.end}, ruleRelPartOf, 0.7)
				}
				if reFrontOf.MatchString(gap) {
					x.addRel(relAffiliated, a, b, span{m.start, n.end}, ruleRelFrontOf, 0.65)
				}
			}
			if (a.label == labelOrg || a.label == labelGovernment) && reIncluding.MatchString(gap) {
				from := n.start
				if n.ent == a && k+2 < len(ms) && rePossessive.MatchString(x.text[n.end:ms[k+2].start]) {
					from = ms[k+2].start // "Microsoft, including Microsoft's X"
				}
				for _, c := range x.after(i, from, s.end, labelOrg) {
					x.addRel(relPartOf, c.ent, a, span{m.start, c.end}, ruleRelPartOf, 0.65)
				}
			}
		}
		if m.ent.label != labelPerson {
			continue
		}
		p := m.ent
		// "ORG Secretary NAME"
		if k > 0 {
			o := ms[k-1]
			if (o.ent.label == labelOrg || o.ent.label == labelGovernment) && reTitleGap.MatchString(x.text[o.end:m.start]) {
				x.addRel(relWorksFor, p, o.ent, span{o.start, m.end}, ruleRelWorksFor, 0.8)
				continue
			}
		}
		// "NAME of the ORG", "NAME, ROLE at ORG", "NAME, ORG": the last of a possessive chain
		rest := x.text[m.end:s.end]
		if loc := reDistrictOf.FindStringSubmatchIndex(rest); loc != nil && isUSAttorney(p) {
			x.usAttorneyOffice(i, p, span{m.start, m.end + loc[1]}, rest[loc[2]:loc[3]])
			continue
		}
		next := -1
		for j := k + 1; j < len(ms); j++ {
			if ms[j].ent.label == labelOrg || ms[j].ent.label == labelPerson {
				next = j
				break
			}
		}
		if next >= 0 {
			o := ms[next]
			gap := x.text[m.end:o.start]
			ok := reRoleOf.MatchString(gap) || gap == ", " || reRoleAt.MatchString(gap)
			if ok && o.ent.label == labelOrg {
				target := o
				for j := next + 1; j < len(ms); j++ {
					if rePossessive.MatchString(x.text[target.end:ms[j].start]) && ms[j].ent.label == labelOrg {
						target = ms[j]
						continue
					}
					break
				}
				x.addRel(relWorksFor, p, target.ent, span{m.start, target.end}, ruleRelWorksFor, 0.75)
				continue
			}
		}
		// a role that names its organisation
		for _, role := range p.roles {
			if !isUSAttorney(p) {
			} else if loc := reUSAttorney.FindStringSubmatchIndex(x.text[s.start:s.end]); loc != nil {
				x.usAttorneyOffice(i, p, span{s.start + loc[0], s.start + loc[1]}, x.text[s.start+loc[2]:s.start+loc[3]])
				continue
			}
			for _, ro := range roleOrgs {
				if ro.re.MatchString(role) && !strings.Contains(role, "U.S. Attorney") {
					o := x.g.orgNamed(ro.org)
					org := x.entity(labelOrg, o.name, m.span, ruleOrgRole, 0.6)
					if org.kind == "" {
						org.kind, org.parent = o.kind, o.parent
						org.rule = ruleOrgRole
						org.evidence = x.roleSpan(i, m, role)
					}
					org.count++
					x.ensureParent(org)
					x.addRel(relWorksFor, p, org, x.roleSpan(i, m, role), ruleRelRoleOrg, 0.6)
					break
				}
			}
		}
		// "ORG spokesman and ..., NAME"
		for j := k - 1; j >= 0; j-- {
			o := ms[j]
			if o.ent.label == labelOrg && reOrgRoleComma.MatchString(x.text[o.end:m.start]) {
				x.addRel(relWorksFor, p, o.ent, span{o.start, m.end}, ruleRelWorksFor, 0.7)
				break
			}
		}
	}
	// prosecutors: "X of the District of Y is prosecuting the case"
	if findIf(reProsecuting, x.text[s.start:s.end], "prosecut") != nil {
		count := map[*entity]int{}
		var order []*entity
		for _, m := range ms {
			if m.ent.label != labelPerson {
				continue
			}
			for _, r := range x.relOrder {
				if r.typ == relWorksFor && r.from == m.ent {
					if count[r.to] == 0 {
						order = append(order, r.to)
					}
					count[r.to]++
				}
			}
		}
		sort.SliceStable(order, func(a, b int) bool { return count[order[a]] > count[order[b]] })
		if len(order) > 0 {
			for _, a := range x.order {
				if a.label == labelLegalAction && a.props["kind"] != "sanction" {
					x.addRel(relBroughtBy, a, order[0], s.span, ruleRelBrought, 0.55)
				}
			}
		}
	}
}

func isUSAttorney(p *entity) bool {
	for _, role := range p.roles {
		if strings.Contains(role, "U.S. Attorney") {
			return true
		}
	}
	return false
}

// usAttorneyOffice: a U.S. Attorney "for the District of X" works for the
// U.S. Attorney's Office for that district, part of the Justice Department.
func (x *extractor) usAttorneyOffice(i int, p *entity, ev span, district string) {
	name := "U.S. Attorney's Office for the " + district
	org := x.entity(labelOrg, name, ev, ruleOrgRole, 0.65)
	org.kind, org.parent = "agency", "U.S. Department of Justice"
	org.addAlias(district)
	org.count++
	x.ensureParent(org)
	x.addRel(relWorksFor, p, org, ev, ruleRelRoleOrg, 0.65)
}

// roleSpan is the person's mention with the title before it.
func (x *extractor) roleSpan(i int, m mention, role string) span {
	start := m.start - len(role) - 1
	if start >= x.sents[i].start && x.text[start:m.start-1] == role {
		return span{start, m.end}
	}
	return m.span
}
