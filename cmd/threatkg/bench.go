package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/threatkg/threatkg/graph"
	"github.com/threatkg/threatkg/graph/model"
	"github.com/threatkg/threatkg/loaders"
	"github.com/threatkg/threatkg/loaders/synthetic"
	"github.com/threatkg/threatkg/queries"
)

const sizeFlagHelp = "corpus size: S (about 10k nodes), M (100k) or L (1M)"

type benchOptions struct {
	global      *globalOptions
	size        string
	seed        int64
	dir         string
	runs        int
	warmup      int
	naiveSample int
	budget      time.Duration
	yes         bool
	format      string
}

func newBenchCmd(g *globalOptions) *cobra.Command {
	opts := &benchOptions{global: g}
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure loading and querying on a synthetic corpus (wipes the database)",
		Long: `Generates a synthetic CTI corpus (see 'threatkg bench generate'), then, on
the database it connects to:

  1. the naive baseline: one write transaction per row, on a sample of the
     corpus's reports (threatkg's own batched path, without batching);
  2. the first load of the whole corpus, by 'threatkg load' run as a child
     process, so its peak RSS is measured on its own;
  3. the same load again (every node and relationship exists: a re-load);
  4. every canned query, after a warm-up, --runs times in read
     transactions (or for --query-budget, whichever comes first: a query
     that aggregates the whole graph gets fewer runs, and says so), with
     parameters that exist in the corpus.

It prints the results (JSON with --format json): nodes and relationships
per second, wall seconds, the load's peak RSS, the ratio of batched to
naive throughput, and p50/p95/p99 latency per query.

The database is wiped before steps 1 and 2: bench refuses to run on a
database that holds data unless --yes is given. 'make bench' runs it on a
dedicated local server.`,
		Example: `  threatkg bench --size S --yes
  threatkg bench --size M --yes --format json > bench-M.json
  threatkg bench generate --size L --dir /tmp/threatkg-L`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runBench(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.size, "size", "S", sizeFlagHelp)
	cmd.Flags().Int64Var(&opts.seed, "seed", 1, "random seed of the corpus")
	cmd.Flags().StringVar(&opts.dir, "dir", "", "where the corpus is written (default: a temporary directory, removed afterwards)")
	cmd.Flags().IntVar(&opts.runs, "runs", 1000, "measured runs per canned query")
	cmd.Flags().IntVar(&opts.warmup, "warmup", 50, "unmeasured runs per canned query first")
	cmd.Flags().DurationVar(&opts.budget, "query-budget", 30*time.Second, "stop measuring a query after this long, even before --runs (its runs are reported)")
	cmd.Flags().IntVar(&opts.naiveSample, "naive-sample", 20, "reports the naive baseline loads")
	cmd.Flags().BoolVar(&opts.yes, "yes", false, "wipe the database even if it holds data")
	formatFlag(cmd, &opts.format, formatTable, "output format", formatTable, formatJSON)
	cmd.AddCommand(newBenchGenerateCmd(g))
	return cmd
}

type benchGenerateOptions struct {
	global *globalOptions
	size   string
	seed   int64
	dir    string
}

