package queries

import (
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/threatkg/threatkg/graph/model"
)

func TestCatalogueParses(t *testing.T) {
	all, err := All()
	if err != nil {
		t.Fatal(err)
	}
	required := []string{"actors-victims", "actor-profile", "charged-individuals", "condemnations",
		"agreement-violations", "sector-exposure", "shortest-path", "provenance", "campaign-timeline"}
	names := map[string]bool{}
	for _, q := range all {
		names[q.Name] = true
		if q.Title == "" {
			t.Errorf("%s: no title line", q.Name)
		}
	}
	for _, r := range required {
		if !names[r] {
			t.Errorf("required query %s is missing", r)
		}
	}
}

var (
	nodeLabel = regexp.MustCompile(`\(\s*\w*\s*((?:[:|]\s*\w+\s*)+)[{)]`)
	relType   = regexp.MustCompile(`\[\s*\w*\s*:\s*(\w+)((?:\s*\|\s*\w+)*)`)
	oneLabel  = regexp.MustCompile(`[:|]\s*(\w+)`)
	// A label predicate such as "x:ThreatActor" in a WHERE.
	labelTest = regexp.MustCompile(`(?:^|\s)[a-z]\w*:([A-Z]\w*)`)
	// A fulltext index called by name.
	indexCall = regexp.MustCompile(`queryNodes\('(\w+)'`)
)

// TestQueriesUseOnlyDeclaredNames: labels and relationship types reach
// Cypher only from the declared model.
func TestQueriesUseOnlyDeclaredNames(t *testing.T) {
	labels := map[string]bool{model.EntityLabel: true, model.ReportLabel: true}
	for _, l := range model.Declared.Labels() {
		labels[l] = true
	}
	types := map[string]bool{model.MentionsType: true, model.SameAsType: true, model.NotSameAsType: true}
	for _, r := range model.Declared.RelTypes() {
		types[r] = true
	}
	all, err := All()
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range all {
		var body []string
		for _, line := range strings.Split(q.Cypher, "\n") {
			if !strings.HasPrefix(strings.TrimSpace(line), "//") {
				body = append(body, line)
			}
		}
		src := strings.Join(body, "\n")
		ls, ts := cypherNames(src)
		for _, l := range ls {
			if !labels[l] {
				t.Errorf("%s: label %q is not declared in the model", q.Name, l)
			}
		}
		for _, ty := range ts {
			if !types[ty] {
				t.Errorf("%s: relationship type %q is not declared in the model", q.Name, ty)
			}
		}
		indexes := map[string]bool{}
		for _, ix := range model.Declared.Indexes() {
			indexes[ix.Name] = true
		}
		for _, m := range indexCall.FindAllStringSubmatch(src, -1) {
			if !indexes[m[1]] {
				t.Errorf("%s: index %q is not declared in the model", q.Name, m[1])
			}
		}
		found := len(ls) + len(ts)
		if found == 0 {
			t.Errorf("%s: no labels or types found: is the check broken?", q.Name)
		}
	}
}

// cypherNames returns the labels and relationship types a query spells.
func cypherNames(src string) (labels, types []string) {
	for _, m := range nodeLabel.FindAllStringSubmatch(src, -1) {
		for _, l := range oneLabel.FindAllStringSubmatch(m[1], -1) {
			labels = append(labels, l[1])
		}
	}
	for _, m := range labelTest.FindAllStringSubmatch(src, -1) {
		labels = append(labels, m[1])
	}
	for _, m := range relType.FindAllStringSubmatch(src, -1) {
		types = append(types, m[1])
		for _, more := range oneLabel.FindAllStringSubmatch(m[2], -1) {
			types = append(types, more[1])
		}
	}
	return labels, types
}

func TestCypherNames(t *testing.T) {
	ls, ts := cypherNames("MATCH (a:Foo)-[r:BAR]->(:Baz:Qux {x: 1}), (b)<-[:ZAP|ZIP]-(c:Mal|Tol) WHERE a.x = 'y:z' AND b:Zed")
	if strings.Join(ls, ",") != "Foo,Baz,Qux,Mal,Tol,Zed" || strings.Join(ts, ",") != "BAR,ZAP,ZIP" {
		t.Errorf("cypherNames: labels %v, types %v", ls, ts)
	}
}

func TestBind(t *testing.T) {
	q, err := Parse("t.cypher", "// T\n// @name t\n// @description d\n// @param a string required A.\n// @param n integer default=6 N.\n// @param b boolean optional B.\n// @columns x\nRETURN $a, $n, $b")
	if err != nil {
		t.Fatal(err)
	}
	got, err := q.Bind(map[string]string{"a": "x' OR 1=1 //", "b": "true"})
	if err != nil {
		t.Fatal(err)
	}
	if got["a"] != "x' OR 1=1 //" || got["n"] != int64(6) || got["b"] != true {
		t.Errorf("Bind = %v", got)
	}
	for _, bad := range []map[string]string{{}, {"a": "x", "zz": "1"}, {"a": "x", "n": "six"}, {"a": "x", "b": "maybe"}} {
		if _, err := q.Bind(bad); err == nil {
			t.Errorf("Bind(%v) succeeded", bad)
		}
	}
}

