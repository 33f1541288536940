package extract

// Place rules: states as countries or governments, states a text introduces, regions.

import (
	"slices"
	"strings"
)

// recogniseLearntStates learns the states a text introduces ("the Republic of Karvonia").
func (x *extractor) recogniseLearntStates(i int) {
	_, sent := x.sentence(i)
	// States the text introduces ("the Republic of Karvonia").
	if hasAny(sent, "Republic of", "Kingdom of", "Federation of", "State of", "Government of", "Emirate of", "Principality of") {
		for _, m := range reStateLearnt.FindAllStringSubmatchIndex(sent, -1) {
			name := sent[m[2]:m[3]]
			if x.stateOf[name] != nil || notNameWords[name] {
				continue
			}
			x.learnState(name)
		}
	}
}

// learnState adds a state the text introduces, with the demonyms English
// usually forms from it (Karvonia: Karvonian).
func (x *extractor) learnState(name string) {
	if x.learnt >= maxLearntStates {
		return
	}
	x.learnt++
	s := &state{name: name, names: []string{name}, invented: true}
	switch {
	case strings.HasSuffix(name, "ia"):
		s.demonyms = []string{name + "n"}
	case strings.HasSuffix(name, "a"):
		s.demonyms = []string{name + "n"}
	default:
		s.demonyms = []string{name + "ian", name + "ese", name + "i"}
	}
	x.g.states = append(x.g.states, s)
	x.stateOf[name] = s
	for _, d := range s.demonyms {
		x.stateOf[d] = s
	}
	var names []string
	for n := range x.stateOf {
		names = append(names, n)
	}
	x.stateRE = alternation(names)
}

