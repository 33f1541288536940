// Package bench is threatkg's benchmark procedure: on one database, the
// naive baseline, the first load and the re-load of a synthetic corpus, and
// every canned query, measured. `threatkg bench` runs it and prints its
// Result.
package bench

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/threatkg/threatkg/graph"
	"github.com/threatkg/threatkg/graph/model"
	"github.com/threatkg/threatkg/loaders"
	"github.com/threatkg/threatkg/loaders/synthetic"
	"github.com/threatkg/threatkg/queries"
)

// Result is what a run measured (`threatkg bench --format json`).
type Result struct {
	Size    string          `json:"size"`
	Seed    int64           `json:"seed"`
	Machine Machine         `json:"machine"`
	Corpus  synthetic.Stats `json:"corpus"`
	Load    Load            `json:"load"`
	Queries []Query         `json:"queries"`
	// Bulk is the same corpus loaded by the bulk path (load --bulk), when
	// Options.Bulk is set.
	Bulk *Bulk `json:"bulk,omitempty"`
}

// Bulk is what the bulk first load measured: end to end (CSV writing,
// the import with the server's stop and start, schema, resolution).
type Bulk struct {
	Nodes         int64   `json:"nodes"`
	Relationships int64   `json:"relationships"`
	Seconds       float64 `json:"seconds"`
	ElementsPerS  float64 `json:"elements_per_s"`
	PeakRSSBytes  int64   `json:"peak_rss_bytes"`
	// SameCounts: the bulk graph has the transactional load's node and
	// relationship counts (the tests compare the whole graphs).
	SameCounts bool `json:"same_counts"`
}

// Machine is where the run happened.
type Machine struct {
	CPUs      int    `json:"cpus"`
	MemoryGiB int    `json:"memory_gib"`
	OS        string `json:"os"`
	Go        string `json:"go"`
	Neo4j     string `json:"neo4j"`
	Edition   string `json:"edition"`
}

// Load is what loading measured.
type Load struct {
	Nodes             int64   `json:"nodes"`
	Relationships     int64   `json:"relationships"`
	Seconds           float64 `json:"seconds"`
	NodesPerS         float64 `json:"nodes_per_s"`
	RelationshipsPerS float64 `json:"relationships_per_s"`
	ElementsPerS      float64 `json:"elements_per_s"` // nodes and relationships
	ReloadSeconds     float64 `json:"reload_seconds"`
	PeakRSSBytes      int64   `json:"peak_rss_bytes"`
	ReloadPeakRSS     int64   `json:"reload_peak_rss_bytes"`
	// The ceiling: the same nodes and relationships written by plain
	// UNWIND batches on the same server and schema (graph.LoadCeiling).
	CeilingElements     int64   `json:"ceiling_elements"`
	CeilingSeconds      float64 `json:"ceiling_seconds"`
	CeilingElementsPerS float64 `json:"ceiling_elements_per_s"`
	CeilingRatio        float64 `json:"ceiling_ratio"` // threatkg's elements/s over the ceiling's
	NaiveElements       int     `json:"naive_elements"`
	NaiveSeconds        float64 `json:"naive_seconds"`
	NaiveElementsPerS   float64 `json:"naive_elements_per_s"`
	NaiveRatio          float64 `json:"naive_ratio"` // batched elements/s over naive elements/s
}

// Query is what one canned query measured.
type Query struct {
	Name   string            `json:"name"`
	Params map[string]string `json:"params"`
	Rows   int               `json:"rows"`
	Runs   int               `json:"runs"`
	P50    float64           `json:"p50_ms"`
	P95    float64           `json:"p95_ms"`
	P99    float64           `json:"p99_ms"`
	Error  string            `json:"error,omitempty"` // why the runs stopped, e.g. the server's timeout
}

