package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/threatkg/threatkg/graph"
	"github.com/threatkg/threatkg/graph/model"
	"github.com/threatkg/threatkg/loaders"
	"github.com/threatkg/threatkg/loaders/extract"
)

const (
	formatYAML = "yaml"
	// graphTimeout bounds the wait for a graph to read entity names
	// from: extraction works offline, and must not hang on a server.
	graphTimeout = 5 * time.Second
)

type extractOptions struct {
	global    *globalOptions
	path      string
	output    string
	format    string
	load      bool
	eval      string
	corpus    string
	noGraph   bool
	title     string
	publisher string
	date      string
	url       string
}

// newExtractCmd binds the command's flags to its options; runF runs it
// (nil: runExtract, or runEvalCorpus with --eval-corpus), so that tests can
// check what the flags parse to.
func newExtractCmd(g *globalOptions, runF func(context.Context, *extractOptions) error) *cobra.Command {
	if runF == nil {
		runF = func(ctx context.Context, opts *extractOptions) error {
			if opts.corpus != "" {
				return runEvalCorpus(ctx, opts)
			}
			return runExtract(ctx, opts)
		}
	}
	opts := &extractOptions{global: g}
	cmd := &cobra.Command{
		Use:     "extract ARTICLE.txt",
		Short:   "Draft annotations (entities, relations, quotes) from an article's text",
		Long:    help("extract"),
		Example: examples("extract"),
		Args: func(cmd *cobra.Command, args []string) error {
			if opts.corpus != "" {
				if len(args) > 0 {
					return usageErrorf("--eval-corpus scores the corpus folder it names; give no text with it")
				}
				return nil
			}
			return cobra.ExactArgs(1)(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("format") && (opts.eval != "" || opts.corpus != "") {
				opts.format = formatTable
			}
			if opts.corpus == "" {
				opts.path = args[0]
			}
			return runF(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.output, "output", "o", "", "write the draft to FILE (default: stdout)")
	formatFlag(cmd, &opts.format, formatYAML, "draft format: yaml (annotation file) or json; with --eval or --eval-corpus, the report's: table or json", formatYAML, formatJSON, formatTable)
	f.BoolVar(&opts.load, "load", false, "load the draft into the graph (validated as by 'threatkg load')")
	f.StringVar(&opts.eval, "eval", "", "compare the draft with curated annotations of the same text (an annotations.yaml)")
	f.StringVar(&opts.corpus, "eval-corpus", "", "score the extractor on a corpus folder (docs/*.txt and gold.jsonl, as testdata/annoctr/dev) instead of drafting one text")
	f.BoolVar(&opts.noGraph, "no-graph", false, "do not read threat-actor names from the graph")
	f.StringVar(&opts.title, "title", "", "the source's title (default: the text's first line)")
	f.StringVar(&opts.publisher, "publisher", "", "the source's publisher (default: \"unknown\")")
	f.StringVar(&opts.date, "date", "", "the source's date, YYYY-MM-DD (default: the dateline, else the latest date in the text)")
	f.StringVar(&opts.url, "url", "", "the source's URL")
	return cmd
}

func runExtract(ctx context.Context, opts *extractOptions) error {
	if err := opts.check(); err != nil {
		return err
	}
	text, err := loaders.ReadText(opts.path)
	if err != nil {
		return err
	}
	// The gold is validated before any work, like every input.
	var gold model.Document
	if opts.eval != "" {
		if gold, err = loaders.ReadArticle(opts.eval, model.Declared); err != nil {
			return err
		}
		if !extract.SameText(gold, text) {
			return usageErrorf("%s annotates another text than %s (its text file differs); compare a draft with the annotations of the same article", opts.eval, opts.path)
		}
	}
	var client namesClient
	if opts.load {
		if client, err = clientOf(ctx, opts.global, opts.global.clients.names); err != nil {
			return err
		}
		defer client.Close(context.Background())
	}
	draft := opts.draft(text, opts.graphKnown(ctx, client, opts.global.io.ErrOut))
	switch {
	case opts.eval != "":
		ev := extract.Evaluate(draft, gold)
		if opts.format == formatJSON {
			return writeJSON(opts.global.io.Out, struct {
				Article string `json:"article"`
				Gold    string `json:"gold"`
				extract.Evaluation
			}{opts.path, opts.eval, ev})
		}
		return ev.WriteReport(opts.global.io.Out, opts.path, opts.eval)
	case opts.load:
		return opts.loadDraft(ctx, draft, opts.source(draft), text)
	}
	return opts.writeDraft(draft, opts.source(draft))
}

// check refuses flags that do not go together, before any work.
func (opts *extractOptions) check() error {
	if opts.eval != "" {
		if err := checkFormat(opts.format, formatTable, formatJSON); err != nil {
			return err
		}
		if opts.load {
			return usageErrorf("--eval and --load do not go together: evaluate first, then load the reviewed draft")
		}
	} else if err := checkFormat(opts.format, formatYAML, formatJSON); err != nil {
		return err
	}
	if opts.date != "" && !loaders.IsDate(opts.date) {
		return usageErrorf("--date %q: use YYYY-MM-DD (or YYYY-MM, YYYY)", opts.date)
	}
	return nil
}

// draft runs the extractor on the text and says on stderr what it found.
func (opts *extractOptions) draft(text string, known []extract.KnownEntity) extract.Draft {
	errOut := opts.global.io.ErrOut
	start := time.Now()
	draft := extract.Extract(text, extract.Options{Known: known})
	elapsed := time.Since(start)
	rate := ""
	if len(text) >= 1<<20 {
		rate = fmt.Sprintf(" (%.1f MB/s)", float64(len(text))/1e6/max(elapsed.Seconds(), 1e-9))
	}
	fmt.Fprintf(errOut, "extract: %s: %d entities, %d relations from %d bytes in %s%s\n",
		opts.path, len(draft.Entities), len(draft.Relations), len(text), elapsed.Round(time.Millisecond), rate)
	if len(draft.Entities) == 0 {
		fmt.Fprintln(errOut, "extract: no entity recognised; the draft is empty")
	}
	return draft
}

// writeDraft writes the draft to stdout or -o, in its format.
func (opts *extractOptions) writeDraft(draft extract.Draft, src extract.Source) error {
	errOut := opts.global.io.ErrOut
	data, err := draft.YAML(src, loaders.ArticleFormat)
	if opts.format == formatJSON {
		data, err = draft.JSON(src)
	}
	if err != nil {
		return fmt.Errorf("write the draft: %w", err)
	}
	if src.Date == "" {
		fmt.Fprintf(errOut, "extract: no date found in %s; fill in source.date, or pass --date\n", opts.path)
	}
	if opts.output == "" {
		_, err = opts.global.io.Out.Write(data)
		return err
	}
	if filepath.Dir(filepath.Clean(opts.output)) != filepath.Dir(filepath.Clean(opts.path)) && opts.format == formatYAML {
		fmt.Fprintf(errOut, "extract: the draft names its text as %q; copy %s next to %s before loading it\n", src.Text, opts.path, opts.output)
	}
	if err := os.WriteFile(opts.output, data, 0o644); err != nil {
		return fmt.Errorf("write the draft: %w", err)
	}
	fmt.Fprintf(errOut, "extract: wrote %s\n", opts.output)
	return nil
}

// graphKnown reads the threat actors, malware, tools and campaigns a
// configured graph holds; a graph that cannot be reached only costs a note.
func (opts *extractOptions) graphKnown(ctx context.Context, client namesClient, errOut io.Writer) []extract.KnownEntity {
	if opts.noGraph {
		return nil
	}
	if client == nil {
		cfg, err := opts.global.config()
		if err != nil || cfg.Password == "" {
			return nil // no graph configured: the shipped catalogues only
		}
		cctx, cancel := context.WithTimeout(ctx, graphTimeout)
		defer cancel()
		c, err := clientOf(cctx, opts.global, opts.global.clients.names)
		if err != nil {
			fmt.Fprintf(errOut, "extract: the graph is not reachable (%v); using the shipped catalogues\n", oneLine(err))
			return nil
		}
		defer c.Close(context.Background())
		client = c
		ctx = cctx
	}
	var out []extract.KnownEntity
	for _, label := range extract.KnownLabels {
		names, err := client.EntityNames(ctx, label)
		if err != nil {
			fmt.Fprintf(errOut, "extract: could not read %s entities from the graph (%v); using the shipped catalogues\n", label, oneLine(err))
			return nil
		}
		for _, n := range names {
			out = append(out, extract.KnownEntity(n))
		}
	}
	if len(out) > 0 {
		fmt.Fprintf(errOut, "extract: %d entities from the graph (threat actors, malware, tools, campaigns) added to the shipped catalogues\n", len(out))
	}
	return out
}

func oneLine(err error) string { return strings.Join(strings.Fields(err.Error()), " ") }

// source is the draft's source: flags, else what the text says.
func (opts *extractOptions) source(d extract.Draft) extract.Source {
	return extract.Source{Title: opts.title, Publisher: opts.publisher, Date: opts.date, URL: opts.url}.Completed(d, opts.path)
}

// loadDraft loads the draft exactly as 'threatkg load' loads a reviewed
// one: its YAML validated against its text, in memory, then ingested.
func (opts *extractOptions) loadDraft(ctx context.Context, d extract.Draft, src extract.Source, text string) error {
	if len(d.Entities) == 0 {
		return usageErrorf("%s: no entity recognised; nothing to load", opts.path)
	}
	if src.Date == "" {
		return usageErrorf("%s: no date found in the text; pass --date YYYY-MM-DD to load the draft", opts.path)
	}
	data, err := d.YAML(src, loaders.ArticleFormat)
	if err != nil {
		return fmt.Errorf("write the draft: %w", err)
	}
	name := "draft of " + opts.path
	doc, err := loaders.ParseArticle(name, data, func(string) ([]byte, error) { return []byte(text), nil }, model.Declared)
	if err != nil {
		return err
	}
	return ingest(ctx, &loadOptions{global: opts.global, batchSize: graph.DefaultBatchSize,
		txRows: graph.DefaultTransactionRows, format: formatTable}, []loaders.Source{loaders.InMemory(name, []model.Document{doc})})
}

// runEvalCorpus scores the extractor on a corpus folder.
func runEvalCorpus(ctx context.Context, opts *extractOptions) error {
	if err := checkFormat(opts.format, formatTable, formatJSON); err != nil {
		return err
	}
	if opts.load || opts.eval != "" || opts.output != "" {
		return usageErrorf("--eval-corpus goes with neither --load, --eval nor -o")
	}
	corpus, err := extract.ReadCorpus(opts.corpus)
	if err != nil {
		return usageErrorf("%v", err)
	}
	known := opts.graphKnown(ctx, nil, opts.global.io.ErrOut)
	ev := extract.EvaluateCorpus(corpus, extract.Options{Known: known})
	if opts.format == formatJSON {
		return writeJSON(opts.global.io.Out, ev)
	}
	return ev.WriteReport(opts.global.io.Out)
}
