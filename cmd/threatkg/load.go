package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"

	"github.com/spf13/cobra"

	"github.com/threatkg/threatkg/graph"
	"github.com/threatkg/threatkg/graph/model"
	"github.com/threatkg/threatkg/loaders"
)

type loadOptions struct {
	global    *globalOptions
	paths     []string
	dryRun    bool
	batchSize int
	format    string
}

func newLoadCmd(g *globalOptions) *cobra.Command {
	opts := &loadOptions{global: g}
	cmd := &cobra.Command{
		Use:   "load PATH...",
		Short: "Validate sources and load them into the graph",
		Long: `Loads sources into the graph: an annotated article (a folder holding
annotations.yaml and the article's text, or the YAML file itself; format in
docs/annotation-format.md).

Every file is validated before anything is written: YAML syntax, unknown
fields, types and relationship endpoints the model allows, unique ids,
references that resolve, evidence quotes found verbatim in the text. Each
problem is printed as file:line:col: message; then threatkg exits 2 and
writes nothing.

Loading is idempotent: loading a source again gives the same graph. Loading
a changed version of a source replaces what that source said before; claims
other sources make stay. Each source is written in one transaction.`,
		Example: `  threatkg load testdata/articles/apt10-2018-12-20
  threatkg load --dry-run --format json testdata/articles/apt10-2018-12-20/annotations.yaml`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.paths = args
			return runLoad(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.dryRun, "dry-run", false, "validate and report what would change; write nothing")
	cmd.Flags().IntVar(&opts.batchSize, "batch-size", graph.DefaultBatchSize, "rows per UNWIND statement")
	cmd.Flags().StringVar(&opts.format, "format", formatTable, "summary format: table or json")
	return cmd
}

func runLoad(ctx context.Context, opts *loadOptions) error {
	if err := checkFormat(opts.format, formatTable, formatJSON); err != nil {
		return err
	}
	if opts.batchSize < 1 {
		return usageErrorf("--batch-size must be at least 1")
	}
	// Validate every input before connecting, and before writing anything.
	docs, err := readSources(opts.paths)
	if err != nil {
		return err
	}
	client, err := opts.global.connect(ctx)
	if err != nil {
		return err
	}
	defer client.Close(context.Background())

	summaries := make([]graph.LoadSummary, 0, len(docs))
	for _, doc := range docs {
		s, err := client.Load(ctx, doc, graph.LoadOptions{BatchSize: opts.batchSize, DryRun: opts.dryRun})
		if err != nil {
			return err
		}
		summaries = append(summaries, s)
		verb := "loaded"
		if opts.dryRun {
			verb = "checked (dry run, nothing written)"
		}
		fmt.Fprintf(opts.global.io.ErrOut, "%s %q: %d entities, %d claims\n", verb, doc.Source.Title, len(doc.Entities), len(doc.Claims))
	}
	if opts.format == formatJSON {
		return writeJSON(opts.global.io.Out, summaries)
	}
	return writeLoadSummaries(opts.global.io.Out, summaries)
}

// readSources reads and validates every path; all problems of all files are
// returned together.
func readSources(paths []string) ([]model.Document, error) {
	var docs []model.Document
	all := &loaders.InputError{}
	for _, p := range paths {
		yamlPath, ok := loaders.ArticlePath(p)
		if !ok {
			all.Problems = append(all.Problems, loaders.Problem{File: p,
				Msg: "not a source threatkg reads: give an article folder (with " + loaders.AnnotationsFile + ") or its .yaml file"})
			continue
		}
		doc, err := loaders.ReadArticle(yamlPath, model.Declared)
		var ie *loaders.InputError
		switch {
		case errors.As(err, &ie):
			all.Problems = append(all.Problems, ie.Problems...)
		case err != nil:
			return nil, err
		default:
			docs = append(docs, doc)
		}
	}
	if len(all.Problems) > 0 {
		return nil, all
	}
	return docs, nil
}

func writeLoadSummaries(w io.Writer, summaries []graph.LoadSummary) error {
	var records [][]any
	for _, s := range summaries {
		add := func(kind string, changes map[string]*graph.Change) {
			names := make([]string, 0, len(changes))
			for n := range changes {
				names = append(names, n)
			}
			sort.Strings(names)
			for _, n := range names {
				c := changes[n]
				records = append(records, []any{s.Title, kind, n, c.Created, c.Updated, c.Deleted})
			}
		}
		add("node", s.Nodes)
		add("relationship", s.Relationships)
	}
	cols := []string{"source", "kind", "name", "created", "updated", "deleted"}
	return writeRows(w, formatTable, cols, records, 40)
}
