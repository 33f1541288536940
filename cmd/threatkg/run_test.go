package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/threatkg/threatkg/graph"
	"github.com/threatkg/threatkg/graph/model"
	"github.com/threatkg/threatkg/loaders"
	"github.com/threatkg/threatkg/queries"
)

// The run functions of every command, against a fake graph: what each asks
// the graph, what it prints where, and its exit code. The same commands run
// against a real Neo4j in the integration tests.

const danglingBundle = `{"type": "bundle", "id": "bundle--0d6c9c2e-7f44-4ad5-9a66-5b3a0b7f0001", "objects": [
  {"type": "tool", "spec_version": "2.1", "id": "tool--00000000-0000-4000-8000-000000000004", "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "name": "x"},
  {"type": "relationship", "spec_version": "2.1", "id": "relationship--00000000-0000-4000-8000-000000000101", "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z",
   "relationship_type": "uses", "source_ref": "intrusion-set--00000000-0000-4000-8000-0000000000ff", "target_ref": "tool--00000000-0000-4000-8000-000000000004"}
]}`

func TestRunLoad(t *testing.T) {
	dir := t.TempDir()
	dangling := filepath.Join(dir, "dangling.json")
	if err := os.WriteFile(dangling, []byte(danglingBundle), 0o644); err != nil {
		t.Fatal(err)
	}
	const actor = "intrusion-set--00000000-0000-4000-8000-0000000000ff"
	tests := []struct {
		name     string
		labels   map[string]string
		down     error
		args     []string
		code     int
		docs     int
		stdout   []string
		stderr   []string
		asked    string
		dryRun   bool
		noClient bool // nothing may be asked of the graph
	}{
		{name: "article", args: []string{"load", seedArticle}, code: exitOK, docs: 1,
			stdout: []string{"source", "MENTIONS"}, stderr: []string{"loaded \"", "1 sources"}},
		{name: "bundle as json", args: []string{"load", "--format", "json", menupassBundle}, code: exitOK, docs: 1,
			stdout: []string{`"dry_run": false`}},
		{name: "dry run", args: []string{"load", "--dry-run", seedArticle}, code: exitOK, docs: 1, dryRun: true,
			stderr: []string{"checked (dry run, nothing written)"}},
		{name: "timings", args: []string{"load", "--timings", seedArticle}, code: exitOK, docs: 1,
			stderr: []string{"timing: entities"}},
		{name: "reference in the graph", labels: map[string]string{actor: model.LabelThreatActor},
			args: []string{"load", dangling}, code: exitOK, docs: 1, asked: actor},
		{name: "reference nowhere", args: []string{"load", dangling}, code: exitUsage, asked: actor,
			stderr: []string{dangling + ":3:", "neither in this file nor in the graph"}},
		{name: "reference in an earlier source", args: []string{"load", menupassBundle, dangling}, code: exitUsage, docs: 0, asked: actor},
		{name: "bad input asks nothing", args: []string{"load", filepath.Join(dir, "absent.json")}, code: exitUsage, noClient: true,
			stderr: []string{"absent.json", "not a source threatkg reads"}},
		{name: "unreachable", down: errFakeDown, args: []string{"load", seedArticle}, code: exitUnavailable},
		{name: "bad batch size", args: []string{"load", "--batch-size", "0", seedArticle}, code: exitUsage, noClient: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeGraph{labels: tc.labels}
			r := runFake(t, f, tc.down, false, tc.args...)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d\n%s", r.code, tc.code, r.errOut)
			}
			if len(f.loaded) != tc.docs {
				t.Errorf("%d documents loaded, want %d", len(f.loaded), tc.docs)
			}
			if f.loadOpts.DryRun != tc.dryRun {
				t.Errorf("dry run %v, want %v", f.loadOpts.DryRun, tc.dryRun)
			}
			if strings.Join(f.asked, ",") != tc.asked {
				t.Errorf("the graph was asked for %v, want %q", f.asked, tc.asked)
			}
			if tc.noClient && (len(f.calls) > 0 || f.closed > 0) {
				t.Errorf("invalid input reached the graph: %v", f.calls)
			}
			for _, s := range tc.stdout {
				if !strings.Contains(r.out, s) {
					t.Errorf("stdout lacks %q:\n%s", s, r.out)
				}
			}
			for _, s := range tc.stderr {
				if !strings.Contains(r.errOut, s) {
					t.Errorf("stderr lacks %q:\n%s", s, r.errOut)
				}
			}
			if tc.code == exitOK && f.closed != 1 {
				t.Errorf("client closed %d times, want 1", f.closed)
			}
		})
	}
}

