package main

import (
	"encoding/json"
	"maps"
	"strings"
	"testing"

	"github.com/threatkg/threatkg/graph"
	"github.com/threatkg/threatkg/graph/graphtest"
	"github.com/threatkg/threatkg/graph/model"
	"github.com/threatkg/threatkg/loaders/taxii/taxiitest"
)

const (
	feedCollection   = "91a7b528-80eb-42ed-a74d-c6fbd5a26116"
	closedCollection = "52892447-4d7e-4f70-b94d-d7f22742ff63"
)

// withTAXII adds the test server's credentials to a command's environment.
func withTAXII(env map[string]string) map[string]string {
	out := maps.Clone(env)
	maps.Copy(out, taxiitest.Env())
	return out
}

func statsOf(t *testing.T, env map[string]string) graph.Stats {
	t.Helper()
	code, out, errOut := runCLI(t, env, "", "stats", "--format", "json")
	if code != exitOK {
		t.Fatalf("stats: exit %d: %s", code, errOut)
	}
	var s graph.Stats
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestTAXIIPullIsIncremental pulls ATT&CK's menuPass from a real TAXII 2.1
// server (medallion) in pages, then, after the server got more objects,
// pulls again: the second pull fetches only those, and the graph holds
// what loading the bundle from a file gives. A third pull fetches nothing
// and writes nothing.
func TestTAXIIPullIsIncremental(t *testing.T) {
	objects := taxiitest.ReadBundle(t, menupassBundle)
	// Hold back the last 20 relationships: the later page refers to
	// objects of the first pull, which the graph then holds.
	var first, later []map[string]any
	for i := len(objects) - 1; i >= 0; i-- {
		if objects[i]["type"] == "relationship" && len(later) < 20 {
			later = append(later, objects[i])
		} else {
			first = append([]map[string]any{objects[i]}, first...)
		}
	}
	srv := taxiitest.Start(t, 50,
		taxiitest.Collection{ID: feedCollection, Title: "menuPass", CanRead: true, CanWrite: true, Objects: first},
		taxiitest.Collection{ID: closedCollection, Title: "closed", CanRead: false})
	url := srv.CollectionURL(feedCollection)

	graphtest.OpenClean(t)
	env := withTAXII(envOf(graphtest.Get(t).Config))
	if code, _, errOut := runCLI(t, env, "", "load", menupassBundle); code != exitOK {
		t.Fatalf("load the file: exit %d: %s", code, errOut)
	}
	want := statsOf(t, env)
	c := graphtest.OpenClean(t)

	code, _, errOut := runCLI(t, env, "", "load", "--page-size", "40", url)
	if code != exitOK || !strings.Contains(errOut, "235 objects in 6 pages (added after the start)") {
		t.Fatalf("first pull: exit %d:\n%s", code, errOut)
	}
	srv.Add(t, feedCollection, later)
	code, _, errOut = runCLI(t, env, "", "load", url)
	if code != exitOK || !strings.Contains(errOut, "20 objects in 1 pages (added after 2024-01-01T00:03:54") {
		t.Fatalf("second pull: exit %d:\n%s", code, errOut)
	}
	got := statsOf(t, env)
	for _, l := range model.Declared.Labels() {
		if got.Nodes[l] != want.Nodes[l] {
			t.Errorf("%s: %d nodes after the pulls, %d from the file", l, got.Nodes[l], want.Nodes[l])
		}
	}
	for _, r := range model.Declared.RelTypes() {
		if got.Relationships[r] != want.Relationships[r] {
			t.Errorf("%s: %d after the pulls, %d from the file", r, got.Relationships[r], want.Relationships[r])
		}
	}
	if got.Nodes[model.ReportLabel] != 2 {
		t.Errorf("%d Reports, want one per pull (2)", got.Nodes[model.ReportLabel])
	}

	before := graphtest.Fingerprint(t, c)
	code, _, errOut = runCLI(t, env, "", "load", url)
	if code != exitOK || !strings.Contains(errOut, "up to date, nothing to load") {
		t.Fatalf("third pull: exit %d:\n%s", code, errOut)
	}
	if graphtest.Fingerprint(t, c) != before {
		t.Error("a pull with nothing new changed the graph")
	}
	// The pulls' provenance: each Report names the collection.
	rows, err := c.Read(t.Context(), "MATCH (r:Report) RETURN r.kind, r.taxii_collection, r.url ORDER BY r.taxii_added_last", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows.Records {
		if r[0] != "taxii-pull" || r[1] != url || r[2] != url {
			t.Errorf("report %v", r)
		}
	}

	// Refusals exit with the documented codes and write nothing.
	bad := maps.Clone(env)
	bad["TAXII_PASSWORD"] = "wrong"
	tests := []struct {
		name string
		env  map[string]string
		args []string
		code int
		says string
	}{
		{"wrong password", bad, []string{"load", url}, exitUnavailable, "401 Unauthorized"},
		{"no such collection", env, []string{"load", srv.CollectionURL("00000000-0000-4000-8000-000000000000")}, exitUsage, "404 Not Found"},
		{"not readable", env, []string{"load", srv.CollectionURL(closedCollection)}, exitUnavailable, "403 Forbidden"},
		{"unreachable", env, []string{"load", "taxii+http://127.0.0.1:1/api1/collections/" + feedCollection + "/"}, exitUnavailable, "unreachable"},
		{"bad --added-after", env, []string{"load", "--added-after", "yesterday", url}, exitUsage, "RFC 3339"},
		{"with --bulk", env, []string{"load", "--bulk", url}, exitUsage, "--bulk reads files"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, tt.env, "", tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.says) || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
				t.Errorf("exit %d, want %d, saying %q in one line:\n%s", code, tt.code, tt.says, errOut)
			}
			if strings.Contains(errOut, "wrong") || strings.Contains(errOut, taxiitest.Password) {
				t.Errorf("the message shows a password:\n%s", errOut)
			}
			if graphtest.Fingerprint(t, c) != before {
				t.Error("a refused pull changed the graph")
			}
		})
	}

	// --added-after overrides where the graph says the last pull ended.
	code, _, errOut = runCLI(t, env, "", "load", "--dry-run", "--added-after", "2024-01-01T00:03:00Z", url)
	if code != exitOK || !strings.Contains(errOut, "74 objects in 2 pages (added after 2024-01-01T00:03:00Z)") {
		t.Errorf("--added-after: exit %d:\n%s", code, errOut)
	}
}

