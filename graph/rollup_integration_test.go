package graph_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/threatkg/threatkg/graph"
	"github.com/threatkg/threatkg/graph/graphtest"
	"github.com/threatkg/threatkg/graph/model"
	"github.com/threatkg/threatkg/queries"
)

// rollupTruth computes each actor's lists live, by walking the graph (the
// form actor-profile had before rollups), independently of the rollups'
// statement: names, per list, per cluster representative.
const rollupTruth = `MATCH (x:ThreatActor)
MATCH (x)-[:SAME_AS*0..10]-(m:ThreatActor)
WITH x, collect(DISTINCT m) AS cluster
WITH cluster, reduce(r = head(cluster), c IN cluster | CASE WHEN c.uid < r.uid THEN c ELSE r END) AS rep
WITH rep, head(collect(cluster)) AS cluster
RETURN rep.name AS actor,
  COLLECT { UNWIND cluster AS a MATCH (m:Entity)-[:AFFILIATED_WITH]->(a) RETURN DISTINCT m.name AS n } AS members,
  COLLECT { UNWIND cluster AS a MATCH (a)-[:CONDUCTED]->(c:Campaign) RETURN DISTINCT c.name AS n } AS campaigns,
  COLLECT {
    CALL (cluster) {
      UNWIND cluster AS a MATCH (a)-[:TARGETED]->(v:Entity) RETURN v
      UNION
      UNWIND cluster AS a MATCH (a)-[:CONDUCTED]->(:Campaign)-[:TARGETED]->(v:Entity) RETURN v
      UNION
      UNWIND cluster AS a MATCH (m:Entity)-[:AFFILIATED_WITH]->(a) MATCH (m)-[:TARGETED]->(v:Entity) RETURN v
      UNION
      UNWIND cluster AS a MATCH (m:Entity)-[:AFFILIATED_WITH]->(a) MATCH (m)-[:CONDUCTED]->(:Campaign)-[:TARGETED]->(v:Entity) RETURN v
    }
    RETURN v.name AS n
  } AS victims,
  COLLECT { UNWIND cluster AS a MATCH (a)-[:USES]->(s:Malware|Tool) RETURN DISTINCT s.name AS n } AS software,
  COLLECT { UNWIND cluster AS a MATCH (a)-[:USES]->(t:Technique) RETURN DISTINCT t.external_id + ' ' + t.name AS n } AS techniques,
  COLLECT { UNWIND cluster AS a MATCH (r:Report)-[:MENTIONS]->(a) RETURN DISTINCT r.title AS n } AS sources`

// sectorTruth is sector-exposure's answer walked live.
const sectorTruth = `MATCH (s:Sector)
MATCH (s)-[:SAME_AS*0..10]-(m:Sector)
WITH s, collect(DISTINCT m) AS cluster
WITH cluster, reduce(r = head(cluster), c IN cluster | CASE WHEN c.uid < r.uid THEN c ELSE r END) AS rep
WITH rep, head(collect(cluster)) AS cluster
CALL (cluster) {
  UNWIND cluster AS a MATCH (x:Entity)-[t:TARGETED]->(a) RETURN x, t
  UNION
  UNWIND cluster AS a MATCH (w:Entity)-[:PART_OF]->(a) MATCH (x:Entity)-[t:TARGETED]->(w) RETURN x, t
}
WITH rep, x, t WHERE t IS NOT NULL
OPTIONAL MATCH (actor:ThreatActor)-[:CONDUCTED]->(x:Campaign)
RETURN rep.name AS sector, collect(DISTINCT coalesce(actor.name, x.name)) AS actors, count(DISTINCT t) AS claims`

// checkSectors compares sector-exposure (every attacker) with the walk.
func checkSectors(t *testing.T, c *graph.Client, step string) {
	t.Helper()
	q, err := queries.Lookup("sector-exposure")
	if err != nil {
		t.Fatal(err)
	}
	params, err := q.Bind(map[string]string{"top": "100000", "limit": "100000"})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := c.Read(context.Background(), q.Cypher, params)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, rec := range rows.Records {
		if rec[3].(int64) > 0 {
			got[rec[0].(string)] = fmt.Sprint(names(rec[1]), rec[2], rec[3])
		}
	}
	want := map[string]string{}
	for _, r := range graphtest.Run(t, c, sectorTruth, nil) {
		a := names(r["actors"])
		want[r["sector"].(string)] = fmt.Sprint(a, int64(len(a)), r["claims"])
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s: sector-exposure %v, graph %v", step, got, want)
	}
}

