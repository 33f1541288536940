package bench

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/threatkg/threatkg/graph"
	"github.com/threatkg/threatkg/graph/model"
	"github.com/threatkg/threatkg/loaders/synthetic"
	"github.com/threatkg/threatkg/queries"
)

func TestPercentileMS(t *testing.T) {
	var lat []time.Duration
	for i := 100; i >= 1; i-- { // 1..100 ms, unsorted
		lat = append(lat, time.Duration(i)*time.Millisecond)
	}
	for _, c := range []struct {
		p    int
		want float64
	}{{50, 50}, {95, 95}, {99, 99}, {100, 100}, {1, 1}} {
		if got := PercentileMS(lat, c.p); got != c.want {
			t.Errorf("p%d = %v ms, want %v", c.p, got, c.want)
		}
	}
	if got := PercentileMS([]time.Duration{7 * time.Millisecond}, 99); got != 7 {
		t.Errorf("one run: p99 = %v", got)
	}
	if got := PercentileMS(nil, 50); got != 0 {
		t.Errorf("no runs: %v", got)
	}
	if lat[0] != 100*time.Millisecond {
		t.Error("PercentileMS sorted its input in place")
	}
}

// fakeClient is a graph that answers what Run asks of it, and counts.
type fakeClient struct {
	reconnects  int
	nodes       int64
	resets      int
	naiveDocs   int
	ceilingDocs int
	reads       map[string]int
	timeoutName string
}

func (f *fakeClient) Database() string { return "neo4j" }
func (f *fakeClient) URI() string      { return "bolt://fake:7687" }
func (f *fakeClient) Counts(context.Context) (graph.Counts, error) {
	return graph.Counts{Nodes: f.nodes, Relationships: 2 * f.nodes}, nil
}
func (f *fakeClient) ServerInfo(context.Context) (graph.ServerInfo, error) {
	return graph.ServerInfo{Version: "5.26.0", Edition: "community"}, nil
}
func (f *fakeClient) Reset(context.Context) (int64, error) { f.resets++; f.nodes = 0; return 0, nil }
func (f *fakeClient) Reconnect(context.Context) error      { f.reconnects++; return nil }
func (f *fakeClient) LoadNaive(_ context.Context, docs []model.Document) (int, error) {
	f.naiveDocs = len(docs)
	return 10 * len(docs), nil
}
func (f *fakeClient) LoadCeiling(_ context.Context, docs []model.Document) (int, error) {
	f.ceilingDocs += len(docs)
	f.nodes = 500
	return len(docs), nil
}
func (f *fakeClient) Read(_ context.Context, cypher string, _ map[string]any, _ ...time.Duration) (graph.Rows, error) {
	f.reads[cypher]++
	if f.timeoutName != "" && strings.Contains(cypher, f.timeoutName) {
		return graph.Rows{}, &graph.QueryError{Msg: "the server stopped it"}
	}
	return graph.Rows{Records: [][]any{{1}, {2}}}, nil
}

// TestRunMeasuresEveryStep: with a fake graph and a fake load, Run
// refuses a database with data unless told to wipe it, wipes it before the
// baseline and the loads, loads twice, derives the rates from what the
// graph counts, and runs every canned query warm-up plus runs times,
// recording a query the server stopped with the runs it got.
func TestRunMeasuresEveryStep(t *testing.T) {
	ctx := context.Background()
	size, _ := synthetic.SizeNamed("S")
	f := &fakeClient{nodes: 5, reads: map[string]int{}}
	opts := Options{Size: size, Seed: 1, Runs: 3, Warmup: 2, NaiveSample: 4, Budget: time.Minute}
	var nee *NotEmptyError
	if _, err := Run(ctx, f, opts); !errors.As(err, &nee) || nee.Nodes != 5 {
		t.Fatalf("a database with data: %v, want a NotEmptyError", err)
	}
	var loads [][]string
	opts.Wipe, opts.Dir = true, t.TempDir()
	opts.Load = func(_ context.Context, files []string) (float64, int64, error) {
		loads = append(loads, files)
		f.nodes = 1000
		return 2, 64 << 20, nil
	}
	all, err := queries.All()
	if err != nil {
		t.Fatal(err)
	}
	f.timeoutName = "sector" // a query the server stops
	r, err := Run(ctx, f, opts)
	if err != nil {
		t.Fatal(err)
	}
	if f.resets != 3 || len(loads) != 2 || f.naiveDocs != 4 || f.ceilingDocs < r.Corpus.Reports {
		t.Errorf("resets %d (want 3), loads %d (want 2), naive sample %d (want 4), ceiling documents %d (want the corpus's %d reports and more)",
			f.resets, len(loads), f.naiveDocs, f.ceilingDocs, r.Corpus.Reports)
	}
	if r.Load.CeilingElements != 1500 || r.Load.CeilingElementsPerS <= 0 || r.Load.CeilingRatio <= 0 {
		t.Errorf("ceiling figures: %+v", r.Load)
	}
	if r.Load.Nodes != 1000 || r.Load.ElementsPerS != 1500 || r.Load.NaiveElementsPerS <= 0 || r.Load.PeakRSSBytes != 64<<20 {
		t.Errorf("load figures: %+v", r.Load)
	}
	if len(r.Queries) != len(all) {
		t.Fatalf("%d queries measured, want %d", len(r.Queries), len(all))
	}
	stopped := 0
	for i, q := range r.Queries {
		if q.Error != "" {
			stopped++
			if q.Runs != 0 || f.reads[all[i].Cypher] != 1 {
				t.Errorf("%s: stopped by the server, yet %d runs", q.Name, q.Runs)
			}
			continue
		}
		if q.Runs != 3 || q.Rows != 2 || f.reads[all[i].Cypher] != 5 {
			t.Errorf("%s: %d runs, %d rows, %d reads; want 3 runs, 2 rows, 5 reads", q.Name, q.Runs, q.Rows, f.reads[all[i].Cypher])
		}
	}
	if stopped == 0 {
		t.Error("no query was stopped: the fake's timeout did not apply")
	}
	if r.Bulk != nil {
		t.Errorf("a bulk figure without Options.Bulk: %+v", r.Bulk)
	}

	// With the bulk path: measured last, into an emptied database, after
	// which the client reconnects (the import restarted the server).
	f.resets = 0
	opts.Bulk = func(_ context.Context, files []string) (float64, int64, error) {
		if f.nodes != 0 {
			t.Error("the bulk load ran on a database that was not emptied")
		}
		f.nodes = 1000
		return 0.5, 32 << 20, nil
	}
	r, err = Run(ctx, f, opts)
	if err != nil {
		t.Fatal(err)
	}
	if b := r.Bulk; b == nil || b.ElementsPerS != 6000 || !b.SameCounts || b.PeakRSSBytes != 32<<20 || f.resets != 4 || f.reconnects != 1 {
		t.Errorf("bulk %+v, resets %d (want 4), reconnects %d (want 1)", r.Bulk, f.resets, f.reconnects)
	}
}
