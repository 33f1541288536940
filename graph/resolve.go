package graph

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/threatkg/threatkg/graph/model"
)

// Entity resolution.
//
// Sources name the same thing differently: the article's "APT10" is ATT&CK's
// menuPass (G0045), whose aliases include APT10. Each source's entity keeps
// its own node; resolution links two nodes with SAME_AS when they share a
// normalised name or alias (a key) and are of the same label. For each key of
// an incoming entity, the candidates are the other nodes of its label with
// that key, not mentioned by the same source (a source that lists two
// entities means two), not marked NOT_SAME_AS, grouped by SAME_AS cluster:
//
//   - exactly one cluster: link to its member with that key and the smallest
//     uid (so both load orders give the same edge);
//   - several clusters: ambiguous; nothing is linked and it is reported.
//
// The link records the key and the sources that gave it; `threatkg resolve
// --explain` shows it and `--undo` removes it (and records NOT_SAME_AS).
// Links whose key one side no longer has are removed at the next load.

// Resolution is one SAME_AS link a load made.
type Resolution struct {
	From    string   `json:"from"` // names
	To      string   `json:"to"`
	Label   string   `json:"label"`
	Key     string   `json:"matched"`
	Sources []string `json:"sources"`
}

// Ambiguity is a key that matched several distinct entities.
type Ambiguity struct {
	Entity     string   `json:"entity"`
	Label      string   `json:"label"`
	Key        string   `json:"key"`
	Candidates []string `json:"candidates"`
}

type keyedNode struct {
	uid, name string
	keys      []string
	sources   map[string]bool
}

// resolveDocument links the document's entities to the nodes of other
// sources they name. It runs inside the load's write transaction, after the
// entities' keys have been recomputed.
func resolveDocument(ctx context.Context, tx neo4j.ManagedTransaction, doc model.Document) ([]Resolution, []Ambiguity, error) {
	// Links whose key is gone from one side (a source changed) go first.
	uids := make([]string, len(doc.Entities))
	for i, e := range doc.Entities {
		uids[i] = e.UID
	}
	if err := runConsume(ctx, tx, `UNWIND $uids AS uid
MATCH (n:Entity {uid: uid})-[s:SAME_AS]-(m:Entity)
WHERE NOT (s.matched IN coalesce(n.keys, []) AND s.matched IN coalesce(m.keys, []))
DELETE s`, map[string]any{"uids": uids}); err != nil {
		return nil, nil, fmt.Errorf("drop stale SAME_AS links: %w", err)
	}

	byLabel := map[string][]model.Entity{}
	for _, e := range doc.Entities {
		byLabel[e.Label] = append(byLabel[e.Label], e)
	}
	var resolutions []Resolution
	var ambiguities []Ambiguity
	for _, label := range sortedKeys(byLabel) {
		nodes, err := keyedNodes(ctx, tx, label)
		if err != nil {
			return nil, nil, err
		}
		cluster, err := clusters(ctx, tx, label)
		if err != nil {
			return nil, nil, err
		}
		notSame, err := pairs(ctx, tx, label, model.NotSameAsType)
		if err != nil {
			return nil, nil, err
		}
		byKey := map[string][]*keyedNode{}
		byUID := map[string]*keyedNode{}
		for _, n := range nodes {
			byUID[n.uid] = n
			for _, k := range n.keys {
				byKey[k] = append(byKey[k], n)
			}
		}
		find := func(u string) string {
			for cluster[u] != "" && cluster[u] != u {
				u = cluster[u]
			}
			return u
		}
		for _, e := range byLabel[label] {
			self := byUID[e.UID]
			if self == nil {
				continue
			}
			linked := map[string]bool{}
			for _, k := range self.keys {
				groups := map[string][]*keyedNode{}
				for _, cand := range byKey[k] {
					if cand.uid == self.uid || find(cand.uid) == find(self.uid) || notSame[pairKey(self.uid, cand.uid)] || shareSource(self, cand) {
						continue
					}
					groups[find(cand.uid)] = append(groups[find(cand.uid)], cand)
				}
				switch {
				case len(groups) == 1:
					for _, members := range groups {
						sort.Slice(members, func(i, j int) bool { return members[i].uid < members[j].uid })
						target := members[0]
						if linked[target.uid] {
							continue
						}
						linked[target.uid] = true
						res, err := link(ctx, tx, label, self, target, k)
						if err != nil {
							return nil, nil, err
						}
						resolutions = append(resolutions, res)
						cluster[find(self.uid)] = find(target.uid)
					}
				case len(groups) > 1:
					var names []string
					for _, members := range groups {
						names = append(names, fmt.Sprintf("%s (%s)", members[0].name, members[0].uid))
					}
					sort.Strings(names)
					ambiguities = append(ambiguities, Ambiguity{Entity: self.name, Label: label, Key: k, Candidates: names})
				}
			}
		}
	}
	// A link's sources are those that mention either end: refresh them for
	// this document's entities, whose sources may have changed (so the
	// result does not depend on which source came first, or concurrently).
	if err := runConsume(ctx, tx, `UNWIND $uids AS uid
MATCH (n:Entity {uid: uid})-[s:SAME_AS]-(m:Entity)
SET s.sources = COLLECT { MATCH (r:Report)-[:MENTIONS]->(x:Entity) WHERE x = n OR x = m RETURN DISTINCT r.uid AS u ORDER BY u }`,
		map[string]any{"uids": uids}); err != nil {
		return nil, nil, fmt.Errorf("refresh SAME_AS sources: %w", err)
	}
	return resolutions, ambiguities, nil
}

