package extract

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/threatkg/threatkg/graph/graphtest/golden"
	"github.com/threatkg/threatkg/graph/model"
)

// Every registered rule is declared whole: a unique name, a known domain,
// what it emits in the model's terms, its cues and an example.
func TestRegistryIsWellFormed(t *testing.T) {
	seen := map[string]bool{}
	domains := map[string]bool{}
	for _, d := range Domains {
		domains[d] = true
	}
	for _, r := range Registry {
		if r.Name == "" || seen[r.Name] {
			t.Errorf("rule %q: empty or twice in the registry", r.Name)
		}
		seen[r.Name] = true
		if !domains[r.Domain] {
			t.Errorf("rule %s: domain %q is not one of Domains", r.Name, r.Domain)
		}
		if r.Cues == "" || r.Source == "" || r.Example == "" || len(r.Emits) == 0 {
			t.Errorf("rule %s: cues, source, example and emits are all required", r.Name)
		}
		for _, e := range r.Emits {
			_, isLabel := model.Declared.Node(e)
			_, isType := model.Declared.Rel(e)
			if !isLabel && !isType {
				t.Errorf("rule %s emits %q, which the model does not declare", r.Name, e)
			}
		}
	}
}

// ruleExampleOptions: the graph-entity rule needs a graph's entity.
func ruleExampleOptions(r Rule) Options {
	if r.Name == ruleGraphKnown {
		return Options{Known: []KnownEntity{{Label: labelMalware, Name: "Quillfeather", Aliases: []string{"QFEATHER"}}}}
	}
	return Options{}
}

// Each rule's example is its rule test: the draft of the example holds an
// entity or relation that the rule produced, of a type the rule declares.
func TestEveryRuleHasARuleTest(t *testing.T) {
	for _, r := range Registry {
		t.Run(r.Name, func(t *testing.T) {
			text := r.Example
			d := Extract(text, ruleExampleOptions(r))
			checkDraft(t, text, d)
			if !slices.Contains(d.Fired, r.Name) {
				t.Fatalf("the example %q does not fire %s; rules fired: %q", text, r.Name, d.Fired)
			}
			var fired []string
			for _, e := range d.Entities {
				if e.Rule == r.Name {
					fired = append(fired, e.Type)
				}
			}
			for _, rel := range d.Relations {
				if rel.Rule == r.Name {
					fired = append(fired, rel.Type)
				}
			}
			for _, f := range fired {
				ok := false
				for _, e := range r.Emits {
					ok = ok || e == f
				}
				if !ok {
					t.Errorf("%s produced a %s, which it does not declare (emits %v)", r.Name, f, r.Emits)
				}
			}
		})
	}
}

// Every rule a draft names is registered: on the curated articles, the
// AnnoCTR training split and every rule example.
func TestDraftsNameRegisteredRules(t *testing.T) {
	var texts []string
	for _, dir := range curated(t) {
		data, err := os.ReadFile(filepath.Join(dir, "article.txt"))
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(data))
	}
	corpus, err := ReadCorpus(filepath.Join("..", "..", "testdata", "annoctr", "train"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range corpus.Docs {
		texts = append(texts, d.Text)
	}
	for _, r := range Registry {
		texts = append(texts, r.Example)
	}
	for _, text := range texts {
		d := Extract(text, Options{})
		for _, e := range d.Entities {
			if _, ok := RuleNamed(e.Rule); !ok {
				t.Errorf("entity %s %q: rule %q is not registered", e.Type, e.Name, e.Rule)
			}
		}
		for _, r := range d.Relations {
			if _, ok := RuleNamed(r.Rule); !ok {
				t.Errorf("relation %s: rule %q is not registered", r.Type, r.Rule)
			}
		}
	}
}

const (
	ruleTableBegin = "<!-- rule table: generated from loaders/extract/rules.go by go test ./loaders/extract -update -->\n"
	ruleTableEnd   = "<!-- end of rule table -->\n"
)

// docs/extraction.md's rule table is the registry's.
func TestRuleDocIsCurrent(t *testing.T) {
	path := filepath.Join("..", "..", "docs", "extraction.md")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	i, j := strings.Index(doc, ruleTableBegin), strings.Index(doc, ruleTableEnd)
	if i < 0 || j < i {
		t.Fatalf("%s lacks the rule table's markers", path)
	}
	want := doc[:i+len(ruleTableBegin)] + RuleTable() + doc[j:]
	if *golden.Update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if want != doc {
		t.Errorf("the rule table in %s is out of date: run go test ./loaders/extract -update", path)
	}
}

// The dev split's micro F1 may not fall more than 0.02 below the figure
// the README states; nor rise more than 0.02 above it without the README
// saying so.
func TestCorpusDevScoreMatchesTheREADME(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`AnnoCTR dev split: micro F1 \*\*(\d\.\d\d)\*\*`).FindSubmatch(readme)
	if m == nil {
		t.Fatal("README.md does not state the AnnoCTR dev split's micro F1 (\"AnnoCTR dev split: micro F1 **0.xx**\")")
	}
	stated, _ := strconv.ParseFloat(string(m[1]), 64)
	corpus, err := ReadCorpus(filepath.Join("..", "..", "testdata", "annoctr", "dev"))
	if err != nil {
		t.Fatal(err)
	}
	ev := EvaluateCorpus(corpus, Options{})
	t.Logf("AnnoCTR dev: micro P %.2f R %.2f F1 %.2f (README: %.2f)", ev.Micro.Precision, ev.Micro.Recall, ev.Micro.F1, stated)
	if ev.Micro.F1 < stated-0.02 {
		t.Errorf("dev micro F1 %.3f fell more than 0.02 below the README's %.2f", ev.Micro.F1, stated)
	}
	if ev.Micro.F1 > stated+0.02 {
		t.Errorf("dev micro F1 %.3f is more than 0.02 above the README's %.2f: update the README", ev.Micro.F1, stated)
	}
}

