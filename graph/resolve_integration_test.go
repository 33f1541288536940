package graph_test

import (
	"compress/gzip"
	"context"
	"io"
	"os"
	"testing"
	"time"

	"github.com/threatkg/threatkg/graph"
	"github.com/threatkg/threatkg/graph/graphtest"
	"github.com/threatkg/threatkg/graph/model"
	"github.com/threatkg/threatkg/loaders"
)

func stixDocuments(t testing.TB, path string) []model.Document {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var r io.Reader = f
	if len(path) > 3 && path[len(path)-3:] == ".gz" {
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	}
	data, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	res, err := loaders.ReadSTIX(path, data, model.Declared)
	if err != nil {
		t.Fatal(err)
	}
	return res.Documents
}

const menupass = "../testdata/stix/attack/menupass.json"

func TestResolutionDoesNotDependOnLoadOrder(t *testing.T) {
	c := graphtest.OpenClean(t)
	seed := seedDocument(t)
	attack := stixDocuments(t, menupass)[0]

	load(t, c, seed, graph.LoadOptions{})
	s := load(t, c, attack, graph.LoadOptions{})
	if len(s.Resolved) != 1 || s.Resolved[0].Key != "apt10" || s.Resolved[0].Label != "ThreatActor" {
		t.Fatalf("resolutions = %+v, want menuPass = APT10 on key apt10", s.Resolved)
	}
	articleFirst := fingerprint(t, c)

	graphtest.Wipe(t, c)
	load(t, c, attack, graph.LoadOptions{})
	load(t, c, seed, graph.LoadOptions{})
	if got := fingerprint(t, c); got != articleFirst {
		t.Errorf("article then ATT&CK: %s; ATT&CK then article: %s", articleFirst, got)
	}
	rows := graphtest.Run(t, c, `MATCH (a:ThreatActor)-[s:SAME_AS]->(b:ThreatActor) RETURN a.name AS a, b.name AS b, s.matched AS key, size(s.sources) AS sources`, nil)
	if len(rows) != 1 || rows[0]["key"] != "apt10" || rows[0]["sources"] != int64(2) {
		t.Errorf("SAME_AS links: %v", rows)
	}

	// Explain says which nodes and why.
	ex, err := c.Explain(context.Background(), "apt10")
	if err != nil {
		t.Fatal(err)
	}
	if len(ex) != 1 || len(ex[0].Members) != 2 || len(ex[0].Links) != 1 || ex[0].Links[0].Matched != "apt10" {
		t.Errorf("explain = %+v", ex)
	}

	// Reloading either source keeps the link; it is not duplicated.
	load(t, c, seed, graph.LoadOptions{})
	load(t, c, attack, graph.LoadOptions{})
	if got := fingerprint(t, c); got != articleFirst {
		t.Errorf("reloading changed the graph: %s -> %s", articleFirst, got)
	}
}

func TestUndoKeepsEntitiesApart(t *testing.T) {
	c := graphtest.OpenClean(t)
	load(t, c, seedDocument(t), graph.LoadOptions{})
	attack := stixDocuments(t, menupass)[0]
	load(t, c, attack, graph.LoadOptions{})

	links, err := c.Undo(context.Background(), "APT10")
	if err != nil {
		t.Fatal(err)
	}
	if len(links) != 1 {
		t.Fatalf("undo removed %d links, want 1", len(links))
	}
	s := load(t, c, attack, graph.LoadOptions{})
	if len(s.Resolved) != 0 {
		t.Errorf("a reload linked them again: %+v", s.Resolved)
	}
	if n := count(t, c, "MATCH ()-[s:SAME_AS]->() RETURN count(s)"); n != 0 {
		t.Errorf("%d SAME_AS links after undo and reload", n)
	}
	if n := count(t, c, "MATCH ()-[s:NOT_SAME_AS]->() RETURN count(s)"); n != 1 {
		t.Errorf("%d NOT_SAME_AS records, want 1", n)
	}
	if _, err := c.Undo(context.Background(), "no such entity"); err == nil {
		t.Error("undo of an unknown entity succeeded")
	}
}

func TestAmbiguousMatchIsReportedAndKeptApart(t *testing.T) {
	c := graphtest.OpenClean(t)
	actor, _ := model.Declared.Node("ThreatActor")
	doc := func(key string, names ...[]string) model.Document {
		d := model.Document{Source: model.Source{UID: model.ReportUID(key), Kind: "article", Title: key, Publisher: "test", Date: "2020"}}
		for _, n := range names {
			d.Entities = append(d.Entities, model.Entity{UID: model.EntityUID(actor, n[0]), Label: "ThreatActor", Name: n[0], Aliases: n[1:], Quote: n[0]})
		}
		return d
	}
	// One source names two groups that share an alias: they stay two.
	load(t, c, doc("first", []string{"Lazarus Group", "Hidden Cobra"}, []string{"Andariel", "Hidden Cobra"}), graph.LoadOptions{})
	// Another source's "Hidden Cobra" matches both: ambiguous.
	s := load(t, c, doc("second", []string{"Hidden Cobra"}), graph.LoadOptions{})
	if len(s.Ambiguous) != 1 || len(s.Ambiguous[0].Candidates) != 2 || len(s.Resolved) != 0 {
		t.Errorf("summary: resolved %+v, ambiguous %+v", s.Resolved, s.Ambiguous)
	}
	if n := count(t, c, "MATCH ()-[s:SAME_AS]->() RETURN count(s)"); n != 0 {
		t.Errorf("%d SAME_AS links, want none", n)
	}
}

// TestLoadATTACKSubset loads the 19,471-object Enterprise ATT&CK subset,
// twice, and records how long it takes (README: Performance of loads).
func TestLoadATTACKSubset(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	c := graphtest.OpenClean(t)
	docs := stixDocuments(t, "../testdata/stix/attack/enterprise-attack-subset.json.gz")
	start := time.Now()
	load(t, c, docs[0], graph.LoadOptions{})
	first := time.Since(start)
	stats1, err := c.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	fp1 := fingerprint(t, c)
	start = time.Now()
	load(t, c, docs[0], graph.LoadOptions{})
	second := time.Since(start)
	t.Logf("ATT&CK subset (%d entities, %d claims): first load %.1fs, reload %.1fs", len(docs[0].Entities), len(docs[0].Claims), first.Seconds(), second.Seconds())
	if fp := fingerprint(t, c); fp != fp1 {
		t.Errorf("reload changed the graph: %s -> %s", fp1, fp)
	}
	if stats1.Nodes["Technique"] != 691 || stats1.Nodes["ThreatActor"] != 172 || stats1.Relationships["USES"] != 17270 || stats1.Relationships["SUBTECHNIQUE_OF"] != 475 {
		t.Errorf("stats = %+v", stats1)
	}
}
