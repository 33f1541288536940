package graph

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/threatkg/threatkg/graph/model"
)

// DefaultBatchSize is the number of rows per UNWIND statement.
const DefaultBatchSize = 1000

// LoadOptions tune Load.
type LoadOptions struct {
	BatchSize int              // rows per UNWIND statement; DefaultBatchSize when 0
	DryRun    bool             // plan only: report what would change, write nothing
	Now       func() time.Time // clock for loaded_at; time.Now when nil
}

// Change counts what a load does to one label or relationship type.
type Change struct {
	Created int `json:"created"`
	Updated int `json:"updated"`
	Deleted int `json:"deleted"`
}

// LoadSummary reports a load, per label and per relationship type.
type LoadSummary struct {
	Source        string             `json:"source"`
	Title         string             `json:"title"`
	DryRun        bool               `json:"dry_run"`
	Nodes         map[string]*Change `json:"nodes"`
	Relationships map[string]*Change `json:"relationships"`
	// Entity resolution (not computed in a dry run).
	Resolved  []Resolution `json:"resolved"`
	Ambiguous []Ambiguity  `json:"ambiguous"`
}

func (s *LoadSummary) node(label string) *Change {
	if s.Nodes[label] == nil {
		s.Nodes[label] = &Change{}
	}
	return s.Nodes[label]
}

func (s *LoadSummary) rel(typ string) *Change {
	if s.Relationships[typ] == nil {
		s.Relationships[typ] = &Change{}
	}
	return s.Relationships[typ]
}

// Load writes one source's document so that the graph holds exactly what
// the source now says: its Report, its entities and MENTIONS, its claims.
// Claims the source made before and no longer makes are deleted; entities
// no source mentions any more are deleted; entities and claims other sources
// support stay. Loading the same document twice gives the same graph.
//
// Constraints are applied first. The document is then written in one
// managed write transaction (all or nothing; retried by the driver on
// transient errors), in UNWIND batches of opts.BatchSize rows: nodes before
// relationships.
func (c *Client) Load(ctx context.Context, doc model.Document, opts LoadOptions) (LoadSummary, error) {
	summary, err := c.load(ctx, doc, opts)
	if err != nil && lostConnection(err) {
		return LoadSummary{}, &ConnectError{Kind: Unreachable, URI: c.URI(), Username: c.cfg.Username, Database: c.cfg.Database,
			Err: fmt.Errorf("the connection was lost while loading %q; its transaction was rolled back, so nothing of it was written; load it again once the server is back", doc.Source.Title)}
	}
	return summary, err
}

// lostConnection reports whether the server went away, also when the
// driver gave up retrying because of it.
func lostConnection(err error) bool {
	// The driver's retry limit error carries its causes only as text.
	return errors.As(err, new(*neo4j.ConnectivityError)) || strings.Contains(err.Error(), "ConnectivityError")
}

