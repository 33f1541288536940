package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/threatkg/threatkg/graph"
	"github.com/threatkg/threatkg/graph/graphtest"
)

const (
	apt41Article   = "../../testdata/articles/doj-apt41-2020"
	fictionArticle = "../../testdata/articles/fictional-copper-lantern"
)

// TestExtractOffline: the command's outputs and errors, without a graph.
func TestExtractOffline(t *testing.T) {
	tmp := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(tmp, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	empty := write("empty.txt", nil)
	binary := write("binary.txt", []byte("PK\x03\x04\x00\x00binary"))
	latin1 := write("latin1.txt", []byte("line one\ncaf\xe9 au lait\n"))
	plain := write("plain.txt", []byte("nothing to see here, only lower-case words.\n"))
	seedText := seedArticle + "/article.txt"
	noEnv := map[string]string{}

	tests := []struct {
		name     string
		env      map[string]string
		args     []string
		wantCode int
		stdout   []string
		stderr   []string
	}{
		{"yaml draft", noEnv, []string{"extract", seedText}, exitOK,
			[]string{"# Draft annotations of article.txt", "format: threatkg-article/1", `name: "APT10"`, "# rule: "}, []string{"entities", "relations"}},
		{"evaluation", noEnv, []string{"extract", seedText, "--eval", seedArticle + "/annotations.yaml"}, exitOK,
			[]string{"precision", "entities", "relations", "missed entities", "false-positive relations"}, nil},
		{"missing file", noEnv, []string{"extract", filepath.Join(tmp, "nope.txt")}, exitUsage, nil, []string{"nope.txt does not exist"}},
		{"empty file", noEnv, []string{"extract", empty}, exitUsage, nil, []string{"empty.txt: the file is empty"}},
		{"binary file", noEnv, []string{"extract", binary}, exitUsage, nil, []string{"binary.txt:1: a NUL byte", "binary file"}},
		{"not UTF-8", noEnv, []string{"extract", latin1}, exitUsage, nil, []string{"latin1.txt:2:4: not valid UTF-8"}},
		{"no entity", noEnv, []string{"extract", plain}, exitOK, []string{"entities: []"}, []string{"no entity recognised"}},
		{"bad format", noEnv, []string{"extract", seedText, "--format", "csv"}, exitUsage, nil, []string{`invalid argument "csv" for "--format"`}},
		{"bad date", noEnv, []string{"extract", seedText, "--date", "20 Dec 2018"}, exitUsage, nil, []string{"--date"}},
		{"gold of another text", noEnv, []string{"extract", seedText, "--eval", apt41Article + "/annotations.yaml"}, exitUsage, nil, []string{"annotates another text"}},
		{"eval and load", noEnv, []string{"extract", seedText, "--eval", seedArticle + "/annotations.yaml", "--load"}, exitUsage, nil, []string{"do not go together"}},
		{"bad date month", noEnv, []string{"extract", seedText, "--date", "2018-13-01"}, exitUsage, nil, []string{"--date"}},
		{"invalid gold file", noEnv, []string{"extract", seedText, "--eval", binary}, exitUsage, nil, []string{"binary.txt"}},
		{"corpus", noEnv, []string{"extract", "--eval-corpus", "../../testdata/annoctr/dev", "--format", "json"}, exitOK,
			[]string{`"micro"`, `"classes"`, `"misses"`, `"bytes_per_second"`}, nil},
		{"corpus table", noEnv, []string{"extract", "--eval-corpus", "../../testdata/annoctr/dev"}, exitOK,
			[]string{"class", "micro", "precision per rule", "commonest misses"}, nil},
		{"missing corpus", noEnv, []string{"extract", "--eval-corpus", filepath.Join(tmp, "nocorpus")}, exitUsage, nil, []string{"gold.jsonl"}},
		{"corpus and load", noEnv, []string{"extract", "--eval-corpus", "../../testdata/annoctr/dev", "--load"}, exitUsage, nil, []string{"--eval-corpus goes with neither"}},
		{"corpus and a text", noEnv, []string{"extract", "--eval-corpus", "../../testdata/annoctr/dev", seedText}, exitUsage, nil, []string{"give no text with it"}},
		{"load with Neo4j down", map[string]string{graph.EnvURI: "bolt://127.0.0.1:1", graph.EnvPassword: "x"},
			[]string{"extract", seedText, "--load"}, exitUnavailable, nil, []string{"cannot reach Neo4j"}},
		{"unreachable graph is only a note", map[string]string{graph.EnvURI: "bolt://127.0.0.1:1", graph.EnvPassword: "x"},
			[]string{"extract", seedText}, exitOK, []string{"format: threatkg-article/1"}, []string{"not reachable", "shipped catalogues"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tt.env, "", tt.args...)
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d; stderr %q", code, tt.wantCode, errOut)
			}
			for _, w := range tt.stdout {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%.600s", w, out)
				}
			}
			for _, w := range tt.stderr {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q: %q", w, errOut)
				}
			}
			if tt.wantCode != exitOK && strings.Count(strings.TrimSpace(errOut), "\n") > 1 {
				t.Errorf("want a short error, got %q", errOut)
			}
		})
	}
}