// TestRunLoadResolvedReferenceReachesTheDocument: the label the graph gave
// for a reference is handed to the writer with the document.
// TestRunLoadBulk: the bulk path's flags, its refusal of a database with
// data, the files and command for a server elsewhere, and --imported.
// (graph/bulkload's TestBulkEqualsTransactional imports for real.)
func TestRunLoadBulk(t *testing.T) {
	importDir := func() string { return filepath.Join(t.TempDir(), "import") }
	tests := []struct {
		name   string
		nodes  int64
		down   error
		args   []string
		code   int
		calls  string
		stdout []string
		stderr []string
	}{
		{name: "needs a server or a folder", args: []string{"load", "--bulk", seedArticle}, code: exitUsage,
			stderr: []string{"--bulk needs --local-server"}},
		{name: "flags without --bulk", args: []string{"load", "--imported", seedArticle}, code: exitUsage, stderr: []string{"go with --bulk"}},
		{name: "no dry run", args: []string{"load", "--bulk", "--dry-run", "--import-dir", "x", seedArticle}, code: exitUsage},
		{name: "imported with a folder", args: []string{"load", "--bulk", "--imported", "--import-dir", "x", seedArticle}, code: exitUsage},
		{name: "refuses data", nodes: 3, args: []string{"load", "--bulk", "--import-dir", importDir(), seedArticle}, code: exitUsage,
			calls: "CheckEmpty", stderr: []string{"holds 3 nodes", "without --bulk"}},
		{name: "files for a server elsewhere", args: []string{"load", "--bulk", "--import-dir", importDir(), seedArticle, menupassBundle}, code: exitOK,
			calls: "CheckEmpty", stdout: []string{"neo4j-admin database import full neo4j @import.args"}, stderr: []string{"wrote ", "--imported"}},
		{name: "imported", args: []string{"load", "--bulk", "--imported", "--format", "json", seedArticle}, code: exitOK,
			calls: "ApplySchema ResolveImported RecomputeEntities RefreshRollups", stdout: []string{`"source": "report--`}},
		{name: "unreachable", down: errFakeDown, args: []string{"load", "--bulk", "--import-dir", importDir(), seedArticle}, code: exitUnavailable},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeGraph{counts: graph.Counts{Nodes: tc.nodes}}
			r := runFake(t, f, tc.down, false, tc.args...)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d; stderr: %s", r.code, tc.code, r.errOut)
			}
			if got := strings.Join(f.calls, " "); got != tc.calls {
				t.Errorf("calls %q, want %q", got, tc.calls)
			}
			for _, want := range tc.stdout {
				if !strings.Contains(r.out, want) {
					t.Errorf("stdout lacks %q:\n%s", want, r.out)
				}
			}
			for _, want := range tc.stderr {
				if !strings.Contains(r.errOut, want) {
					t.Errorf("stderr lacks %q:\n%s", want, r.errOut)
				}
			}
		})
	}
}

func TestRunLoadResolvedReferenceReachesTheDocument(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dangling.json")
	os.WriteFile(path, []byte(danglingBundle), 0o644)
	const actor = "intrusion-set--00000000-0000-4000-8000-0000000000ff"
	f := &fakeGraph{labels: map[string]string{actor: model.LabelThreatActor}}
	if r := runFake(t, f, nil, false, "load", "--batch-size", "7", "--transaction-rows", "9", path); r.code != exitOK {
		t.Fatal(r.errOut)
	}
	if got := f.loaded[0].External[actor]; got != model.LabelThreatActor {
		t.Errorf("external label %q", got)
	}
	if f.loadOpts.BatchSize != 7 || f.loadOpts.TransactionRows != 9 {
		t.Errorf("load options %+v", f.loadOpts)
	}
}