// link makes the SAME_AS edge from the larger uid to the smaller.
func link(ctx context.Context, tx neo4j.ManagedTransaction, label string, a, b *keyedNode, key string) (Resolution, error) {
	from, to := a, b
	if from.uid < to.uid {
		from, to = to, from
	}
	var sources []string
	for s := range a.sources {
		sources = append(sources, s)
	}
	for s := range b.sources {
		if !a.sources[s] {
			sources = append(sources, s)
		}
	}
	sort.Strings(sources)
	err := runConsume(ctx, tx, fmt.Sprintf(`MATCH (a:%s {uid: $from}), (b:%s {uid: $to})
MERGE (a)-[s:%s]->(b)
SET s.matched = $key, s.method = 'same normalised name or alias', s.sources = $sources`,
		quoteName(model.EntityLabel), quoteName(model.EntityLabel), quoteName(model.SameAsType)),
		map[string]any{"from": from.uid, "to": to.uid, "key": key, "sources": sources})
	if err != nil {
		return Resolution{}, fmt.Errorf("link %s to %s: %w", from.uid, to.uid, err)
	}
	return Resolution{From: a.name, To: b.name, Label: label, Key: key, Sources: sources}, nil
}

// keyedNodes reads every node of a label with its keys and the sources that
// mention it. Labels come from the model.
func keyedNodes(ctx context.Context, tx neo4j.ManagedTransaction, label string) ([]*keyedNode, error) {
	res, err := tx.Run(ctx, fmt.Sprintf(`MATCH (n:%s)
RETURN n.uid AS uid, n.name AS name, coalesce(n.keys, []) AS keys,
       COLLECT { MATCH (r:Report)-[:MENTIONS]->(n) RETURN r.uid } AS sources`, quoteName(label)), nil)
	if err != nil {
		return nil, fmt.Errorf("read %s keys: %w", label, err)
	}
	var out []*keyedNode
	for res.Next(ctx) {
		rec := res.Record()
		n := &keyedNode{sources: map[string]bool{}}
		n.uid, _ = rec.Values[0].(string)
		n.name, _ = rec.Values[1].(string)
		n.keys = asStrings(rec.Values[2])
		for _, s := range asStrings(rec.Values[3]) {
			n.sources[s] = true
		}
		out = append(out, n)
	}
	return out, res.Err()
}

