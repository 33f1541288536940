package graph

import (
	"context"
	"fmt"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/threatkg/threatkg/graph/model"
)

// Rollups: what a threat actor's profile lists (its victims, members,
// campaigns, software, techniques and sources) and what targets a sector,
// kept on each actor and sector node as the ordered uids of each list, so
// that a query reads one property per list instead of walking a hub (the
// most prolific actor of a large graph has thousands of victims). The
// order is the queries': most claims first, then the most recent, then
// uid. Each node of a SAME_AS cluster holds the cluster's lists, as
// queries treat a cluster as one entity.
//
// They are kept current by the load path: the write transaction marks
// stale (RollupStale) every actor and sector whose lists its claims can
// change (rolledLabels), and their SAME_AS clusters; resolution and
// `resolve --undo` mark the clusters whose links they change;
// RefreshRollups recomputes every stale (or never computed) node, at the
// end of each load command, of a bulk load, and of an undo. A profile says
// when it reads stale lists (rollups_stale: a load was interrupted before
// its refresh; the next load or `threatkg schema apply` refreshes them).

// Rollup is one list a query reads from the node it is about (a threat
// actor, a sector).
type Rollup struct {
	Label       string // the label of the nodes that hold it
	Name        string // the property is RollupPrefix + Name
	Description string
	// Total: also keep the number of distinct claims behind the list, as
	// RollupPrefix + Name + "_claims".
	Total bool
	// Claims is a Cypher fragment, with the cluster member `a` bound,
	// that returns the listed node `v` and the claim `t` (a relationship)
	// that lists it, and `latest`, the claim's recency.
	Claims string
}

// RollupPrefix starts the property of each rollup list; RollupStale is
// the property that marks an actor's lists stale.
const (
	RollupPrefix = "rollup_"
	RollupStale  = "rollup_stale"
)

// Rollups are the lists a profile reads, declared once: the refresh
// statement, docs/model.md and the tests derive from them.
var Rollups = []Rollup{
	{Label: model.LabelThreatActor, Name: "victims", Description: "what the actor, its campaigns, its members or their campaigns targeted", Claims: `
    MATCH (a)-[t:{{TARGETED}}]->(v:{{Entity}}) RETURN v, t, t.date AS latest
    UNION
    MATCH (a)-[:{{CONDUCTED}}]->(:{{Campaign}})-[t:{{TARGETED}}]->(v:{{Entity}}) RETURN v, t, t.date AS latest
    UNION
    MATCH (m:{{Entity}})-[:{{AFFILIATED_WITH}}]->(a) WITH DISTINCT m
    MATCH (m)-[t:{{TARGETED}}]->(v:{{Entity}}) RETURN v, t, t.date AS latest
    UNION
    MATCH (m:{{Entity}})-[:{{AFFILIATED_WITH}}]->(a) WITH DISTINCT m
    MATCH (m)-[:{{CONDUCTED}}]->(:{{Campaign}})-[t:{{TARGETED}}]->(v:{{Entity}}) RETURN v, t, t.date AS latest`},
	{Label: model.LabelThreatActor, Name: "members", Description: "who is affiliated with the actor", Claims: `
    MATCH (v:{{Entity}})-[t:{{AFFILIATED_WITH}}]->(a) RETURN v, t, t.date AS latest`},
	{Label: model.LabelThreatActor, Name: "campaigns", Description: "the campaigns the actor conducted", Claims: `
    MATCH (a)-[t:{{CONDUCTED}}]->(v:{{Campaign}}) RETURN v, t, coalesce(v.start, t.date) AS latest`},
	{Label: model.LabelThreatActor, Name: "software", Description: "the malware and tools the actor uses", Claims: `
    MATCH (a)-[t:{{USES}}]->(v:{{Malware}}|{{Tool}}) RETURN v, t, t.date AS latest`},
	{Label: model.LabelThreatActor, Name: "techniques", Description: "the ATT&CK techniques the actor uses", Claims: `
    MATCH (a)-[t:{{USES}}]->(v:{{Technique}}) RETURN v, t, t.date AS latest`},
	{Label: model.LabelThreatActor, Name: "sources", Description: "the reports that mention the actor", Claims: `
    MATCH (v:{{Report}})-[t:{{MENTIONS}}]->(a) RETURN v, t, v.date AS latest`},
	{Label: model.LabelSector, Name: "actors", Total: true,
		Description: "what targeted the sector, or something part of it (a campaign counts as the actor that conducted it)", Claims: `
    CALL (a) {
      MATCH (x:{{Entity}})-[t:{{TARGETED}}]->(a) RETURN x, t
      UNION
      MATCH (w:{{Entity}})-[:{{PART_OF}}]->(a) WITH DISTINCT w
      MATCH (x:{{Entity}})-[t:{{TARGETED}}]->(w) RETURN x, t
    }
    OPTIONAL MATCH (actor:{{ThreatActor}})-[:{{CONDUCTED}}]->(x:{{Campaign}})
    RETURN coalesce(actor, x) AS v, t, t.date AS latest`},
}

