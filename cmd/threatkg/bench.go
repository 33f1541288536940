package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/threatkg/threatkg/graph/bench"
	"github.com/threatkg/threatkg/loaders/synthetic"
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
	localServer string
	format      string
}

// newBenchCmd binds the command's flags; runF runs it (nil: runBench).
func newBenchCmd(g *globalOptions, runF func(context.Context, *benchOptions) error) *cobra.Command {
	runF = orDefault(runF, runBench)
	opts := &benchOptions{global: g}
	cmd := &cobra.Command{
		Use:     "bench",
		Short:   "Measure loading and querying on a synthetic corpus (wipes the database)",
		Long:    help("bench"),
		Example: examples("bench"),
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runF(cmd.Context(), opts)
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
	cmd.Flags().StringVar(&opts.localServer, "local-server", "", "also measure the bulk first load (load --bulk) through this local server's scripts/neo4j-local.sh, last")
	formatFlag(cmd, &opts.format, formatTable, "output format", formatTable, formatJSON)
	cmd.AddCommand(newBenchGenerateCmd(g))
	return cmd
}

type benchGenerateOptions struct {
	size string
	seed int64
	dir  string
}

func newBenchGenerateCmd(g *globalOptions) *cobra.Command {
	opts := &benchGenerateOptions{}
	cmd := &cobra.Command{
		Use:     "generate --size S|M|L --dir DIR",
		Short:   "Write a synthetic CTI corpus as STIX bundles (deterministic for a seed)",
		Long:    help("bench-generate"),
		Example: examples("bench-generate"),
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			size, err := synthetic.SizeNamed(opts.size)
			if err != nil {
				return usageErrorf("--size: %v", err)
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
	_ = cmd.MarkFlagRequired("dir")
	return cmd
}

func runBench(ctx context.Context, opts *benchOptions) error {
	size, err := synthetic.SizeNamed(opts.size)
	if err != nil {
		return usageErrorf("--size: %v", err)
	}
	if opts.runs < 1 || opts.warmup < 0 || opts.naiveSample < 1 {
		return usageErrorf("--runs and --naive-sample must be at least 1, --warmup at least 0")
	}
	cfg, err := opts.global.config()
	if err != nil {
		return err
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	var bulk bench.LoadFunc
	if opts.localServer != "" {
		bulk = bench.ChildBulk(exe, cfg, opts.localServer)
	}
	client, err := clientOf(ctx, opts.global, opts.global.clients.bench)
	if err != nil {
		return err
	}
	defer client.Close(context.Background())
	began := time.Now()
	result, err := bench.Run(ctx, client, bench.Options{Size: size, Seed: opts.seed, Dir: opts.dir, Runs: opts.runs,
		Warmup: opts.warmup, NaiveSample: opts.naiveSample, Budget: opts.budget, Wipe: opts.yes,
		Load: bench.ChildLoad(exe, cfg), Bulk: bulk,
		Log: func(format string, args ...any) {
			fmt.Fprintf(opts.global.io.ErrOut, "bench %s [%4.0fs]: %s\n", opts.size, time.Since(began).Seconds(), fmt.Sprintf(format, args...))
		}})
	var notEmpty *bench.NotEmptyError
	if errors.As(err, &notEmpty) {
		return &usageError{err: err}
	}
	if err != nil {
		return err
	}
	if opts.format == formatJSON {
		return writeJSON(opts.global.io.Out, result)
	}
	return result.WriteTable(opts.global.io.Out)
}
