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
	uid, name, label string
	keys             []string
	sources          map[string]bool
}

// resolveEntities links the documents' entities to the nodes of other
// sources they name. It runs in a transaction of its own, after the load's
// data transaction committed: so of two loads that run at once and should
// link, the one that commits last sees the other's entities. It first asks
// the keys index (model.KeysIndex) for the nodes that share a key with the
// documents' entities (a fulltext query is fast in a transaction that has
// not written yet), then reads those nodes, their SAME_AS clusters and
// NOT_SAME_AS marks: the work is proportional to the documents, not to the
// graph. settled are the entities the data transaction created.
func resolveEntities(ctx context.Context, tx neo4j.ManagedTransaction, docs []model.Document, settled []string) ([]Resolution, []Ambiguity, error) {
	entities, existing, keySet := incoming(docs, settled)
	if err := existingKeys(ctx, tx, existing, keySet); err != nil {
		return nil, nil, fmt.Errorf("read keys: %w", err)
	}
	nodes, err := nodesByKey(ctx, tx, sortedKeys(keySet))
	if err != nil {
		return nil, nil, fmt.Errorf("find entities by key: %w", err)
	}
	// Links whose key is gone from one side (a source changed) go first;
	// the clusters they split get their rollups refreshed.
	split, err := collectStrings(ctx, tx, fmt.Sprintf(`UNWIND $uids AS uid
MATCH (n:%s {%s: uid})-[s:%s]-(m:%s)
WHERE NOT (s.matched IN coalesce(n.keys, []) AND s.matched IN coalesce(m.keys, []))
DELETE s
RETURN m.uid`, qEntity, qKey, qSameAs, qEntity), map[string]any{"uids": existing})
	if err != nil {
		return nil, nil, fmt.Errorf("drop stale SAME_AS links: %w", err)
	}
	if err := markRollups(ctx, tx, sortedKeys(split)); err != nil {
		return nil, nil, fmt.Errorf("mark rollups stale: %w", err)
	}
	byKey, involved := candidates(nodes)
	clusters, err := readClusters(ctx, tx, nodes, involved)
	if err != nil {
		return nil, nil, err
	}
	resolutions, ambiguities, err := clusters.resolve(ctx, tx, entities, nodes, byKey)
	if err != nil {
		return nil, nil, err
	}
	// A link's sources are those that mention either end: refresh them for
	// these entities, whose sources may have changed (so the result does not
	// depend on which source came first, or concurrently).
	if err := runConsume(ctx, tx, fmt.Sprintf(`UNWIND $uids AS uid
MATCH (n:%s {%s: uid})-[s:%s]-(m:%s)
SET s.sources = COLLECT { MATCH (r:%s)-[:%s]->(x:%s) WHERE x = n OR x = m RETURN DISTINCT r.%s AS u ORDER BY u }`,
		qEntity, qKey, qSameAs, qEntity, qReport, qMentions, qEntity, qKey),
		map[string]any{"uids": append(existing, involved...)}); err != nil {
		return nil, nil, fmt.Errorf("refresh SAME_AS sources: %w", err)
	}
	return resolutions, ambiguities, nil
}

// incoming are the documents' entities (each once), the uids of those that
// existed before the data transaction (not settled), and their keys.
func incoming(docs []model.Document, settled []string) ([]model.Entity, []string, map[string]bool) {
	isSettled := map[string]bool{}
	for _, uid := range settled {
		isSettled[uid] = true
	}
	isSelf := map[string]bool{}
	var entities []model.Entity
	var existing []string
	keySet := map[string]bool{}
	for _, d := range docs {
		for _, e := range d.Entities {
			if !isSelf[e.UID] {
				isSelf[e.UID] = true
				entities = append(entities, e)
				if !isSettled[e.UID] {
					existing = append(existing, e.UID)
				}
			}
			for _, k := range entityKeys(e) {
				keySet[k] = true
			}
		}
	}
	return entities, existing, keySet
}