// clusters returns a parent map over existing SAME_AS links of a label.
func clusters(ctx context.Context, tx neo4j.ManagedTransaction, label string) (map[string]string, error) {
	links, err := pairs(ctx, tx, label, model.SameAsType)
	if err != nil {
		return nil, err
	}
	parent := map[string]string{}
	find := func(u string) string {
		for parent[u] != "" && parent[u] != u {
			u = parent[u]
		}
		return u
	}
	for k := range links {
		a, b, _ := strings.Cut(k, "|")
		ra, rb := find(a), find(b)
		if ra != rb {
			if ra < rb {
				parent[rb] = ra
			} else {
				parent[ra] = rb
			}
		}
	}
	return parent, nil
}

func pairs(ctx context.Context, tx neo4j.ManagedTransaction, label, relType string) (map[string]bool, error) {
	res, err := tx.Run(ctx, fmt.Sprintf("MATCH (a:%s)-[:%s]->(b:%s) RETURN a.uid, b.uid",
		quoteName(label), quoteName(relType), quoteName(label)), nil)
	if err != nil {
		return nil, fmt.Errorf("read %s links: %w", relType, err)
	}
	out := map[string]bool{}
	for res.Next(ctx) {
		a, _ := res.Record().Values[0].(string)
		b, _ := res.Record().Values[1].(string)
		out[pairKey(a, b)] = true
	}
	return out, res.Err()
}

func pairKey(a, b string) string {
	if a > b {
		a, b = b, a
	}
	return a + "|" + b
}

func shareSource(a, b *keyedNode) bool {
	for s := range a.sources {
		if b.sources[s] {
			return true
		}
	}
	return false
}

func asStrings(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func runConsume(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, params map[string]any) error {
	res, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return err
	}
	_, err = res.Consume(ctx)
	return err
}

// ResolutionLink is one SAME_AS or NOT_SAME_AS edge, for explain.
type ResolutionLink struct {
	From    string   `json:"from"`
	FromUID string   `json:"from_uid"`
	To      string   `json:"to"`
	ToUID   string   `json:"to_uid"`
	Kind    string   `json:"kind"` // SAME_AS or NOT_SAME_AS
	Matched string   `json:"matched,omitempty"`
	Method  string   `json:"method,omitempty"`
	Sources []string `json:"sources,omitempty"`
}

// ClusterMember is one node of a resolved entity.
type ClusterMember struct {
	UID     string   `json:"uid"`
	Name    string   `json:"name"`
	Label   string   `json:"label"`
	Aliases []string `json:"aliases"`
	Sources []string `json:"sources"`
}

// Explanation says which nodes form one entity, and why.
type Explanation struct {
	Query   string           `json:"query"`
	Members []ClusterMember  `json:"members"`
	Links   []ResolutionLink `json:"links"`
}