// Client is what the procedure needs of the graph.
type Client interface {
	Database() string
	URI() string
	Counts(ctx context.Context) (graph.Counts, error)
	ServerInfo(ctx context.Context) (graph.ServerInfo, error)
	Reset(ctx context.Context) (int64, error)
	LoadNaive(ctx context.Context, docs []model.Document) (int, error)
	LoadCeiling(ctx context.Context, docs []model.Document) (int, error)
	Read(ctx context.Context, cypher string, params map[string]any, timeout ...time.Duration) (graph.Rows, error)
	Reconnect(ctx context.Context) error // after a bulk load restarted the server
}

// LoadFunc loads the corpus's files the way users do, returning the wall
// seconds and the peak RSS of the load alone (see ChildLoad).
type LoadFunc func(ctx context.Context, files []string) (seconds float64, peakRSS int64, err error)

// Options are a run's settings.
type Options struct {
	Size        synthetic.Size
	Seed        int64
	Dir         string // where the corpus is written; "" a temporary directory, removed afterwards
	Runs        int    // measured runs per query
	Warmup      int    // unmeasured runs per query first
	NaiveSample int    // reports the naive baseline loads
	Budget      time.Duration
	Wipe        bool // wipe a database that holds data
	Load        LoadFunc
	Bulk        LoadFunc                         // the bulk path (load --bulk), measured last when set
	Log         func(format string, args ...any) // progress, one line per step
}

// NotEmptyError: the database holds data and Options.Wipe is false.
type NotEmptyError struct {
	Database, URI string
	Nodes         int64
}

func (e *NotEmptyError) Error() string {
	return fmt.Sprintf("the database %q at %s holds %d nodes and bench wipes it: give --yes to go on (or point bench at an empty database)", e.Database, e.URI, e.Nodes)
}

// Run runs the benchmark on the client's database, which it wipes.
func Run(ctx context.Context, c Client, opts Options) (Result, error) {
	log := opts.Log
	if log == nil {
		log = func(string, ...any) {}
	}
	counts, err := c.Counts(ctx)
	if err != nil {
		return Result{}, err
	}
	if counts.Nodes > 0 && !opts.Wipe {
		return Result{}, &NotEmptyError{Database: c.Database(), URI: c.URI(), Nodes: counts.Nodes}
	}
	info, err := c.ServerInfo(ctx)
	if err != nil {
		return Result{}, err
	}
	r := Result{Size: opts.Size.Name, Seed: opts.Seed, Machine: machine(info)}
	dir := opts.Dir
	if dir == "" {
		if dir, err = os.MkdirTemp("", "threatkg-bench-"); err != nil {
			return r, err
		}
		defer os.RemoveAll(dir)
	}
	start := time.Now()
	if r.Corpus, err = synthetic.Generate(dir, opts.Size, opts.Seed); err != nil {
		return r, err
	}
	log("generated %s: %d nodes, %d relationships in %d files (%.1fs)", opts.Size.Name, r.Corpus.Nodes, r.Corpus.Relations, len(r.Corpus.Files), time.Since(start).Seconds())
	if err := naive(ctx, c, &r, opts, log); err != nil {
		return r, err
	}
	if err := ceiling(ctx, c, &r, log); err != nil {
		return r, err
	}
	if err := loads(ctx, c, &r, opts, log); err != nil {
		return r, err
	}
	all, err := queries.All()
	if err != nil {
		return r, err
	}
	probes := synthetic.Probes(opts.Size, opts.Seed)
	for _, q := range all {
		bq, err := measure(ctx, c, q, probes, opts)
		if err != nil {
			return r, err
		}
		log("%-22s %5d rows  %4d runs  p50 %7.2f ms  p95 %7.2f ms  p99 %7.2f ms %s", q.Name, bq.Rows, bq.Runs, bq.P50, bq.P95, bq.P99, bq.Error)
		r.Queries = append(r.Queries, bq)
	}
	if opts.Bulk != nil {
		return r, bulk(ctx, c, &r, opts, log)
	}
	return r, nil
}