func TestExtractJSONAndOutputFile(t *testing.T) {
	out := filepath.Join(t.TempDir(), "draft.json")
	code, stdout, errOut := runCLI(t, nil, "", "extract", apt41Article+"/article.txt", "--format", "json", "-o", out,
		"--publisher", "U.S. Department of Justice", "--date", "2020-09-16")
	if code != exitOK || stdout != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, errOut)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Source    map[string]string `json:"source"`
		Entities  []struct{ ID, Type, Name string }
		Relations []struct{ Type, From, To string }
	}
	if err := json.Unmarshal(data, &d); err != nil {
		t.Fatal(err)
	}
	if d.Source["publisher"] != "U.S. Department of Justice" || d.Source["date"] != "2020-09-16" || d.Source["text"] != "article.txt" {
		t.Errorf("source %v", d.Source)
	}
	if len(d.Entities) < 50 || len(d.Relations) < 50 {
		t.Errorf("%d entities, %d relations", len(d.Entities), len(d.Relations))
	}
	code, stdout, _ = runCLI(t, nil, "", "extract", apt41Article+"/article.txt", "--eval", apt41Article+"/annotations.yaml", "--format", "json")
	var ev struct {
		Entities struct{ F1 float64 } `json:"entities"`
	}
	if code != exitOK || json.Unmarshal([]byte(stdout), &ev) != nil || ev.Entities.F1 < 0.85 {
		t.Errorf("eval json: exit %d, %q", code, stdout)
	}
}