func TestRunQuery(t *testing.T) {
	profile, err := queries.Lookup("actor-profile")
	if err != nil {
		t.Fatal(err)
	}
	node := graph.Node{Labels: []string{model.EntityLabel, model.LabelThreatActor}, Props: map[string]any{"name": "APT10"}}
	rows := graph.Rows{Columns: []string{"actor", "aliases", "node"},
		Records: [][]any{{"APT10", []any{"menuPass", "Stone Panda"}, node}}}
	tests := []struct {
		name      string
		args      []string
		tty       bool
		readOnly  error
		readErr   error
		down      error
		code      int
		cypher    string
		stdout    []string
		notStdout []string
		stderr    string
		reads     int
	}{
		{name: "canned table", args: []string{"query", "actor-profile", "--param", "actor=APT10"}, code: exitOK,
			cypher: profile.Cypher, reads: 1, stdout: []string{"APT10", "menuPass; Stone Panda"}, stderr: "1 row"},
		{name: "canned json", args: []string{"query", "actor-profile", "--param", "actor=APT10", "--format", "json"}, code: exitOK,
			cypher: profile.Cypher, reads: 1, stdout: []string{`"aliases": ["menuPass","Stone Panda"]`, `"labels":["Entity","ThreatActor"]`}},
		{name: "canned csv", args: []string{"query", "actor-profile", "--param", "actor=APT10", "--format", "csv"}, code: exitOK,
			cypher: profile.Cypher, reads: 1, stdout: []string{"actor,aliases,node\nAPT10,menuPass; Stone Panda,APT10\n"}},
		{name: "missing parameter", args: []string{"query", "actor-profile"}, code: exitUsage, stderr: "actor"},
		{name: "unknown query", args: []string{"query", "no-such-query"}, code: exitUsage},
		{name: "cypher only", args: []string{"query", "actor-profile", "--cypher"}, code: exitOK, stdout: []string{"@name actor-profile"}},
		{name: "ad hoc", args: []string{"query", "-e", "MATCH (n) RETURN n LIMIT 1;", "--param", "x=1"}, code: exitOK,
			cypher: "MATCH (n) RETURN n LIMIT 1", reads: 1},
		{name: "ad hoc refused as a write", args: []string{"query", "-e", "CREATE (n)"}, readOnly: &graph.ReadOnlyError{Reason: "it writes"},
			code: exitUsage, stderr: "it writes"},
		{name: "timed out", args: []string{"query", "actor-profile", "--param", "actor=APT10"}, readErr: &graph.QueryError{Msg: "the query ran longer"},
			code: exitError, cypher: profile.Cypher, reads: 1, stderr: "ran longer"},
		{name: "unreachable", args: []string{"query", "actor-profile", "--param", "actor=APT10"}, down: errFakeDown, code: exitUnavailable},
		{name: "cells cut on a terminal", args: []string{"query", "actor-profile", "--param", "actor=APT10"}, tty: true, code: exitOK,
			cypher: profile.Cypher, reads: 1, notStdout: []string{"Stone Panda"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeGraph{readOnlyErr: tc.readOnly, readErr: tc.readErr}
			f.rows = rows
			f.rows.Records = [][]any{{"APT10", []any{"menuPass", "Stone Panda"}, node}}
			if tc.tty {
				f.rows.Records[0][1] = []any{strings.Repeat("menuPass ", 20), "Stone Panda"}
			}
			r := runFake(t, f, tc.down, tc.tty, tc.args...)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d\n%s", r.code, tc.code, r.errOut)
			}
			if len(f.cypher) != tc.reads || tc.reads > 0 && f.cypher[0] != tc.cypher {
				t.Errorf("reads %q, want %d of %.40q", f.cypher, tc.reads, tc.cypher)
			}
			for _, s := range tc.stdout {
				if !strings.Contains(r.out, s) {
					t.Errorf("stdout lacks %q:\n%s", s, r.out)
				}
			}
			for _, s := range tc.notStdout {
				if strings.Contains(r.out, s) {
					t.Errorf("stdout has %q:\n%s", s, r.out)
				}
			}
			if !strings.Contains(r.errOut, tc.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tc.stderr, r.errOut)
			}
		})
	}
}