// The scorer itself: strict per-document matching on names and aliases,
// classes mapped as documented, precision over draft entities, recall
// over gold strings.
func TestEvaluateCorpusScoring(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "docs"), 0o755); err != nil {
		t.Fatal(err)
	}
	text := "The Kimsuky group deployed PlugX against Japanese firms. Nobody saw Acme."
	if err := os.WriteFile(filepath.Join(dir, "docs", "a.txt"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	gold := `{"doc": "a", "mentions": [{"start": 4, "end": 11, "text": "Kimsuky", "label": "GROUP"}, {"start": 29, "end": 34, "text": "PlugX", "label": "MALWARE"}, {"start": 43, "end": 51, "text": "Japanese", "label": "LOC"}, {"start": 69, "end": 73, "text": "Acme", "label": "ORG"}, {"start": 0, "end": 3, "text": "The", "label": "CON"}]}` + "\n"
	if err := os.WriteFile(filepath.Join(dir, "gold.jsonl"), []byte(gold), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := ReadCorpus(dir)
	if err != nil {
		t.Fatal(err)
	}
	ev := EvaluateCorpus(c, Options{})
	for _, cl := range []string{ClassActor, ClassMalware, ClassLocation} {
		if s := ev.Classes[cl]; s.Recall != 1 || s.Precision != 1 {
			t.Errorf("%s: %+v, want P = R = 1", cl, s)
		}
	}
	if s := ev.Classes[ClassOrganisation]; s.Gold != 1 || s.Recall != 0 {
		t.Errorf("organisation: %+v, want the one gold string missed", s)
	}
	if ev.Micro.Gold != 4 {
		t.Errorf("micro gold %d, want 4 (CON is not scored)", ev.Micro.Gold)
	}
	if len(ev.Misses) != 1 || ev.Misses[0].Item != "organisation: Acme" {
		t.Errorf("misses %+v, want organisation: Acme", ev.Misses)
	}
	// bad corpora are refused with the file and line
	if err := os.WriteFile(filepath.Join(dir, "gold.jsonl"), []byte(gold+"{not json\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadCorpus(dir); err == nil || !strings.Contains(err.Error(), "gold.jsonl:2:") {
		t.Errorf("a bad line: err = %v, want gold.jsonl:2", err)
	}
	if _, err := ReadCorpus(filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing corpus folder was read")
	}
}

// Dates as reports write them: the dateline first, else the latest date.
func TestDates(t *testing.T) {
	tests := []struct{ text, want string }{
		{"Title\nJul 14, 2021\nAPT41 was seen.", "2021-07-14"},
		{"Title\n14 July 2021\nAPT41 was seen.", "2021-07-14"},
		{"Title\n2021-07-14\nAPT41 was seen.", "2021-07-14"},
		{"Title\nWASHINGTON, Sept. 16, 2020 — charges were announced.", "2020-09-16"},
		{"The campaign ran in March 2020 and July 2021.", "2021-07"},
		{"On 2021-02-30 nothing happened.", ""},
		{"Title\nPosted 3 Aug 2022\nMore on Jan 5, 2019.", "2022-08-03"},
	}
	for _, tt := range tests {
		if got := Extract(tt.text, Options{}).Date; got != tt.want {
			t.Errorf("%q: date %q, want %q", tt.text, got, tt.want)
		}
	}
}

// A condemnation's status says whether it was made or, when the text was
// written, only expected.
func TestCondemnationStatus(t *testing.T) {
	for text, want := range map[string]string{
		"Britain and Australia are expected to condemn China for the hacking campaign.": "expected",
		"Britain and Australia condemned China for the hacking campaign.":               "made",
	} {
		d := Extract(text, Options{})
		names := map[string]string{}
		for _, e := range d.Entities {
			names[e.ID] = e.Name
		}
		n := 0
		for _, r := range d.Relations {
			if r.Type == relCondemned && names[r.To] == "China" {
				n++
				if r.Properties["status"] != want {
					t.Errorf("%q: %s condemns China with status %v, want %s", text, names[r.From], r.Properties["status"], want)
				}
			}
		}
		if n < 2 {
			t.Errorf("%q: %d condemnations of China, want at least 2: %+v", text, n, d.Relations)
		}
	}
}

// The catalogue's names and their disambiguation, case by case.
func TestCatalogueDisambiguation(t *testing.T) {
	tests := []struct {
		text, entity string
		want         bool
	}{
		{"Turla used a new backdoor.", "ThreatActor:Turla", true},                                  // one word, at a sentence's start
		{"The report names Kimsuky as the culprit.", "ThreatActor:Kimsuky", true},                  // one word, no cue needed
		{"The Ares of the story is a god.", "Malware:Ares", false},                                 // an ordinary word, no cue
		{"The actor deployed the Ares malware.", "Malware:Ares", true},                             // an ordinary word with a cue
		{"It dropped Trickbot on the hosts.", "Malware:TrickBot", true},                            // another case of a distinctive name
		{"It copied mimikatz.exe to the share.", "Tool:Mimikatz", false},                           // a file name
		{"The autorun entry was changed.", "Malware:Mariposa", false},                              // a lower-case surface
		{"The Silence actors attacked banks. Silence then moved on.", "ThreatActor:Silence", true}, // confirmed by a cue elsewhere
	}
	for _, tt := range tests {
		got := slices.Contains(entityStrings(Extract(tt.text, Options{})), tt.entity)
		if got != tt.want {
			t.Errorf("%q: %s found = %v, want %v (%q)", tt.text, tt.entity, got, tt.want, entityStrings(Extract(tt.text, Options{})))
		}
	}
}