// TestExtractLoadThenQuery: a draft loaded with --load answers the canned
// queries, loading it again changes nothing, and the graph's threat actors
// become the extractor's gazetteer.
func TestExtractLoadThenQuery(t *testing.T) {
	c := graphtest.OpenClean(t)
	env := envOf(graphtest.Get(t).Config)
	args := []string{"extract", apt41Article + "/article.txt", "--load", "--publisher", "U.S. Department of Justice", "--date", "2020-09-16"}
	code, _, errOut := runCLI(t, env, "", args...)
	if code != exitOK {
		t.Fatalf("extract --load: exit %d: %s", code, errOut)
	}
	rows := queryJSON(t, env, "actors-victims", "--param", "actor=APT41")
	if len(rows) == 0 {
		t.Fatal("actors-victims has no rows for APT41 after extract --load")
	}
	victims := map[string]bool{}
	for _, r := range rows {
		victims[r["victim"].(string)] = true
	}
	for _, want := range []string{"Video games", "Australia"} {
		if !victims[want] {
			t.Errorf("APT41's victims lack %q: %v", want, victims)
		}
	}
	before := graphtest.Fingerprint(t, c, "loaded_at")
	if code, _, errOut := runCLI(t, env, "", args...); code != exitOK {
		t.Fatalf("second extract --load: exit %d: %s", code, errOut)
	}
	if after := graphtest.Fingerprint(t, c, "loaded_at"); after != before {
		t.Error("loading the same draft twice changed the graph")
	}

	// Without a date, --load refuses before writing anything.
	plain := filepath.Join(t.TempDir(), "undated.txt")
	if err := os.WriteFile(plain, []byte("APT41 hacked banks in Brazil.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runCLI(t, env, "", "extract", plain, "--load"); code != exitUsage || !strings.Contains(errOut, "--date") {
		t.Errorf("undated --load: exit %d, %q", code, errOut)
	}

	// Wrong password: refused before anything is extracted or written.
	bad := envOf(graphtest.Get(t).Config)
	bad[graph.EnvPassword] = "not-the-password"
	if code, _, errOut := runCLI(t, bad, "", args...); code != exitUnavailable || !strings.Contains(errOut, "refused the credentials") {
		t.Errorf("wrong password: exit %d, %q", code, errOut)
	}

	// Nothing recognised: nothing to load.
	blank := filepath.Join(t.TempDir(), "blank.txt")
	if err := os.WriteFile(blank, []byte("nothing here but lower-case words.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runCLI(t, env, "", "extract", blank, "--load", "--date", "2020-01-01"); code != exitUsage || !strings.Contains(errOut, "nothing to load") {
		t.Errorf("empty --load: exit %d, %q", code, errOut)
	}

	// The graph's actors: "Harbor Moth" is no gazetteer's name, but once
	// the fictional release is loaded the graph knows it.
	if code, _, errOut := runCLI(t, env, "", "load", fictionArticle); code != exitOK {
		t.Fatalf("load: exit %d: %s", code, errOut)
	}
	story := filepath.Join(t.TempDir(), "story.txt")
	if err := os.WriteFile(story, []byte("Harbor Moth hacked two shipping companies in Norway last year.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, env, "", "extract", story, "--format", "json")
	if code != exitOK || !strings.Contains(out, `"type": "ThreatActor"`) || !strings.Contains(errOut, "entities from the graph") {
		t.Errorf("with the graph: exit %d, stderr %q, stdout %.400s", code, errOut, out)
	}
	code, out, _ = runCLI(t, env, "", "extract", story, "--format", "json", "--no-graph")
	if code != exitOK || strings.Contains(out, `"type": "ThreatActor"`) {
		t.Errorf("--no-graph still found the actor: %.400s", out)
	}
}

// TestExtractSoftwareAndVulnerabilities: with ATT&CK loaded, a report that
// names ATT&CK software and CVE ids drafts Malware or Tool and
// Vulnerability entities with USES and EXPLOITS relations, which load; and
// the APT41 release's defendants become APT41's members, next to
// ATT&CK's profile of the group.
func TestExtractSoftwareAndVulnerabilities(t *testing.T) {
	c := graphtest.OpenClean(t)
	env := envOf(graphtest.Get(t).Config)
	if code, _, errOut := runCLI(t, env, "", "load", "../../testdata/stix/attack/enterprise-attack-subset.json.gz"); code != exitOK {
		t.Fatalf("load ATT&CK: exit %d: %s", code, errOut)
	}
	report := filepath.Join(t.TempDir(), "report.txt")
	text := "APT40 exploits Pulse Secure flaw\n\nJuly 19, 2021\n\n" +
		"The Chinese group APT40 used the BADFLICK and MURKYTOP malware against maritime companies. " +
		"The attackers also exploited CVE-2019-11510 and deployed Cobalt Strike.\n"
	if err := os.WriteFile(report, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, env, "", "extract", report, "--format", "json")
	if code != exitOK {
		t.Fatalf("extract: exit %d: %s", code, errOut)
	}
	var d struct {
		Entities []struct {
			ID, Type, Name string
		}
		Relations []struct{ Type, From, To string }
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	typeOf := map[string]string{}
	for _, e := range d.Entities {
		typeOf[e.ID] = e.Type
	}
	rels := map[string]bool{}
	for _, r := range d.Relations {
		rels[r.Type+":"+typeOf[r.From]+"->"+typeOf[r.To]] = true
	}
	for _, want := range []string{"USES:ThreatActor->Malware", "EXPLOITS:ThreatActor->Vulnerability"} {
		if !rels[want] {
			t.Errorf("the draft lacks %s: %v", want, rels)
		}
	}
	if code, _, errOut := runCLI(t, env, "", "extract", report, "--load"); code != exitOK {
		t.Fatalf("extract --load: exit %d: %s", code, errOut)
	}
	// ATT&CK's Leviathan (APT40) now uses what the report says, with the
	// report's quote, next to ATT&CK's own claims
	sw := queryJSON(t, env, "actor-software", "--param", "actor=APT40")
	found := map[string]bool{}
	for _, r := range sw {
		found[fmt.Sprint(r["software"])] = true
	}
	for _, want := range []string{"BADFLICK", "MURKYTOP", "Cobalt Strike"} {
		if !found[want] {
			t.Errorf("actor-software APT40 lacks %s: %v", want, found)
		}
	}
	rows, err := c.Read(context.Background(),
		"MATCH (:ThreatActor)-[r:EXPLOITS]->(v:Vulnerability {name: $cve}) RETURN count(r) AS n, collect(v.external_id)[0] AS id",
		map[string]any{"cve": "CVE-2019-11510"})
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := rows.Records[0][0].(int64); n == 0 || rows.Records[0][1] != "CVE-2019-11510" {
		t.Errorf("no EXPLOITS claim to CVE-2019-11510 with its CVE id in the graph: %v", rows.Records)
	}

	// The APT41 release: its five defendants are APT41's members.
	args := []string{"extract", apt41Article + "/article.txt", "--load", "--publisher", "U.S. Department of Justice", "--date", "2020-09-16"}
	if code, _, errOut := runCLI(t, env, "", args...); code != exitOK {
		t.Fatalf("extract --load APT41: exit %d: %s", code, errOut)
	}
	profile := queryJSON(t, env, "actor-profile", "--param", "actor=APT41")
	if len(profile) == 0 {
		t.Fatal("no actor-profile for APT41")
	}
	members, _ := profile[0]["members"].([]any)
	if len(members) < 5 {
		t.Errorf("APT41 has %d members after the release is loaded, want its 5 defendants: %v", len(members), profile[0])
	}
	affiliated := 0
	for _, r := range queryJSON(t, env, "charged-individuals") {
		if r["affiliated_actor"] != nil && r["affiliated_actor"] != "" {
			affiliated++
		}
	}
	if affiliated == 0 {
		t.Error("charged-individuals shows no affiliated actor for the APT41 defendants")
	}
}