// existingKeys adds the keys that entities which existed before have from
// other sources.
func existingKeys(ctx context.Context, tx neo4j.ManagedTransaction, existing []string, keySet map[string]bool) error {
	res, err := tx.Run(ctx, fmt.Sprintf("UNWIND $uids AS uid MATCH (n:%s {%s: uid}) UNWIND coalesce(n.keys, []) AS k RETURN DISTINCT k", qEntity, qKey),
		map[string]any{"uids": existing})
	if err != nil {
		return err
	}
	for res.Next(ctx) {
		if k, ok := res.Record().Values[0].(string); ok {
			keySet[k] = true
		}
	}
	return res.Err()
}

// nodesByKey finds every node with one of the keys, the documents' own
// included, with its label and keys, through the keys index. Keys are
// normalised (letters, digits and single spaces), so a quoted Lucene term
// needs no escaping.
func nodesByKey(ctx context.Context, tx neo4j.ManagedTransaction, keys []string) (map[string]*keyedNode, error) {
	nodes := map[string]*keyedNode{}
	const keysPerQuery = 1000 // below Lucene's clause limit (1024)
	for start := 0; start < len(keys); start += keysPerQuery {
		end := min(start+keysPerQuery, len(keys))
		terms := make([]string, 0, end-start)
		for _, k := range keys[start:end] {
			terms = append(terms, `"`+k+`"`)
		}
		res, err := tx.Run(ctx, `CALL db.index.fulltext.queryNodes($index, $query) YIELD node AS n
RETURN n.uid, coalesce(n.keys, []), [l IN labels(n) WHERE l <> $entity][0]`,
			map[string]any{"index": model.KeysIndex, "query": strings.Join(terms, " OR "), "entity": model.EntityLabel})
		if err != nil {
			return nil, err
		}
		for res.Next(ctx) {
			v := res.Record().Values
			n := &keyedNode{sources: map[string]bool{}}
			n.uid, _ = v[0].(string)
			n.keys = asStrings(v[1])
			n.label, _ = v[2].(string)
			nodes[n.uid] = n
		}
		if err := res.Err(); err != nil {
			return nil, err
		}
	}
	return nodes, nil
}

// candidates groups the nodes by label and key; the involved are the nodes
// that share a key with another node of their label: only they can link,
// so only their clusters are read.
func candidates(nodes map[string]*keyedNode) (map[string][]*keyedNode, []string) {
	byKey := map[string][]*keyedNode{}
	for _, uid := range sortedKeys(nodes) {
		n := nodes[uid]
		for _, k := range n.keys {
			byKey[n.label+"\x00"+k] = append(byKey[n.label+"\x00"+k], n)
		}
	}
	involved := map[string]bool{}
	for _, group := range byKey {
		if len(group) > 1 {
			for _, n := range group {
				involved[n.uid] = true
			}
		}
	}
	return byKey, sortedKeys(involved)
}

// clusters are the SAME_AS clusters around the involved nodes (a
// union-find by uid, the smallest uid the root) and their NOT_SAME_AS marks.
type clusters struct {
	parent  map[string]string
	notSame map[string]bool
}

func (c *clusters) find(u string) string {
	for c.parent[u] != "" && c.parent[u] != u {
		u = c.parent[u]
	}
	return u
}

func (c *clusters) union(a, b string) {
	ra, rb := c.find(a), c.find(b)
	if ra < rb {
		c.parent[rb] = ra
	} else if rb < ra {
		c.parent[ra] = rb
	}
}