func TestParseRejectsBadHeaders(t *testing.T) {
	for _, src := range []string{
		"// @description d\n// @columns x\nRETURN 1",                                             // no name
		"// @name t\n// @columns x\nRETURN 1",                                                    // no description
		"// @name t\n// @description d\nRETURN 1",                                                // no columns
		"// @name t\n// @description d\n// @columns x\n// @param p text required P.\nRETURN $p",  // bad type
		"// @name t\n// @description d\n// @columns x\n// @param p string required P.\nRETURN 1", // unused
		"// @name t\n// @description d\n// @columns x\n// @bogus\nRETURN 1",                      // unknown header
	} {
		if _, err := Parse("t.cypher", src); err == nil {
			t.Errorf("Parse accepted:\n%s", src)
		}
	}
}

// The tour's queries, too, use only declared labels and types.
func TestGuideUsesOnlyDeclaredNames(t *testing.T) {
	guide, err := Guide()
	if err != nil {
		t.Fatal(err)
	}
	labels := map[string]bool{model.EntityLabel: true, model.ReportLabel: true}
	for _, l := range model.Declared.Labels() {
		labels[l] = true
	}
	types := map[string]bool{model.MentionsType: true, model.SameAsType: true}
	for _, r := range model.Declared.RelTypes() {
		types[r] = true
	}
	ls, ts := cypherNames(guide)
	if len(ls) == 0 || strings.Count(guide, `class="runnable"`) < 8 {
		t.Fatal("the guide has too few queries")
	}
	for _, l := range ls {
		if !labels[l] {
			t.Errorf("guide: label %q is not declared", l)
		}
	}
	for _, ty := range ts {
		if !types[ty] {
			t.Errorf("guide: relationship type %q is not declared", ty)
		}
	}
}

func TestBrowserLink(t *testing.T) {
	q, err := Lookup("actors-victims")
	if err != nil {
		t.Fatal(err)
	}
	link := q.BrowserLink("http://localhost:7474/", map[string]any{"actor": `x'"}; MATCH (n) DETACH DELETE n //`})
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	arg := u.Query().Get("arg")
	if u.Path != "/browser/" || u.Query().Get("cmd") != "edit" {
		t.Errorf("link = %s", link)
	}
	// The value stays inside a JSON string of the :params command.
	first, rest, _ := strings.Cut(arg, ";\n")
	if first != `:params {"actor":"x'\"}; MATCH (n) DETACH DELETE n //","limit":null,"skip":null}` || rest != q.GraphQuery() {
		t.Errorf("editor content:\n%s", arg)
	}
	plain := Query{Name: "plain", Visual: "// @name plain\nMATCH (n:Entity) RETURN n LIMIT 1"}
	if got := plain.BrowserLink("http://h:7474", nil); !strings.Contains(got, "cmd=edit") || strings.Contains(got, "params") {
		t.Errorf("parameterless link = %s", got)
	}
}

// Every query runs unchanged in Neo4j Browser once its parameters are set:
// its header says how, for each parameter.
func TestEveryParameterHasABrowserHint(t *testing.T) {
	qs, err := All()
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		var hints []string
		for _, line := range strings.Split(q.Cypher, "\n") {
			if strings.HasPrefix(line, "// In Neo4j Browser:") {
				hints = append(hints, line)
			}
		}
		hint := strings.Join(hints, " ")
		for _, p := range q.Params {
			if !strings.Contains(hint, ":param "+p.Name+" =>") {
				t.Errorf("%s: no \"// In Neo4j Browser: :param %s => ...\" line", q.Name, p.Name)
			}
		}
	}
}

// TestQueryFilesAreCurrent: every fragment in the query files is what its
// definition (queries.Fragments) expands to; 'go run ./scripts/genqueries'
// rewrites them. And the shared pieces are written nowhere by hand.
func TestQueryFilesAreCurrent(t *testing.T) {
	files, _ := filepath.Glob("*.cypher")
	more, _ := filepath.Glob(filepath.Join("graph", "*.cypher"))
	files = append(files, more...)
	if len(files) < 20 {
		t.Fatalf("only %d query files", len(files))
	}
	used := map[string]int{}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out, err := ExpandFragments(f, string(src))
		if err != nil {
			t.Fatal(err)
		}
		if out != string(src) {
			t.Errorf("%s: a fragment differs from its definition; run go run ./scripts/genqueries", f)
		}
		for name := range Fragments {
			used[name] += strings.Count(string(src), "// fragment: "+name+" ") + strings.Count(string(src), "// fragment: "+name+"\n")
		}
		// outside fragments, no hand-written copy of the shared pieces
		outside := fragmentRegion.ReplaceAllString(string(src), "")
		for _, piece := range []string{"db.index.fulltext.queryNodes('" + model.NamesIndex + "', '\"' + replace(", representative} {
			if strings.Contains(outside, piece) {
				t.Errorf("%s: a copy of a shared fragment outside the fragment markers: %.60s", f, piece)
			}
		}
	}
	for name := range Fragments {
		if used[name] == 0 {
			t.Errorf("fragment %s is used by no query", name)
		}
	}
	if _, err := ExpandFragments("x", "// fragment: lookup actor x ThreatActor\nMATCH (n)"); err == nil {
		t.Error("a fragment with no end marker was accepted")
	}
	if _, err := ExpandFragments("x", "// fragment: nothing\n// end fragment"); err == nil {
		t.Error("an unknown fragment was accepted")
	}
}

var fragmentRegion = regexp.MustCompile(`(?s)// fragment: .*?// end fragment`)