// Explain finds the entities named name (name or alias, case-insensitive)
// and returns each SAME_AS cluster they belong to, with its links.
func (c *Client) Explain(ctx context.Context, name string) ([]Explanation, error) {
	session := c.session(ctx, readAccess)
	defer session.Close(ctx)
	return neo4j.ExecuteRead(ctx, session, func(tx neo4j.ManagedTransaction) ([]Explanation, error) {
		res, err := tx.Run(ctx, `
MATCH (x:Entity)
WHERE toLower(x.name) = toLower($name) OR any(a IN x.aliases WHERE toLower(a) = toLower($name))
MATCH (x)-[:SAME_AS*0..10]-(m:Entity)
WITH x, collect(DISTINCT m) AS cluster
WITH cluster, reduce(r = head(cluster), c IN cluster | CASE WHEN c.uid < r.uid THEN c ELSE r END) AS rep
WITH rep, head(collect(cluster)) AS cluster
RETURN [c IN cluster | {uid: c.uid, name: c.name, label: [l IN labels(c) WHERE l <> 'Entity'][0], aliases: c.aliases,
          sources: COLLECT { MATCH (r:Report)-[:MENTIONS]->(c) RETURN r.title + ' (' + r.uid + ')' }}] AS members,
       COLLECT { UNWIND cluster AS a MATCH (a)-[s:SAME_AS|NOT_SAME_AS]->(b:Entity)
                 RETURN DISTINCT {from: a.name, from_uid: a.uid, to: b.name, to_uid: b.uid, kind: type(s),
                         matched: s.matched, method: s.method, sources: s.sources} } AS links
ORDER BY rep.uid`, map[string]any{"name": name})
		if err != nil {
			return nil, err
		}
		var out []Explanation
		for res.Next(ctx) {
			rec := res.Record()
			e := Explanation{Query: name}
			members, _ := rec.Values[0].([]any)
			for _, m := range members {
				mm, _ := m.(map[string]any)
				cm := ClusterMember{Aliases: asStrings(mm["aliases"]), Sources: asStrings(mm["sources"])}
				cm.UID, _ = mm["uid"].(string)
				cm.Name, _ = mm["name"].(string)
				cm.Label, _ = mm["label"].(string)
				e.Members = append(e.Members, cm)
			}
			sort.Slice(e.Members, func(i, j int) bool { return e.Members[i].UID < e.Members[j].UID })
			links, _ := rec.Values[1].([]any)
			for _, l := range links {
				lm, _ := l.(map[string]any)
				rl := ResolutionLink{Sources: asStrings(lm["sources"])}
				rl.From, _ = lm["from"].(string)
				rl.FromUID, _ = lm["from_uid"].(string)
				rl.To, _ = lm["to"].(string)
				rl.ToUID, _ = lm["to_uid"].(string)
				rl.Kind, _ = lm["kind"].(string)
				rl.Matched, _ = lm["matched"].(string)
				rl.Method, _ = lm["method"].(string)
				e.Links = append(e.Links, rl)
			}
			sort.Slice(e.Links, func(i, j int) bool { return e.Links[i].FromUID+e.Links[i].ToUID < e.Links[j].FromUID+e.Links[j].ToUID })
			out = append(out, e)
		}
		return out, res.Err()
	})
}

// Undo removes the SAME_AS links of the entity with this uid (or this exact
// name, when one node has it) and records NOT_SAME_AS for each, so that
// later loads keep the nodes apart. It returns the links removed.
func (c *Client) Undo(ctx context.Context, uidOrName string) ([]ResolutionLink, error) {
	session := c.session(ctx, writeAccess)
	defer session.Close(ctx)
	return neo4j.ExecuteWrite(ctx, session, func(tx neo4j.ManagedTransaction) ([]ResolutionLink, error) {
		res, err := tx.Run(ctx, `MATCH (x:Entity) WHERE x.uid = $q OR x.name = $q RETURN x.uid`, map[string]any{"q": uidOrName})
		if err != nil {
			return nil, err
		}
		var uids []string
		for res.Next(ctx) {
			u, _ := res.Record().Values[0].(string)
			uids = append(uids, u)
		}
		if err := res.Err(); err != nil {
			return nil, err
		}
		switch len(uids) {
		case 0:
			return nil, &NotFoundError{What: fmt.Sprintf("no entity has the uid or name %q", uidOrName)}
		case 1:
		default:
			return nil, &NotFoundError{What: fmt.Sprintf("%d entities are named %q; give a uid: %s", len(uids), uidOrName, strings.Join(uids, ", "))}
		}
		res, err = tx.Run(ctx, `MATCH (x:Entity {uid: $uid})-[s:SAME_AS]-(y:Entity)
WITH x, y, s, s.matched AS matched, s.sources AS sources
DELETE s
WITH x, y, matched, sources
MERGE (x)-[n:NOT_SAME_AS]-(y)
SET n.method = 'undone by the user', n.matched = matched
RETURN x.name, x.uid, y.name, y.uid, matched, sources`, map[string]any{"uid": uids[0]})
		if err != nil {
			return nil, err
		}
		var out []ResolutionLink
		for res.Next(ctx) {
			v := res.Record().Values
			l := ResolutionLink{Kind: model.SameAsType, Sources: asStrings(v[5])}
			l.From, _ = v[0].(string)
			l.FromUID, _ = v[1].(string)
			l.To, _ = v[2].(string)
			l.ToUID, _ = v[3].(string)
			l.Matched, _ = v[4].(string)
			out = append(out, l)
		}
		return out, res.Err()
	})
}

// NotFoundError says a named thing is not in the graph (a usage error).
type NotFoundError struct{ What string }

func (e *NotFoundError) Error() string { return e.What }
