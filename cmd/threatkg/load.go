package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
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
	txRows    int
	format    string
	timings   bool
	recursive bool
}

// newLoadCmd binds the command's flags to its options; runF runs it (nil:
// runLoad), so that tests can check what the flags parse to.
func newLoadCmd(g *globalOptions, runF func(context.Context, *loadOptions) error) *cobra.Command {
	if runF == nil {
		runF = runLoad
	}
	opts := &loadOptions{global: g}
	cmd := &cobra.Command{
		Use:   "load PATH...",
		Short: "Validate sources and load them into the graph",
		Long: `Loads sources into the graph: an annotated article (a folder holding
annotations.yaml and the article's text, or the YAML file itself; format in
docs/annotation-format.md), or a STIX 2.1 bundle such as MITRE ATT&CK (a JSON
file, recognised by its content, or an http(s) URL of one). A folder that is
no article folder stands for the sources in it, in name order: its article
folders and its .json, .json.gz, .yaml and .yml files (--recursive: and those
of its subfolders), such as the folder 'threatkg bench generate' writes.

Every file is validated before anything is written: YAML syntax, unknown
fields, types and relationship endpoints the model allows, unique ids,
references that resolve, evidence quotes found verbatim in the text. Each
problem is printed as file:line:col: message; then threatkg exits 2 and
writes nothing.

Loading is idempotent: loading a source again gives the same graph. Loading
a changed version of a source replaces what that source said before; claims
other sources make stay. Each source is written in one transaction, which
it may share with the sources next to it (up to --transaction-rows rows); a
source whose content has not changed since it was loaded is not written
again. Large inputs (above 48 MiB in all) are validated file by file, then
read again file by file to load them, so memory stays bounded.
On a terminal, a progress bar shows rows/s and the time left.`,
		Example: `  threatkg load testdata/articles/apt10-2018-12-20
  threatkg load testdata/stix/menupass.json
  threatkg load --recursive feeds/
  threatkg load --dry-run --format json testdata/articles/apt10-2018-12-20/annotations.yaml`,
		Args: cobra.MinimumNArgs(1),
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
	return cmd
}

func runLoad(ctx context.Context, opts *loadOptions) error {
	if opts.batchSize < 1 {
		return usageErrorf("--batch-size must be at least 1")
	}
	if opts.txRows < 1 {
		return usageErrorf("--transaction-rows must be at least 1")
	}
	// Validate every input before connecting, and before writing anything.
	paths, err := loaders.ExpandSources(opts.paths, opts.recursive)
	if err != nil {
		return err
	}
	sources, err := readSources(ctx, paths)
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
	total := 0
	for _, src := range sources {
		total += src.rows
	}
	progress := newProgress(opts.global.io, int64(total), "loading")
	defer progress.Finish()
	done := 0
	var summaries []graph.LoadSummary
	steps := map[string]time.Duration{}
	var trace func(string, time.Duration)
	if opts.timings {
		trace = func(step string, d time.Duration) { steps[step] += d }
		defer func() {
			for _, step := range sortedByValue(steps) {
				fmt.Fprintf(errOut, "timing: %-18s %8.2fs\n", step, steps[step].Seconds())
			}
		}()
	}
	for _, src := range sources {
		for _, skipped := range src.skipped {
			progress.Println(fmt.Sprintf("%s: skipped %s", src.name, skipped))
		}
		docs, err := src.documents(ctx)
		if err != nil {
			return err
		}
		start := time.Now()
		before := done
		got, err := client.LoadDocuments(ctx, docs, graph.LoadOptions{BatchSize: opts.batchSize, TransactionRows: opts.txRows, DryRun: opts.dryRun,
			Progress: func(rows int) { progress.Set(int64(before + rows)) }, Trace: trace})
		if err != nil {
			return err
		}
		done = before + src.rows
		summaries = append(summaries, got...)
		verb := "loaded"
		if opts.dryRun {
			verb = "checked (dry run, nothing written)"
		}
		if len(docs) <= maxSourceLines {
			for _, doc := range docs {
				progress.Println(fmt.Sprintf("%s %q: %d entities, %d claims", verb, doc.Source.Title, len(doc.Entities), len(doc.Claims)))
			}
		}
		progress.Println(fmt.Sprintf("%s %s: %d sources, %d rows in %.1fs", verb, src.name, len(docs), src.rows, time.Since(start).Seconds()))
		for _, s := range got {
			for _, r := range s.Resolved {
				progress.Println(fmt.Sprintf("resolved: %s %q is %q (same %q)", r.Label, r.From, r.To, r.Key))
			}
			for _, a := range s.Ambiguous {
				progress.Println(fmt.Sprintf("ambiguous: %s %q: %q matches %s; kept apart", a.Label, a.Entity, a.Key, strings.Join(a.Candidates, " and ")))
			}
		}
	}
	progress.Finish()
	if opts.format == formatJSON {
		return writeJSON(opts.global.io.Out, summaries)
	}
	return writeLoadSummaries(opts.global.io.Out, summaries)
}

// maxSourceLines: a file with more sources than this gets one line on
// stderr, not one per source.
const maxSourceLines = 20

// keepInMemory bounds the input kept in memory between validation and
// loading. Larger inputs are validated file by file, then read again, file
// by file, to load them: client memory stays bounded by the largest file.
var keepInMemory = 48 << 20

// source is one validated input: its documents (nil when they are read
// again at load time), what it contains, and the references its claims make
// to entities it does not contain.
type source struct {
	name       string
	docs       []model.Document
	digest     [32]byte // of the input's bytes, to notice a file changed between reads
	size       int
	rows       int               // entities and claims
	labels     map[string]string // entity uid -> label, of this source's entities
	unresolved map[string][]loaders.Problem
	external   map[string]string // resolved references: uid -> label
	skipped    []string
}

// documents returns the source's documents, reading the file again if they
// were not kept, with its resolved references.
func (s *source) documents(ctx context.Context) ([]model.Document, error) {
	docs := s.docs
	if docs == nil {
		again, err := readSource(ctx, s.name)
		if err != nil {
			return nil, err
		}
		if again.digest != s.digest {
			return nil, &loaders.InputError{Problems: []loaders.Problem{{File: s.name, Msg: "the file changed while threatkg was loading it; nothing of it was written; load it again"}}}
		}
		docs = again.docs
	}
	if len(s.external) > 0 {
		for d := range docs {
			if docs[d].External == nil {
				docs[d].External = map[string]string{}
			}
			for uid, label := range s.external {
				docs[d].External[uid] = label
			}
		}
	}
	return docs, nil
}

// readSources reads and validates every path; all problems of all files are
// returned together.
func readSources(ctx context.Context, paths []string) ([]source, error) {
	var out []source
	all := &loaders.InputError{}
	kept := 0
	for _, p := range paths {
		src, err := readSource(ctx, p)
		var ie *loaders.InputError
		switch {
		case errors.As(err, &ie):
			all.Problems = append(all.Problems, ie.Problems...)
			continue
		case err != nil:
			return nil, err
		}
		src.labels = map[string]string{}
		for _, d := range src.docs {
			src.rows += len(d.Entities) + len(d.Claims)
			for _, e := range d.Entities {
				src.labels[e.UID] = e.Label
			}
		}
		kept += src.size
		if kept > keepInMemory && !isURL(p) {
			src.docs = nil // read again when it is loaded
		}
		out = append(out, src)
	}
	if len(all.Problems) > 0 {
		return nil, all
	}
	return out, nil
}

// sortedByValue lists the keys of m, largest value first.
func sortedByValue(m map[string]time.Duration) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return m[keys[i]] > m[keys[j]] || m[keys[i]] == m[keys[j]] && keys[i] < keys[j] })
	return keys
}

