package extract

import "regexp"

// The relation rules' patterns that depend on one sentence alone, with the
// words a sentence must contain for each to be tried. precompute runs them
// for every sentence on every core; the rules read the results.
var relPatterns = []struct {
	re    *regexp.Regexp
	words []string
}{
	{reAffiliation, []string{"leader of", "head of", "founder of", "administrator of", "ringleader of", "boss of", "collaborated", "worked", "member", "belong", "affairs", "through", "working for", "works for", "employee", "associated", "affiliated", "operative"}},
	{reOnBehalf, []string{"behalf", "sponsored by", "backed by", "directed by", "direction of", "service of", "acting for", "acted for", "working for", "tasked by", "attributed", "controlled by", "operated by", "run by", "unit of", "part of", "linked to", "tied to"}},
	{reParticipate, []string{"participat", "conducted", "carried out", "launched", "ran ", "behind", "responsible for"}},
	{reViolation, []string{"violat", "breach", "contraven"}},
	{reCondemn, condemnWords},
	{reAnnounced, []string{"announc"}},
	{reReported, []string{"reported"}},
	{reDiscovered, []string{"discover"}},
	{reSanctionedVerb, []string{"sanctioned", "designated"}},
	{reBrings, []string{"unsealed", "filed", "brought", "returned", "issued"}},
	{reUse, useWords},
	{reExploit, exploitWords},
}

var relPatternAt = func() map[*regexp.Regexp]int {
	m := map[*regexp.Regexp]int{}
	for k, p := range relPatterns {
		m[p.re] = k
	}
	return m
}()

// relFound is what a relation pattern finds in sentence i.
func (x *extractor) relFound(i int, re *regexp.Regexp) [][]int { return x.pre[i].rel[relPatternAt[re]] }

// relFirst is its first match, or nil.
func (x *extractor) relFirst(i int, re *regexp.Regexp) []int {
	if found := x.relFound(i, re); len(found) > 0 {
		return found[0]
	}
	return nil
}

func (x *extractor) precomputeRelations(i int, sent string) {
	p := &x.pre[i]
	p.rel = make([][][]int, len(relPatterns))
	for k, rp := range relPatterns {
		if hasAny(sent, rp.words...) {
			p.rel[k] = rp.re.FindAllStringIndex(sent, -1)
		}
	}
}