func (c *Client) load(ctx context.Context, doc model.Document, opts LoadOptions) (LoadSummary, error) {
	if err := model.Declared.CheckDocument(doc); err != nil {
		return LoadSummary{}, err
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = DefaultBatchSize
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	summary, err := c.plan(ctx, doc)
	if err != nil {
		return LoadSummary{}, err
	}
	summary.DryRun = opts.DryRun
	if opts.DryRun {
		return summary, nil
	}
	if err := c.ApplySchema(ctx); err != nil {
		return LoadSummary{}, err
	}
	session := c.session(ctx, writeAccess)
	defer session.Close(ctx)
	type outcome struct {
		resolved  []Resolution
		ambiguous []Ambiguity
	}
	out, err := neo4j.ExecuteWrite(ctx, session, func(tx neo4j.ManagedTransaction) (outcome, error) {
		if err := writeDocument(ctx, tx, doc, opts); err != nil {
			return outcome{}, err
		}
		r, a, err := resolveDocument(ctx, tx, doc)
		return outcome{r, a}, err
	})
	if err != nil {
		return LoadSummary{}, fmt.Errorf("write %s: %w", doc.Source.UID, err)
	}
	summary.Resolved, summary.Ambiguous = out.resolved, out.ambiguous
	if summary.Resolved == nil {
		summary.Resolved = []Resolution{}
	}
	if summary.Ambiguous == nil {
		summary.Ambiguous = []Ambiguity{}
	}
	return summary, nil
}

// plan compares the document with what the graph holds for its source.
func (c *Client) plan(ctx context.Context, doc model.Document) (LoadSummary, error) {
	s := LoadSummary{Source: doc.Source.UID, Title: doc.Source.Title, Nodes: map[string]*Change{}, Relationships: map[string]*Change{}}
	uids := make([]string, len(doc.Entities))
	for i, e := range doc.Entities {
		uids[i] = e.UID
	}
	session := c.session(ctx, readAccess)
	defer session.Close(ctx)
	_, err := session.ExecuteRead(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		s.Nodes, s.Relationships = map[string]*Change{}, map[string]*Change{} // a retry starts afresh
		existing, err := collectStrings(ctx, tx, "UNWIND $uids AS uid MATCH (n:Entity {uid: uid}) RETURN uid", map[string]any{"uids": uids})
		if err != nil {
			return nil, err
		}
		for _, e := range doc.Entities {
			if existing[e.UID] {
				s.node(e.Label).Updated++
			} else {
				s.node(e.Label).Created++
			}
		}
		// Entities this source mentioned before, no longer mentions, and no
		// other source mentions: the load deletes them.
		res, err := tx.Run(ctx, `
MATCH (:Report {uid: $src})-[:MENTIONS]->(n:Entity)
WHERE NOT n.uid IN $uids AND NOT EXISTS { MATCH (r:Report)-[:MENTIONS]->(n) WHERE r.uid <> $src }
RETURN [l IN labels(n) WHERE l <> $entity][0] AS label`, map[string]any{"src": doc.Source.UID, "uids": uids, "entity": model.EntityLabel})
		if err != nil {
			return nil, err
		}
		for res.Next(ctx) {
			label, _ := res.Record().Values[0].(string)
			s.node(label).Deleted++
		}
		if err := res.Err(); err != nil {
			return nil, err
		}
		mentioned, err := collectStrings(ctx, tx, "MATCH (:Report {uid: $src})-[:MENTIONS]->(n:Entity) RETURN n.uid", map[string]any{"src": doc.Source.UID})
		if err != nil {
			return nil, err
		}
		m := s.rel(model.MentionsType)
		for _, uid := range uids {
			if mentioned[uid] {
				m.Updated++
				delete(mentioned, uid)
			} else {
				m.Created++
			}
		}
		m.Deleted = len(mentioned)

		// This source's claims now in the graph, by claim uid.
		res, err = tx.Run(ctx, `
MATCH (:Report {uid: $src})-[:MENTIONS]->(:Entity)-[r]-(:Entity)
WHERE r.source = $src
RETURN DISTINCT r.claim AS claim, type(r) AS type`, map[string]any{"src": doc.Source.UID})
		if err != nil {
			return nil, err
		}
		old := map[string]string{}
		for res.Next(ctx) {
			claim, _ := res.Record().Values[0].(string)
			typ, _ := res.Record().Values[1].(string)
			old[claim] = typ
		}
		if err := res.Err(); err != nil {
			return nil, err
		}
		for _, cl := range doc.Claims {
			if _, ok := old[cl.UID]; ok {
				s.rel(cl.Type).Updated++
				delete(old, cl.UID)
			} else {
				s.rel(cl.Type).Created++
			}
		}
		for _, typ := range old {
			s.rel(typ).Deleted++
		}
		return nil, nil
	})
	if err != nil {
		return LoadSummary{}, fmt.Errorf("plan the load of %s: %w", doc.Source.UID, err)
	}
	return s, nil
}

func collectStrings(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, params map[string]any) (map[string]bool, error) {
	res, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for res.Next(ctx) {
		if s, ok := res.Record().Values[0].(string); ok {
			out[s] = true
		}
	}
	return out, res.Err()
}