func isURL(p string) bool { return strings.HasPrefix(p, "http://") || strings.HasPrefix(p, "https://") }

func readSource(ctx context.Context, p string) (source, error) {
	notSource := func(msg string) error {
		return &loaders.InputError{Problems: []loaders.Problem{{File: p, Msg: msg}}}
	}
	if isURL(p) {
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
		return source{name: p, docs: []model.Document{doc}}, nil // small (MaxFileSize): always kept
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
	return source{name: name, docs: res.Documents, unresolved: res.Unresolved, skipped: res.Skipped,
		digest: sha256.Sum256(data), size: len(data)}, nil
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

// resolveReferences finds the labels of the entities sources' claims refer
// to outside them: from earlier sources of the same command, or from the
// graph. References found in neither are input problems.
func resolveReferences(ctx context.Context, client *graph.Client, sources []source) error {
	var missing []loaders.Problem
	for i := range sources {
		src := &sources[i]
		if len(src.unresolved) == 0 {
			continue
		}
		src.external = map[string]string{}
		var lookup []string
		for uid := range src.unresolved {
			found := false
			for _, earlier := range sources[:i] {
				if label, ok := earlier.labels[uid]; ok {
					src.external[uid], found = label, true
					break
				}
			}
			if !found {
				lookup = append(lookup, uid)
			}
		}
		sort.Strings(lookup)
		if len(lookup) > 0 {
			found, err := client.EntityLabels(ctx, lookup)
			if err != nil {
				return err
			}
			for _, uid := range lookup {
				if label, ok := found[uid]; ok {
					src.external[uid] = label
				} else {
					missing = append(missing, src.unresolved[uid]...)
				}
			}
		}
	}
	if len(missing) > 0 {
		sort.SliceStable(missing, func(i, j int) bool {
			if missing[i].File != missing[j].File {
				return missing[i].File < missing[j].File
			}
			return missing[i].Line < missing[j].Line
		})
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
