package graph_test

import (
	"context"
	"testing"

	"github.com/threatkg/threatkg/graph"
	"github.com/threatkg/threatkg/graph/graphtest"
	"github.com/threatkg/threatkg/graph/model"
	"github.com/threatkg/threatkg/loaders"
)

const seedDir = "../testdata/articles/apt10-2018-12-20"

func seedDocument(t *testing.T) model.Document {
	t.Helper()
	path, ok := loaders.ArticlePath(seedDir)
	if !ok {
		t.Fatalf("no article at %s", seedDir)
	}
	doc, err := loaders.ReadArticle(path, model.Declared)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func load(t *testing.T, c *graph.Client, doc model.Document, opts graph.LoadOptions) graph.LoadSummary {
	t.Helper()
	s, err := c.Load(context.Background(), doc, opts)
	if err != nil {
		t.Fatalf("load %s: %v", doc.Source.Title, err)
	}
	return s
}

func fingerprint(t *testing.T, c *graph.Client) string {
	return graphtest.Fingerprint(t, c, "loaded_at")
}

func TestLoadSeedIsIdempotent(t *testing.T) {
	c := graphtest.OpenClean(t)
	doc := seedDocument(t)

	first := load(t, c, doc, graph.LoadOptions{BatchSize: 7}) // small batches: several per label
	if got := first.Nodes["ThreatActor"]; got == nil || got.Created != 1 {
		t.Errorf("first load ThreatActor change = %+v, want 1 created", got)
	}
	stats1, err := c.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	fp1 := fingerprint(t, c)
	if stats1.Nodes[model.EntityLabel] != int64(len(doc.Entities)) || stats1.Relationships[model.MentionsType] != int64(len(doc.Entities)) {
		t.Errorf("after first load: %d entities, %d mentions; want %d each", stats1.Nodes[model.EntityLabel], stats1.Relationships[model.MentionsType], len(doc.Entities))
	}

	second := load(t, c, doc, graph.LoadOptions{})
	for label, ch := range second.Nodes {
		if ch.Created != 0 || ch.Deleted != 0 {
			t.Errorf("second load changed %s: %+v", label, ch)
		}
	}
	for typ, ch := range second.Relationships {
		if ch.Created != 0 || ch.Deleted != 0 {
			t.Errorf("second load changed %s: %+v", typ, ch)
		}
	}
	stats2, err := c.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if fp2 := fingerprint(t, c); fp2 != fp1 {
		t.Errorf("graph changed on reload:\n first  %s\n second %s", fp1, fp2)
	}
	if !equalCounts(stats1.Nodes, stats2.Nodes) || !equalCounts(stats1.Relationships, stats2.Relationships) {
		t.Errorf("stats changed on reload: %+v vs %+v", stats1, stats2)
	}
}

func TestChangedSourceReplacesItsClaims(t *testing.T) {
	c := graphtest.OpenClean(t)
	doc := seedDocument(t)
	load(t, c, doc, graph.LoadOptions{})
	original := fingerprint(t, c)

	// The new version drops Xi Jinping (an entity with no claims), drops the
	// claim that APT10 violated the agreement, and changes a quote.
	changed := cloneDocument(doc)
	xi := findEntity(t, changed, "Xi Jinping")
	changed.Entities = removeEntity(changed.Entities, xi.UID)
	apt10 := findEntity(t, changed, "APT10")
	var kept []model.Claim
	for _, cl := range changed.Claims {
		if cl.Type == "VIOLATED" && cl.From == apt10.UID {
			continue
		}
		kept = append(kept, cl)
	}
	changed.Claims = kept
	summary := load(t, c, changed, graph.LoadOptions{})
	if summary.Relationships["VIOLATED"].Deleted != 1 || summary.Nodes["Person"].Deleted != 1 {
		t.Errorf("summary = VIOLATED %+v, Person %+v; want 1 deleted each", summary.Relationships["VIOLATED"], summary.Nodes["Person"])
	}
	if n := count(t, c, "MATCH (:ThreatActor {name: 'APT10'})-[r:VIOLATED]->() RETURN count(r)"); n != 0 {
		t.Errorf("APT10 still has %d VIOLATED claims", n)
	}
	if n := count(t, c, "MATCH (:Government {name: 'China'})-[r:VIOLATED]->() RETURN count(r)"); n != 1 {
		t.Errorf("China has %d VIOLATED claims, want 1 (still asserted)", n)
	}
	if n := count(t, c, "MATCH (p:Person {name: 'Xi Jinping'}) RETURN count(p)"); n != 0 {
		t.Error("Xi Jinping, mentioned by no source any more, is still in the graph")
	}

	// Loading the original again restores the original graph exactly.
	load(t, c, doc, graph.LoadOptions{})
	if got := fingerprint(t, c); got != original {
		t.Errorf("reloading the original gave %s, want %s", got, original)
	}
}

// secondSource is a document from another source that repeats one of the
// seed's claims (Zhu Hua is affiliated with APT10) in its own words, and
// adds an alias.
func secondSource(t *testing.T, seed model.Document) model.Document {
	t.Helper()
	apt10 := findEntity(t, seed, "APT10")
	zhu := findEntity(t, seed, "Zhu Hua")
	src := model.Source{UID: model.ReportUID("https://example.org/doj-press-release"), Kind: "article",
		Title: "Two Chinese hackers charged", Publisher: "Example", Date: "2018-12-20"}
	a := model.Entity{UID: apt10.UID, Label: apt10.Label, Name: "APT10", Aliases: []string{"Red Apollo"}, Quote: "APT 10 Group"}
	z := model.Entity{UID: zhu.UID, Label: zhu.Label, Name: "Zhu Hua", Description: "A member of APT10.", Quote: "ZHU HUA"}
	claim := model.Claim{Type: "AFFILIATED_WITH", From: z.UID, To: a.UID, Quote: "members of a hacking group known as APT10"}
	claim.UID = model.ClaimUID(claim.Type, claim.From, claim.To, src.UID)
	return model.Document{Source: src, Entities: []model.Entity{a, z}, Claims: []model.Claim{claim}}
}

func TestTwoSourcesKeepBothClaimsAndOrderDoesNotMatter(t *testing.T) {
	c := graphtest.OpenClean(t)
	seed := seedDocument(t)
	other := secondSource(t, seed)

	load(t, c, seed, graph.LoadOptions{})
	load(t, c, other, graph.LoadOptions{})
	rows := graphtest.Run(t, c, `
MATCH (:Person {name: 'Zhu Hua'})-[r:AFFILIATED_WITH]->(:ThreatActor {name: 'APT10'})
MATCH (s:Report {uid: r.source})
RETURN s.title AS source, r.quote AS quote ORDER BY source`, nil)
	if len(rows) != 2 {
		t.Fatalf("Zhu Hua -> APT10 claims: %v, want one per source", rows)
	}
	aliases := graphtest.Run(t, c, "MATCH (a:ThreatActor {name: 'APT10'}) RETURN a.aliases AS aliases", nil)
	if got := aliases[0]["aliases"].([]any); len(got) != 2 {
		t.Errorf("APT10 aliases = %v, want both sources' aliases", got)
	}
	abThenBa := fingerprint(t, c)

	graphtest.Wipe(t, c)
	load(t, c, other, graph.LoadOptions{})
	load(t, c, seed, graph.LoadOptions{})
	if got := fingerprint(t, c); got != abThenBa {
		t.Errorf("load order matters: seed then other %s, other then seed %s", abThenBa, got)
	}

	// The other source withdraws its claim: the seed's claim stays, and so
	// do both entities (the seed still mentions them).
	withdrawn := other
	withdrawn.Claims = nil
	load(t, c, withdrawn, graph.LoadOptions{})
	if n := count(t, c, "MATCH (:Person {name: 'Zhu Hua'})-[r:AFFILIATED_WITH]->(:ThreatActor {name: 'APT10'}) RETURN count(r)"); n != 1 {
		t.Errorf("%d claims left, want the seed's one", n)
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	c := graphtest.OpenClean(t)
	before := fingerprint(t, c)
	s := load(t, c, seedDocument(t), graph.LoadOptions{DryRun: true})
	if !s.DryRun || s.Nodes["ThreatActor"].Created != 1 {
		t.Errorf("dry-run summary = %+v", s)
	}
	if after := fingerprint(t, c); after != before {
		t.Errorf("dry run changed the graph: %s -> %s", before, after)
	}
}

func TestResetRemovesOnlyThreatkgData(t *testing.T) {
	c := graphtest.OpenClean(t)
	load(t, c, seedDocument(t), graph.LoadOptions{})
	graphtest.Run(t, c, "CREATE (:SomebodyElses {x: 1})", nil)
	n, err := c.Reset(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Error("Reset deleted nothing")
	}
	if got := count(t, c, "MATCH (n) RETURN count(n)"); got != 1 {
		t.Errorf("%d nodes left, want only the foreign one", got)
	}
}

func count(t *testing.T, c *graph.Client, cypher string) int64 {
	t.Helper()
	rows := graphtest.Run(t, c, cypher, nil)
	for _, v := range rows[0] {
		n, _ := v.(int64)
		return n
	}
	return -1
}

func findEntity(t *testing.T, doc model.Document, name string) model.Entity {
	t.Helper()
	for _, e := range doc.Entities {
		if e.Name == name {
			return e
		}
	}
	t.Fatalf("no entity %q", name)
	return model.Entity{}
}

func removeEntity(list []model.Entity, uid string) []model.Entity {
	var out []model.Entity
	for _, e := range list {
		if e.UID != uid {
			out = append(out, e)
		}
	}
	return out
}

func cloneDocument(d model.Document) model.Document {
	d.Entities = append([]model.Entity(nil), d.Entities...)
	d.Claims = append([]model.Claim(nil), d.Claims...)
	return d
}

func equalCounts(a, b map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
