package extract

// Sector rules.

import (
	"strings"
)

func (x *extractor) recogniseSectors(i int) {
	s, sent := x.sentence(i)
	lower := asciiLower(sent)
	hits := x.pre[i].sectors
	for k := 0; k < len(hits); {
		// a chain of sector words: "banking and finance", "healthcare and maritime"
		j := k + 1
		for j < len(hits) && reSectorChainGap.MatchString(lower[hits[j-1][1]:hits[j][0]]) {
			j++
		}
		chain := hits[k:j]
		k = j
		first, last := chain[0][0], chain[len(chain)-1][1]
		head := reSectorHead.FindStringIndex(lower[last:])
		listed := hasAny(lower[:first], "industries", "sectors") && reSectorList.MatchString(tail(lower[:first], 200))
		for _, h := range chain {
			word := lower[h[0]:h[1]]
			if head == nil && !listed && !institutionPlurals[word] && !(len(chain) == 1 && x.sectorAlone(word, lower[last:])) {
				continue
			}
			ev := span{s.start + first, s.start + last}
			if head != nil {
				ev.end += head[1]
			}
			e := x.entity(labelSector, x.sectorOf[word], ev, ruleSector, 0.7)
			if x.mention(i, span{s.start + h[0], s.start + h[1]}, e) {
				// how the text names the sector: "banking", "financial
				// institutions", "maritime and defense organizations"
				e.addAlias(x.text[s.start+h[0] : s.start+h[1]])
				if head != nil && h[1] == last {
					e.addAlias(x.text[s.start+h[0] : ev.end])
				}
				if ev.end-ev.start <= 80 {
					e.addAlias(x.text[ev.start:ev.end])
				}
			}
		}
	}
}

// sectorAlone: an industry's own name used as a noun, with no head noun
// after it ("attacks on banking.", "in healthcare and retail"): the word is
// the sector's name, and no lower-case word follows it (as in "banking
// trojan", where it qualifies the next word).
func (x *extractor) sectorAlone(word, after string) bool {
	// industries named by their activity (banking, manufacturing) or a
	// compound (healthcare, e-commerce) are used bare as nouns; other
	// sector names (government, software) are ordinary nouns in prose
	if !strings.EqualFold(word, x.sectorOf[word]) || len(word) < 5 ||
		!(strings.HasSuffix(word, "ing") || strings.HasSuffix(word, "care") || strings.HasSuffix(word, "commerce")) {
		return false
	}
	return reSectorAloneAfter.MatchString(after)
}
