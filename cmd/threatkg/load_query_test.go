package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/threatkg/threatkg/graph/graphtest"
	"github.com/threatkg/threatkg/graph/graphtest/golden"
	"github.com/threatkg/threatkg/graph/model"
	"github.com/threatkg/threatkg/loaders"
	"github.com/threatkg/threatkg/loaders/stixtest"
	"github.com/threatkg/threatkg/queries"
)

const seedArticle = "../../testdata/articles/apt10-2018-12-20"

// goldenParams are the parameters each canned query runs with in the golden
// test; a query missing here fails the test, so none goes unchecked.
var goldenParams = map[string][]string{
	"actors-victims":       {"--param", "actor=apt10"},
	"actor-profile":        {"--param", "actor=Advanced Persistent Threat 10"},
	"agreement-violations": nil,
	"campaign-timeline":    nil,
	"charged-individuals":  nil,
	"condemnations":        nil,
	"provenance":           {"--param", "name=Zhu Hua"},
	"sector-exposure":      nil,
	"shortest-path":        {"--param", "from=Zhang Shilong", "--param", "to=u.s. department of justice"},
	"actor-techniques":     {"--param", "actor=APT10"},
	"actor-software":       {"--param", "actor=Stone Panda"},
	"technique-actors":     {"--param", "technique=t1199"},
	"shared-techniques":    {"--param", "a=APT10", "--param", "b=menuPass"},
	"observable-actors":    {"--param", "value=198.51.100[.]10"},
	"actor-indicators":     {"--param", "actor=APT10"},
}

const (
	menupassBundle = "../../testdata/stix/attack/menupass.json"
	// iocBundle ties indicators and observables to menupass.json's objects.
	iocBundle = "../../testdata/stix/indicators/menupass-iocs.json"
)

// loadSeed wipes the test database and loads the seed article with the CLI.
func loadSeed(t *testing.T) map[string]string {
	t.Helper()
	graphtest.OpenClean(t)
	env := envOf(graphtest.Get(t).Config)
	code, _, errOut := runCLI(t, env, "", "load", seedArticle)
	if code != exitOK {
		t.Fatalf("load: exit %d: %s", code, errOut)
	}
	return env
}

func queryJSON(t *testing.T, env map[string]string, name string, params ...string) []map[string]any {
	t.Helper()
	args := append([]string{"query", name, "--format", "json"}, params...)
	code, out, errOut := runCLI(t, env, "", args...)
	if code != exitOK {
		t.Fatalf("query %s: exit %d: %s", name, code, errOut)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("query %s: %v\n%s", name, err, out)
	}
	return rows
}

// TestCannedQueriesGolden runs every canned query on the seed article,
// ATT&CK's menuPass bundle and indicators tied to it, and compares the
// JSON with golden files.
func TestCannedQueriesGolden(t *testing.T) {
	env := loadSeed(t)
	for _, f := range []string{menupassBundle, iocBundle} {
		if code, _, errOut := runCLI(t, env, "", "load", f); code != exitOK {
			t.Fatalf("load %s: exit %d: %s", f, code, errOut)
		}
	}
	all, err := queries.All()
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range all {
		t.Run(q.Name, func(t *testing.T) {
			params, ok := goldenParams[q.Name]
			if !ok {
				t.Fatalf("no golden parameters for query %s: add it to goldenParams", q.Name)
			}
			args := append([]string{"query", q.Name, "--format", "json"}, params...)
			code, out, errOut := runCLI(t, env, "", args...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			var rows []map[string]any
			if err := json.Unmarshal([]byte(out), &rows); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, out)
			}
			if len(rows) == 0 {
				t.Error("no rows on the seed graph")
			}
			for _, r := range rows {
				for _, col := range q.Columns {
					if _, ok := r[col]; !ok {
						t.Errorf("row lacks declared column %q: %v", col, r)
					}
				}
			}
			golden.Check(t, filepath.Join("..", "..", "testdata", "golden", "queries", q.Name+".json"), []byte(out), "go test ./cmd/threatkg -run Golden -update")
		})
	}
}