// TestRunQueryParameters: the query reaches the graph with its
// parameters bound and typed, and the --timeout given.
func TestRunQueryParameters(t *testing.T) {
	f := &fakeGraph{rows: graph.Rows{Columns: []string{"a"}}}
	r := runFake(t, f, nil, false, "query", "actors-victims", "--param", "limit=5", "--timeout", "7s")
	if r.code != exitOK {
		t.Fatal(r.errOut)
	}
	if f.params["limit"] != int64(5) || f.timeout.Seconds() != 7 {
		t.Errorf("params %v, timeout %v", f.params, f.timeout)
	}
	if !strings.Contains(r.errOut, "0 rows") {
		t.Errorf("stderr: %s", r.errOut)
	}
}

func TestRunResolve(t *testing.T) {
	explained := []graph.Explanation{{Query: "APT10",
		Members: []graph.ClusterMember{{UID: "a", Name: "APT10", Label: model.LabelThreatActor, Aliases: []string{"Stone Panda"}, Sources: []string{"DOJ"}}, {UID: "b", Name: "menuPass", Label: model.LabelThreatActor}},
		Links:   []graph.ResolutionLink{{From: "APT10", To: "menuPass", Kind: model.SameAsType, Matched: "apt10", Method: "alias"}, {From: "APT10", To: "APT1", Kind: "NOT_SAME_AS", Method: "undo"}}}}
	undone := []graph.ResolutionLink{{From: "APT10", FromUID: "a", To: "menuPass", ToUID: "b", Matched: "apt10"}}
	tests := []struct {
		name    string
		args    []string
		explain []graph.Explanation
		undo    []graph.ResolutionLink
		code    int
		call    string
		stdout  []string
		stderr  string
	}{
		{"explain", []string{"resolve", "--explain", "APT10"}, explained, nil, exitOK, "Explain APT10",
			[]string{`"APT10" is one entity of 2 node(s)`, `linked: "APT10" = "menuPass", because both are called "apt10"`, `kept apart: "APT10" and "APT1"`}, ""},
		{"explain json", []string{"resolve", "--explain", "APT10", "--format", "json"}, explained, nil, exitOK, "Explain APT10",
			[]string{`"from": "APT10"`}, ""},
		{"explain nothing", []string{"resolve", "--explain", "nobody"}, nil, nil, exitOK, "Explain nobody", nil, `no entity is called "nobody"`},
		{"explain nothing json", []string{"resolve", "--explain", "nobody", "--format", "json"}, nil, nil, exitOK, "Explain nobody", []string{"[]"}, ""},
		{"undo", []string{"resolve", "--undo", "a"}, nil, undone, exitOK, "Undo a", []string{"unlinked APT10 (a) and menuPass (b)", "recorded NOT_SAME_AS"}, ""},
		{"undo nothing", []string{"resolve", "--undo", "a"}, nil, nil, exitOK, "Undo a", nil, "a has no SAME_AS links"},
		{"both", []string{"resolve", "--undo", "a", "--explain", "b"}, nil, nil, exitUsage, "", nil, ""},
		{"neither", []string{"resolve"}, nil, nil, exitUsage, "", nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeGraph{explain: tc.explain, undo: tc.undo}
			r := runFake(t, f, nil, false, tc.args...)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d\n%s", r.code, tc.code, r.errOut)
			}
			if strings.Join(f.calls, ";") != tc.call {
				t.Errorf("calls %v, want %q", f.calls, tc.call)
			}
			for _, s := range tc.stdout {
				if !strings.Contains(r.out, s) {
					t.Errorf("stdout lacks %q:\n%s", s, r.out)
				}
			}
			if !strings.Contains(r.errOut, tc.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tc.stderr, r.errOut)
			}
		})
	}
}

