package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
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
		Use:   "extract ARTICLE.txt",
		Short: "Draft annotations (entities, relations, quotes) from an article's text",
		Long: `Reads a plain-text article (UTF-8) and drafts its annotations: the entities
and relations it names, in the graph model's terms, each with the verbatim
quote that supports it and a confidence. The draft is in the annotation
format (docs/annotation-format.md), YAML by default, on stdout or in -o FILE,
for an analyst to review and then load with 'threatkg load'.

Extraction is deterministic and offline. It recognises what the field's
catalogues know, embedded in the binary: MITRE ATT&CK's groups, software,
campaigns and techniques; the MISP galaxies' threat actors, malware
families, tools and intelligence agencies; the world's countries (with
demonyms), regions and sectors. Names that are ordinary words count only
with context (the Ares malware). Name shapes add what no catalogue knows:
vendors' actor naming schemes (TA505, UNC2452, Storm-0558, … Panda),
people's names by titles and roles, organisations by head words and legal
suffixes, CVE ids (Vulnerability) and technique ids. Relations come from
per-sentence patterns: uses, exploits, targeted, attributed to, member of,
charged, condemned, violates. Each entry's comment in the YAML names the
rule that produced it (docs/extraction.md lists them all).

When a graph is configured (NEO4J_PASSWORD or --password-stdin), the threat
actors, malware, tools and campaigns it holds are recognised too, by name
and alias; an unreachable graph only prints a note. --no-graph skips it.

--load loads the draft at once, through the same validation as 'threatkg
load'. --eval GOLD.yaml compares the draft with curated annotations of the
same text and prints precision, recall and F1 for entities and relations,
each rule's precision, and the misses and the false positives.

--eval-corpus DIR scores the extractor on a corpus of reports with gold
entity spans (AnnoCTR's format: DIR/docs/<doc>.txt and DIR/gold.jsonl), per
class (actor, organisation, location, sector, malware) and micro-averaged,
by strict match per document on the normalised name or alias, with the
commonest misses and false positives, each rule's precision and the
throughput (docs/extraction.md says how classes map).

Exit codes: 0 (also for an empty draft); 1 a runtime error (the draft could
not be written); 2 a bad article, gold file or flag (nothing written); 3 when
--load cannot reach or log in to Neo4j.`,
		Example: `  threatkg extract testdata/articles/apt10-2018-12-20/article.txt -o draft.yaml
  threatkg extract article.txt --format json
  threatkg extract testdata/articles/apt10-2018-12-20/article.txt --eval testdata/articles/apt10-2018-12-20/annotations.yaml
  threatkg extract --eval-corpus testdata/annoctr/dev --no-graph
  threatkg extract article.txt --load --publisher "U.S. Department of Justice" && threatkg query actors-victims`,
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
		sum := sha256.Sum256([]byte(text))
		if gold.Source.TextSHA256 != "" && gold.Source.TextSHA256 != hex.EncodeToString(sum[:]) {
			return usageErrorf("%s annotates another text than %s (its text file differs); compare a draft with the annotations of the same article", opts.eval, opts.path)
		}
	}

	errOut := opts.global.io.ErrOut
	var client *graph.Client
	if opts.load {
		if client, err = opts.global.connect(ctx); err != nil {
			return err
		}
		defer client.Close(context.Background())
	}
	known := opts.graphKnown(ctx, client, errOut)

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

	if opts.eval != "" {
		return writeEvaluation(opts.global.io.Out, opts.format, opts.path, opts.eval, extract.Evaluate(draft, gold))
	}

	src := opts.source(draft)
	if opts.load {
		return opts.loadDraft(ctx, draft, src, text)
	}
	var data []byte
	if opts.format == formatJSON {
		data, err = draft.JSON(src)
	} else {
		data, err = draft.YAML(src, loaders.ArticleFormat)
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
func (opts *extractOptions) graphKnown(ctx context.Context, client *graph.Client, errOut io.Writer) []extract.KnownEntity {
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
		c, err := opts.global.connect(cctx)
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
			out = append(out, extract.KnownEntity{Label: label, Name: n.Name, Aliases: n.Aliases, ExternalID: n.ExternalID})
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
	src := extract.Source{Title: opts.title, Publisher: opts.publisher, Date: opts.date, URL: opts.url, Text: filepath.Base(opts.path)}
	if src.Title == "" {
		src.Title = d.Title
	}
	if src.Title == "" {
		src.Title = strings.TrimSuffix(filepath.Base(opts.path), filepath.Ext(opts.path))
	}
	if src.Publisher == "" {
		src.Publisher = "unknown"
	}
	if src.Date == "" {
		src.Date = d.Date
	}
	return src
}

// loadDraft loads the draft exactly as 'threatkg load' loads a reviewed
// one: written with its text to a temporary article folder, validated,
// then loaded.
func (opts *extractOptions) loadDraft(ctx context.Context, d extract.Draft, src extract.Source, text string) error {
	if len(d.Entities) == 0 {
		return usageErrorf("%s: no entity recognised; nothing to load", opts.path)
	}
	if src.Date == "" {
		return usageErrorf("%s: no date found in the text; pass --date YYYY-MM-DD to load the draft", opts.path)
	}
	dir, err := os.MkdirTemp("", "threatkg-extract-")
	if err != nil {
		return fmt.Errorf("prepare the draft: %w", err)
	}
	defer os.RemoveAll(dir)
	src.Text = "article.txt"
	data, err := d.YAML(src, loaders.ArticleFormat)
	if err != nil {
		return fmt.Errorf("write the draft: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, src.Text), []byte(text), 0o644); err != nil {
		return fmt.Errorf("prepare the draft: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, loaders.AnnotationsFile), data, 0o644); err != nil {
		return fmt.Errorf("prepare the draft: %w", err)
	}
	return runLoad(ctx, &loadOptions{global: opts.global, paths: []string{dir}, batchSize: graph.DefaultBatchSize,
		txRows: graph.DefaultTransactionRows, format: formatTable})
}

// writeEvaluation prints an evaluation: scores, then misses and false
// positives.
func writeEvaluation(w io.Writer, format, article, gold string, ev extract.Evaluation) error {
	if format == formatJSON {
		return writeJSON(w, struct {
			Article string `json:"article"`
			Gold    string `json:"gold"`
			extract.Evaluation
		}{article, gold, ev})
	}
	fmt.Fprintf(w, "%s against %s\n\n", article, gold)
	tw := []keyValue{{"", "precision  recall  F1     matched / extracted / gold"}}
	for _, s := range []struct {
		name string
		sc   extract.Score
	}{{"entities", ev.Entities}, {"relations", ev.Relations}} {
		tw = append(tw, keyValue{s.name, fmt.Sprintf("%.2f       %.2f    %.2f   %d / %d / %d", s.sc.Precision, s.sc.Recall, s.sc.F1, s.sc.Matched, s.sc.Extracted, s.sc.Gold)})
	}
	if err := writeKeyValues(w, tw); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nprecision per rule (what the rule produced that the gold holds):\n")
	rules := []keyValue{}
	for _, r := range ev.Rules {
		rules = append(rules, keyValue{"  " + r.Kind + " " + r.Rule, fmt.Sprintf("%.2f  (%d of %d)", r.Precision, r.Matched, r.Extracted)})
	}
	if err := writeKeyValues(w, rules); err != nil {
		return err
	}
	for _, list := range []struct {
		title string
		items []string
	}{
		{"missed entities", ev.EntityMisses},
		{"false-positive entities", ev.EntityFalsePositives},
		{"missed relations", ev.RelationMisses},
		{"false-positive relations", ev.RelationFalsePositive},
	} {
		fmt.Fprintf(w, "\n%s (%d):\n", list.title, len(list.items))
		for _, it := range list.items {
			fmt.Fprintf(w, "  %s\n", it)
		}
	}
	return nil
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
	w := opts.global.io.Out
	if opts.format == formatJSON {
		return writeJSON(w, ev)
	}
	fmt.Fprintf(w, "%s: %d documents, %d bytes, %.2f MB/s\n\n", ev.Corpus, ev.Documents, ev.Bytes, ev.BytesPerSec/1e6)
	rows := []keyValue{{"class", "precision  recall  F1     right / extracted, gold strings"}}
	line := func(name string, s extract.Score) {
		rows = append(rows, keyValue{name, fmt.Sprintf("%.2f       %.2f    %.2f   %d / %d, %d", s.Precision, s.Recall, s.F1, s.Matched, s.Extracted, s.Gold)})
	}
	for _, cl := range extract.CorpusClasses {
		line(cl, ev.Classes[cl])
	}
	line("micro", ev.Micro)
	if err := writeKeyValues(w, rows); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nprecision per rule:\n")
	rules := []keyValue{}
	for _, r := range ev.Rules {
		rules = append(rules, keyValue{"  " + r.Rule, fmt.Sprintf("%.2f  (%d of %d)", r.Precision, r.Matched, r.Extracted)})
	}
	if err := writeKeyValues(w, rules); err != nil {
		return err
	}
	for _, list := range []struct {
		title string
		items []extract.Count
	}{{"commonest misses (documents)", ev.Misses}, {"commonest false positives (documents)", ev.FalsePositives}} {
		fmt.Fprintf(w, "\n%s:\n", list.title)
		for _, it := range list.items {
			fmt.Fprintf(w, "  %3d  %s\n", it.N, it.Item)
		}
	}
	return nil
}