func newBenchGenerateCmd(g *globalOptions) *cobra.Command {
	opts := &benchGenerateOptions{global: g}
	cmd := &cobra.Command{
		Use:   "generate --size S|M|L --dir DIR",
		Short: "Write a synthetic CTI corpus as STIX bundles (deterministic for a seed)",
		Long: `Writes a synthetic corpus shaped like real CTI: a catalogue of hubs (a few
prolific threat actors, popular techniques and malware, governments,
countries, sectors) and many reports, each naming an actor's campaign,
long-tailed victims, members and techniques, with a quote on every claim.
The files are STIX 2.1 bundles in threatkg's export format (core.json, then
reports-NNNN.json): load them with 'threatkg load DIR/*.json'. The same size
and seed always give the same files. Prints what the corpus holds.`,
		Example: `  threatkg bench generate --size M --seed 7 --dir /tmp/corpus-M
  threatkg load /tmp/corpus-M/*.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			size, err := synthetic.SizeNamed(opts.size)
			if err != nil {
				return usageErrorf("--size: %v", err)
			}
			if opts.dir == "" {
				return usageErrorf("--dir is required")
			}
			start := time.Now()
			st, err := synthetic.Generate(opts.dir, size, opts.seed)
			if err != nil {
				return err
			}
			fmt.Fprintf(g.io.ErrOut, "generated %d files in %.1fs\n", len(st.Files), time.Since(start).Seconds())
			return writeJSON(g.io.Out, st)
		},
	}
	cmd.Flags().StringVar(&opts.size, "size", "S", sizeFlagHelp)
	cmd.Flags().Int64Var(&opts.seed, "seed", 1, "random seed of the corpus")
	cmd.Flags().StringVar(&opts.dir, "dir", "", "directory to write (created if needed)")
	return cmd
}

// BenchResult is what `threatkg bench --format json` prints.
type BenchResult struct {
	Size    string          `json:"size"`
	Seed    int64           `json:"seed"`
	Machine benchMachine    `json:"machine"`
	Corpus  synthetic.Stats `json:"corpus"`
	Load    benchLoad       `json:"load"`
	Queries []benchQuery    `json:"queries"`
}

type benchMachine struct {
	CPUs      int    `json:"cpus"`
	MemoryGiB int    `json:"memory_gib"`
	OS        string `json:"os"`
	Go        string `json:"go"`
	Neo4j     string `json:"neo4j"`
	Edition   string `json:"edition"`
}

type benchLoad struct {
	Nodes             int64   `json:"nodes"`
	Relationships     int64   `json:"relationships"`
	Seconds           float64 `json:"seconds"`
	NodesPerS         float64 `json:"nodes_per_s"`
	RelationshipsPerS float64 `json:"relationships_per_s"`
	ElementsPerS      float64 `json:"elements_per_s"` // nodes and relationships
	ReloadSeconds     float64 `json:"reload_seconds"`
	PeakRSSBytes      int64   `json:"peak_rss_bytes"`
	ReloadPeakRSS     int64   `json:"reload_peak_rss_bytes"`
	NaiveElements     int     `json:"naive_elements"`
	NaiveSeconds      float64 `json:"naive_seconds"`
	NaiveElementsPerS float64 `json:"naive_elements_per_s"`
	NaiveRatio        float64 `json:"naive_ratio"` // batched elements/s over naive elements/s
}

type benchQuery struct {
	Name   string            `json:"name"`
	Params map[string]string `json:"params"`
	Rows   int               `json:"rows"`
	Runs   int               `json:"runs"`
	P50    float64           `json:"p50_ms"`
	P95    float64           `json:"p95_ms"`
	P99    float64           `json:"p99_ms"`
	Error  string            `json:"error,omitempty"` // why the runs stopped, e.g. the server's timeout
}

func runBench(ctx context.Context, opts *benchOptions) error {
	size, err := synthetic.SizeNamed(opts.size)
	if err != nil {
		return usageErrorf("--size: %v", err)
	}
	if opts.runs < 1 || opts.warmup < 0 || opts.naiveSample < 1 {
		return usageErrorf("--runs and --naive-sample must be at least 1, --warmup at least 0")
	}
	errOut := opts.global.io.ErrOut
	began := time.Now()
	step := func(format string, args ...any) {
		fmt.Fprintf(errOut, "bench %s [%4.0fs]: %s\n", opts.size, time.Since(began).Seconds(), fmt.Sprintf(format, args...))
	}

	cfg, err := opts.global.config()
	if err != nil {
		return err
	}
	client, err := opts.global.connect(ctx)
	if err != nil {
		return err
	}
	defer client.Close(context.Background())
	counts, err := client.Counts(ctx)
	if err != nil {
		return err
	}
	if counts.Nodes > 0 && !opts.yes {
		return usageErrorf("the database %q at %s holds %d nodes and bench wipes it: give --yes to go on (or point bench at an empty database)", client.Database(), client.URI(), counts.Nodes)
	}
	info, err := client.ServerInfo(ctx)
	if err != nil {
		return err
	}
	result := BenchResult{Size: size.Name, Seed: opts.seed, Machine: machine(info)}

	dir := opts.dir
	if dir == "" {
		if dir, err = os.MkdirTemp("", "threatkg-bench-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	}
	start := time.Now()
	if result.Corpus, err = synthetic.Generate(dir, size, opts.seed); err != nil {
		return err
	}
	step("generated %s: %d nodes, %d relationships in %d files (%.1fs)", size.Name, result.Corpus.Nodes, result.Corpus.Relations, len(result.Corpus.Files), time.Since(start).Seconds())

	// 1. The naive baseline, on a sample of reports, in an empty database.
	if _, err := client.Reset(ctx); err != nil {
		return err
	}
	sample, err := naiveSample(result.Corpus.Files, opts.naiveSample)
	if err != nil {
		return err
	}
	start = time.Now()
	n, err := client.LoadNaive(ctx, sample)
	if err != nil {
		return err
	}
	result.Load.NaiveElements, result.Load.NaiveSeconds = n, time.Since(start).Seconds()
	result.Load.NaiveElementsPerS = float64(n) / result.Load.NaiveSeconds
	step("naive baseline: %d elements in %.1fs (%.0f/s)", n, result.Load.NaiveSeconds, result.Load.NaiveElementsPerS)

	// 2 and 3. The corpus, loaded twice by `threatkg load`.
	if _, err := client.Reset(ctx); err != nil {
		return err
	}
	for i, what := range []string{"first load", "re-load"} {
		seconds, rss, err := timedLoad(ctx, cfg, result.Corpus.Files)
		if err != nil {
			return fmt.Errorf("bench %s: %w", what, err)
		}
		if i == 0 {
			result.Load.Seconds, result.Load.PeakRSSBytes = seconds, rss
		} else {
			result.Load.ReloadSeconds, result.Load.ReloadPeakRSS = seconds, rss
		}
		step("%s: %.1fs, peak RSS %d MiB", what, seconds, rss>>20)
	}
	counts, err = client.Counts(ctx)
	if err != nil {
		return err
	}
	l := &result.Load
	l.Nodes, l.Relationships = counts.Nodes, counts.Relationships
	l.NodesPerS = float64(l.Nodes) / l.Seconds
	l.RelationshipsPerS = float64(l.Relationships) / l.Seconds
	l.ElementsPerS = float64(l.Nodes+l.Relationships) / l.Seconds
	l.NaiveRatio = l.ElementsPerS / l.NaiveElementsPerS

	// 4. Every canned query.
	all, err := queries.All()
	if err != nil {
		return err
	}
	probes := synthetic.Probes(size, opts.seed)
	for _, q := range all {
		given := map[string]string{}
		for _, p := range q.Params {
			if v, ok := probes[p.Name]; ok {
				given[p.Name] = v
			}
		}
		params, err := q.Bind(given)
		if err != nil {
			return fmt.Errorf("bench %s: %w", q.Name, err)
		}
		bq := benchQuery{Name: q.Name, Params: given}
		latencies := make([]time.Duration, 0, opts.runs)
		// The warm-up gets a fifth of the budget at most, the measured runs
		// the rest: a query that aggregates the whole graph gets fewer
		// runs, and the JSON says how many.
		queryStart := time.Now()
		for i := 0; i < opts.warmup+opts.runs; i++ {
			warm := i < opts.warmup
			if warm && time.Since(queryStart) > opts.budget/5 {
				i = opts.warmup - 1 // on to the measured runs
				continue
			}
			if !warm && len(latencies) > 0 && time.Since(queryStart) > opts.budget {
				break
			}
			start := time.Now()
			rows, err := client.Read(ctx, q.Cypher, params)
			var qe *graph.QueryError
			if errors.As(err, &qe) { // e.g. the server stopped it at its timeout
				bq.Error = qe.Error()
				break
			}
			if err != nil {
				return fmt.Errorf("bench %s: %w", q.Name, err)
			}
			if !warm {
				latencies = append(latencies, time.Since(start))
			}
			bq.Rows = len(rows.Records)
		}
		bq.Runs = len(latencies)
		bq.P50, bq.P95, bq.P99 = percentileMS(latencies, 50), percentileMS(latencies, 95), percentileMS(latencies, 99)
		step("%-22s %5d rows  %4d runs  p50 %7.2f ms  p95 %7.2f ms  p99 %7.2f ms %s", q.Name, bq.Rows, bq.Runs, bq.P50, bq.P95, bq.P99, bq.Error)
		result.Queries = append(result.Queries, bq)
	}

	if opts.format == formatJSON {
		return writeJSON(opts.global.io.Out, result)
	}
	return writeBenchTable(opts.global.io.Out, result)
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

// timedLoad runs `threatkg load` on the files as a child process and
// returns its wall time and peak resident set size.
func timedLoad(ctx context.Context, cfg graph.Config, files []string) (float64, int64, error) {
	exe, err := os.Executable()
	if err != nil {
		return 0, 0, err
	}
	cmd := exec.CommandContext(ctx, exe, append([]string{"load", "--format", "json"}, files...)...)
	cmd.Env = append(os.Environ(),
		graph.EnvURI+"="+cfg.URI, graph.EnvUsername+"="+cfg.Username,
		graph.EnvPassword+"="+cfg.Password, graph.EnvDatabase+"="+cfg.Database)
	var errBuf strings.Builder
	cmd.Stderr = &errBuf
	start := time.Now()
	err = cmd.Run()
	seconds := time.Since(start).Seconds()
	if err != nil {
		lines := strings.Split(strings.TrimSpace(errBuf.String()), "\n")
		return 0, 0, fmt.Errorf("threatkg load failed: %s", lines[len(lines)-1])
	}
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = int64(ru.Maxrss) * 1024 // kilobytes on Linux
		if runtime.GOOS == "darwin" {
			rss = int64(ru.Maxrss) // bytes on macOS
		}
	}
	return seconds, rss, nil
}

// percentileMS is the nearest-rank percentile of the latencies, in ms.
func percentileMS(latencies []time.Duration, p int) float64 {
	if len(latencies) == 0 {
		return 0
	}
	sorted := slices.Clone(latencies)
	slices.Sort(sorted)
	rank := (p*len(sorted) + 99) / 100 // ceil(p/100 * n)
	return float64(sorted[max(rank, 1)-1].Microseconds()) / 1000
}

func machine(info graph.ServerInfo) benchMachine {
	m := benchMachine{CPUs: runtime.NumCPU(), OS: runtime.GOOS + "/" + runtime.GOARCH, Go: runtime.Version(),
		Neo4j: info.Version, Edition: info.Edition}
	var si syscall.Sysinfo_t
	if syscall.Sysinfo(&si) == nil {
		m.MemoryGiB = int((uint64(si.Totalram) * uint64(si.Unit)) >> 30)
	}
	return m
}

func writeBenchTable(w io.Writer, r BenchResult) error {
	l := r.Load
	fmt.Fprintf(w, "size %s (seed %d): %d nodes, %d relationships; %d CPUs, %d GiB, Neo4j %s %s\n\n",
		r.Size, r.Seed, l.Nodes, l.Relationships, r.Machine.CPUs, r.Machine.MemoryGiB, r.Machine.Neo4j, r.Machine.Edition)
	records := [][]any{
		{"first load", fmt.Sprintf("%.1f s", l.Seconds)},
		{"nodes/s", fmt.Sprintf("%.0f", l.NodesPerS)},
		{"relationships/s", fmt.Sprintf("%.0f", l.RelationshipsPerS)},
		{"re-load", fmt.Sprintf("%.1f s", l.ReloadSeconds)},
		{"peak RSS (load)", fmt.Sprintf("%d MiB", l.PeakRSSBytes>>20)},
		{"naive baseline", fmt.Sprintf("%.0f elements/s", l.NaiveElementsPerS)},
		{"batched / naive", fmt.Sprintf("%.1fx", l.NaiveRatio)},
	}
	if err := writeRows(w, formatTable, []string{"load", "value"}, records, 40); err != nil {
		return err
	}
	fmt.Fprintln(w)
	records = records[:0]
	sort.SliceStable(r.Queries, func(i, j int) bool { return r.Queries[i].Name < r.Queries[j].Name })
	for _, q := range r.Queries {
		records = append(records, []any{q.Name, q.Rows, q.Runs, q.P50, q.P95, q.P99})
	}
	return writeRows(w, formatTable, []string{"query", "rows", "runs", "p50_ms", "p95_ms", "p99_ms"}, records, 40)
}
