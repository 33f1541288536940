package bulkload_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/threatkg/threatkg/graph"
	"github.com/threatkg/threatkg/graph/bulkload"
	"github.com/threatkg/threatkg/graph/graphtest"
	"github.com/threatkg/threatkg/graph/model"
	"github.com/threatkg/threatkg/loaders"
	"github.com/threatkg/threatkg/loaders/synthetic"
	"github.com/threatkg/threatkg/queries"
)

// TestBulkEqualsTransactional loads the same sources twice into one
// private server: by the bulk path (the offline importer, run by the
// local server's script) and by the transactional path, after a reset.
// The two graphs must be equal: every node with its labels and properties,
// every relationship, the stats and the answer to every canned query.
// Corpora: the synthetic S corpus, and the seed article with ATT&CK's
// menuPass, whose entities resolve (APT10 is menuPass).
func TestBulkEqualsTransactional(t *testing.T) {
	srv := graphtest.StartPrivate(t)
	srv.Setenv(t)
	corpusS := t.TempDir()
	if _, err := synthetic.Generate(corpusS, synthetic.Sizes[0], 1); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name     string
		paths    []string
		params   map[string]string
		resolves bool // some entities resolve (SAME_AS)
	}{
		{"synthetic S", []string{corpusS}, synthetic.Probes(synthetic.Sizes[0], 1), false},
		{"seed, menuPass and indicators", []string{"../../testdata/articles/apt10-2018-12-20", "../../testdata/stix/attack/menupass.json",
			"../../testdata/stix/indicators/menupass-iocs.json"},
			map[string]string{"actor": "APT10", "a": "APT10", "b": "menuPass", "technique": "T1199", "name": "Zhu Hua", "from": "Zhu Hua", "to": "APT10",
				"value": "update.c2.example"}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			c := srv.Open(t)
			if _, err := c.Reset(ctx); err != nil {
				t.Fatal(err)
			}
			sources := open(t, c, tc.paths)
			out, err := bulkload.Run(ctx, c, sources, bulkload.Options{LocalServer: srv.Script, Stderr: os.Stderr,
				Now: func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }})
			if err != nil {
				t.Fatalf("bulk load: %v", err)
			}
			if len(out.Summaries) == 0 {
				t.Fatal("the bulk load reported no source")
			}
			bulk := snapshot(t, c, tc.params)
			stats, err := c.Stats(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if links := stats.Relationships[model.SameAsType]; (links > 0) != tc.resolves {
				t.Fatalf("%d SAME_AS links after the bulk load; want some: %v", links, tc.resolves)
			}

			if _, err := c.Reset(ctx); err != nil {
				t.Fatal(err)
			}
			for i := range sources {
				docs, err := sources[i].Documents(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := c.LoadDocuments(ctx, docs, graph.LoadOptions{}); err != nil {
					t.Fatal(err)
				}
			}
			transactional := snapshot(t, c, tc.params)
			for _, part := range sortedKeys(transactional) {
				if bulk[part] != transactional[part] {
					t.Errorf("%s differs:\nbulk:          %.600s\ntransactional: %.600s\nfirst difference: %s", part, bulk[part], transactional[part], firstDiff(bulk[part], transactional[part]))
				}
			}
			// A second bulk load is refused: the database holds data.
			_, err = bulkload.Run(ctx, c, sources, bulkload.Options{LocalServer: srv.Script})
			var notEmpty *graph.NotEmptyError
			if !errors.As(err, &notEmpty) {
				t.Fatalf("a bulk load into a database with data: %v, want a NotEmptyError", err)
			}
		})
	}
}

// TestFailedImportLeavesAnEmptyDatabase: an import the importer rejects
// leaves the database empty and the server running (the script removes
// the half-written store) and exits 3, which bulk load reports as an
// ImportError (TestRunSteps).
func TestFailedImportLeavesAnEmptyDatabase(t *testing.T) {
	srv := graphtest.StartPrivate(t)
	srv.Setenv(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "n.csv"), []byte("uid:ID(Entity),name:nosuchtype\n\"a\",\"x\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, graph.ImportArgsFile), []byte("--overwrite-destination=true\n--nodes=Entity=n.csv\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(srv.Script, "import", dir)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 3 || !strings.Contains(string(out), "empty again") {
		t.Fatalf("a bad import: %v\n%s", err, out)
	}
	c := srv.Open(t)
	if err := c.CheckEmpty(context.Background()); err != nil {
		t.Fatalf("after a failed import: %v", err)
	}
}

func open(t *testing.T, c *graph.Client, paths []string) []loaders.Source {
	t.Helper()
	files, err := loaders.ExpandSources(paths, false)
	if err != nil {
		t.Fatal(err)
	}
	sources, err := (&loaders.Opener{}).OpenAll(context.Background(), files)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { loaders.Release(sources) })
	if err := loaders.ResolveReferences(context.Background(), sources, c.EntityLabels); err != nil {
		t.Fatal(err)
	}
	return sources
}

// snapshot is the graph as text, by part: nodes, relationships, stats and
// each canned query's answer. loaded_at (the clock) is left out.
func snapshot(t *testing.T, c *graph.Client, params map[string]string) map[string]string {
	t.Helper()
	ctx := context.Background()
	out := map[string]string{}
	read := func(cypher string) []string {
		rows, err := c.Read(ctx, cypher, nil)
		if err != nil {
			t.Fatalf("%s: %v", cypher, err)
		}
		var lines []string
		for _, r := range rows.Records {
			b, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			lines = append(lines, string(b))
		}
		sort.Strings(lines)
		return lines
	}
	// properties() is a map, which encoding/json writes in key order.
	out["nodes"] = strings.Join(read(`MATCH (n) RETURN labels(n) AS labels, n {.*, loaded_at: null} AS props`), "\n")
	out["relationships"] = strings.Join(read(`MATCH (a)-[r]->(b) RETURN type(r), a.uid, b.uid, properties(r) AS props`), "\n")
	stats, err := c.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(stats)
	out["stats"] = string(b)
	all, err := queries.All()
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range all {
		bound, err := q.Bind(q.Known(params))
		if err != nil {
			t.Fatalf("%s: %v", q.Name, err)
		}
		rows, err := c.Read(ctx, q.Cypher, bound)
		if err != nil {
			t.Fatalf("%s: %v", q.Name, err)
		}
		var sb strings.Builder
		if err := rows.Write(&sb, "json", 0); err != nil {
			t.Fatal(err)
		}
		out["query "+q.Name] = fmt.Sprintf("%d rows: %s", len(rows.Records), sb.String())
	}
	return out
}

func firstDiff(a, b string) string {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			lo := max(0, i-200)
			return fmt.Sprintf("at byte %d: bulk %q, transactional %q", i, a[lo:min(len(a), i+200)], b[lo:min(len(b), i+200)])
		}
	}
	return fmt.Sprintf("lengths %d and %d", len(a), len(b))
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