// recogniseStates finds states: a Country where the text uses one as a
// place ("in Malaysia", "nationals of the PRC", and the rest of a list that
// starts so), else a Government ("the Government of Malaysia", "Chinese
// authorities", "between the U.S. and China"). A demonym alone ("Chinese
// hackers") names no entity.
func (x *extractor) recogniseStates(i int) {
	s, sent := x.sentence(i)
	type hit struct {
		span
		st            *state
		demonym       bool
		label         string
		full          span
		before, after string
		weak          bool // labelled by default, or after a list's weak first item
		skip          bool
	}
	var hits []hit
	found := x.pre[i].states
	if x.learnt > 0 {
		found = x.stateRE.FindAllStringSubmatchIndex(sent, -1) // the text introduced states
	}
	for _, m := range found {
		name := sent[m[2]:m[3]]
		st := x.stateOf[name]
		h := hit{span: span{s.start + m[2], s.start + m[3]}, st: st}
		for _, d := range st.demonyms {
			if d == name && !slices.Contains(st.names, name) {
				h.demonym = true
			}
		}
		hits = append(hits, h)
	}
	prevLabel := ""
	prevEnd := -1
	prevWeak := false
	for k := range hits {
		h := &hits[k]
		before := x.text[s.start:h.start]
		after := x.text[h.end:s.end]
		// "the Republic of X", "the People's Republic of China (PRC)": one mention
		full := h.span
		for _, p := range []string{"Republic of ", "Government of ", "government of ", "State of ", "Kingdom of "} {
			if strings.HasSuffix(before, p) {
				full.start -= len(p)
				if p == "Republic of " || p == "State of " || p == "Kingdom of " {
					before = x.text[s.start:full.start] // "nationals of the Republic of X": X is the place
				}
			}
		}
		h.full, h.before, h.after = full, before, after
		if capitals[x.text[h.start:h.end]] && !reCapitalActs.MatchString(after) && !reCapitalObject.MatchString(tail(before, 30)) {
			prevLabel = ""
			h.skip = true
			continue // "the Tokyo Olympics": a city, not a government
		}
		switch {
		case reCountryCue.MatchString(after) && (!h.demonym || x.hasPerson(i) || reCompanyCue.MatchString(after)):
			h.label = labelCountry
		case h.demonym && reGovCue.MatchString(strings.TrimLeft(after, " ")):
			h.label = labelGovernment
		case h.demonym:
			h.label = labelCountry // "Russian hackers": where they are from
		case strings.HasSuffix(before, "Government of ") || strings.HasSuffix(before, "government of ") || strings.HasSuffix(before, "governments of ") || reGovCue.MatchString(strings.TrimLeft(after, " ")) && !strings.HasPrefix(strings.TrimLeft(after, " "), "state"):
			h.label = labelGovernment
		case strings.HasPrefix(after, " states") || strings.HasPrefix(after, " state "):
			h.label = labelCountry
		case reLocative.MatchString(tail(before, 40)) && !(strings.HasSuffix(before, "and ") || strings.HasSuffix(before, ", ")):
			h.label = labelCountry
		case reCapitalActs.MatchString(after) || reCapitalObject.MatchString(tail(before, 30)) || reBetweenStates.MatchString(tail(before, 30)):
			h.label = labelGovernment // the state acts, or is acted on as a party
		case prevLabel != "" && prevEnd >= 0 && reStateListGap.MatchString(x.text[prevEnd:h.start]):
			h.label, h.weak = prevLabel, prevWeak
		case h.st.iso2 == "" && h.st.invented == false:
			h.label = labelGovernment // a bloc
		default:
			h.label, h.weak = labelCountry, true
		}
		prevLabel, prevEnd, prevWeak = h.label, h.end, h.weak
		if h.label == "" {
			prevLabel = ""
		}
	}
	// A list acts as one: "Britain and Australia condemned China": Britain
	// is a Government too.
	for k := 0; k < len(hits); {
		j := k + 1
		for j < len(hits) && !hits[j].skip && reStateListGap.MatchString(x.text[hits[j-1].end:hits[j].start]) {
			j++
		}
		acts := false
		for _, h := range hits[k:j] {
			acts = acts || h.label == labelGovernment && !h.weak && !h.demonym
		}
		for m := k; m < j && acts; m++ {
			if hits[m].weak {
				hits[m].label = labelGovernment
			}
		}
		k = j
	}
	for k := range hits {
		h := &hits[k]
		if h.skip || h.label == "" {
			continue
		}
		full, after := h.full, h.after
		fresh := x.lookup(h.label, h.st.name) == nil
		e := x.entity(h.label, h.st.name, full, ruleStateKnown, 0.85)
		if fresh && h.st.invented {
			e.rule = ruleStateLearnt
			e.confidence = 0.7
		}
		if fresh && h.demonym {
			e.rule = ruleDemonym
		}
		if h.demonym {
			x.fire(ruleDemonym)
		}
		if h.st.invented {
			x.fire(ruleStateLearnt)
		}
		e.st = h.st
		if h.label == labelCountry && h.st.iso2 != "" {
			e.props["iso2"] = h.st.iso2
		}
		x.mention(i, full, e)
		surface := x.text[full.start:full.end]
		// "Russian-speaking", "Iranian-linked": the compound names the place too
		if loc := reHyphenTail.FindStringIndex(after); loc != nil && h.label == labelCountry {
			e.addAlias(surface + after[:loc[1]])
		}
		switch {
		case h.label == labelGovernment && h.demonym:
			// "the Chinese government": the phrase names it
			if loc := reGovWord.FindStringIndex(after); loc != nil {
				e.addAlias(surface + after[:loc[1]])
			}
		case surface != h.st.name:
			e.addAlias(surface)
		}
	}
}

// recogniseRegions finds the world's regions ("the Middle East",
// "Southeast Asia") as places.
func (x *extractor) recogniseRegions(i int) {
	s, sent := x.sentence(i)
	for _, m := range regionDict().FindAllStringSubmatchIndex(sent, -1) {
		sp := span{s.start + m[0], s.start + m[1]}
		if x.overlaps(i, sp) {
			continue
		}
		surface := sent[m[0]:m[1]]
		e := x.entity(labelRegion, x.cat.regionOf[surface], sp, ruleRegion, 0.8)
		if x.mention(i, sp, e) {
			e.addAlias(surface) // "European": the region
		}
	}
}