// readClusters fills in the involved nodes (name, sources) and reads their
// SAME_AS clusters and NOT_SAME_AS marks.
func readClusters(ctx context.Context, tx neo4j.ManagedTransaction, nodes map[string]*keyedNode, involved []string) (*clusters, error) {
	found, err := readKeyedNodes(ctx, tx, fmt.Sprintf(`UNWIND $uids AS uid
MATCH (n:%s {%s: uid})
RETURN n.uid, n.name, coalesce(n.keys, []), COLLECT { MATCH (r:%s)-[:%s]->(n) RETURN r.%s },
       [l IN labels(n) WHERE l <> $entity][0]`, qEntity, qKey, qReport, qMentions, qKey), map[string]any{"uids": involved, "entity": model.EntityLabel})
	if err != nil {
		return nil, fmt.Errorf("read entities: %w", err)
	}
	for _, n := range found { // fill in the nodes byKey holds
		if m := nodes[n.uid]; m != nil {
			m.name, m.keys, m.sources, m.label = n.name, n.keys, n.sources, n.label
		}
	}
	sameAs, err := pairList(ctx, tx, fmt.Sprintf(`UNWIND $uids AS uid
MATCH (:%s {%s: uid})-[:%s*0..]-(m:%s)
WITH DISTINCT m
MATCH (m)-[:%s]->(o:%s)
RETURN m.%s, o.%s`, qEntity, qKey, qSameAs, qEntity, qSameAs, qEntity, qKey, qKey), involved)
	if err != nil {
		return nil, fmt.Errorf("read SAME_AS links: %w", err)
	}
	notSame, err := pairList(ctx, tx, fmt.Sprintf(`UNWIND $uids AS uid
MATCH (n:%s {%s: uid})-[:%s]-(m:%s)
RETURN n.%s, m.%s`, qEntity, qKey, qNotSameAs, qEntity, qKey, qKey), involved)
	if err != nil {
		return nil, fmt.Errorf("read NOT_SAME_AS links: %w", err)
	}
	c := &clusters{parent: map[string]string{}, notSame: map[string]bool{}}
	for _, p := range notSame {
		c.notSame[pairKey(p[0], p[1])] = true
	}
	for _, p := range sameAs {
		c.union(p[0], p[1])
	}
	return c, nil
}

// resolve links each entity, label by label, for each of its keys, to the
// one cluster of other nodes with that key, or reports the key ambiguous.
func (c *clusters) resolve(ctx context.Context, tx neo4j.ManagedTransaction, entities []model.Entity, nodes map[string]*keyedNode, byKey map[string][]*keyedNode) ([]Resolution, []Ambiguity, error) {
	byLabel := map[string][]model.Entity{}
	for _, e := range entities {
		byLabel[e.Label] = append(byLabel[e.Label], e)
	}
	var resolutions []Resolution
	var ambiguities []Ambiguity
	for _, label := range sortedKeys(byLabel) {
		for _, e := range byLabel[label] {
			self := nodes[e.UID]
			if self == nil || self.label != label {
				continue
			}
			linked := map[string]bool{}
			for _, k := range self.keys {
				groups := c.others(self, byKey[label+"\x00"+k])
				if len(groups) > 1 {
					ambiguities = append(ambiguities, ambiguity(self, label, k, groups))
					continue
				}
				for _, members := range groups { // at most one
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
					c.parent[c.find(self.uid)] = c.find(target.uid)
				}
			}
		}
	}
	return resolutions, ambiguities, nil
}

// others groups the candidates self may link to by cluster: not self, not
// in its cluster, not marked NOT_SAME_AS, not mentioned by a same source.
func (c *clusters) others(self *keyedNode, cands []*keyedNode) map[string][]*keyedNode {
	groups := map[string][]*keyedNode{}
	for _, cand := range cands {
		if cand.uid == self.uid || c.find(cand.uid) == c.find(self.uid) || c.notSame[pairKey(self.uid, cand.uid)] || shareSource(self, cand) {
			continue
		}
		groups[c.find(cand.uid)] = append(groups[c.find(cand.uid)], cand)
	}
	return groups
}

func ambiguity(self *keyedNode, label, key string, groups map[string][]*keyedNode) Ambiguity {
	var names []string
	for _, members := range groups {
		names = append(names, fmt.Sprintf("%s (%s)", members[0].name, members[0].uid))
	}
	sort.Strings(names)
	return Ambiguity{Entity: self.name, Label: label, Key: key, Candidates: names}
}

