package loaders

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/threatkg/threatkg/graph/model"
)

const menupass = "../testdata/stix/attack/menupass.json"

func copyTo(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestLargeInputsAreSpooled: beyond KeepInMemory, sources are validated
// and spooled; Documents reads back exactly what was validated (even if
// the file changes in between), and Release removes the spool.
func TestLargeInputsAreSpooled(t *testing.T) {
	data, err := os.ReadFile(menupass)
	if err != nil {
		t.Fatal(err)
	}
	path := copyTo(t, t.TempDir(), "menupass.json", data)
	ctx := context.Background()
	for _, tc := range []struct {
		keep int
		kept bool
	}{{0, true}, {-1, false}, {len(data) - 1, false}, {len(data), true}} {
		o := &Opener{KeepInMemory: tc.keep}
		sources, err := o.OpenAll(ctx, []string{path})
		if err != nil {
			t.Fatal(err)
		}
		if sources[0].Kept() != tc.kept || sources[0].Rows == 0 || len(sources[0].Labels) == 0 {
			t.Fatalf("keep %d: kept %v (want %v), rows %d", tc.keep, sources[0].Kept(), tc.kept, sources[0].Rows)
		}
		Release(sources)
	}
	kept, err := (&Opener{}).Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	sources, err := (&Opener{KeepInMemory: -1}).OpenAll(ctx, []string{path})
	if err != nil {
		t.Fatal(err)
	}
	spool := sources[0].spool
	if _, err := os.Stat(spool); err != nil {
		t.Fatalf("no spool file: %v", err)
	}
	copyTo(t, filepath.Dir(path), "menupass.json", []byte("{}")) // changed after validation
	docs, err := sources[0].Documents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != len(kept.docs) {
		t.Fatalf("%d documents read back, %d validated", len(docs), len(kept.docs))
	}
	for i := range docs {
		if !reflect.DeepEqual(model.Canonical(docs[i]), model.Canonical(kept.docs[i])) {
			t.Errorf("document %d read back differs from the validated one", i)
		}
	}
	Release(sources)
	if _, err := os.Stat(spool); !os.IsNotExist(err) {
		t.Errorf("the spool file is still there: %v", err)
	}
	if _, err := sources[0].Documents(ctx); err == nil {
		t.Error("documents of a released spool read back as none, silently")
	}
}

// TestSpoolFailsCleanly: an invalid file among large ones releases the
// spools already written and reports the problem.
func TestSpoolFailsCleanly(t *testing.T) {
	dir := t.TempDir()
	data, _ := os.ReadFile(menupass)
	good := copyTo(t, dir, "a.json", data)
	bad := copyTo(t, dir, "b.json", []byte(`{"type": "bundle", "id": "bundle--x", "objects": [{"type": "tool"}]}`))
	before, _ := filepath.Glob(filepath.Join(os.TempDir(), "threatkg-spool-*"))
	_, err := (&Opener{KeepInMemory: -1}).OpenAll(context.Background(), []string{good, bad})
	var ie *InputError
	if !errors.As(err, &ie) {
		t.Fatalf("got %v, want an input error", err)
	}
	if after, _ := filepath.Glob(filepath.Join(os.TempDir(), "threatkg-spool-*")); len(after) != len(before) {
		t.Errorf("spool files left behind: %v", after)
	}
}

// TestOpenKinds: what Open makes of each kind of input, and the one-line
// problem it gives for what it cannot read.
func TestOpenKinds(t *testing.T) {
	data, err := os.ReadFile(menupass)
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(data)
	zw.Close()
	dir := t.TempDir()
	var agent string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		agent = r.UserAgent()
		switch r.URL.Path {
		case "/menupass.json.gz":
			w.Write(gz.Bytes())
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	o := &Opener{UserAgent: "threatkg/test"}
	for _, tc := range []struct {
		name, path, problem string
	}{
		{"stix file", menupass, ""},
		{"gzip file", copyTo(t, dir, "m.json.gz", gz.Bytes()), ""},
		{"article folder", "../testdata/articles/apt10-2018-12-20", ""},
		{"url of gzip", srv.URL + "/menupass.json.gz", ""},
		{"url not found", srv.URL + "/nothing.json", "download failed: 404 Not Found"},
		{"missing file", filepath.Join(dir, "absent.json"), "not a source threatkg reads"},
		{"folder", dir, "not a source threatkg reads"},
		{"text file", copyTo(t, dir, "notes.txt", []byte("hello")), "neither an annotated article"},
		{"broken gzip", copyTo(t, dir, "b.json.gz", gz.Bytes()[:20]), "not a valid gzip file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src, err := o.Open(context.Background(), tc.path)
			if tc.problem == "" {
				if err != nil || !src.Kept() || len(src.docs) == 0 {
					t.Fatalf("open: %v, %d documents", err, len(src.docs))
				}
				return
			}
			var ie *InputError
			if !errors.As(err, &ie) || ie.Problems[0].File != tc.path || !strings.Contains(err.Error(), tc.problem) {
				t.Fatalf("got %v, want an input error on %s saying %q", err, tc.path, tc.problem)
			}
		})
	}
	if agent != "threatkg/test" {
		t.Errorf("User-Agent %q, want the Opener's", agent)
	}
}

// TestResolveReferences: a reference is resolved by an earlier source of
// the same load before the graph is asked; what neither knows is a problem
// that names the file and line of the claim.
func TestResolveReferences(t *testing.T) {
	lookup := func(known map[string]string, asked *[]string) LabelLookup {
		return func(_ context.Context, uids []string) (map[string]string, error) {
			*asked = append(*asked, uids...)
			out := map[string]string{}
			for _, u := range uids {
				if l, ok := known[u]; ok {
					out[u] = l
				}
			}
			return out, nil
		}
	}
	first := InMemory("a.json", []model.Document{{Entities: []model.Entity{{UID: "actor--1", Label: model.LabelThreatActor}}}})
	second := Source{Name: "b.json", Unresolved: map[string][]Problem{
		"actor--1":   {{File: "b.json", Line: 9, Msg: "actor--1 is not in this file"}},
		"malware--2": {{File: "b.json", Line: 4, Msg: "malware--2 is not in this file"}},
		"tool--3":    {{File: "b.json", Line: 7, Msg: "tool--3 is not in this file"}},
	}}
	var asked []string
	sources := []Source{first, second}
	err := ResolveReferences(context.Background(), sources, lookup(map[string]string{"malware--2": model.LabelMalware}, &asked))
	var ie *InputError
	if !errors.As(err, &ie) || len(ie.Problems) != 1 || ie.Problems[0].Line != 7 {
		t.Fatalf("got %v, want one problem: tool--3 at line 7", err)
	}
	if strings.Join(asked, ",") != "malware--2,tool--3" {
		t.Errorf("the graph was asked for %v; actor--1 is in an earlier source", asked)
	}
	if sources[1].External["actor--1"] != model.LabelThreatActor || sources[1].External["malware--2"] != model.LabelMalware {
		t.Errorf("resolved %v", sources[1].External)
	}
	sources[1].Unresolved = map[string][]Problem{"actor--1": nil}
	if err := ResolveReferences(context.Background(), sources, nil); err != nil {
		t.Fatalf("resolved by the earlier source, the graph is not asked: %v", err)
	}
	withDocs := InMemory("c.json", []model.Document{{}})
	withDocs.External = map[string]string{"actor--1": model.LabelThreatActor}
	docs, _ := withDocs.Documents(context.Background())
	if docs[0].External["actor--1"] != model.LabelThreatActor {
		t.Errorf("documents do not carry the resolved references: %v", docs[0].External)
	}
}