// TestSeedAnswers checks the answers the seed article must give, as an
// analyst would read them.
func TestSeedAnswers(t *testing.T) {
	env := loadSeed(t)

	victims := map[string]string{}
	for _, r := range queryJSON(t, env, "actors-victims") {
		if r["actor"] == "APT10" {
			victims[r["victim"].(string)], _ = r["evidence"].(string)
		}
	}
	for _, want := range []string{"Global banking institution", "45 US government agencies and technology companies in 12 states", "Governments and companies in 12 countries"} {
		if q, ok := victims[want]; !ok || q == "" {
			t.Errorf("actors-victims: APT10 is not linked to %q with a quote (victims: %v)", want, victims)
		}
	}

	charged := map[string]bool{}
	for _, r := range queryJSON(t, env, "charged-individuals") {
		if r["affiliated_actor"] == "APT10" && strings.Contains(r["brought_by"].(string), "Department of Justice") {
			charged[r["person"].(string)] = true
		}
	}
	if !charged["Zhu Hua"] || !charged["Zhang Shilong"] {
		t.Errorf("charged-individuals: %v, want Zhu Hua and Zhang Shilong with APT10 and the Justice Department", charged)
	}

	condemners := map[string]bool{}
	for _, r := range queryJSON(t, env, "condemnations") {
		if r["condemned"] == "China" {
			condemners[r["condemner"].(string)] = true
		}
	}
	for _, want := range []string{"United States", "United Kingdom", "Australia", "Canada", "Japan", "Germany"} {
		if !condemners[want] {
			t.Errorf("condemnations: %s does not condemn China (condemners: %v)", want, condemners)
		}
	}

	found := false
	for _, r := range queryJSON(t, env, "agreement-violations") {
		parties, _ := json.Marshal(r["parties"])
		if r["agreement"] == "2015 US-China Cyber Agreement" && r["violator"] == "APT10" && string(parties) == `["China","United States"]` {
			found = true
		}
	}
	if !found {
		t.Error("agreement-violations: no row with the 2015 agreement, its parties China and the United States, violated by APT10")
	}

	profile := queryJSON(t, env, "actor-profile", "--param", "actor=APT10")
	if len(profile) != 1 || len(profile[0]["victims"].([]any)) < 3 || len(profile[0]["condemned_by"].([]any)) < 6 {
		t.Errorf("actor-profile APT10 = %v", profile)
	}
}

func TestLoadTwiceLeavesStatsUnchanged(t *testing.T) {
	env := loadSeed(t)
	_, before, _ := runCLI(t, env, "", "stats", "--format", "json")
	code, _, errOut := runCLI(t, env, "", "load", seedArticle)
	if code != exitOK {
		t.Fatalf("second load: exit %d: %s", code, errOut)
	}
	_, after, _ := runCLI(t, env, "", "stats", "--format", "json")
	if before != after {
		t.Errorf("stats changed on reload:\n%s\n%s", before, after)
	}
	if !strings.Contains(before, `"ThreatActor": 1`) {
		t.Errorf("stats after loading the seed: %s", before)
	}
}

// TestBadInputExits2AndWritesNothing loads the seed, then tries each broken
// variant of it: exit 2, a file:line:col message, and the graph unchanged.
func TestBadInputExits2AndWritesNothing(t *testing.T) {
	env := loadSeed(t)
	c := graphtest.Open(t)
	before := graphtest.Fingerprint(t, c)

	cases := []struct{ name, old, new, want string }{
		{"broken YAML", "    name: Zhu Hua\n", "    name: Zhu: Hua\n", "invalid YAML"},
		{"unknown type", "    type: ThreatActor\n", "    type: HackerGroup\n", `unknown type "HackerGroup"`},
		{"unknown field", "    name: Zhu Hua\n", "    name: Zhu Hua\n    nickname: Zhu\n", `unknown field "nickname"`},
		{"dangling relation end", "from: zhu-hua, to: apt10,", "from: zhu-hua, to: apt11,", "is not an entity id"},
		{"relation not allowed", "{type: BROUGHT_BY, from: indictment, to: doj,", "{type: BROUGHT_BY, from: indictment, to: sector-banking,", "not allowed by the model"},
		{"duplicate id", "  - id: zhang-shilong\n", "  - id: zhu-hua\n", "duplicate entity id"},
		{"one quote altered", `evidence: "announced charges against Zhu Hua and Zhang Shilong"`, `evidence: "announced charges against Zhu Hua and Zhang Shi-long"`, "evidence is not in the article text"},
	}
	seedYAML, err := os.ReadFile(filepath.Join(seedArticle, "annotations.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	text, err := os.ReadFile(filepath.Join(seedArticle, "article.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(string(seedYAML), tc.old) {
				t.Fatalf("snippet %q not in the seed", tc.old)
			}
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "article.txt"), text, 0o644)
			os.WriteFile(filepath.Join(dir, "annotations.yaml"), []byte(strings.Replace(string(seedYAML), tc.old, tc.new, 1)), 0o644)

			_, statsBefore, _ := runCLI(t, env, "", "stats", "--format", "json")
			code, out, errOut := runCLI(t, env, "", "load", dir)
			if code != exitUsage {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, exitUsage, errOut)
			}
			if out != "" {
				t.Errorf("stdout = %q, want nothing", out)
			}
			lines := strings.Split(strings.TrimSpace(errOut), "\n")
			if !strings.Contains(errOut, tc.want) || !strings.HasPrefix(lines[0], filepath.Join(dir, "annotations.yaml")+":") {
				t.Errorf("stderr does not start with file:line: and mention %q:\n%s", tc.want, errOut)
			}
			if !strings.HasSuffix(lines[len(lines)-1], "nothing was written") {
				t.Errorf("last line = %q", lines[len(lines)-1])
			}
			_, statsAfter, _ := runCLI(t, env, "", "stats", "--format", "json")
			if statsAfter != statsBefore {
				t.Errorf("stats changed:\n%s\n%s", statsBefore, statsAfter)
			}
			if after := graphtest.Fingerprint(t, c); after != before {
				t.Errorf("graph changed: %s -> %s", before, after)
			}
		})
	}
}

func TestQueryUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"query", "nosuch"}, `no canned query "nosuch"; the catalogue has: actor-indicators, actor-profile, actor-software, actor-techniques`},
		{[]string{"query", "actor-profile"}, "needs --param actor=...; its parameters: actor (string, required)"},
		{[]string{"query", "condemnations", "--param", "actor=x"}, "has no parameter actor; its parameters: limit (integer, default 100)"},
		{[]string{"query", "condemnations", "--param", "limit=-1"}, "-1 is negative; give 0 or more"},
		{[]string{"query", "shortest-path", "-p", "from=a", "-p", "to=b", "-p", "max_hops=six"}, `"six" is not a whole number`},
		{[]string{"query", "actors-victims", "--param", "actor"}, `want key=value`},
		{[]string{"query", "condemnations", "--format", "xml"}, `invalid argument "xml" for "--format" flag: want one of: table, json, csv`},
		{[]string{"load"}, "requires at least 1 arg"},
		{[]string{"load", "/nonexistent/article"}, "not a source threatkg reads"},
		{[]string{"reset"}, "--yes"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			// No database settings: usage errors are found before connecting.
			code, _, errOut := runCLI(t, nil, "", tt.args...)
			if code != exitUsage || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 and %q", code, errOut, tt.want)
			}
		})
	}
}

func TestQueryCypherAndCatalogue(t *testing.T) {
	code, out, _ := runCLI(t, nil, "", "query", "provenance", "--cypher")
	if code != exitOK || !strings.Contains(out, "// @name provenance") || !strings.Contains(out, "$name") {
		t.Errorf("--cypher: exit %d, out %q", code, out)
	}
	code, out, _ = runCLI(t, nil, "", "query", "--format", "json")
	var list []queries.Query
	if err := json.Unmarshal([]byte(out), &list); code != exitOK || err != nil || len(list) < 9 {
		t.Errorf("catalogue json: exit %d, %v, %d queries", code, err, len(list))
	}
}

func TestQueryFormats(t *testing.T) {
	env := loadSeed(t)
	code, out, _ := runCLI(t, env, "", "query", "charged-individuals", "--format", "csv")
	if code != exitOK || !strings.HasPrefix(out, "person,affiliated_actor,legal_action,brought_by,evidence\n") || strings.Count(out, "\n") != 3 {
		t.Errorf("csv: exit %d:\n%s", code, out)
	}
	code, out, _ = runCLI(t, env, "", "query", "charged-individuals")
	if code != exitOK || !strings.HasPrefix(out, "person ") || !strings.Contains(out, "Zhu Hua ") {
		t.Errorf("table: exit %d:\n%s", code, out)
	}
	// No rows is a success.
	code, out, _ = runCLI(t, env, "", "query", "actor-profile", "--param", "actor=nobody", "--format", "json")
	if code != exitOK || strings.TrimSpace(out) != "[]" {
		t.Errorf("no rows: exit %d, out %q", code, out)
	}
}

// TestArticleAndATTACKInEitherOrder: after the seed article and menupass.json,
// in either order, APT10's profile joins both sources.
func TestArticleAndATTACKInEitherOrder(t *testing.T) {
	for _, order := range [][]string{{seedArticle, menupassBundle}, {menupassBundle, seedArticle}} {
		t.Run(filepath.Base(order[0])+" first", func(t *testing.T) {
			graphtest.OpenClean(t)
			env := envOf(graphtest.Get(t).Config)
			for _, src := range order {
				if code, _, errOut := runCLI(t, env, "", "load", src); code != exitOK {
					t.Fatalf("load %s: exit %d: %s", src, code, errOut)
				}
			}
			rows := queryJSON(t, env, "actor-profile", "--param", "actor=APT10", "--param", "top=100")
			if len(rows) != 1 {
				t.Fatalf("%d rows, want one: %v", len(rows), rows)
			}
			has := func(col, want string) bool {
				for _, v := range rows[0][col].([]any) {
					if strings.HasPrefix(v.(string), want) {
						return true
					}
				}
				return false
			}
			if !has("members", "Zhu Hua") || !has("techniques", "T1199 Trusted Relationship") || !has("software", "PlugX") {
				t.Errorf("profile lacks Zhu Hua, T1199 or PlugX: %v", rows[0])
			}
			_, out, _ := runCLI(t, env, "", "resolve", "--explain", "APT10")
			if !strings.Contains(out, `because both are called "apt10"`) {
				t.Errorf("resolve --explain:\n%s", out)
			}
		})
	}
}

