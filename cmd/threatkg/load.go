package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/threatkg/threatkg/graph"
	"github.com/threatkg/threatkg/graph/bulkload"
	"github.com/threatkg/threatkg/loaders"
)

type loadOptions struct {
	global    *globalOptions
	paths     []string
	dryRun    bool
	batchSize int
	txRows    int
	format    string
	timings   bool
	recursive bool
	keep      int // loaders.Opener.KeepInMemory (0: its default); tests spool everything
	bulk      bulkload.Options
	isBulk    bool
	feed      feedOptions // TAXII collections among the paths
}

// newLoadCmd binds the command's flags to its options; runF runs it (nil:
// runLoad), so that tests can check what the flags parse to.
func newLoadCmd(g *globalOptions, runF func(context.Context, *loadOptions) error) *cobra.Command {
	runF = orDefault(runF, runLoad)
	opts := &loadOptions{global: g}
	cmd := &cobra.Command{
		Use:     "load PATH...",
		Short:   "Validate sources and load them into the graph",
		Long:    help("load"),
		Example: examples("load"),
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.paths = args
			return runF(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.dryRun, "dry-run", false, "validate and report what would change; write nothing")
	cmd.Flags().IntVar(&opts.batchSize, "batch-size", graph.DefaultBatchSize, "rows per UNWIND statement")
	cmd.Flags().IntVar(&opts.txRows, "transaction-rows", graph.DefaultTransactionRows, "rows (entities and claims) per write transaction; a source is never split")
	formatFlag(cmd, &opts.format, formatTable, "summary format", formatTable, formatJSON)
	cmd.Flags().BoolVar(&opts.timings, "timings", false, "print on stderr how long each step of the load took, in total")
	cmd.Flags().BoolVar(&opts.recursive, "recursive", false, "with a folder: also load the sources of its subfolders")
	cmd.Flags().BoolVar(&opts.isBulk, "bulk", false, "first load into an empty database through neo4j-admin's offline importer (see below)")
	cmd.Flags().StringVar(&opts.bulk.Dir, "import-dir", "", "with --bulk: write the importer's CSV files here (default: a temporary folder, removed after a local import)")
	cmd.Flags().StringVar(&opts.bulk.LocalServer, "local-server", "", "with --bulk: the scripts/neo4j-local.sh of the server, which threatkg stops, imports into and starts")
	cmd.Flags().BoolVar(&opts.bulk.Imported, "imported", false, "with --bulk: you ran the import; create the schema and resolve (give the same PATHs)")
	cmd.Flags().StringVar(&opts.feed.addedAfter, "added-after", "", "with a TAXII collection: fetch the objects added after this time (RFC 3339) instead of after the last pull")
	cmd.Flags().IntVar(&opts.feed.pageSize, "page-size", 0, "with a TAXII collection: objects per page to ask for (default: the server's)")
	return cmd
}

func runLoad(ctx context.Context, opts *loadOptions) error {
	if opts.batchSize < 1 {
		return usageErrorf("--batch-size must be at least 1")
	}
	if opts.txRows < 1 {
		return usageErrorf("--transaction-rows must be at least 1")
	}
	feeds, files := splitFeeds(opts.paths)
	if err := opts.feed.check(feeds, opts.isBulk); err != nil {
		return err
	}
	if err := opts.bulk.Check(opts.isBulk, opts.dryRun); err != nil {
		return &usageError{err}
	}
	// Validate every input before connecting, and before writing anything.
	opener := &loaders.Opener{UserAgent: userAgent(), KeepInMemory: opts.keep}
	var sources []loaders.Source
	if len(files) > 0 {
		paths, err := loaders.ExpandSources(files, opts.recursive)
		if err != nil {
			return err
		}
		if sources, err = opener.OpenAll(ctx, paths); err != nil {
			return err
		}
	}
	if len(feeds) == 0 {
		return ingest(ctx, opts, sources)
	}
	// A TAXII pull starts where the graph's last pull of the collection
	// ended: connect first, then fetch and validate, then write.
	defer loaders.Release(sources)
	client, err := clientOf(ctx, opts.global, opts.global.clients.loader)
	if err != nil {
		return err
	}
	defer client.Close(context.Background())
	pulled, err := pullFeeds(ctx, opts, client, opener, feeds)
	if err != nil {
		return err
	}
	sources = append(sources, pulled...)
	if len(sources) == 0 {
		return nil // every collection is up to date (said on stderr)
	}
	return ingestWith(ctx, opts, client, sources)
}

// ingest writes validated sources (files, or a draft in memory) with one
// client, and prints what changed.
func ingest(ctx context.Context, opts *loadOptions, sources []loaders.Source) error {
	defer loaders.Release(sources)
	client, err := clientOf(ctx, opts.global, opts.global.clients.loader)
	if err != nil {
		return err
	}
	defer client.Close(context.Background())
	return ingestWith(ctx, opts, client, sources)
}

// ingestWith is ingest on an open client.
func ingestWith(ctx context.Context, opts *loadOptions, client loadClient, sources []loaders.Source) error {
	if err := loaders.ResolveReferences(ctx, sources, client.EntityLabels); err != nil {
		return err
	}
	lo := graph.LoadOptions{BatchSize: opts.batchSize, TransactionRows: opts.txRows, DryRun: opts.dryRun}
	if opts.timings {
		steps := graph.Timings{}
		lo.Trace = steps.Add
		defer steps.Write(opts.global.io.ErrOut)
	}
	load := loadAll
	if opts.isBulk {
		load = bulkLoad
	}
	summaries, err := load(ctx, opts, client, sources, lo)
	if err != nil || summaries == nil {
		return err
	}
	if opts.format == formatJSON {
		return writeJSON(opts.global.io.Out, summaries)
	}
	return graph.SummaryRows(summaries).Write(opts.global.io.Out, formatTable, 40)
}

// loadAll loads the sources in transactions, with a progress bar.
func loadAll(ctx context.Context, opts *loadOptions, client loadClient, sources []loaders.Source, lo graph.LoadOptions) ([]graph.LoadSummary, error) {
	total := 0
	for _, src := range sources {
		total += src.Rows
	}
	progress := newProgress(opts.global.io, int64(total), "loading")
	defer progress.Finish()
	summaries := []graph.LoadSummary{}
	done := 0
	lo.DeferRollups = true // once, below
	for i := range sources {
		got, err := loadSource(ctx, client, &sources[i], lo, progress, done)
		if err != nil {
			return nil, err
		}
		done += sources[i].Rows
		summaries = append(summaries, got...)
	}
	if !lo.DryRun {
		if _, err := client.RefreshRollups(ctx); err != nil {
			return nil, err
		}
	}
	return summaries, nil
}

// bulkLoad loads validated sources through the offline importer; when the
// user runs the import, it prints the command and returns no summaries.
func bulkLoad(ctx context.Context, opts *loadOptions, _ loadClient, sources []loaders.Source, lo graph.LoadOptions) ([]graph.LoadSummary, error) {
	client, err := clientOf(ctx, opts.global, opts.global.clients.bulk)
	if err != nil {
		return nil, err
	}
	defer client.Close(context.Background())
	b := opts.bulk
	b.Load, b.Stderr = lo, opts.global.io.ErrOut
	b.Log = func(f string, a ...any) { fmt.Fprintf(opts.global.io.ErrOut, f+"\n", a...) }
	out, err := bulkload.Run(ctx, client, sources, b)
	if err != nil || out.Command == "" {
		return out.Summaries, err
	}
	b.Log("on the server's machine, with the server stopped, run the command below; then start the server and finish with this load again, --imported instead of --import-dir")
	_, err = fmt.Fprintln(opts.global.io.Out, out.Command)
	return nil, err
}

// loadSource writes one source (its rows count from done on the progress
// bar) and says on stderr what it did.
func loadSource(ctx context.Context, client loadClient, src *loaders.Source, lo graph.LoadOptions, progress *progress, done int) ([]graph.LoadSummary, error) {
	for _, skipped := range src.Skipped {
		progress.Println(fmt.Sprintf("%s: skipped %s", src.Name, skipped))
	}
	docs, err := src.Documents(ctx)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	lo.Progress = func(rows int) { progress.Set(int64(done + rows)) }
	got, err := client.LoadDocuments(ctx, docs, lo)
	if err != nil {
		return nil, err
	}
	verb := "loaded"
	if lo.DryRun {
		verb = "checked (dry run, nothing written)"
	}
	if len(docs) <= maxSourceLines {
		for _, doc := range docs {
			progress.Println(fmt.Sprintf("%s %q: %d entities, %d claims", verb, doc.Source.Title, len(doc.Entities), len(doc.Claims)))
		}
	}
	progress.Println(fmt.Sprintf("%s %s: %d sources, %d rows in %.1fs", verb, src.Name, len(docs), src.Rows, time.Since(start).Seconds()))
	for _, s := range got {
		for _, r := range s.Resolved {
			progress.Println(fmt.Sprintf("resolved: %s %q is %q (same %q)", r.Label, r.From, r.To, r.Key))
		}
		for _, a := range s.Ambiguous {
			progress.Println(fmt.Sprintf("ambiguous: %s %q: %q matches %s; kept apart", a.Label, a.Entity, a.Key, strings.Join(a.Candidates, " and ")))
		}
	}
	return got, nil
}

// maxSourceLines: a file with more sources than this gets one line on
// stderr, not one per source.
const maxSourceLines = 20
