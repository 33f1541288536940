package extract

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/threatkg/threatkg/graph/model"
)

// A corpus is a folder of reports with gold entity mentions, in the format
// of AnnoCTR as converted in testdata/annoctr: docs/<doc>.txt, and
// gold.jsonl with one line per document,
// {"doc", "mentions": [{"start", "end", "text", "label"}]}.
type Corpus struct {
	Dir  string
	Docs []CorpusDoc
}

// CorpusDoc is one report and its gold mentions.
type CorpusDoc struct {
	Name     string
	Text     string
	Mentions []GoldMention
}

// GoldMention is one annotated span; only its text and label are scored.
type GoldMention struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text"`
	Label string `json:"label"`
}

// classMap is one scored class: the gold labels and the draft types it
// holds.
type classMap struct {
	Class      string
	GoldLabels []string
	DraftTypes []string
}

// The scored classes.
const (
	ClassActor        = "actor"
	ClassOrganisation = "organisation"
	ClassLocation     = "location"
	ClassSector       = "sector"
	ClassMalware      = "malware"
)

// CorpusClasses lists the scored classes in report order.
var CorpusClasses = []string{ClassActor, ClassOrganisation, ClassLocation, ClassSector, ClassMalware}

// ClassMapping says which gold labels and which draft entity types make up
// each scored class. It is documented in docs/extraction.md. Labels not
// listed (TECHNIQUE, TACTIC, CON in AnnoCTR) and types not listed (Person,
// Campaign, LegalAction, ...) are not scored: the corpus does not annotate
// the one, the model does not hold the other.
var ClassMapping = []classMap{
	{ClassActor, []string{"GROUP"}, []string{labelActor}},
	{ClassOrganisation, []string{"ORG"}, []string{labelOrg, labelGovernment}},
	{ClassLocation, []string{"LOC"}, []string{labelCountry, labelRegion}},
	{ClassSector, []string{"SECTOR"}, []string{labelSector}},
	{ClassMalware, []string{"MALWARE", "TOOL"}, []string{labelMalware, labelTool}},
}

func goldClass(label string) string {
	return classWith(func(c classMap) []string { return c.GoldLabels }, label)
}

func draftClass(typ string) string {
	return classWith(func(c classMap) []string { return c.DraftTypes }, typ)
}

// classWith is the class whose list (gold labels or draft types) holds v.
func classWith(list func(classMap) []string, v string) string {
	for _, c := range ClassMapping {
		if slices.Contains(list(c), v) {
			return c.Class
		}
	}
	return ""
}