// bulk measures the bulk first load of the corpus, into the emptied
// database.
func bulk(ctx context.Context, c Client, r *Result, opts Options, log func(string, ...any)) error {
	if _, err := c.Reset(ctx); err != nil {
		return err
	}
	seconds, rss, err := opts.Bulk(ctx, r.Corpus.Files)
	if err != nil {
		return fmt.Errorf("bench bulk load: %w", err)
	}
	if err := c.Reconnect(ctx); err != nil {
		return err
	}
	counts, err := c.Counts(ctx)
	if err != nil {
		return err
	}
	b := &Bulk{Nodes: counts.Nodes, Relationships: counts.Relationships, Seconds: seconds, PeakRSSBytes: rss,
		ElementsPerS: float64(counts.Nodes+counts.Relationships) / seconds,
		SameCounts:   counts.Nodes == r.Load.Nodes && counts.Relationships == r.Load.Relationships}
	r.Bulk = b
	log("bulk load: %.1fs (%.0f elements/s), peak RSS %d MiB, same counts as the transactional load: %v", seconds, b.ElementsPerS, rss>>20, b.SameCounts)
	return nil
}

// naive measures the baseline: one write transaction per row, on a sample
// of reports, in an empty database.
func naive(ctx context.Context, c Client, r *Result, opts Options, log func(string, ...any)) error {
	if _, err := c.Reset(ctx); err != nil {
		return err
	}
	sample, err := naiveSample(r.Corpus.Files, opts.NaiveSample)
	if err != nil {
		return err
	}
	start := time.Now()
	n, err := c.LoadNaive(ctx, sample)
	if err != nil {
		return err
	}
	r.Load.NaiveElements, r.Load.NaiveSeconds = n, time.Since(start).Seconds()
	r.Load.NaiveElementsPerS = float64(n) / r.Load.NaiveSeconds
	log("naive baseline: %d elements in %.1fs (%.0f/s)", n, r.Load.NaiveSeconds, r.Load.NaiveElementsPerS)
	return nil
}

// ceiling measures what the server takes at most for this corpus: its
// nodes and relationships written by plain UNWIND batches (parsing is not
// timed), in an empty database.
func ceiling(ctx context.Context, c Client, r *Result, log func(string, ...any)) error {
	if _, err := c.Reset(ctx); err != nil {
		return err
	}
	var took time.Duration
	for _, f := range r.Corpus.Files {
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		res, err := loaders.ReadSTIX(f, data, model.Declared)
		if err != nil {
			return err
		}
		start := time.Now()
		if _, err := c.LoadCeiling(ctx, res.Documents); err != nil {
			return err
		}
		took += time.Since(start)
	}
	counts, err := c.Counts(ctx)
	if err != nil {
		return err
	}
	l := &r.Load
	l.CeilingElements, l.CeilingSeconds = counts.Nodes+counts.Relationships, took.Seconds()
	l.CeilingElementsPerS = float64(l.CeilingElements) / l.CeilingSeconds
	log("ceiling (plain UNWIND): %d elements in %.1fs (%.0f/s)", l.CeilingElements, l.CeilingSeconds, l.CeilingElementsPerS)
	return nil
}

// loads measures the corpus loaded twice, as users load it.
func loads(ctx context.Context, c Client, r *Result, opts Options, log func(string, ...any)) error {
	if _, err := c.Reset(ctx); err != nil {
		return err
	}
	l := &r.Load
	for i, what := range []string{"first load", "re-load"} {
		seconds, rss, err := opts.Load(ctx, r.Corpus.Files)
		if err != nil {
			return fmt.Errorf("bench %s: %w", what, err)
		}
		if i == 0 {
			l.Seconds, l.PeakRSSBytes = seconds, rss
		} else {
			l.ReloadSeconds, l.ReloadPeakRSS = seconds, rss
		}
		log("%s: %.1fs, peak RSS %d MiB", what, seconds, rss>>20)
	}
	counts, err := c.Counts(ctx)
	if err != nil {
		return err
	}
	l.Nodes, l.Relationships = counts.Nodes, counts.Relationships
	l.NodesPerS = float64(l.Nodes) / l.Seconds
	l.RelationshipsPerS = float64(l.Relationships) / l.Seconds
	l.ElementsPerS = float64(l.Nodes+l.Relationships) / l.Seconds
	l.NaiveRatio = l.ElementsPerS / l.NaiveElementsPerS
	if l.CeilingElementsPerS > 0 {
		l.CeilingRatio = l.ElementsPerS / l.CeilingElementsPerS
	}
	return nil
}