func TestLoadRefusesDanglingSTIXReference(t *testing.T) {
	env := loadSeed(t)
	c := graphtest.Open(t)
	before := graphtest.Fingerprint(t, c)
	dir := t.TempDir()
	bundle := `{"type": "bundle", "id": "bundle--0d6c9c2e-7f44-4ad5-9a66-5b3a0b7f0001", "objects": [
  {"type": "tool", "spec_version": "2.1", "id": "tool--00000000-0000-4000-8000-000000000004", "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "name": "x"},
  {"type": "relationship", "spec_version": "2.1", "id": "relationship--00000000-0000-4000-8000-000000000101", "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z",
   "relationship_type": "uses", "source_ref": "intrusion-set--00000000-0000-4000-8000-0000000000ff", "target_ref": "tool--00000000-0000-4000-8000-000000000004"}
]}`
	path := filepath.Join(dir, "dangling.json")
	os.WriteFile(path, []byte(bundle), 0o644)
	code, _, errOut := runCLI(t, env, "", "load", path)
	if code != exitUsage || !strings.Contains(errOut, path+":3:") || !strings.Contains(errOut, "neither in this file nor in the graph") {
		t.Errorf("exit %d:\n%s", code, errOut)
	}
	if after := graphtest.Fingerprint(t, c); after != before {
		t.Error("a refused load changed the graph")
	}
	// The same relationship is fine once its end is in the graph: the seed's
	// APT10 is, under its own uid.
	rows := graphtest.Run(t, c, "MATCH (a:ThreatActor {name: 'APT10'}) RETURN a.uid AS uid", nil)
	os.WriteFile(path, []byte(strings.Replace(bundle, "intrusion-set--00000000-0000-4000-8000-0000000000ff", rows[0]["uid"].(string), 1)), 0o644)
	if code, _, errOut := runCLI(t, env, "", "load", path); code != exitOK {
		t.Errorf("exit %d: %s", code, errOut)
	}
	if n := graphtest.Run(t, c, "MATCH (:ThreatActor {name: 'APT10'})-[u:USES]->(:Tool {name: 'x'}) RETURN count(u) AS n", nil)[0]["n"]; n != int64(1) {
		t.Errorf("%v USES claims to the external end", n)
	}
}