// ReadCorpus reads a corpus folder. Every problem names the file and line.
func ReadCorpus(dir string) (Corpus, error) {
	c := Corpus{Dir: dir}
	goldPath := filepath.Join(dir, "gold.jsonl")
	f, err := os.Open(goldPath)
	if err != nil {
		return c, fmt.Errorf("read corpus: %w (a corpus folder holds gold.jsonl and docs/<doc>.txt)", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	line := 0
	for sc.Scan() {
		line++
		raw := bytes.TrimSpace(sc.Bytes())
		if len(raw) == 0 {
			continue
		}
		var row struct {
			Doc      string        `json:"doc"`
			Mentions []GoldMention `json:"mentions"`
		}
		if err := json.Unmarshal(raw, &row); err != nil {
			return c, fmt.Errorf("%s:%d: invalid JSON: %v", goldPath, line, err)
		}
		if row.Doc == "" || strings.ContainsAny(row.Doc, `/\`) || strings.HasPrefix(row.Doc, ".") {
			return c, fmt.Errorf("%s:%d: \"doc\" must name a file in docs/ (without .txt)", goldPath, line)
		}
		textPath := filepath.Join(dir, "docs", row.Doc+".txt")
		data, err := os.ReadFile(textPath)
		if err != nil {
			return c, fmt.Errorf("%s:%d: %w", goldPath, line, err)
		}
		if !utf8.Valid(data) {
			return c, fmt.Errorf("%s: not valid UTF-8", textPath)
		}
		c.Docs = append(c.Docs, CorpusDoc{Name: row.Doc, Text: string(data), Mentions: row.Mentions})
	}
	if err := sc.Err(); err != nil {
		return c, fmt.Errorf("%s:%d: %w", goldPath, line+1, err)
	}
	if len(c.Docs) == 0 {
		return c, fmt.Errorf("%s: no documents", goldPath)
	}
	return c, nil
}

// CorpusEvaluation is a corpus's score, per class and micro-averaged.
type CorpusEvaluation struct {
	Corpus    string           `json:"corpus"`
	Documents int              `json:"documents"`
	Classes   map[string]Score `json:"classes"`
	Micro     Score            `json:"micro"`
	// Misses and FalsePositives are the commonest errors over the corpus:
	// "class: name" with the number of documents it occurs in.
	Misses         []Count `json:"misses"`
	FalsePositives []Count `json:"false_positives"`
	// Rules is each rule's precision over the corpus (scored classes only).
	Rules       []RuleScore `json:"rules"`
	Bytes       int         `json:"bytes"`
	Seconds     float64     `json:"seconds"`
	BytesPerSec float64     `json:"bytes_per_second"`
}

// Count is an error and how many documents it occurs in.
type Count struct {
	Item string `json:"item"`
	N    int    `json:"n"`
}

// maxListed bounds the misses and false positives a corpus report lists.
const maxListed = 25

// EvaluateCorpus drafts every document and scores the drafts' entities
// against the gold mentions, per document, by strict match on the
// normalised name or any alias (model.Normalize): a gold string counts as
// found when a draft entity of its class has it as name or alias; a draft
// entity counts as right when one of its names is a gold string of its
// class in that document.
func EvaluateCorpus(c Corpus, opts Options) CorpusEvaluation {
	ev := CorpusEvaluation{Corpus: c.Dir, Documents: len(c.Docs), Classes: map[string]Score{}}
	type tally struct{ gold, extracted, foundGold, rightDraft int }
	per := map[string]*tally{}
	for _, cl := range CorpusClasses {
		per[cl] = &tally{}
	}
	misses, fps := map[string]int{}, map[string]int{}
	rules := ruleTally{}
	var elapsed time.Duration
	opts = opts.withCatalogue() // once, not per document
	for _, doc := range c.Docs {
		ev.Bytes += len(doc.Text)
		start := time.Now()
		d := Extract(doc.Text, opts)
		elapsed += time.Since(start)
		gold := map[string]map[string]string{} // class -> normalised -> surface
		for _, m := range doc.Mentions {
			cl := goldClass(m.Label)
			if cl == "" {
				continue
			}
			if gold[cl] == nil {
				gold[cl] = map[string]string{}
			}
			if k := model.Normalize(m.Text); k != "" {
				gold[cl][k] = m.Text
			}
		}
		found := map[string]map[string]bool{}
		for _, e := range d.Entities {
			cl := draftClass(e.Type)
			if cl == "" {
				continue
			}
			per[cl].extracted++
			right := false
			for _, n := range append([]string{e.Name}, e.Aliases...) {
				k := model.Normalize(n)
				if _, ok := gold[cl][k]; ok {
					right = true
					if found[cl] == nil {
						found[cl] = map[string]bool{}
					}
					found[cl][k] = true
				}
			}
			rules.add("entity", e.Rule, right)
			if right {
				per[cl].rightDraft++
			} else {
				fps[cl+": "+e.Name]++
			}
		}
		for cl, g := range gold {
			per[cl].gold += len(g)
			for k, surface := range g {
				if found[cl][k] {
					per[cl].foundGold++
				} else {
					misses[cl+": "+surface]++
				}
			}
		}
	}
	var micro tally
	for _, cl := range CorpusClasses {
		t := per[cl]
		ev.Classes[cl] = prScore(t.gold, t.extracted, t.foundGold, t.rightDraft)
		micro.gold += t.gold
		micro.extracted += t.extracted
		micro.foundGold += t.foundGold
		micro.rightDraft += t.rightDraft
	}
	ev.Micro = prScore(micro.gold, micro.extracted, micro.foundGold, micro.rightDraft)
	ev.Misses = topCounts(misses)
	ev.FalsePositives = topCounts(fps)
	ev.Rules = rules.scores()
	ev.Seconds = elapsed.Seconds()
	if ev.Seconds > 0 {
		ev.BytesPerSec = float64(ev.Bytes) / ev.Seconds
	}
	return ev
}

// prScore is a score whose recall counts gold strings found and whose
// precision counts draft entities that are right: one entity with two
// names can find two gold strings.
func prScore(gold, extracted, foundGold, rightDraft int) Score {
	s := Score{Gold: gold, Extracted: extracted, Matched: rightDraft}
	if extracted > 0 {
		s.Precision = float64(rightDraft) / float64(extracted)
	}
	if gold > 0 {
		s.Recall = float64(foundGold) / float64(gold)
	}
	if s.Precision+s.Recall > 0 {
		s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
	}
	return s
}

func topCounts(m map[string]int) []Count {
	out := make([]Count, 0, len(m))
	for k, n := range m {
		out = append(out, Count{k, n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].N != out[j].N {
			return out[i].N > out[j].N
		}
		return out[i].Item < out[j].Item
	})
	if len(out) > maxListed {
		out = out[:maxListed]
	}
	return out
}