// writeDocument runs the load's statements in order. The order matters:
// stale claims are found through the source's old MENTIONS, so they go
// before stale MENTIONS; entities are recomputed from all remaining
// MENTIONS; orphans go last.
func writeDocument(ctx context.Context, tx neo4j.ManagedTransaction, doc model.Document, opts LoadOptions) error {
	src := doc.Source.UID
	run := func(cypher string, params map[string]any) error {
		res, err := tx.Run(ctx, cypher, params)
		if err != nil {
			return err
		}
		_, err = res.Consume(ctx)
		return err
	}
	batches := func(cypher string, rows []map[string]any, extra map[string]any) error {
		for start := 0; start < len(rows); start += opts.BatchSize {
			end := min(start+opts.BatchSize, len(rows))
			params := map[string]any{"rows": rows[start:end]}
			for k, v := range extra {
				params[k] = v
			}
			if err := run(cypher, params); err != nil {
				return err
			}
		}
		return nil
	}

	// 1. The Report.
	if err := run(mergeReportCypher, map[string]any{"uid": src, "props": reportProps(doc.Source, opts.Now())}); err != nil {
		return fmt.Errorf("merge report: %w", err)
	}
	// 2. Entity nodes, one statement per label.
	byLabel := map[string][]map[string]any{}
	uids := make([]string, len(doc.Entities))
	mentionRows := make([]map[string]any, len(doc.Entities))
	for i, e := range doc.Entities {
		uids[i] = e.UID
		byLabel[e.Label] = append(byLabel[e.Label], map[string]any{"uid": e.UID})
		mentionRows[i] = mentionRow(e)
	}
	// Ends of claims that other sources bring (their nodes normally exist
	// already; within one import they may come from a later document).
	for uid, label := range doc.External {
		byLabel[label] = append(byLabel[label], map[string]any{"uid": uid})
	}
	for _, label := range sortedKeys(byLabel) {
		if err := batches(mergeEntitiesCypher(label), byLabel[label], nil); err != nil {
			return fmt.Errorf("merge %s nodes: %w", label, err)
		}
	}
	// 3. Claims this source no longer makes.
	claimUIDs := make([]string, len(doc.Claims))
	for i, cl := range doc.Claims {
		claimUIDs[i] = cl.UID
	}
	if err := run(deleteStaleClaimsCypher, map[string]any{"src": src, "claims": claimUIDs}); err != nil {
		return fmt.Errorf("delete stale claims: %w", err)
	}
	// 4. MENTIONS: what this source says of each entity.
	if err := batches(mergeMentionsCypher, mentionRows, map[string]any{"src": src}); err != nil {
		return fmt.Errorf("merge mentions: %w", err)
	}
	res, err := tx.Run(ctx, deleteStaleMentionsCypher, map[string]any{"src": src, "uids": uids})
	if err != nil {
		return fmt.Errorf("delete stale mentions: %w", err)
	}
	touched := append([]string{}, uids...)
	for res.Next(ctx) {
		if uid, ok := res.Record().Values[0].(string); ok {
			touched = append(touched, uid)
		}
	}
	if err := res.Err(); err != nil {
		return fmt.Errorf("delete stale mentions: %w", err)
	}
	// 5. Claims, one statement per relationship type.
	byType := map[string][]map[string]any{}
	for _, cl := range doc.Claims {
		byType[cl.Type] = append(byType[cl.Type], claimRow(cl))
	}
	for _, typ := range sortedKeys(byType) {
		if err := batches(mergeClaimsCypher(typ), byType[typ], map[string]any{"src": src}); err != nil {
			return fmt.Errorf("merge %s claims: %w", typ, err)
		}
	}
	// 6. Entity properties from all sources' MENTIONS; then orphans.
	for start := 0; start < len(touched); start += opts.BatchSize {
		end := min(start+opts.BatchSize, len(touched))
		if err := run(recomputeEntitiesCypher, map[string]any{"uids": touched[start:end]}); err != nil {
			return fmt.Errorf("recompute entities: %w", err)
		}
		if err := run(deleteOrphansCypher, map[string]any{"uids": touched[start:end]}); err != nil {
			return fmt.Errorf("delete orphans: %w", err)
		}
	}
	return nil
}

const mergeReportCypher = `MERGE (r:Report {uid: $uid}) SET r += $props`

func reportProps(s model.Source, now time.Time) map[string]any {
	props := map[string]any{
		"kind": s.Kind, "title": s.Title, "publisher": s.Publisher, "date": s.Date,
		"url": nilIfEmpty(s.URL), "file": nilIfEmpty(s.File), "text_sha256": nilIfEmpty(s.TextSHA256),
		"loaded_at":      now.UTC().Format(time.RFC3339),
		"stix_id":        nilIfEmpty(s.STIXID),
		"attack_version": nilIfEmpty(s.ATTACKVersion), "attack_spec_version": nilIfEmpty(s.ATTACKSpecVersion),
		"skipped": nonNilStrings(s.Skipped),
	}
	return props
}

// mergeEntitiesCypher creates the entity nodes of one label. The label comes
// from the declared model (CheckDocument verified it) and is quoted.
func mergeEntitiesCypher(label string) string {
	return fmt.Sprintf("UNWIND $rows AS row MERGE (n:%s {%s: row.uid}) SET n:%s",
		quoteName(model.EntityLabel), model.KeyProperty, quoteName(label))
}

// mentionProperties are the per-source values MENTIONS carries: the common
// entity properties (but uid) and every declared label-specific property.
func mentionProperties() []string {
	out := []string{"name", "aliases", "description", "quote", "keys"}
	for _, p := range model.Declared.EntityProperties() {
		out = append(out, p.Name)
	}
	return out
}

var mergeMentionsCypher = func() string {
	var sets []string
	for _, p := range mentionProperties() {
		sets = append(sets, fmt.Sprintf("m.%s = row.%s", quoteName(p), quoteName(p)))
	}
	return fmt.Sprintf(`MATCH (r:Report {uid: $src})
UNWIND $rows AS row
MATCH (n:Entity {uid: row.uid})
MERGE (r)-[m:MENTIONS]->(n)
SET %s`, strings.Join(sets, ", "))
}()