func TestRunExport(t *testing.T) {
	doc, err := loaders.ReadArticle(filepath.Join(seedArticle, loaders.AnnotationsFile), model.Declared)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out.json")
	tests := []struct {
		name    string
		args    []string
		docs    []model.Document
		code    int
		sources string
		file    string
	}{
		{"all to stdout", []string{"export"}, []model.Document{doc}, exitOK, "", ""},
		{"one source to a file", []string{"export", "--source", doc.Source.UID, "-o", out}, []model.Document{doc}, exitOK, doc.Source.UID, out},
		{"a source not in the graph", []string{"export", "--source", doc.Source.UID, "--source", "report--x"}, []model.Document{doc}, exitUsage, doc.Source.UID + ",report--x", ""},
		{"bad format", []string{"export", "--format", "csv"}, nil, exitUsage, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeGraph{docs: tc.docs}
			r := runFake(t, f, nil, false, tc.args...)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d\n%s", r.code, tc.code, r.errOut)
			}
			if strings.Join(f.exportReq, ",") != tc.sources {
				t.Errorf("asked for %v", f.exportReq)
			}
			if tc.code != exitOK {
				return
			}
			data := []byte(r.out)
			if tc.file != "" {
				if data, err = os.ReadFile(tc.file); err != nil {
					t.Fatal(err)
				}
				if r.out != "" {
					t.Error("with -o, nothing goes to stdout")
				}
			}
			if err := loaders.ValidateSTIXBundle(data); err != nil {
				t.Errorf("export does not validate: %v", err)
			}
			if !strings.Contains(string(data), "APT10") || !strings.Contains(r.errOut, "exported 1 sources") {
				t.Errorf("export: %.200s\n%s", data, r.errOut)
			}
		})
	}
}

func TestRunStatsResetSchema(t *testing.T) {
	stats := graph.Stats{Nodes: map[string]int64{model.LabelThreatActor: 3, model.ReportLabel: 1},
		Relationships: map[string]int64{model.RelUses: 4}}
	tests := []struct {
		name   string
		args   []string
		code   int
		calls  string
		stdout []string
		stderr string
	}{
		{"stats", []string{"stats"}, exitOK, "Stats", []string{"node          Report       1", "node          ThreatActor  3", "relationship  USES         4"}, ""},
		{"stats json", []string{"stats", "--format", "json"}, exitOK, "Stats", []string{`"ThreatActor": 3`}, ""},
		{"reset", []string{"reset", "--yes"}, exitOK, "Reset", nil, `deleted 12 nodes from bolt://fake:7687 database "neo4j"`},
		{"reset unconfirmed", []string{"reset"}, exitUsage, "", nil, "--yes"},
		{"schema apply", []string{"schema", "apply"}, exitOK, "ApplySchema;RefreshRollups;SchemaStatus", nil, "schema: 2 constraints and indexes present"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeGraph{stats: stats, deleted: 12, schema: graph.SchemaStatus{Present: []string{"a", "b"}}}
			r := runFake(t, f, nil, false, tc.args...)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d\n%s", r.code, tc.code, r.errOut)
			}
			if strings.Join(f.calls, ";") != tc.calls {
				t.Errorf("calls %v, want %q", f.calls, tc.calls)
			}
			for _, s := range tc.stdout {
				if !strings.Contains(r.out, s) {
					t.Errorf("stdout lacks %q:\n%s", s, r.out)
				}
			}
			if !strings.Contains(r.errOut, tc.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tc.stderr, r.errOut)
			}
		})
	}
}

func TestRunDoctor(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		down    error
		missing []string
		code    int
		stdout  []string
	}{
		{"healthy", []string{"doctor"}, nil, nil, exitOK, []string{"status         ok", "version        5.26.0", "nodes          42", "schema         present (1 constraints and indexes)"}},
		{"schema missing", []string{"doctor"}, nil, []string{"threatkg_entity_uid"}, exitOK, []string{"missing threatkg_entity_uid"}},
		{"json", []string{"doctor", "--format", "json"}, nil, nil, exitOK, []string{`"healthy": true`, `"nodes": 42`}},
		{"unreachable", []string{"doctor"}, errFakeDown, nil, exitUnavailable, nil},
		{"unreachable json", []string{"doctor", "--format", "json"}, errFakeDown, nil, exitUnavailable, []string{`"healthy": false`, `"error": "`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeGraph{counts: graph.Counts{Nodes: 42, Relationships: 7}, schema: graph.SchemaStatus{Present: []string{"x"}, Missing: tc.missing}}
			r := runFake(t, f, tc.down, false, tc.args...)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d\n%s", r.code, tc.code, r.errOut)
			}
			for _, s := range tc.stdout {
				if !strings.Contains(r.out, s) {
					t.Errorf("stdout lacks %q:\n%s", s, r.out)
				}
			}
		})
	}
}

