package extract

// People rules: titles, roles, ages, speech, lists of the charged.

import (
	"strings"
)

// recognisePeople finds people by titles, roles, ages, speech and lists.
func (x *extractor) recognisePeople(i int) {
	s, sent := x.sentence(i)
	// People: a title then a name; "ORG TITLE NAME" keeps ORG for WORKS_FOR.
	{
		for _, m := range x.pre[i].title {
			name := sent[m[2]:m[3]]
			if !x.plausibleName(name) {
				continue
			}
			e := x.personEntity(name, s.at(m[0], m[3]), rulePersonTitle, 0.9)
			role := strings.TrimSpace(sent[m[0]:m[2]])
			if !strings.HasSuffix(role, ".") {
				e.addRole(singularTitle(role))
			}
			x.mention(i, s.at(m[2], m[3]), e)
			// "Assistant U.S. Attorneys A and B": B holds the same post
			if n := reAndName.FindStringSubmatchIndex(sent[m[3]:]); n != nil {
				name2 := sent[m[3]+n[2] : m[3]+n[3]]
				if x.plausibleName(name2) && !x.overlaps(i, s.at(m[3]+n[2], m[3]+n[3])) {
					p2 := x.personEntity(name2, s.at(m[0], m[3]+n[3]), rulePersonTitle, 0.8)
					if !strings.HasSuffix(role, ".") {
						p2.addRole(singularTitle(role))
					}
					x.mention(i, s.at(m[3]+n[2], m[3]+n[3]), p2)
				}
			}
		}
	}
	if hasAny(sent, "members of", "member of", "collaborated with", "worked with", "conspired with", "associated with") {
		for _, m := range reSubjectNames.FindAllStringSubmatchIndex(sent, -1) {
			for _, n := range reNameInList.FindAllStringIndex(sent[m[2]:m[3]], -1) {
				sp := s.at(m[2]+n[0], m[2]+n[1])
				name := x.text[sp.start:sp.end]
				if x.overlaps(i, sp) || !x.plausibleName(name) {
					continue
				}
				e := x.personEntity(name, sp, rulePersonList, 0.7)
				x.mention(i, sp, e)
			}
		}
	}
	if hasAgeComma(sent) {
		for _, m := range reNameAge.FindAllStringSubmatchIndex(sent, -1) {
			name := sent[m[2]:m[3]]
			if !x.plausibleName(name) {
				continue
			}
			e := x.personEntity(name, s.at(m[2], m[5]), rulePersonAge, 0.85)
			x.mention(i, s.at(m[2], m[3]), e)
			x.originalScript(e, s.start+m[3])
		}
	}
	for k, re := range personPatterns {
		for _, m := range x.pre[i].person[k] {
			name := sent[m[2]:m[3]]
			if !x.plausibleName(name) {
				continue
			}
			if x.overlaps(i, s.at(m[2], m[3])) {
				if re == reNameRole {
					if p := x.mentionAt(i, s.at(m[2], m[3])); p != nil && p.label == labelPerson {
						p.addRole(sent[m[4]:m[5]])
					}
				}
				continue
			}
			rule := rulePersonSaid
			if re == reNameRole || re == reRoleComma {
				rule = rulePersonAppos
			}
			e := x.personEntity(name, s.at(m[0], m[1]), rule, 0.75)
			if re == reNameRole {
				e.addRole(sent[m[4]:m[5]])
			}
			x.mention(i, s.at(m[2], m[3]), e)
		}
	}
}

// personEntity finds a person by name, merging forms of one name ("Michael
// R. Pompeo", "Mike Pompeo": same surname, same initial).
func (x *extractor) personEntity(name string, evidence span, rule string, conf float64) *entity {
	words := strings.Fields(name)
	last := words[len(words)-1]
	for _, e := range x.byLast[last] {
		ew := strings.Fields(e.name)
		if len(ew) > 1 && ew[len(ew)-1] == last && ew[0][0] == words[0][0] && ew[0] != words[0] {
			e.addAlias(name)
			return e
		}
	}
	return x.entity(labelPerson, name, evidence, rule, conf)
}

// plausibleName rejects capitalised words that are not a person's name.
func (x *extractor) plausibleName(name string) bool {
	words := strings.Fields(name)
	if len(words) < 2 {
		return false
	}
	for _, w := range words {
		if len(w) == 2 && w[1] == '.' {
			continue // an initial
		}
		if notNameWords[strings.TrimSuffix(w, ".")] || x.stateOf[w] != nil || x.orgOf[w] != nil ||
			strings.HasSuffix(w, "’s") || strings.HasSuffix(w, "'s") {
			return false
		}
	}
	if x.actorOf[name] != nil || x.orgOf[name] != nil || x.stateOf[name] != nil {
		return false
	}
	return true
}

// singularTitle: "Assistant U.S. Attorneys" before two names is each one's
// "Assistant U.S. Attorney".
func singularTitle(role string) string {
	if strings.HasSuffix(role, "s") && !strings.HasSuffix(role, "ss") {
		return strings.TrimSuffix(role, "s")
	}
	return role
}

// hasAgeComma: ", 35," as after a defendant's name.
func hasAgeComma(s string) bool {
	for i := 0; i+4 < len(s); i++ {
		if s[i] == ',' && s[i+1] == ' ' && s[i+2] >= '0' && s[i+2] <= '9' && s[i+3] >= '0' && s[i+3] <= '9' && i+4 < len(s) && s[i+4] == ',' {
			return true
		}
	}
	return false
}