// TestExportRoundTrip: export, reset, load the export: the same counts per
// label and type, indicators and observables included; and the export
// passes the OASIS schemas and OASIS's validator, with threatkg's types and
// properties declared by extension definitions.
func TestExportRoundTrip(t *testing.T) {
	env := loadSeed(t)
	for _, f := range []string{menupassBundle, iocBundle, sednitEvent} {
		if code, _, errOut := runCLI(t, env, "", "load", f); code != exitOK {
			t.Fatalf("load %s: %s", f, errOut)
		}
	}
	_, before, _ := runCLI(t, env, "", "stats", "--format", "json")
	beforeContent := graphContent(t)
	out := filepath.Join(t.TempDir(), "export.json")
	if code, _, errOut := runCLI(t, env, "", "export", "--format", "stix", "-o", out); code != exitOK {
		t.Fatalf("export: exit %d: %s", code, errOut)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := loaders.ValidateSTIXBundle(data); err != nil {
		t.Fatal(err)
	}
	r := stixtest.Validate(t, data)
	if !r.Valid || len(r.Errors) > 0 {
		t.Fatalf("stix2-validator: %v", r.Errors)
	}
	for _, w := range r.Warnings {
		if w.Code == "401" && strings.Contains(w.Msg, "threatkg") {
			t.Errorf("stix2-validator: %s {%s} %s", w.Object, w.Code, w.Msg)
		}
	}
	if code, _, errOut := runCLI(t, env, "", "reset", "--yes"); code != exitOK {
		t.Fatalf("reset: %s", errOut)
	}
	if code, _, errOut := runCLI(t, env, "", "load", out); code != exitOK {
		t.Fatalf("load the export: exit %d: %s", code, errOut)
	}
	_, after, _ := runCLI(t, env, "", "stats", "--format", "json")
	if before != after {
		t.Errorf("counts differ after the round trip:\nbefore %s\nafter  %s", before, after)
	}
	// The same entities (names, descriptions, aliases, properties) and the
	// same claims (type, ends, quote, source), not only the same counts.
	if afterContent := graphContent(t); afterContent != beforeContent {
		t.Errorf("the graph's content differs after the round trip:\n%s", firstDifference(beforeContent, afterContent))
	}
	// Provenance survives: the article's claims are still the article's.
	rows := queryJSON(t, env, "charged-individuals")
	if len(rows) != 2 || rows[0]["evidence"] != "announced charges against Zhu Hua and Zhang Shilong" {
		t.Errorf("charged-individuals after the round trip: %v", rows)
	}
	// --source exports one source only.
	code, stdout, _ := runCLI(t, env, "", "export", "--format", "stix", "--source", "report--0a26dcfd-9c74-51c0-8657-fde1d767409e")
	if code != exitOK || strings.Contains(stdout, "Charges against Zhu Hua") || !strings.Contains(stdout, "PlugX") {
		t.Errorf("--source export: exit %d, %d bytes", code, len(stdout))
	}
	if code, _, errOut := runCLI(t, env, "", "export", "--source", "report--00000000-0000-4000-8000-000000000000"); code != exitUsage {
		t.Errorf("unknown --source: exit %d, %s", code, errOut)
	}
}

// TestLoadFromURL serves ATT&CK files over HTTP on loopback: a plain JSON
// bundle and a gzipped one, as ATT&CK releases are published.
func TestLoadFromURL(t *testing.T) {
	graphtest.OpenClean(t)
	env := envOf(graphtest.Get(t).Config)
	srv := httptest.NewServer(http.FileServer(http.Dir("../../testdata/stix/attack")))
	defer srv.Close()
	for _, path := range []string{"/menupass.json", "/enterprise-attack-subset.json.gz", "/missing.json"} {
		code, _, errOut := runCLI(t, env, "", "load", srv.URL+path)
		want := exitOK
		if path == "/missing.json" {
			want = exitUsage
		}
		if code != want {
			t.Errorf("load %s: exit %d, want %d: %s", path, code, want, errOut)
		}
	}
	_, stats, _ := runCLI(t, env, "", "stats", "--format", "json")
	if !strings.Contains(stats, `"Technique": 691`) {
		t.Errorf("after loading the subset by URL: %s", stats)
	}
}

func injectionStrings(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile("../../testdata/injection/strings.txt")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, line := range strings.Split(string(data), "\n") {
		if line != "" {
			out = append(out, line)
		}
	}
	out = append(out, strings.Repeat("A' OR 1=1 //", 2000)) // a long one
	return out
}

// TestInjectionThroughQueryParameters passes every string of the injection
// corpus to every parameter of every canned query: each run exits 0 with
// no more rows than a value that matches nothing, or exits 2 with a clean
// message (a non-number for an integer), and the graph is unchanged.
func TestInjectionThroughQueryParameters(t *testing.T) {
	env := loadSeed(t)
	if code, _, errOut := runCLI(t, env, "", "load", menupassBundle); code != exitOK {
		t.Fatalf("load menupass: %s", errOut)
	}
	c := graphtest.Open(t)
	before := graphtest.Fingerprint(t, c)
	all, err := queries.All()
	if err != nil {
		t.Fatal(err)
	}
	corpus := injectionStrings(t)
	rows := func(name string, params map[string]string) (int, int, string) {
		args := []string{"query", name, "--format", "json"}
		for k, v := range params {
			args = append(args, "--param", k+"="+v)
		}
		code, out, errOut := runCLI(t, env, "", args...)
		var got []map[string]any
		if code == exitOK {
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("%s: not JSON: %v", name, err)
			}
		}
		return code, len(got), errOut
	}
	for _, q := range all {
		for _, p := range q.Params {
			base := map[string]string{}
			for _, other := range q.Params {
				if other.Required {
					base[other.Name] = "zz-matches-nothing"
				}
			}
			base[p.Name] = "zz-matches-nothing"
			_, baseline, _ := rows(q.Name, base)
			for _, inj := range corpus {
				params := map[string]string{}
				for k, v := range base {
					params[k] = v
				}
				params[p.Name] = inj
				code, n, errOut := rows(q.Name, params)
				switch {
				case code == exitUsage && p.Type != queries.TypeString && strings.Count(strings.TrimSpace(errOut), "\n") == 0:
					// a clean refusal of a non-number
				case code != exitOK:
					t.Errorf("%s --param %s=%.40q: exit %d: %s", q.Name, p.Name, inj, code, errOut)
				case n > baseline:
					t.Errorf("%s --param %s=%.40q: %d rows, more than the %d of a value that matches nothing", q.Name, p.Name, inj, n, baseline)
				}
			}
		}
	}
	if after := graphtest.Fingerprint(t, c); after != before {
		t.Errorf("the graph changed: %s -> %s", before, after)
	}
}

