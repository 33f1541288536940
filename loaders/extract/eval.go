package extract

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"

	"github.com/threatkg/threatkg/graph/model"
)

// Score is precision, recall and F1 over matched items.
type Score struct {
	Gold      int     `json:"gold"`
	Extracted int     `json:"extracted"`
	Matched   int     `json:"matched"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

func score(gold, extracted, matched int) Score { return prScore(gold, extracted, matched, matched) }

// Evaluation compares a draft with curated annotations of the same text.
type Evaluation struct {
	Entities  Score `json:"entities"`
	Relations Score `json:"relations"`
	// Misses are gold items the draft lacks; FalsePositives are draft items
	// the gold lacks (a second draft entity for one gold entity counts as
	// one).
	EntityMisses          []string `json:"entity_misses"`
	EntityFalsePositives  []string `json:"entity_false_positives"`
	RelationMisses        []string `json:"relation_misses"`
	RelationFalsePositive []string `json:"relation_false_positives"`
	// Rules is each rule's precision: of what it produced, how much the
	// gold holds. It says how far a rule's confidence can be trusted.
	Rules []RuleScore `json:"rules"`
}

// RuleScore is one rule's precision in an evaluation.
type RuleScore struct {
	Rule      string  `json:"rule"`
	Kind      string  `json:"kind"` // entity or relation
	Extracted int     `json:"extracted"`
	Matched   int     `json:"matched"`
	Precision float64 `json:"precision"`
}

// ruleTally counts, per rule, what it produced and how much matched.
type ruleTally map[[2]string]*RuleScore

func (t ruleTally) add(kind, rule string, matched bool) {
	k := [2]string{kind, rule}
	r := t[k]
	if r == nil {
		r = &RuleScore{Rule: rule, Kind: kind}
		t[k] = r
	}
	r.Extracted++
	if matched {
		r.Matched++
	}
}

func (t ruleTally) scores() []RuleScore {
	out := make([]RuleScore, 0, len(t))
	for _, r := range t {
		r.Precision = float64(r.Matched) / float64(r.Extracted)
		out = append(out, *r)
	}
	// in the registry's order, entities before relations
	sort.Slice(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return out[i].Kind < out[j].Kind
		}
		if a, b := ruleOrder(out[i].Rule), ruleOrder(out[j].Rule); a != b {
			return a < b
		}
		return out[i].Rule < out[j].Rule
	})
	return out
}

// Evaluate matches the draft's entities to the gold's by label and
// normalised name or alias (model.Normalize), and its relations by type and
// SameText says whether gold annotates this text: its recorded digest of
// the text, if it has one, is the text's.
func SameText(gold model.Document, text string) bool {
	sum := sha256.Sum256([]byte(text))
	return gold.Source.TextSHA256 == "" || gold.Source.TextSHA256 == hex.EncodeToString(sum[:])
}

// matched endpoints.
func Evaluate(d Draft, gold model.Document) Evaluation {
	var ev Evaluation
	type goldEntity struct {
		e       model.Entity
		keys    map[string]bool
		matched bool
	}
	golds := make([]*goldEntity, len(gold.Entities))
	byUID := map[string]*goldEntity{}
	for i, e := range gold.Entities {
		g := &goldEntity{e: e, keys: map[string]bool{model.Normalize(e.Name): true}}
		for _, a := range e.Aliases {
			g.keys[model.Normalize(a)] = true
		}
		golds[i] = g
		byUID[e.UID] = g
	}
	describe := func(label, name string) string { return fmt.Sprintf("%s %q", label, name) }
	idToGold := map[string]string{}
	tally := ruleTally{}
	matched := 0
	for _, e := range d.Entities {
		keys := []string{model.Normalize(e.Name)}
		for _, a := range e.Aliases {
			keys = append(keys, model.Normalize(a))
		}
		var hit, dup *goldEntity
		for _, g := range golds {
			if g.e.Label != e.Type {
				continue
			}
			overlap := false
			for _, k := range keys {
				if g.keys[k] {
					overlap = true
					break
				}
			}
			if !overlap {
				continue
			}
			if !g.matched {
				hit = g
				break
			}
			if dup == nil {
				dup = g
			}
		}
		tally.add("entity", e.Rule, hit != nil)
		switch {
		case hit != nil:
			hit.matched = true
			matched++
			idToGold[e.ID] = hit.e.UID
		case dup != nil:
			idToGold[e.ID] = dup.e.UID
			ev.EntityFalsePositives = append(ev.EntityFalsePositives, describe(e.Type, e.Name)+" (a second entity for "+describe(dup.e.Label, dup.e.Name)+")")
		default:
			ev.EntityFalsePositives = append(ev.EntityFalsePositives, describe(e.Type, e.Name))
		}
	}
	for _, g := range golds {
		if !g.matched {
			ev.EntityMisses = append(ev.EntityMisses, describe(g.e.Label, g.e.Name))
		}
	}
	ev.Entities = score(len(gold.Entities), len(d.Entities), matched)

	goldClaims := map[string]bool{}
	for _, c := range gold.Claims {
		goldClaims[c.Type+"|"+c.From+"|"+c.To] = true
	}
	name := func(uid string) string {
		if g := byUID[uid]; g != nil {
			return g.e.Name
		}
		return uid
	}
	draftName := map[string]string{}
	for _, e := range d.Entities {
		draftName[e.ID] = e.Name
	}
	seen := map[string]bool{}
	relMatched := 0
	for _, r := range d.Relations {
		from, to := idToGold[r.From], idToGold[r.To]
		key := r.Type + "|" + from + "|" + to
		ok := from != "" && to != "" && goldClaims[key] && !seen[key]
		tally.add("relation", r.Rule, ok)
		if ok {
			seen[key] = true
			relMatched++
			continue
		}
		ev.RelationFalsePositive = append(ev.RelationFalsePositive, fmt.Sprintf("%s %q -> %q", r.Type, draftName[r.From], draftName[r.To]))
	}
	for _, c := range gold.Claims {
		if !seen[c.Type+"|"+c.From+"|"+c.To] {
			ev.RelationMisses = append(ev.RelationMisses, fmt.Sprintf("%s %q -> %q", c.Type, name(c.From), name(c.To)))
		}
	}
	ev.Relations = score(len(gold.Claims), len(d.Relations), relMatched)
	ev.Rules = tally.scores()
	sort.Strings(ev.EntityMisses)
	sort.Strings(ev.RelationMisses)
	return ev
}