// TestRunExtractLoadInMemory: extract --load validates its draft in memory
// and hands it to the writer with no temporary folder, the text's name as
// the report's file.
func TestRunExtractLoadInMemory(t *testing.T) {
	f := &fakeGraph{names: map[string][]graph.NamedEntity{}}
	text := filepath.Join(seedArticle, "article.txt")
	before, _ := filepath.Glob(filepath.Join(os.TempDir(), "threatkg-extract-*"))
	r := runFake(t, f, nil, false, "extract", "--load", "--date", "2018-12-20", text)
	if r.code != exitOK {
		t.Fatalf("exit %d\n%s", r.code, r.errOut)
	}
	if len(f.loaded) != 1 || len(f.loaded[0].Entities) == 0 || f.loaded[0].Source.File != "article.txt" {
		t.Fatalf("loaded %d documents", len(f.loaded))
	}
	if after, _ := filepath.Glob(filepath.Join(os.TempDir(), "threatkg-extract-*")); len(after) != len(before) {
		t.Errorf("a temporary folder was made: %v", after)
	}
	if !strings.Contains(r.errOut, `loaded "`) || !strings.Contains(r.errOut, "draft of "+text) {
		t.Errorf("stderr:\n%s", r.errOut)
	}
	undated := filepath.Join(t.TempDir(), "undated.txt")
	os.WriteFile(undated, []byte("Researchers say APT10 used PlugX against Japanese companies.\n"), 0o644)
	r = runFake(t, &fakeGraph{}, nil, false, "extract", "--load", "--no-graph", undated)
	if r.code != exitUsage || !strings.Contains(r.errOut, "--date") {
		t.Errorf("a draft with no date: exit %d\n%s", r.code, r.errOut)
	}
}

// TestRunBenchRefusesData: bench wipes the database, so a database that
// holds data needs --yes (exit 2, nothing wiped).
func TestRunBenchRefusesData(t *testing.T) {
	f := &fakeGraph{counts: graph.Counts{Nodes: 3}}
	r := runFake(t, f, nil, false, "bench", "--size", "S")
	if r.code != exitUsage || !strings.Contains(r.errOut, "give --yes") {
		t.Fatalf("exit %d\n%s", r.code, r.errOut)
	}
	if strings.Contains(strings.Join(f.calls, ";"), "Reset") {
		t.Error("bench wiped a database with data")
	}
}

// TestRunLoadLeavesNoSpool: large inputs are spooled, and the spools are
// removed whether the load succeeds or the graph cannot be reached.
func TestRunLoadLeavesNoSpool(t *testing.T) {
	spools := func() int {
		m, _ := filepath.Glob(filepath.Join(os.TempDir(), "threatkg-spool-*"))
		return len(m)
	}
	before := spools()
	for _, down := range []error{nil, errFakeDown} {
		f := &fakeGraph{}
		var out, errOut strings.Builder
		g := &globalOptions{io: ioStreams{Out: &out, ErrOut: &errOut}, getenv: func(k string) string { return noServerEnv[k] }, clients: fakeFactory(f, down)}
		err := runLoad(context.Background(), &loadOptions{global: g, paths: []string{menupassBundle}, batchSize: 10, txRows: 10, format: formatTable, keep: -1})
		if (err == nil) != (down == nil) {
			t.Fatalf("down %v: %v\n%s", down, err, errOut.String())
		}
		if down == nil && len(f.loaded) == 0 {
			t.Error("nothing loaded from the spool")
		}
		if n := spools(); n != before {
			t.Errorf("%d spool files left (down: %v)", n-before, down)
		}
	}
}