// measure runs one canned query, with parameters that exist in the corpus,
// after a warm-up. The warm-up gets a fifth of the budget at most, the
// measured runs the rest: a query that aggregates the whole graph gets
// fewer runs, and the result says how many.
func measure(ctx context.Context, c Client, q queries.Query, probes map[string]string, opts Options) (Query, error) {
	given := q.Known(probes)
	params, err := q.Bind(given)
	if err != nil {
		return Query{}, fmt.Errorf("bench %s: %w", q.Name, err)
	}
	bq := Query{Name: q.Name, Params: given}
	latencies := make([]time.Duration, 0, opts.Runs)
	began := time.Now()
	for i := 0; i < opts.Warmup+opts.Runs; i++ {
		warm := i < opts.Warmup
		if warm && time.Since(began) > opts.Budget/5 {
			i = opts.Warmup - 1 // on to the measured runs
			continue
		}
		if !warm && len(latencies) > 0 && time.Since(began) > opts.Budget {
			break
		}
		start := time.Now()
		rows, err := c.Read(ctx, q.Cypher, params)
		var qe *graph.QueryError
		if errors.As(err, &qe) { // e.g. the server stopped it at its timeout
			bq.Error = qe.Error()
			break
		}
		if err != nil {
			return bq, fmt.Errorf("bench %s: %w", q.Name, err)
		}
		if !warm {
			latencies = append(latencies, time.Since(start))
		}
		bq.Rows = len(rows.Records)
	}
	bq.Runs = len(latencies)
	bq.P50, bq.P95, bq.P99 = PercentileMS(latencies, 50), PercentileMS(latencies, 95), PercentileMS(latencies, 99)
	return bq, nil
}

// naiveSample reads the first reports of the corpus's first report file.
func naiveSample(files []string, n int) ([]model.Document, error) {
	var path string
	for _, f := range files {
		if strings.HasPrefix(filepath.Base(f), "reports-") {
			path = f
			break
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	res, err := loaders.ReadSTIX(path, data, model.Declared)
	if err != nil {
		return nil, err
	}
	var docs []model.Document
	for _, d := range res.Documents {
		if d.Source.Kind != "stix-bundle" && len(docs) < n {
			docs = append(docs, d)
		}
	}
	if len(docs) == 0 {
		return nil, errors.New("the corpus has no reports to sample")
	}
	return docs, nil
}

// PercentileMS is the nearest-rank percentile of the latencies, in ms.
func PercentileMS(latencies []time.Duration, p int) float64 {
	if len(latencies) == 0 {
		return 0
	}
	sorted := slices.Clone(latencies)
	slices.Sort(sorted)
	rank := (p*len(sorted) + 99) / 100 // ceil(p/100 * n)
	return float64(sorted[max(rank, 1)-1].Microseconds()) / 1000
}

func machine(info graph.ServerInfo) Machine {
	m := Machine{CPUs: runtime.NumCPU(), OS: runtime.GOOS + "/" + runtime.GOARCH, Go: runtime.Version(),
		Neo4j: info.Version, Edition: info.Edition}
	var si syscall.Sysinfo_t
	if syscall.Sysinfo(&si) == nil {
		m.MemoryGiB = int((uint64(si.Totalram) * uint64(si.Unit)) >> 30)
	}
	return m
}