// readKeyedNodes runs a statement that returns uid, name, keys, sources and
// label.
func readKeyedNodes(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, params map[string]any) ([]*keyedNode, error) {
	res, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return nil, err
	}
	var out []*keyedNode
	for res.Next(ctx) {
		v := res.Record().Values
		n := &keyedNode{sources: map[string]bool{}}
		n.uid, _ = v[0].(string)
		n.name, _ = v[1].(string)
		n.keys = asStrings(v[2])
		for _, s := range asStrings(v[3]) {
			n.sources[s] = true
		}
		n.label, _ = v[4].(string)
		out = append(out, n)
	}
	return out, res.Err()
}

func pairList(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, uids []string) ([][2]string, error) {
	res, err := tx.Run(ctx, cypher, map[string]any{"uids": uids})
	if err != nil {
		return nil, err
	}
	var out [][2]string
	for res.Next(ctx) {
		a, _ := res.Record().Values[0].(string)
		b, _ := res.Record().Values[1].(string)
		out = append(out, [2]string{a, b})
	}
	return out, res.Err()
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
		res, err := tx.Run(ctx, cypher(`
MATCH (x:{{Entity}})
WHERE toLower(x.name) = toLower($name) OR any(a IN x.aliases WHERE toLower(a) = toLower($name))
MATCH (x)-[:{{SAME_AS}}*0..10]-(m:{{Entity}})
WITH x, collect(DISTINCT m) AS cluster
WITH cluster, reduce(r = head(cluster), c IN cluster | CASE WHEN c.uid < r.uid THEN c ELSE r END) AS rep
WITH rep, head(collect(cluster)) AS cluster
RETURN [c IN cluster | {uid: c.uid, name: c.name, label: [l IN labels(c) WHERE l <> $entity][0], aliases: c.aliases,
          sources: COLLECT { MATCH (r:{{Report}})-[:{{MENTIONS}}]->(c) RETURN r.title + ' (' + r.uid + ')' }}] AS members,
       COLLECT { UNWIND cluster AS a MATCH (a)-[s:{{SAME_AS}}|{{NOT_SAME_AS}}]->(b:{{Entity}})
                 RETURN DISTINCT {from: a.name, from_uid: a.uid, to: b.name, to_uid: b.uid, kind: type(s),
                         matched: s.matched, method: s.method, sources: s.sources} } AS links
ORDER BY rep.uid`), map[string]any{"name": name, "entity": model.EntityLabel})
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
		res, err := tx.Run(ctx, cypher(`MATCH (x:{{Entity}}) WHERE x.uid = $q OR x.name = $q RETURN x.uid`), map[string]any{"q": uidOrName})
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
		// The cluster is split: its actors' rollups are marked before and
		// refreshed after.
		if err := markRollups(ctx, tx, uids); err != nil {
			return nil, err
		}
		res, err = tx.Run(ctx, cypher(`MATCH (x:{{Entity}} {uid: $uid})-[s:{{SAME_AS}}]-(y:{{Entity}})
WITH x, y, s, s.matched AS matched, s.sources AS sources
DELETE s
WITH x, y, matched, sources
MERGE (x)-[n:{{NOT_SAME_AS}}]-(y)
SET n.method = 'undone by the user', n.matched = matched
RETURN x.name, x.uid, y.name, y.uid, matched, sources`), map[string]any{"uid": uids[0]})
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
		if err := res.Err(); err != nil {
			return nil, err
		}
		var others []string
		for _, l := range out {
			others = append(others, l.ToUID)
		}
		if err := markRollups(ctx, tx, others); err != nil {
			return nil, err
		}
		_, err = refreshRollups(ctx, tx)
		return out, err
	})
}

// NotFoundError says a named thing is not in the graph (a usage error).
type NotFoundError struct{ What string }

func (e *NotFoundError) Error() string { return e.What }
