package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/threatkg/threatkg/graph"
	"github.com/threatkg/threatkg/graph/model"
)

// fakeGraph is a client for run-function tests without a server: it
// implements every narrow interface, answers from its fields and records
// what it was asked. The integration tests run the same commands against a
// real Neo4j.
type fakeGraph struct {
	// answers
	labels      map[string]string
	rows        graph.Rows
	readErr     error
	readOnlyErr error
	docs        []model.Document
	stats       graph.Stats
	explain     []graph.Explanation
	undo        []graph.ResolutionLink
	names       map[string][]graph.NamedEntity
	counts      graph.Counts
	schema      graph.SchemaStatus
	deleted     int64
	addedLast   map[string]string // TAXII collection -> where its next pull starts
	coverage    map[string][]model.TechniqueUse
	attack      string
	failWith    error // returned by every call that talks to the graph

	// what it was asked
	loaded    []model.Document
	loadOpts  graph.LoadOptions
	asked     []string // EntityLabels uids
	cypher    []string
	params    map[string]any
	timeout   time.Duration
	calls     []string
	closed    int
	exportReq []string
}

func (f *fakeGraph) call(name string) error      { f.calls = append(f.calls, name); return f.failWith }
func (f *fakeGraph) Close(context.Context) error { f.closed++; return nil }
func (f *fakeGraph) URI() string                 { return "bolt://fake:7687" }
func (f *fakeGraph) Database() string            { return "neo4j" }

func (f *fakeGraph) LoadDocuments(_ context.Context, docs []model.Document, opts graph.LoadOptions) ([]graph.LoadSummary, error) {
	if err := f.call("LoadDocuments"); err != nil {
		return nil, err
	}
	f.loaded, f.loadOpts = append(f.loaded, docs...), opts
	var out []graph.LoadSummary
	for _, d := range docs {
		s := graph.LoadSummary{Source: d.Source.UID, Title: d.Source.Title, DryRun: opts.DryRun,
			Nodes:         map[string]*graph.Change{model.ReportLabel: {Created: 1}},
			Relationships: map[string]*graph.Change{model.MentionsType: {Created: len(d.Entities)}}}
		out = append(out, s)
		if opts.Progress != nil {
			opts.Progress(len(d.Entities) + len(d.Claims))
		}
		if opts.Trace != nil {
			opts.Trace("entities", time.Millisecond)
		}
	}
	return out, nil
}

func (f *fakeGraph) EntityLabels(_ context.Context, uids []string) (map[string]string, error) {
	f.asked = append(f.asked, uids...)
	return f.labels, f.call("EntityLabels")
}

func (f *fakeGraph) Read(_ context.Context, cypher string, params map[string]any, timeout ...time.Duration) (graph.Rows, error) {
	f.cypher, f.params = append(f.cypher, cypher), params
	if len(timeout) > 0 {
		f.timeout = timeout[0]
	}
	if err := f.call("Read"); err != nil {
		return graph.Rows{}, err
	}
	return f.rows, f.readErr
}

func (f *fakeGraph) CheckReadOnly(context.Context, string, map[string]any) error {
	if err := f.call("CheckReadOnly"); err != nil {
		return err
	}
	return f.readOnlyErr
}

func (f *fakeGraph) Explain(_ context.Context, name string) ([]graph.Explanation, error) {
	return f.explain, f.call("Explain " + name)
}

func (f *fakeGraph) Undo(_ context.Context, uid string) ([]graph.ResolutionLink, error) {
	return f.undo, f.call("Undo " + uid)
}

func (f *fakeGraph) Documents(_ context.Context, sources []string) ([]model.Document, error) {
	f.exportReq = sources
	return f.docs, f.call("Documents")
}

func (f *fakeGraph) Stats(context.Context) (graph.Stats, error) { return f.stats, f.call("Stats") }
func (f *fakeGraph) Reset(context.Context) (int64, error)       { return f.deleted, f.call("Reset") }
func (f *fakeGraph) ApplySchema(context.Context) error          { return f.call("ApplySchema") }
func (f *fakeGraph) SchemaStatus(context.Context) (graph.SchemaStatus, error) {
	return f.schema, f.call("SchemaStatus")
}
func (f *fakeGraph) ServerInfo(context.Context) (graph.ServerInfo, error) {
	return graph.ServerInfo{Address: "fake:7687", Version: "5.26.0", Edition: "community", Protocol: "bolt 5.4"}, f.call("ServerInfo")
}
func (f *fakeGraph) Counts(context.Context) (graph.Counts, error) { return f.counts, f.call("Counts") }
func (f *fakeGraph) EntityNames(_ context.Context, label string) ([]graph.NamedEntity, error) {
	return f.names[label], f.call("EntityNames " + label)
}
func (f *fakeGraph) LoadNaive(context.Context, []model.Document) (int, error) {
	return 0, f.call("LoadNaive")
}
func (f *fakeGraph) LoadCeiling(context.Context, []model.Document) (int, error) {
	return 0, f.call("LoadCeiling")
}