// entityKeys are the normalised name and aliases, which entity resolution
// compares (see resolve.go).
func entityKeys(e model.Entity) []string {
	seen := map[string]bool{}
	keys := []string{}
	for _, n := range append([]string{e.Name}, e.Aliases...) {
		if k := model.Normalize(n); k != "" && !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

func mentionRow(e model.Entity) map[string]any {
	row := map[string]any{
		"uid": e.UID, "name": e.Name, "aliases": nonNilStrings(e.Aliases),
		"description": nilIfEmpty(e.Description), "quote": e.Quote, "keys": entityKeys(e),
	}
	for _, p := range model.Declared.EntityProperties() {
		row[p.Name] = e.Properties[p.Name] // nil when absent: SET removes it
	}
	return row
}

const deleteStaleMentionsCypher = `MATCH (:Report {uid: $src})-[m:MENTIONS]->(n:Entity)
WHERE NOT n.uid IN $uids
DELETE m
RETURN n.uid`

// deleteStaleClaimsCypher finds the source's claims through the entities
// it mentions (at least one end of each claim is one of them).
const deleteStaleClaimsCypher = `MATCH (:Report {uid: $src})-[:MENTIONS]->(:Entity)-[r]-(:Entity)
WHERE r.source = $src AND NOT r.claim IN $claims
DELETE r`

// mergeClaimsCypher writes one source's claims of one relationship type:
// one relationship per claim uid, that is per type, endpoints and source.
func mergeClaimsCypher(typ string) string {
	sets := []string{"r.source = $src", "r.quote = row.quote", "r.date = row.date", "r.citations = row.citations"}
	for _, p := range model.Declared.RelProperties() {
		sets = append(sets, fmt.Sprintf("r.%s = row.%s", quoteName(p.Name), quoteName(p.Name)))
	}
	return fmt.Sprintf(`UNWIND $rows AS row
MATCH (a:Entity {uid: row.from})
MATCH (b:Entity {uid: row.to})
MERGE (a)-[r:%s {claim: row.claim}]->(b)
SET %s`, quoteName(typ), strings.Join(sets, ", "))
}

func claimRow(cl model.Claim) map[string]any {
	row := map[string]any{"claim": cl.UID, "from": cl.From, "to": cl.To, "quote": cl.Quote, "date": nilIfEmpty(cl.Date), "citations": nilIfNoStrings(cl.Citations)}
	for _, p := range model.Declared.RelProperties() {
		row[p.Name] = cl.Properties[p.Name]
	}
	return row
}

// recomputeEntitiesCypher sets each entity's properties from every source's
// MENTIONS, taking sources in uid order, so that the result does not depend
// on the order sources were loaded in: the name and each property come from
// the first source that gives one; aliases are the union of all names and
// aliases but the name.
var recomputeEntitiesCypher = func() string {
	sets := []string{
		"n.name = ms[0].name",
		"n.aliases = [a IN aliases WHERE a <> ms[0].name]",
		"n.keys = keys",
		"n.description = head([m IN ms WHERE m.description IS NOT NULL | m.description])",
	}
	for _, p := range model.Declared.EntityProperties() {
		q := quoteName(p.Name)
		sets = append(sets, fmt.Sprintf("n.%s = head([m IN ms WHERE m.%s IS NOT NULL | m.%s])", q, q, q))
	}
	return fmt.Sprintf(`UNWIND $uids AS uid
MATCH (n:Entity {uid: uid})
CALL (n) {
  MATCH (r:Report)-[m:MENTIONS]->(n)
  WITH r, m ORDER BY r.uid
  RETURN collect(m) AS ms
}
WITH n, ms WHERE size(ms) > 0
CALL (ms) {
  UNWIND ms AS m
  UNWIND [m.name] + coalesce(m.aliases, []) AS a
  WITH DISTINCT a ORDER BY a
  RETURN collect(a) AS aliases
}
CALL (ms) {
  UNWIND ms AS m
  UNWIND coalesce(m.keys, []) AS k
  WITH DISTINCT k ORDER BY k
  RETURN collect(k) AS keys
}
SET %s`, strings.Join(sets, ",\n    "))
}()

const deleteOrphansCypher = `UNWIND $uids AS uid
MATCH (n:Entity {uid: uid})
WHERE NOT EXISTS { MATCH (:Report)-[:MENTIONS]->(n) }
DETACH DELETE n`

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nilIfNoStrings(s []string) any {
	if len(s) == 0 {
		return nil
	}
	return s
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