func TestTAXIICollections(t *testing.T) {
	srv := taxiitest.Start(t, 50,
		taxiitest.Collection{ID: feedCollection, Title: "menuPass", CanRead: true},
		taxiitest.Collection{ID: closedCollection, Title: "closed"})
	env := withTAXII(noServerEnv)
	code, out, errOut := runCLI(t, env, "", "taxii", "collections", srv.Discovery())
	if code != exitOK || !strings.Contains(out, "menuPass") || !strings.Contains(out, srv.CollectionURL(feedCollection)) || !strings.Contains(out, "closed") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, _ = runCLI(t, env, "", "taxii", "collections", "--format", "json", srv.Discovery())
	var cols []map[string]any
	if err := json.Unmarshal([]byte(out), &cols); code != exitOK || err != nil || len(cols) != 2 || cols[0]["can_read"] != true || cols[1]["can_read"] != false {
		t.Errorf("json: exit %d, %v: %s", code, err, out)
	}
	code, out, _ = runCLI(t, env, "", "taxii", "collections", "--format", "csv", srv.Discovery())
	if code != exitOK || !strings.HasPrefix(out, "title,can_read,can_write,url\n") {
		t.Errorf("csv: exit %d: %s", code, out)
	}
	if code, _, errOut := runCLI(t, noServerEnv, "", "taxii", "collections", srv.Discovery()); code != exitUnavailable || !strings.Contains(errOut, "TAXII_USERNAME") {
		t.Errorf("without credentials: exit %d: %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, env, "", "taxii", "collections", "ftp://x/"); code != exitUsage || !strings.Contains(errOut, "not a TAXII URL") {
		t.Errorf("bad URL: exit %d: %s", code, errOut)
	}
}