// rolledLabels are the labels that hold rollups, each with what makes a
// node of it "near" an entity e, whose claims a load writes or removes:
// the nodes whose lists a change of e's claims can change.
var rolledLabels = []struct{ label, near string }{
	// The actor itself; the actors that conducted it (a campaign) or that
	// it is a member of; the actors of the members that conducted it.
	{model.LabelThreatActor, `
  WITH e WHERE e:{{ThreatActor}} RETURN e AS a
  UNION
  MATCH (a:{{ThreatActor}})-[:{{CONDUCTED}}]->(e) RETURN a
  UNION
  MATCH (e)-[:{{AFFILIATED_WITH}}]->(a:{{ThreatActor}}) RETURN a
  UNION
  MATCH (a:{{ThreatActor}})<-[:{{AFFILIATED_WITH}}]-(:{{Entity}})-[:{{CONDUCTED}}]->(e) RETURN a`},
	// The sector itself, the sectors it is part of, and those a campaign
	// targets (its actor names its claims). A victim's new claims have the
	// victim among the entities, so an attacker's own victims need no walk.
	{model.LabelSector, `
  WITH e WHERE e:{{Sector}} RETURN e AS a
  UNION
  MATCH (e)-[:{{PART_OF}}]->(a:{{Sector}}) RETURN a
  UNION
  MATCH (e:{{Campaign}})-[:{{TARGETED}}]->(a:{{Sector}}) RETURN a
  UNION
  MATCH (e:{{Campaign}})-[:{{TARGETED}}]->(:{{Entity}})-[:{{PART_OF}}]->(a:{{Sector}}) RETURN a`},
}

// markRollupsCypher marks stale the nodes of a rolled-up label near the
// given entities (rolledLabels), with their SAME_AS clusters.
func markRollupsCypher(label, near string) string {
	return cypher(`UNWIND $uids AS uid
MATCH (e:{{Entity}} {uid: uid})
CALL (e) {` + near + `
}
MATCH (a)-[:{{SAME_AS}}*0..10]-(x:{{` + label + `}})
WITH DISTINCT x ORDER BY x.uid
SET x.` + RollupStale + ` = true`)
}

var markStatements = func() []string {
	var out []string
	for _, l := range rolledLabels {
		out = append(out, markRollupsCypher(l.label, l.near))
	}
	return out
}()

// markRollups marks stale the rolled-up nodes near the entities.
func markRollups(ctx context.Context, tx neo4j.ManagedTransaction, uids []string) error {
	if len(uids) == 0 {
		return nil
	}
	for _, st := range markStatements {
		if err := runConsume(ctx, tx, st, map[string]any{"uids": uids}); err != nil {
			return err
		}
	}
	return nil
}

// lockRollupsCypher finds the stale or never computed nodes of a label
// and the nodes of their SAME_AS clusters, and locks them (in uid order)
// by writing their mark: a load that marked one and has not committed yet
// holds its lock, so the refresh waits for it and then reads its claims.
func lockRollupsCypher(label string) string {
	return cypher(`MATCH (s:{{` + label + `}}) WHERE s.` + RollupStale + ` IS NULL OR s.` + RollupStale + `
MATCH (s)-[:{{SAME_AS}}*0..10]-(x:{{` + label + `}})
WITH DISTINCT x ORDER BY x.uid
SET x.` + RollupStale + ` = true
RETURN x.uid`)
}

