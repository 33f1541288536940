package extract

// Actor rules: threat actors by the text's own cues and by vendors' naming schemes; CVE and technique ids.

import (
	"strings"
)

// recogniseActorPatterns finds actors by the text's own cues: threat-label lists, "known as", gangs, hacking groups.
func (x *extractor) recogniseActorPatterns(i int) {
	s, sent := x.sentence(i)
	// Threat actors named in a list of labels: one actor, the first name
	// its name, the others its aliases.
	if hasAny(sent, `“`, `"`) && hasAny(sent, "track", "label", "known as", "dubbed", "called", "a.k.a", "aka", "named") {
		for _, m := range reQuotedList.FindAllStringSubmatchIndex(sent, -1) {
			// "named “Invoice”", "a file called “OK”": a quoted name is an
			// actor's only when the text says it names one (tracked as,
			// threat labels, or an actor word just before the cue)
			if cue := sent[m[0]:m[2]]; !hasAny(cue, "track", "label", "a.k.a", "aka", "also known") &&
				!reActorCue.MatchString(sent[max(0, m[0]-60):m[0]]) {
				continue
			}
			list := sent[m[2]:m[3]]
			items := reQuotedItem.FindAllStringSubmatchIndex(list, -1)
			var names []span
			for _, it := range items {
				name := strings.TrimSpace(list[it[2]:it[3]])
				if name == "" || !startsUpperOrDigit(name) || !looksLikeLabel(name) {
					continue
				}
				names = append(names, s.at(m[2]+it[2], m[2]+it[2]+len(name)))
			}
			if len(names) == 0 {
				continue
			}
			first := x.text[names[0].start:names[0].end]
			if reQuotedCamp.MatchString("“" + first + "”") {
				continue
			}
			e := x.actorEntity(first, s.at(m[0], m[1]), ruleActorList, 0.85)
			for _, n := range names {
				x.mention(i, n, e)
				e.addAlias(x.text[n.start:n.end])
			}
		}
	}
	if hasAny(sent, "known as", "tracked as", "dubbed", "calls itself", "called") {
		for _, m := range reKnownAs.FindAllStringSubmatchIndex(sent, -1) {
			name := sent[m[2]:m[3]]
			if !looksLikeLabel(name) || x.stateOf[name] != nil || x.orgOf[name] != nil {
				continue
			}
			e := x.actorEntity(name, s.at(m[0], m[1]), ruleActorList, 0.75)
			x.mention(i, s.at(m[2], m[3]), e)
		}
	}
	if hasAny(sent, " gang", " group", " crew", " collective", " outfit") {
		for _, m := range reGangName.FindAllStringSubmatchIndex(sent, -1) {
			name := sent[m[2]:m[3]]
			if x.stateOf[name] != nil || x.orgOf[name] != nil || notNameWords[name] || x.overlaps(i, s.at(m[2], m[3])) {
				continue
			}
			e := x.actorEntity(name, s.at(m[2], m[1]), ruleActorGang, 0.7)
			x.mention(i, s.at(m[2], m[3]), e)
		}
	}
	if hasAny(sent, "group", "actor", "outfit", "crew") {
		for _, m := range reHackingGroup.FindAllStringSubmatchIndex(sent, -1) {
			name := sent[m[2]:m[3]]
			short := ""
			if m[4] >= 0 {
				short = sent[m[4]:m[5]]
			}
			canonical := name
			if short != "" && len(short) < len(name) {
				canonical = short
			}
			e := x.actorEntity(canonical, s.at(m[0], m[1]), ruleActorGroup, 0.85)
			x.mention(i, s.at(m[2], m[3]), e)
			e.addAlias(name)
			if short != "" {
				x.mention(i, s.at(m[4], m[5]), e)
				e.addAlias(short)
			}
		}
	}
}

// actorEntity finds the actor a name belongs to: a gazetteer actor (by any
// of its names) or one named so far in the text.
func (x *extractor) actorEntity(name string, evidence span, rule string, conf float64) *entity {
	norm := strings.ToUpper(strings.ReplaceAll(name, " ", ""))
	if reAPT.MatchString(name) && len(norm) <= 6 {
		name = norm
	}
	if a := x.actorOf[name]; a != nil {
		for _, n := range append([]string{a.Name}, a.Aliases...) {
			if e := x.lookup(labelActor, n); e != nil {
				return e
			}
		}
	}
	return x.entity(labelActor, name, evidence, rule, conf)
}

// looksLikeLabel: a threat label is one to four words, each capitalised or
// with a digit.
func looksLikeLabel(s string) bool {
	words := strings.Fields(s)
	if len(words) == 0 || len(words) > 4 {
		return false
	}
	for _, w := range words {
		if !startsUpperOrDigit(w) {
			return false
		}
	}
	return true
}

func (x *extractor) recogniseShapes(i int) {
	s, sent := x.sentence(i)
	if hasAny(sent, "CVE-") {
		for _, m := range reCVE.FindAllStringIndex(sent, -1) {
			id := sent[m[0]:m[1]]
			e := x.entity(labelVuln, id, s.at(m[0], m[1]), ruleCVE, 0.95)
			e.props["external_id"] = id
			x.mention(i, s.at(m[0], m[1]), e)
		}
	}
	if hasAny(sent, "T1") {
		for _, m := range reTechniqueID.FindAllStringIndex(sent, -1) {
			id := sent[m[0]:m[1]]
			name := x.cat.techByID[id]
			if name == "" || x.overlaps(i, s.at(m[0], m[1])) {
				continue
			}
			e := x.entity(labelTechnique, name, s.at(m[0], m[1]), ruleTechniqueID, 0.9)
			e.props["external_id"] = id
			x.mention(i, s.at(m[0], m[1]), e)
		}
	}
	var schemes [][]int
	if hasAny(sent, numberedWords...) && strings.ContainsAny(sent, "0123456789") {
		schemes = reActorNumbered.FindAllStringIndex(sent, -1)
	}
	if hasAny(sent, familyWords...) {
		schemes = append(schemes, reActorFamily.FindAllStringIndex(sent, -1)...)
	}
	for _, m := range schemes {
		sp := s.at(m[0], m[1])
		if x.overlaps(i, sp) {
			continue
		}
		name := schemeName(sent[m[0]:m[1]])
		if hit := x.cat.exact[name]; len(hit) > 0 && hit[0].label == labelActor {
			e := x.catalogueEntity(hit[0], sp, ruleCatalogue[labelActor], 0.85)
			x.mention(i, sp, e)
			e.addAlias(x.text[sp.start:sp.end])
			continue
		}
		e := x.actorEntity(name, sp, ruleActorScheme, 0.8)
		x.mention(i, sp, e)
		e.addAlias(x.text[sp.start:sp.end])
	}
}

// schemeName normalises a naming-scheme match: "APT 40" is APT40.
func schemeName(s string) string {
	for _, p := range []string{"APT", "TA", "UNC", "FIN"} {
		if strings.HasPrefix(s, p) {
			return strings.ToUpper(strings.NewReplacer(" ", "", "-", "").Replace(s))
		}
	}
	return s
}