func (f *fakeGraph) CheckEmpty(context.Context) error {
	if err := f.call("CheckEmpty"); err != nil {
		return err
	}
	if f.counts.Nodes > 0 {
		return &graph.NotEmptyError{Database: "neo4j", URI: f.URI(), Nodes: f.counts.Nodes}
	}
	return nil
}
func (f *fakeGraph) Reconnect(context.Context) error             { return f.call("Reconnect") }
func (f *fakeGraph) RefreshRollups(context.Context) (int, error) { return 0, f.call("RefreshRollups") }
func (f *fakeGraph) TechniqueCoverage(_ context.Context, names ...string) ([]model.TechniqueUse, error) {
	var out []model.TechniqueUse
	for _, n := range names {
		if f.coverage[n] == nil {
			return nil, &graph.NotFoundError{What: fmt.Sprintf("no threat actor or campaign is called %q", n)}
		}
		out = append(out, f.coverage[n]...)
	}
	return out, f.call("TechniqueCoverage")
}
func (f *fakeGraph) ATTACKVersion(context.Context) (string, error) {
	return f.attack, f.call("ATTACKVersion")
}
func (f *fakeGraph) TAXIIAddedLast(_ context.Context, collection string) (string, error) {
	return f.addedLast[collection], f.call("TAXIIAddedLast")
}
func (f *fakeGraph) ResolveImported(_ context.Context, _ *graph.ImportResolver, docs []model.Document, _ graph.LoadOptions) ([]graph.LoadSummary, error) {
	f.loaded = append(f.loaded, docs...)
	out := make([]graph.LoadSummary, len(docs))
	for i, d := range docs {
		out[i] = graph.LoadSummary{Source: d.Source.UID, Title: d.Source.Title}
	}
	return out, f.call("ResolveImported")
}
func (f *fakeGraph) RecomputeEntities(context.Context, []string, graph.LoadOptions) error {
	return f.call("RecomputeEntities")
}

// fakeFactory hands f to every command; connectErr, when set, is what
// asking for a client returns (e.g. a *graph.ConnectError).
func fakeFactory(f *fakeGraph, connectErr error) factory {
	give := func() error { return connectErr }
	return factory{
		loader:   func(context.Context) (loadClient, error) { return f, give() },
		reader:   func(context.Context) (readClient, error) { return f, give() },
		resolver: func(context.Context) (resolveClient, error) { return f, give() },
		exporter: func(context.Context) (exportClient, error) { return f, give() },
		stats:    func(context.Context) (statsClient, error) { return f, give() },
		resetter: func(context.Context) (resetClient, error) { return f, give() },
		schema:   func(context.Context) (schemaClient, error) { return f, give() },
		doctor:   func(context.Context) (doctorClient, error) { return f, give() },
		names:    func(context.Context) (namesClient, error) { return f, give() },
		bench:    func(context.Context) (benchClient, error) { return f, give() },
		bulk:     func(context.Context) (bulkClient, error) { return f, give() },
	}
}

// fakeRun is one command line against a fake graph.
type fakeRun struct {
	code        int
	out, errOut string
}

// runFake runs the command line as main does, with f as every client and
// streams that say stdout is (or is not) a terminal.
func runFake(t *testing.T, f *fakeGraph, connectErr error, tty bool, args ...string) fakeRun {
	t.Helper()
	var out, errOut bytes.Buffer
	g := &globalOptions{io: ioStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, OutTTY: tty, Width: 80},
		getenv: func(k string) string { return noServerEnv[k] }, clients: fakeFactory(f, connectErr)}
	root := newRootCmdWith(g)
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	if err != nil {
		printError(&errOut, err)
	}
	return fakeRun{exitCode(err), out.String(), errOut.String()}
}

func decodeJSON[T any](t *testing.T, s string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, s)
	}
	return v
}

var errFakeDown = &graph.ConnectError{Kind: graph.Unreachable, URI: "bolt://fake:7687", Err: errors.New("connection refused")}