// checkRollups compares, for every actor, what actor-profile answers from
// the rollups (every item: top is large) with the live walk, and checks
// that no actor is left stale.
func checkRollups(t *testing.T, c *graph.Client, step string) {
	t.Helper()
	ctx := context.Background()
	profile, err := queries.Lookup("actor-profile")
	if err != nil {
		t.Fatal(err)
	}
	truth := graphtest.Run(t, c, rollupTruth, nil)
	if len(truth) == 0 {
		t.Fatalf("%s: no actor", step)
	}
	for _, want := range truth {
		actor := want["actor"].(string)
		params, err := profile.Bind(map[string]string{"actor": actor, "top": "100000"})
		if err != nil {
			t.Fatal(err)
		}
		rows, err := c.Read(ctx, profile.Cypher, params)
		if err != nil {
			t.Fatal(err)
		}
		var got map[string]any // the profile of this actor (an alias may name others too)
		for _, rec := range rows.Records {
			if rec[0] == actor {
				got = map[string]any{}
				for i, col := range rows.Columns {
					got[col] = rec[i]
				}
			}
		}
		if got == nil {
			t.Fatalf("%s: no profile of %s", step, actor)
		}
		if got["rollups_stale"] != false {
			t.Errorf("%s: %s's rollups are stale", step, actor)
		}
		for _, r := range graph.Rollups {
			if r.Label != model.LabelThreatActor {
				continue
			}
			g, w := names(got[r.Name]), names(want[r.Name])
			if strings.Join(g, "|") != strings.Join(w, "|") {
				t.Errorf("%s: %s's %s: rollup %q, graph %q", step, actor, r.Name, g, w)
			}
			if n, _ := got[r.Name+"_count"].(int64); int(n) != len(w) {
				t.Errorf("%s: %s's %s_count = %d, want %d", step, actor, r.Name, n, len(w))
			}
		}
	}
	if n := count(t, c, "MATCH (a:ThreatActor|Sector) WHERE coalesce(a.rollup_stale, true) RETURN count(a)"); n != 0 {
		t.Errorf("%s: %d actors and sectors left stale", step, n)
	}
	checkSectors(t, c, step)
}

func names(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		out = append(out, fmt.Sprint(x))
	}
	sort.Strings(out)
	return out
}

// TestRollupsStayCorrect: the actors' rollups equal the live walk after a
// first load, a re-load, a changed source, a resolution undone, a reset
// and a load whose refresh was deferred (an interrupted command), which
// marks them stale until RefreshRollups.
func TestRollupsStayCorrect(t *testing.T) {
	ctx := context.Background()
	c := graphtest.OpenClean(t)
	seed := seedDocument(t)
	attack := stixDocuments(t, menupass)[0]
	load(t, c, seed, graph.LoadOptions{})
	load(t, c, attack, graph.LoadOptions{})
	checkRollups(t, c, "first load")
	if n := count(t, c, "MATCH (a:ThreatActor) WHERE size(coalesce(a.rollup_victims, [])) > 0 RETURN count(a)"); n == 0 {
		t.Fatal("no actor has victims: the check would check nothing")
	}

	load(t, c, seed, graph.LoadOptions{})
	checkRollups(t, c, "re-load")

	// The article changes: it no longer says what was targeted, nor who
	// the members are.
	changed := seed
	changed.Claims = nil
	for _, cl := range seed.Claims {
		if cl.Type != model.RelTargeted && cl.Type != model.RelAffiliatedWith {
			changed.Claims = append(changed.Claims, cl)
		}
	}
	if len(changed.Claims) == len(seed.Claims) {
		t.Fatal("the seed has no TARGETED or AFFILIATED_WITH claim")
	}
	load(t, c, changed, graph.LoadOptions{})
	checkRollups(t, c, "changed source")
	load(t, c, seed, graph.LoadOptions{})
	checkRollups(t, c, "source changed back")

	if _, err := c.Undo(ctx, "APT10"); err != nil {
		t.Fatal(err)
	}
	checkRollups(t, c, "resolution undone")

	if _, err := c.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Load(ctx, attack, graph.LoadOptions{DeferRollups: true}); err != nil {
		t.Fatal(err)
	}
	if n := count(t, c, "MATCH (a:ThreatActor) WHERE a.rollup_stale RETURN count(a)"); n == 0 {
		t.Error("a load whose refresh was deferred left no actor marked stale")
	}
	if n, err := c.RefreshRollups(ctx); err != nil || n == 0 {
		t.Fatalf("refresh: %d actors, %v", n, err)
	}
	checkRollups(t, c, "reset, load, deferred refresh")
}