// refreshRollupsCypher recomputes the lists of the label's nodes given:
// each node holds its SAME_AS cluster's lists.
func refreshRollupsCypher(label string) string {
	var calls, sets []string
	for _, r := range Rollups {
		if r.Label != label {
			continue
		}
		calls = append(calls, fmt.Sprintf(`CALL (cluster) {
  UNWIND cluster AS a
  CALL (a) {%s
  }
  WITH v, count(DISTINCT t) AS claims, max(latest) AS latest
  ORDER BY claims DESC, coalesce(latest, '') DESC, v.uid
  RETURN collect(v.uid) AS %s
}`, r.Claims, r.Name))
		sets = append(sets, fmt.Sprintf("x.%s = CASE WHEN size(%s) = 0 THEN null ELSE %s END", quoteName(RollupPrefix+r.Name), r.Name, r.Name))
		if r.Total {
			calls = append(calls, fmt.Sprintf(`CALL (cluster) {
  UNWIND cluster AS a
  CALL (a) {%s
  }
  RETURN count(DISTINCT t) AS %s_claims
}`, r.Claims, r.Name))
			sets = append(sets, fmt.Sprintf("x.%s = %s_claims", quoteName(RollupPrefix+r.Name+"_claims"), r.Name))
		}
	}
	return cypher(`UNWIND $rows AS uid
MATCH (x:{{Entity}} {uid: uid})
CALL (x) {
  MATCH (x)-[:{{SAME_AS}}*0..10]-(m:{{` + label + `}})
  RETURN collect(DISTINCT m) AS cluster
}
` + strings.Join(calls, "\n") + `
SET ` + strings.Join(sets, ",\n    ") + `,
    x.` + RollupStale + ` = false`)
}

type refreshStatements struct{ lock, refresh string }

var rollupStatements = func() []refreshStatements {
	var out []refreshStatements
	for _, l := range rolledLabels {
		out = append(out, refreshStatements{lockRollupsCypher(l.label), refreshRollupsCypher(l.label)})
	}
	return out
}()

// RefreshRollups recomputes the lists of the stale nodes (Rollups) and
// returns how many nodes it refreshed.
func (c *Client) RefreshRollups(ctx context.Context) (int, error) {
	session := c.session(ctx, writeAccess)
	defer session.Close(ctx)
	n, err := neo4j.ExecuteWrite(ctx, session, func(tx neo4j.ManagedTransaction) (int, error) {
		return refreshRollups(ctx, tx)
	})
	if err != nil {
		return 0, fmt.Errorf("refresh the rollups: %w", err)
	}
	return n, nil
}

func refreshRollups(ctx context.Context, tx neo4j.ManagedTransaction) (int, error) {
	n := 0
	for _, st := range rollupStatements {
		locked, err := collectStrings(ctx, tx, st.lock, nil)
		if err != nil {
			return 0, err
		}
		uids := sortedKeys(locked)
		x := executor{tx: tx, opts: LoadOptions{}.withDefaults()}
		if _, err := x.run(ctx, statement{step: "rollups", what: "refresh rollups", cypher: st.refresh, rows: values(idRows(uids))}); err != nil {
			return 0, err
		}
		n += len(uids)
	}
	return n, nil
}

func idRows(uids []string) []idRow {
	out := make([]idRow, len(uids))
	for i, u := range uids {
		out[i] = idRow(u)
	}
	return out
}

// rollupEntities are the entities whose nearby actors and sectors a write
// of the documents can change: the documents' entities, the ends of their
// claims from other sources (External), what the sources mentioned before
// and the ends of the claims they made before.
func rollupEntities(docs []model.Document, st writeState) []string {
	seen := map[string]bool{}
	var out []string
	add := func(uid string) {
		if !seen[uid] {
			seen[uid] = true
			out = append(out, uid)
		}
	}
	for _, d := range docs {
		for _, e := range d.Entities {
			add(e.UID)
		}
		for _, uid := range sortedKeys(d.External) {
			add(uid)
		}
		for _, uid := range sortedKeys(st.oldMentions[d.Source.UID]) {
			add(uid)
		}
		for _, claim := range sortedKeys(st.oldClaims[d.Source.UID]) {
			add(st.oldClaims[d.Source.UID][claim].from)
			add(st.oldClaims[d.Source.UID][claim].to)
		}
	}
	return out
}
