package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"
	"time"

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
docs/annotation-format.md), or a STIX 2.1 bundle such as MITRE ATT&CK (a JSON
file, recognised by its content, or an http(s) URL of one).

Every file is validated before anything is written: YAML syntax, unknown
fields, types and relationship endpoints the model allows, unique ids,
references that resolve, evidence quotes found verbatim in the text. Each
problem is printed as file:line:col: message; then threatkg exits 2 and
writes nothing.

Loading is idempotent: loading a source again gives the same graph. Loading
a changed version of a source replaces what that source said before; claims
other sources make stay. Each source is written in one transaction.`,
		Example: `  threatkg load testdata/articles/apt10-2018-12-20
  threatkg load testdata/stix/menupass.json
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
	sources, err := readSources(ctx, opts.paths)
	if err != nil {
		return err
	}
	client, err := opts.global.connect(ctx)
	if err != nil {
		return err
	}
	defer client.Close(context.Background())
	if err := resolveReferences(ctx, client, sources); err != nil {
		return err
	}

	errOut := opts.global.io.ErrOut
	var summaries []graph.LoadSummary
	for _, src := range sources {
		for _, skipped := range src.skipped {
			fmt.Fprintf(errOut, "%s: skipped %s\n", src.name, skipped)
		}
		for _, doc := range src.docs {
			start := time.Now()
			s, err := client.Load(ctx, doc, graph.LoadOptions{BatchSize: opts.batchSize, DryRun: opts.dryRun})
			if err != nil {
				return err
			}
			summaries = append(summaries, s)
			verb := "loaded"
			if opts.dryRun {
				verb = "checked (dry run, nothing written)"
			}
			fmt.Fprintf(errOut, "%s %q: %d entities, %d claims in %.1fs\n", verb, doc.Source.Title, len(doc.Entities), len(doc.Claims), time.Since(start).Seconds())
			for _, r := range s.Resolved {
				fmt.Fprintf(errOut, "resolved: %s %q is %q (same %q)\n", r.Label, r.From, r.To, r.Key)
			}
			for _, a := range s.Ambiguous {
				fmt.Fprintf(errOut, "ambiguous: %s %q: %q matches %s; kept apart\n", a.Label, a.Entity, a.Key, strings.Join(a.Candidates, " and "))
			}
		}
	}
	if opts.format == formatJSON {
		return writeJSON(opts.global.io.Out, summaries)
	}
	return writeLoadSummaries(opts.global.io.Out, summaries)
}

// source is one validated input: its documents, and the references its
// claims make to entities it does not contain.
type source struct {
	name       string
	docs       []model.Document
	unresolved map[string][]loaders.Problem
	skipped    []string
}

// readSources reads and validates every path; all problems of all files are
// returned together.
func readSources(ctx context.Context, paths []string) ([]source, error) {
	var out []source
	all := &loaders.InputError{}
	for _, p := range paths {
		src, err := readSource(ctx, p)
		var ie *loaders.InputError
		switch {
		case errors.As(err, &ie):
			all.Problems = append(all.Problems, ie.Problems...)
		case err != nil:
			return nil, err
		default:
			out = append(out, src)
		}
	}
	if len(all.Problems) > 0 {
		return nil, all
	}
	return out, nil
}

func readSource(ctx context.Context, p string) (source, error) {
	notSource := func(msg string) error {
		return &loaders.InputError{Problems: []loaders.Problem{{File: p, Msg: msg}}}
	}
	if strings.HasPrefix(p, "http://") || strings.HasPrefix(p, "https://") {
		data, err := fetch(ctx, p)
		if err != nil {
			return source{}, notSource(err.Error())
		}
		return readSTIX(p, data)
	}
	if yamlPath, ok := loaders.ArticlePath(p); ok {
		doc, err := loaders.ReadArticle(yamlPath, model.Declared)
		if err != nil {
			return source{}, err
		}
		return source{name: p, docs: []model.Document{doc}}, nil
	}
	st, err := os.Stat(p)
	if err != nil || st.IsDir() {
		return source{}, notSource("not a source threatkg reads: give an article folder (with " + loaders.AnnotationsFile +
			"), its .yaml file, a STIX 2.1 JSON file, or an http(s) URL of one")
	}
	f, err := os.Open(p)
	if err != nil {
		return source{}, notSource(err.Error())
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, loaders.MaxSTIXSize+1))
	if err != nil {
		return source{}, notSource(err.Error())
	}
	if data, err = gunzipIfCompressed(data); err != nil {
		return source{}, notSource(err.Error())
	}
	if !loaders.LooksLikeJSON(strings.TrimSuffix(p, ".gz"), data[:min(len(data), 512)]) {
		return source{}, notSource("not a source threatkg reads: neither an annotated article (.yaml) nor STIX 2.1 JSON")
	}
	return readSTIX(p, data)
}

func readSTIX(name string, data []byte) (source, error) {
	res, err := loaders.ReadSTIX(name, data, model.Declared)
	if err != nil {
		return source{}, err
	}
	return source{name: name, docs: res.Documents, unresolved: res.Unresolved, skipped: res.Skipped}, nil
}

// fetch downloads a STIX file, bounded in time and size.
func fetch(ctx context.Context, url string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("bad URL: %w", err)
	}
	req.Header.Set("User-Agent", "threatkg/"+strings.Fields(versionString())[0])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("download failed: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("download failed: %s", resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, loaders.MaxSTIXSize+1))
	if err != nil {
		return nil, fmt.Errorf("download failed: %w", err)
	}
	return gunzipIfCompressed(data)
}

// gunzipIfCompressed decompresses gzip data (ATT&CK releases are often
// shipped compressed), bounded like any input.
func gunzipIfCompressed(data []byte) ([]byte, error) {
	if len(data) < 2 || data[0] != 0x1f || data[1] != 0x8b {
		return data, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("not a valid gzip file: %w", err)
	}
	out, err := io.ReadAll(io.LimitReader(zr, loaders.MaxSTIXSize+1))
	if err != nil {
		return nil, fmt.Errorf("not a valid gzip file: %w", err)
	}
	return out, nil
}

// resolveReferences gives each document the labels of the entities its
// claims refer to outside it: from earlier sources of the same command, or
// from the graph. References found in neither are input problems.
func resolveReferences(ctx context.Context, client *graph.Client, sources []source) error {
	known := map[string]string{}
	var missing []loaders.Problem
	for i := range sources {
		src := &sources[i]
		var lookup []string
		for uid := range src.unresolved {
			if _, ok := known[uid]; !ok {
				lookup = append(lookup, uid)
			}
		}
		sort.Strings(lookup)
		found := map[string]string{}
		if len(lookup) > 0 {
			var err error
			if found, err = client.EntityLabels(ctx, lookup); err != nil {
				return err
			}
		}
		for uid, problems := range src.unresolved {
			label, ok := known[uid]
			if !ok {
				label, ok = found[uid]
			}
			if !ok {
				missing = append(missing, problems...)
				continue
			}
			for d := range src.docs {
				if src.docs[d].External == nil {
					src.docs[d].External = map[string]string{}
				}
				src.docs[d].External[uid] = label
			}
		}
		for _, d := range src.docs {
			for _, e := range d.Entities {
				known[e.UID] = e.Label
			}
		}
	}
	if len(missing) > 0 {
		return &loaders.InputError{Problems: missing}
	}
	return nil
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