// TestInjectionThroughLoadedNames loads an article whose entity names,
// aliases and ids are injection strings: they are stored as data, and no
// label or relationship type outside the model appears.
func TestInjectionThroughLoadedNames(t *testing.T) {
	env := loadSeed(t)
	c := graphtest.Open(t)
	// One entity per distinct normalised name (the loader rightly refuses
	// two names for one entity, e.g. quotes differing only).
	var corpus []string
	seen := map[string]bool{}
	for _, inj := range injectionStrings(t) {
		if k := model.Normalize(inj); k != "" && !seen[k] && len(inj) < 200 {
			seen[k] = true
			corpus = append(corpus, inj)
		}
	}
	dir := t.TempDir()
	var text, yaml strings.Builder
	yaml.WriteString("format: threatkg-article/1\nsource: {title: Injection, publisher: test, date: 2024}\nentities:\n")
	for i, inj := range corpus {
		fmt.Fprintf(&text, "Name %d is %s.\n", i, inj)
		quoted, _ := json.Marshal(inj) // a YAML double-quoted string
		fmt.Fprintf(&yaml, "  - {id: e%d, type: ThreatActor, name: %s, aliases: [%s], evidence: %s}\n", i, quoted, quoted, quoted)
	}
	yaml.WriteString("relations:\n  - {type: AFFILIATED_WITH, from: e0, to: e1, evidence: " + mustJSON(corpus[1]) + "}\n")
	os.WriteFile(filepath.Join(dir, "article.txt"), []byte(text.String()), 0o644)
	os.WriteFile(filepath.Join(dir, "annotations.yaml"), []byte(yaml.String()), 0o644)
	if code, _, errOut := runCLI(t, env, "", "load", dir); code != exitOK {
		t.Fatalf("load: exit %d: %s", code, errOut)
	}
	for _, inj := range corpus {
		rows := graphtest.Run(t, c, "MATCH (n:ThreatActor {name: $name}) RETURN count(n) AS n", map[string]any{"name": inj})
		if rows[0]["n"] != int64(1) {
			t.Errorf("name %.40q is not stored as one ThreatActor's name", inj)
		}
	}
	declared := map[string]bool{"Entity": true, "Report": true, "ThreatkgTestSentinel": true}
	for _, l := range model.Declared.Labels() {
		declared[l] = true
	}
	for _, r := range graphtest.Run(t, c, "CALL db.labels() YIELD label RETURN label", nil) {
		if !declared[r["label"].(string)] {
			t.Errorf("label %q is not in the model", r["label"])
		}
	}
	types := map[string]bool{"MENTIONS": true, "SAME_AS": true, "NOT_SAME_AS": true}
	for _, r := range model.Declared.RelTypes() {
		types[r] = true
	}
	for _, r := range graphtest.Run(t, c, "MATCH ()-[r]->() RETURN DISTINCT type(r) AS t", nil) {
		if !types[r["t"].(string)] {
			t.Errorf("relationship type %q is not in the model", r["t"])
		}
	}
	if n := graphtest.Run(t, c, "MATCH (n:Pwned) RETURN count(n) AS n", nil)[0]["n"]; n != int64(0) {
		t.Error("an injected CREATE ran")
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestAdHocQueriesAreReadOnly: -e and --file run only statements that read;
// each kind of change is refused with exit 2 and the graph is unchanged.
func TestAdHocQueriesAreReadOnly(t *testing.T) {
	env := loadSeed(t)
	c := graphtest.Open(t)
	before := graphtest.Fingerprint(t, c)
	refused := []struct{ cypher, want string }{
		{"CREATE (:Pwned)", "writes"},
		{"MERGE (:Pwned {x: 1})", "writes"},
		{"MATCH (n:ThreatActor) SET n.name = 'pwned'", "writes"},
		{"MATCH (n:Person) DETACH DELETE n", "writes"},
		{"MATCH (n:ThreatActor) REMOVE n.aliases", "writes"},
		{"MATCH (n:ThreatActor) REMOVE n:ThreatActor", "writes"},
		{"LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line", "uses LOAD CSV"},
		{"CREATE INDEX pwned FOR (n:ThreatActor) ON (n.pwned)", "changes the schema"},
		{"DROP CONSTRAINT threatkg_entity_uid", "changes the schema"},
		{"CREATE USER mallory SET PASSWORD 'secret123'", "administers the server"},
		{"SHOW USERS", "administers the server"},
		{"CALL db.createLabel('Pwned')", "writes"},
		{"MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS", "writes"},
	}
	for _, tt := range refused {
		t.Run(tt.cypher, func(t *testing.T) {
			code, out, errOut := runCLI(t, env, "", "query", "-e", tt.cypher)
			if code != exitUsage || !strings.Contains(errOut, "read-only") || !strings.Contains(errOut, tt.want) || out != "" {
				t.Errorf("exit %d, stderr %q, stdout %q; want exit 2 saying it %s", code, errOut, out, tt.want)
			}
		})
	}
	if after := graphtest.Fingerprint(t, c); after != before {
		t.Errorf("the graph changed: %s -> %s", before, after)
	}

	// Reads run, from -e or a file, with text parameters.
	code, out, errOut := runCLI(t, env, "", "query", "-e", "MATCH (a:ThreatActor {name: $name}) RETURN a.name AS name", "--param", "name=APT10", "--format", "csv")
	if code != exitOK || out != "name\nAPT10\n" {
		t.Errorf("read: exit %d, %q, %s", code, out, errOut)
	}
	file := filepath.Join(t.TempDir(), "q.cypher")
	os.WriteFile(file, []byte("MATCH (p:Person)-[:CHARGED_IN]->() RETURN count(DISTINCT p) AS n;\n"), 0o644)
	if code, out, errOut := runCLI(t, env, "", "query", "--file", file, "--format", "csv"); code != exitOK || out != "n\n2\n" {
		t.Errorf("--file: exit %d, %q, %s", code, out, errOut)
	}
	// A broken statement is the user's to fix: exit 2, one line.
	if code, _, errOut := runCLI(t, env, "", "query", "-e", "MATCH (n RETURN n"); code != exitUsage || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
		t.Errorf("syntax error: exit %d, %q", code, errOut)
	}
	// --timeout stops a runaway query on the server.
	start := time.Now()
	code, _, errOut = runCLI(t, env, "", "query", "--timeout", "1s", "-e", "UNWIND range(1, 2000000000) AS x WITH x WHERE x = -1 RETURN count(*)")
	if code != exitError || !strings.Contains(errOut, "ran longer than 1s") || time.Since(start) > 20*time.Second {
		t.Errorf("timeout: exit %d after %v, %q", code, time.Since(start), errOut)
	}
}

// TestHostileInputCorpus loads every file of testdata/bad (broken,
// truncated, hostile and smuggling inputs), and two 100 MB files made here:
// each exits 2 with a message that names the file (and the position when
// there is one), fast and without a memory blow-up, and the graph does not
// change.
func TestHostileInputCorpus(t *testing.T) {
	env := loadSeed(t)
	c := graphtest.Open(t)
	before := graphtest.Fingerprint(t, c)

	files, err := filepath.Glob("../../testdata/bad/*")
	if err != nil {
		t.Fatal(err)
	}
	var inputs []string
	for _, f := range files {
		if filepath.Base(f) != "article.txt" {
			inputs = append(inputs, f)
		}
	}
	if len(inputs) < 30 {
		t.Fatalf("the corpus has %d files, want at least 30", len(inputs))
	}
	for _, ext := range []string{".yaml", ".json"} {
		huge := filepath.Join(t.TempDir(), "huge"+ext)
		f, err := os.Create(huge)
		if err != nil {
			t.Fatal(err)
		}
		f.Truncate(100 << 20) // 100 MB, sparse
		f.Close()
		inputs = append(inputs, huge)
	}
	for _, path := range inputs {
		t.Run(filepath.Base(path), func(t *testing.T) {
			var ms runtime.MemStats
			start := time.Now()
			code, out, errOut := runCLI(t, env, "", "load", path)
			elapsed := time.Since(start)
			runtime.ReadMemStats(&ms)
			if code != exitUsage {
				t.Fatalf("exit %d, want 2; stderr:\n%.600s", code, errOut)
			}
			lines := strings.Split(strings.TrimSpace(errOut), "\n")
			if !strings.HasPrefix(lines[0], path+":") || len(lines[0]) > 1500 {
				t.Errorf("first line does not name the file (or is too long): %.300q", lines[0])
			}
			if !strings.HasSuffix(lines[len(lines)-1], "nothing was written") || out != "" {
				t.Errorf("last line %q, stdout %q", lines[len(lines)-1], out)
			}
			if elapsed > 10*time.Second {
				t.Errorf("took %v", elapsed)
			}
			if ms.HeapInuse > 1<<30 {
				t.Errorf("heap in use %d MiB after the load", ms.HeapInuse>>20)
			}
			t.Logf("%s", lines[0][:min(len(lines[0]), 200)])
		})
	}
	if after := graphtest.Fingerprint(t, c); after != before {
		t.Errorf("the graph changed: %s -> %s", before, after)
	}
}

// attackUses reads the ATT&CK bundle's "uses" relationships, as the loader
// keeps them (no revoked or deprecated object or relationship): who uses
// what, by STIX id, and each object's name and ATT&CK id.
func attackUses(t *testing.T) (uses map[string][]string, name, attackID, typ map[string]string) {
	t.Helper()
	raw, err := os.ReadFile("../../testdata/stix/attack/enterprise-attack-subset.json.gz")
	if err != nil {
		t.Fatal(err)
	}
	data, err := loaders.Gunzip(raw) // the loader's own
	if err != nil {
		t.Fatal(err)
	}
	var bundle struct {
		Objects []struct {
			Type, ID, Name   string
			RelationshipType string `json:"relationship_type"`
			SourceRef        string `json:"source_ref"`
			TargetRef        string `json:"target_ref"`
			Revoked          bool
			Deprecated       bool `json:"x_mitre_deprecated"`
			Refs             []struct {
				Source string `json:"source_name"`
				ID     string `json:"external_id"`
			} `json:"external_references"`
		} `json:"objects"`
	}
	if err := json.Unmarshal(data, &bundle); err != nil {
		t.Fatal(err)
	}
	name, attackID, typ = map[string]string{}, map[string]string{}, map[string]string{}
	for _, o := range bundle.Objects {
		if o.Type == "relationship" || o.Revoked || o.Deprecated {
			continue
		}
		name[o.ID], typ[o.ID] = o.Name, o.Type
		for _, r := range o.Refs {
			if r.Source == "mitre-attack" {
				attackID[o.ID] = r.ID
			}
		}
	}
	uses = map[string][]string{}
	for _, o := range bundle.Objects {
		if o.Type == "relationship" && o.RelationshipType == "uses" && !o.Revoked && !o.Deprecated &&
			name[o.SourceRef] != "" && name[o.TargetRef] != "" {
			uses[o.SourceRef] = append(uses[o.SourceRef], o.TargetRef)
		}
	}
	return uses, name, attackID, typ
}

// TestQueriesAgainstATTACK checks two canned queries on the whole ATT&CK
// subset against the answer computed here from the bundle itself: the
// techniques two groups share (directly or through their software), and
// the groups that use a technique only through their software.
func TestQueriesAgainstATTACK(t *testing.T) {
	graphtest.OpenClean(t)
	env := envOf(graphtest.Get(t).Config)
	if code, _, errOut := runCLI(t, env, "", "load", "../../testdata/stix/attack/enterprise-attack-subset.json.gz"); code != exitOK {
		t.Fatalf("load ATT&CK: exit %d: %s", code, errOut)
	}
	uses, name, attackID, typ := attackUses(t)
	techniquesOf := func(actor string) map[string]bool {
		out := map[string]bool{}
		for _, x := range uses[actor] {
			switch typ[x] {
			case "attack-pattern":
				out[attackID[x]] = true
			case "malware", "tool":
				for _, y := range uses[x] {
					if typ[y] == "attack-pattern" {
						out[attackID[y]] = true
					}
				}
			}
		}
		return out
	}
	groupID := func(n string) string {
		for id, v := range name {
			if v == n && typ[id] == "intrusion-set" {
				return id
			}
		}
		t.Fatalf("no intrusion set %q in the bundle", n)
		return ""
	}
	a, b := techniquesOf(groupID("menuPass")), techniquesOf(groupID("APT41"))
	want := []string{}
	for id := range a {
		if b[id] {
			want = append(want, id)
		}
	}
	sort.Strings(want)
	if len(want) == 0 || len(want) == len(a) {
		t.Fatalf("a poor test case: %d shared of %d", len(want), len(a))
	}
	var got []string
	for _, r := range queryJSON(t, env, "shared-techniques", "--param", "a=APT10", "--param", "b=APT41") {
		got = append(got, r["technique_id"].(string))
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("shared-techniques APT10 APT41:\n got %v\nwant %v", got, want)
	}

	// A technique that some group uses only through its software.
	var technique, group, software string
	for g, targets := range uses {
		if typ[g] != "intrusion-set" {
			continue
		}
		direct := map[string]bool{}
		for _, x := range targets {
			if typ[x] == "attack-pattern" {
				direct[x] = true
			}
		}
		for _, s := range targets {
			if typ[s] != "malware" && typ[s] != "tool" {
				continue
			}
			for _, x := range uses[s] {
				if typ[x] == "attack-pattern" && !direct[x] && (technique == "" || attackID[x] < technique) {
					technique, group, software = attackID[x], name[g], name[s]
				}
			}
		}
	}
	found := false
	for _, r := range queryJSON(t, env, "technique-actors", "--param", "technique="+technique) {
		if r["actor"] == group {
			for _, v := range r["via"].([]any) {
				found = found || v == "software: "+software
			}
		}
	}
	if !found {
		t.Errorf("technique-actors %s lacks %s via software %s", technique, group, software)
	}
}

// graphContent lists, sorted, every entity with what the sources said of
// it and every claim with its provenance: what an export must carry.
func graphContent(t *testing.T) string {
	t.Helper()
	c := graphtest.Open(t)
	var lines []string
	for _, q := range []string{
		"MATCH (e:Entity) RETURN e.uid, labels(e), e.name, e.description, e.aliases, properties(e)",
		"MATCH (a:Entity)-[r]->(b:Entity) WHERE r.claim IS NOT NULL RETURN type(r), a.uid, b.uid, r.quote, r.source, r.date",
	} {
		res, err := c.Read(context.Background(), q, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, rec := range res.Records {
			if props, ok := rec[len(rec)-1].(map[string]any); ok {
				delete(props, "loaded_at") // when it was written, not what
				delete(props, "keys")
			}
			b, _ := json.Marshal(rec)
			lines = append(lines, string(b))
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func firstDifference(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return "before: " + al[i] + "\nafter:  " + bl[i]
		}
	}
	return fmt.Sprintf("%d lines before, %d after", len(al), len(bl))
}

// TestLoadFolderOfBundles: 'threatkg load DIR' loads every source in a
// folder, here the STIX bundles that 'threatkg bench generate' writes.
func TestLoadFolderOfBundles(t *testing.T) {
	graphtest.OpenClean(t)
	env := envOf(graphtest.Get(t).Config)
	dir := t.TempDir()
	if code, _, errOut := runCLI(t, env, "", "bench", "generate", "--size", "S", "--dir", dir); code != exitOK {
		t.Fatalf("bench generate: exit %d: %s", code, errOut)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(files) < 2 {
		t.Fatalf("bench generate wrote %d files", len(files))
	}
	code, out, errOut := runCLI(t, env, "", "load", dir, "--format", "json")
	if code != exitOK {
		t.Fatalf("load DIR: exit %d: %s", code, errOut)
	}
	var summaries []map[string]any
	if err := json.Unmarshal([]byte(out), &summaries); err != nil {
		t.Fatalf("load summary: %v\n%.500s", err, out)
	}
	// each bundle is a source, and so is each report it holds
	if len(summaries) < len(files) {
		t.Errorf("%d sources loaded from a folder of %d files", len(summaries), len(files))
	}
	before := queryJSON(t, env, "campaign-timeline", "--param", "limit=5")
	if len(before) == 0 {
		t.Error("the generated corpus loaded no campaigns")
	}
	// a folder of nothing threatkg reads: one line naming it, exit 2
	empty := t.TempDir()
	if code, _, errOut := runCLI(t, env, "", "load", empty); code != exitUsage || !strings.Contains(errOut, empty) || !strings.Contains(errOut, "--recursive") {
		t.Errorf("empty folder: exit %d, %q", code, errOut)
	}
}
