package graph

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/threatkg/threatkg/graph/model"
)

// DefaultBatchSize is the number of rows per UNWIND statement.
const DefaultBatchSize = 5000

// DefaultTransactionRows bounds how many rows (entities, claims) one write
// transaction takes when LoadDocuments groups small documents; a document
// larger than this still gets a transaction of its own.
const DefaultTransactionRows = 50000

// LoadOptions tune Load and LoadDocuments.
type LoadOptions struct {
	BatchSize       int              // rows per UNWIND statement; DefaultBatchSize when 0
	TransactionRows int              // rows per write transaction; DefaultTransactionRows when 0
	DryRun          bool             // plan only: report what would change, write nothing
	Now             func() time.Time // clock for loaded_at; time.Now when nil
	// Progress, when set, is called after each transaction with the
	// entities and claims written so far by this call.
	Progress func(rows int)
	// Trace, when set, is told how long each step took (plan, candidates,
	// write transaction, and the statements inside it by kind).
	Trace func(step string, d time.Duration)
}

func (o LoadOptions) trace(step string, start time.Time) {
	if o.Trace != nil {
		o.Trace(step, time.Since(start))
	}
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
func (c *Client) Load(ctx context.Context, doc model.Document, opts LoadOptions) (LoadSummary, error) {
	summaries, err := c.LoadDocuments(ctx, []model.Document{doc}, opts)
	if err != nil {
		return LoadSummary{}, err
	}
	return summaries[0], nil
}

// LoadDocuments loads documents as Load does, one summary per document.
//
// Constraints and indexes are applied first. Documents are then grouped, in
// order, into write transactions of about opts.TransactionRows rows; a
// document is never split, so each source is all or nothing. Each managed
// transaction (retried by the driver on transient errors) writes in UNWIND
// batches of opts.BatchSize rows, grouped by label and by relationship
// type: reports, entity nodes, MENTIONS, then claims sorted by their start
// node, so that concurrent loads take locks in the same order.
func (c *Client) LoadDocuments(ctx context.Context, docs []model.Document, opts LoadOptions) ([]LoadSummary, error) {
	for _, doc := range docs {
		if err := model.Declared.CheckDocument(doc); err != nil {
			return nil, err
		}
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = DefaultBatchSize
	}
	if opts.TransactionRows <= 0 {
		opts.TransactionRows = DefaultTransactionRows
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if !opts.DryRun {
		if err := c.ensureSchema(ctx); err != nil {
			return nil, c.lostConnection(err, docs)
		}
	}
	var out []LoadSummary
	done := 0
	for _, group := range transactionGroups(docs, opts.TransactionRows) {
		summaries, err := c.loadGroup(ctx, group, opts)
		if err != nil {
			return nil, c.lostConnection(err, group)
		}
		out = append(out, summaries...)
		for _, d := range group {
			done += len(d.Entities) + len(d.Claims)
		}
		if opts.Progress != nil {
			opts.Progress(done)
		}
	}
	return out, nil
}

// transactionGroups splits documents, in order, into groups of about
// maxRows rows; a source appears at most once per group.
func transactionGroups(docs []model.Document, maxRows int) [][]model.Document {
	var groups [][]model.Document
	var cur []model.Document
	rows := 0
	inGroup := map[string]bool{}
	for _, d := range docs {
		n := len(d.Entities) + len(d.Claims) + 1
		if len(cur) > 0 && (rows+n > maxRows || inGroup[d.Source.UID]) {
			groups = append(groups, cur)
			cur, rows, inGroup = nil, 0, map[string]bool{}
		}
		cur = append(cur, d)
		rows += n
		inGroup[d.Source.UID] = true
	}
	if len(cur) > 0 {
		groups = append(groups, cur)
	}
	return groups
}

// lostConnection turns a lost server into a ConnectError that says what
// happened to the documents being written.
func (c *Client) lostConnection(err error, docs []model.Document) error {
	// The driver's retry limit error carries its causes only as text.
	if !errors.As(err, new(*neo4j.ConnectivityError)) && !strings.Contains(err.Error(), "ConnectivityError") {
		return err
	}
	what := fmt.Sprintf("%d sources", len(docs))
	if len(docs) == 1 {
		what = fmt.Sprintf("%q", docs[0].Source.Title)
	}
	return &ConnectError{Kind: Unreachable, URI: c.URI(), Username: c.cfg.Username, Database: c.cfg.Database,
		Err: fmt.Errorf("the connection was lost while loading %s; its transaction was rolled back, so nothing of it was written; load it again once the server is back", what)}
}

// loadGroup loads the documents that changed since they were last loaded
// (by content digest) and reports the others as unchanged.
func (c *Client) loadGroup(ctx context.Context, docs []model.Document, opts LoadOptions) ([]LoadSummary, error) {
	t := time.Now()
	unchanged, err := c.unchangedSources(ctx, docs)
	if err != nil {
		return nil, err
	}
	opts.trace("unchanged", t)
	var changed []model.Document
	for _, d := range docs {
		if !unchanged[d.Source.UID] {
			changed = append(changed, d)
		}
	}
	var written []LoadSummary
	if len(changed) > 0 {
		if written, err = c.loadChanged(ctx, changed, opts); err != nil {
			return nil, err
		}
	}
	out := make([]LoadSummary, 0, len(docs))
	for _, d := range docs {
		if unchanged[d.Source.UID] {
			out = append(out, unchangedSummary(d, opts.DryRun))
		} else {
			out = append(out, written[0])
			written = written[1:]
		}
	}
	return out, nil
}

// documentDigest is the SHA-256 of everything a document says, in a stable
// encoding (encoding/json sorts map keys).
func documentDigest(d model.Document) string {
	b, err := json.Marshal(d)
	if err != nil { // only plain values: cannot happen
		panic(fmt.Sprintf("digest of %s: %v", d.Source.UID, err))
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// unchangedSources returns the sources whose Report holds the digest of
// the document now given: loading them again would change nothing.
func (c *Client) unchangedSources(ctx context.Context, docs []model.Document) (map[string]bool, error) {
	rows := make([]map[string]any, len(docs))
	for i, d := range docs {
		rows[i] = map[string]any{"uid": d.Source.UID, "digest": documentDigest(d)}
	}
	session := c.session(ctx, readAccess)
	defer session.Close(ctx)
	out, err := neo4j.ExecuteRead(ctx, session, func(tx neo4j.ManagedTransaction) (map[string]bool, error) {
		return collectStrings(ctx, tx, `UNWIND $rows AS row
MATCH (r:Report {uid: row.uid})
WHERE r.content_sha256 = row.digest
RETURN r.uid`, map[string]any{"rows": rows})
	})
	if err != nil {
		return nil, fmt.Errorf("compare with the loaded sources: %w", err)
	}
	return out, nil
}

// unchangedSummary is the summary of a document loaded again as it was:
// everything is there already.
func unchangedSummary(d model.Document, dryRun bool) LoadSummary {
	s := LoadSummary{Source: d.Source.UID, Title: d.Source.Title, DryRun: dryRun, Nodes: map[string]*Change{}, Relationships: map[string]*Change{},
		Resolved: []Resolution{}, Ambiguous: []Ambiguity{}}
	for _, e := range d.Entities {
		s.node(e.Label).Updated++
		s.rel(model.MentionsType).Updated++
	}
	for _, cl := range d.Claims {
		s.rel(cl.Type).Updated++
	}
	return s
}

func (c *Client) loadChanged(ctx context.Context, docs []model.Document, opts LoadOptions) ([]LoadSummary, error) {
	t := time.Now()
	summaries, err := c.plan(ctx, docs)
	if err != nil {
		return nil, err
	}
	opts.trace("plan", t)
	for i := range summaries {
		summaries[i].DryRun = opts.DryRun
		summaries[i].Resolved, summaries[i].Ambiguous = []Resolution{}, []Ambiguity{}
	}
	if opts.DryRun {
		return summaries, nil
	}
	session := c.session(ctx, writeAccess)
	defer session.Close(ctx)
	t = time.Now()
	settled, err := neo4j.ExecuteWrite(ctx, session, func(tx neo4j.ManagedTransaction) ([]string, error) {
		return writeDocuments(ctx, tx, docs, opts)
	})
	opts.trace("write transaction", t)
	if err != nil {
		if len(docs) == 1 {
			return nil, fmt.Errorf("write %s: %w", docs[0].Source.UID, err)
		}
		return nil, fmt.Errorf("write %d sources (%s, ...): %w", len(docs), docs[0].Source.UID, err)
	}
	type outcome struct {
		resolved  []Resolution
		ambiguous []Ambiguity
	}
	t = time.Now()
	out, err := neo4j.ExecuteWrite(ctx, session, func(tx neo4j.ManagedTransaction) (outcome, error) {
		r, a, err := resolveEntities(ctx, tx, docs, settled)
		return outcome{r, a}, err
	})
	opts.trace("resolve", t)
	if err != nil {
		return nil, fmt.Errorf("resolve the entities of %s: %w", docs[0].Source.UID, err)
	}
	// Each resolution goes to the summary of a document that mentions the
	// entity it resolved.
	owner := map[string]int{}
	for i, d := range docs {
		for _, e := range d.Entities {
			if _, ok := owner[e.Name+"\x00"+e.Label]; !ok {
				owner[e.Name+"\x00"+e.Label] = i
			}
		}
	}
	for _, r := range out.resolved {
		i := owner[r.From+"\x00"+r.Label]
		summaries[i].Resolved = append(summaries[i].Resolved, r)
	}
	for _, a := range out.ambiguous {
		i := owner[a.Entity+"\x00"+a.Label]
		summaries[i].Ambiguous = append(summaries[i].Ambiguous, a)
	}
	return summaries, nil
}

// oldMention is a MENTIONS edge a source had before this load.
type oldMention struct {
	uid, label string
	elementID  string
	onlySource bool // no other source mentions the entity
}

// oldClaim is a claim relationship a source had before this load.
type oldClaim struct {
	typ, elementID string
}

// sourceUIDs lists the documents' source uids.
func sourceUIDs(docs []model.Document) []string {
	out := make([]string, len(docs))
	for i, d := range docs {
		out[i] = d.Source.UID
	}
	return out
}

// loadedSources returns the sources whose Report is in the graph: only they
// can have claims and MENTIONS to replace.
func loadedSources(ctx context.Context, tx neo4j.ManagedTransaction, srcs []string) ([]string, error) {
	res, err := tx.Run(ctx, `UNWIND $srcs AS src
MATCH (r:Report {uid: src})
RETURN src`, map[string]any{"srcs": srcs})
	if err != nil {
		return nil, err
	}
	var out []string
	for res.Next(ctx) {
		if s, ok := res.Record().Values[0].(string); ok {
			out = append(out, s)
		}
	}
	return out, res.Err()
}

// previousMentions reads what each source mentioned before, by source uid.
func previousMentions(ctx context.Context, tx neo4j.ManagedTransaction, srcs []string) (map[string]map[string]oldMention, error) {
	if len(srcs) == 0 {
		return map[string]map[string]oldMention{}, nil
	}
	res, err := tx.Run(ctx, `UNWIND $srcs AS src
MATCH (:Report {uid: src})-[m:MENTIONS]->(n:Entity)
RETURN src, n.uid, [l IN labels(n) WHERE l <> $entity][0], elementId(m),
       NOT EXISTS { MATCH (r:Report)-[:MENTIONS]->(n) WHERE r.uid <> src }`, map[string]any{"srcs": srcs, "entity": model.EntityLabel})
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]oldMention{}
	for res.Next(ctx) {
		v := res.Record().Values
		src, _ := v[0].(string)
		m := oldMention{}
		m.uid, _ = v[1].(string)
		m.label, _ = v[2].(string)
		m.elementID, _ = v[3].(string)
		m.onlySource, _ = v[4].(bool)
		if out[src] == nil {
			out[src] = map[string]oldMention{}
		}
		out[src][m.uid] = m
	}
	return out, res.Err()
}

// previousClaims reads each source's claims, by source uid and claim uid,
// through the per-type index on the claims' source.
func previousClaims(ctx context.Context, tx neo4j.ManagedTransaction, srcs []string) (map[string]map[string]oldClaim, error) {
	out := map[string]map[string]oldClaim{}
	if len(srcs) == 0 {
		return out, nil
	}
	for _, typ := range model.Declared.RelTypes() {
		res, err := tx.Run(ctx, fmt.Sprintf(`UNWIND $srcs AS src
MATCH ()-[r:%s {source: src}]->()
RETURN src, r.claim, elementId(r)`, quoteName(typ)), map[string]any{"srcs": srcs})
		if err != nil {
			return nil, err
		}
		for res.Next(ctx) {
			v := res.Record().Values
			src, _ := v[0].(string)
			claim, _ := v[1].(string)
			id, _ := v[2].(string)
			if out[src] == nil {
				out[src] = map[string]oldClaim{}
			}
			out[src][claim] = oldClaim{typ: typ, elementID: id}
		}
		if err := res.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// plan compares each document with what the graph holds for its source, in
// order, as if the documents were loaded one after the other.
func (c *Client) plan(ctx context.Context, docs []model.Document) ([]LoadSummary, error) {
	var uids []string
	seen := map[string]bool{}
	for _, d := range docs {
		for _, e := range d.Entities {
			if !seen[e.UID] {
				seen[e.UID] = true
				uids = append(uids, e.UID)
			}
		}
	}
	srcs := sourceUIDs(docs)
	session := c.session(ctx, readAccess)
	defer session.Close(ctx)
	var out []LoadSummary
	_, err := session.ExecuteRead(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		out = make([]LoadSummary, len(docs)) // a retry starts afresh
		existing, err := collectStrings(ctx, tx, "UNWIND $uids AS uid MATCH (n:Entity {uid: uid}) RETURN uid", map[string]any{"uids": uids})
		if err != nil {
			return nil, err
		}
		loaded, err := loadedSources(ctx, tx, srcs)
		if err != nil {
			return nil, err
		}
		mentions, err := previousMentions(ctx, tx, loaded)
		if err != nil {
			return nil, err
		}
		claims, err := previousClaims(ctx, tx, loaded)
		if err != nil {
			return nil, err
		}
		for i, doc := range docs {
			s := LoadSummary{Source: doc.Source.UID, Title: doc.Source.Title, Nodes: map[string]*Change{}, Relationships: map[string]*Change{}}
			inDoc := map[string]bool{}
			m := s.rel(model.MentionsType)
			for _, e := range doc.Entities {
				inDoc[e.UID] = true
				if existing[e.UID] {
					s.node(e.Label).Updated++
				} else {
					s.node(e.Label).Created++
					existing[e.UID] = true // for the documents after this one
				}
				if _, ok := mentions[doc.Source.UID][e.UID]; ok {
					m.Updated++
				} else {
					m.Created++
				}
			}
			for uid, old := range mentions[doc.Source.UID] {
				if inDoc[uid] {
					continue
				}
				m.Deleted++
				// Entities this source mentioned before, no longer mentions,
				// and no other source mentions: the load deletes them.
				if old.onlySource {
					s.node(old.label).Deleted++
				}
			}
			oldClaims := claims[doc.Source.UID]
			inDoc = map[string]bool{}
			for _, cl := range doc.Claims {
				inDoc[cl.UID] = true
				if _, ok := oldClaims[cl.UID]; ok {
					s.rel(cl.Type).Updated++
				} else {
					s.rel(cl.Type).Created++
				}
			}
			for claim, old := range oldClaims {
				if !inDoc[claim] {
					s.rel(old.typ).Deleted++
				}
			}
			out[i] = s
		}
		return nil, nil
	})
	if err != nil {
		return nil, fmt.Errorf("plan the load of %s: %w", srcs[0], err)
	}
	return out, nil
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

// writeDocuments runs the load's statements in order: reports, entity
// nodes, stale claims and MENTIONS out, MENTIONS, claims; then entities are
// recomputed from all remaining MENTIONS, and orphans go last.
//
// Two shortcuts keep first loads fast, both decided by what the MERGE
// statements themselves created (so a concurrent load of the same source
// or entity, which waits on the uniqueness constraint's lock and then
// matches, takes the general path):
//   - a source whose Report this transaction created has no claims or
//     MENTIONS yet: they are created, not merged, and nothing is stale;
//   - an entity this transaction created, mentioned by one document of the
//     group, gets its properties from that mention directly (entityProps,
//     equal to what the recompute statement would derive) and needs no
//     recompute and no orphan check.
func writeDocuments(ctx context.Context, tx neo4j.ManagedTransaction, docs []model.Document, opts LoadOptions) ([]string, error) {
	trace := opts.trace
	// batches runs cypher over rows in batches; collect, when set, gets the
	// first column of every record.
	batches := func(step, cypher string, rows []any, collect func(any)) error {
		defer trace(step, time.Now())
		for start := 0; start < len(rows); start += opts.BatchSize {
			end := min(start+opts.BatchSize, len(rows))
			res, err := tx.Run(ctx, cypher, map[string]any{"rows": rows[start:end]})
			if err != nil {
				return err
			}
			for collect != nil && res.Next(ctx) {
				collect(res.Record().Values[0])
			}
			if _, err := res.Consume(ctx); err != nil {
				return err
			}
		}
		return nil
	}

	// 1. The Reports; which of them this transaction created.
	now := opts.Now()
	reports := make([]any, len(docs))
	for i, d := range docs {
		props := reportProps(d.Source, now)
		props["content_sha256"] = documentDigest(d)
		reports[i] = map[string]any{"uid": d.Source.UID, "props": props}
	}
	newSource := map[string]bool{}
	if err := batches("reports", mergeReportsCypher, reports, func(v any) {
		if uid, ok := v.(string); ok {
			newSource[uid] = true
		}
	}); err != nil {
		return nil, fmt.Errorf("merge reports: %w", err)
	}
	var loaded []string
	for _, d := range docs {
		if !newSource[d.Source.UID] {
			loaded = append(loaded, d.Source.UID)
		}
	}

	// 2. Entity nodes, one statement per label. External entities are ends
	// of claims that other sources bring (their nodes normally exist
	// already; within one import they may come from a later document).
	mentions := map[string]int{}
	for _, d := range docs {
		for _, e := range d.Entities {
			mentions[e.UID]++
		}
	}
	byLabel := map[string][]any{}
	seen := map[string]bool{}
	var mentionRows []any
	var entityUIDs []string
	for _, d := range docs {
		for _, e := range d.Entities {
			row := mentionRow(e)
			row["src"] = d.Source.UID
			mentionRows = append(mentionRows, row)
			if seen[e.UID] {
				continue
			}
			seen[e.UID] = true
			entityUIDs = append(entityUIDs, e.UID)
			var props any
			if mentions[e.UID] == 1 {
				if p, ok := entityProps(e); ok {
					props = p
				}
			}
			byLabel[e.Label] = append(byLabel[e.Label], map[string]any{"uid": e.UID, "props": props})
		}
	}
	for _, d := range docs {
		for _, uid := range sortedKeys(d.External) {
			if !seen[uid] {
				seen[uid] = true
				byLabel[d.External[uid]] = append(byLabel[d.External[uid]], map[string]any{"uid": uid, "props": nil})
			}
		}
	}
	settled := map[string]bool{} // created here with their properties
	for _, label := range sortedKeys(byLabel) {
		if err := batches("entities", mergeEntitiesCypher(label), byLabel[label], func(v any) {
			if uid, ok := v.(string); ok {
				settled[uid] = true
			}
		}); err != nil {
			return nil, fmt.Errorf("merge %s nodes: %w", label, err)
		}
	}
	// Entities to recompute. One that only gained MENTIONS from sources new
	// in this transaction carries those mentions' payloads: the recompute
	// statement skips it when each payload is already subsumed by the
	// entity's properties (same name, known aliases and keys, equal or no
	// other values), for then the derived properties cannot change. That
	// keeps hubs (a technique many reports name) cheap to load.
	newMentions := map[string][]map[string]any{}
	onlyNew := map[string]bool{}
	for _, d := range docs {
		for _, e := range d.Entities {
			if _, ok := onlyNew[e.UID]; !ok {
				onlyNew[e.UID] = true
			}
			if !newSource[d.Source.UID] {
				onlyNew[e.UID] = false
				continue
			}
			p := subsumptionPayload(e)
			if !slices.ContainsFunc(newMentions[e.UID], func(q map[string]any) bool { return reflect.DeepEqual(p, q) }) {
				newMentions[e.UID] = append(newMentions[e.UID], p)
			}
		}
	}
	var touched []any
	touchedAt := map[string]int{}
	touch := func(uid string, mentions any) {
		if settled[uid] {
			return
		}
		if i, ok := touchedAt[uid]; ok {
			if mentions == nil {
				touched[i].(map[string]any)["mentions"] = nil
			}
			return
		}
		touchedAt[uid] = len(touched)
		touched = append(touched, map[string]any{"uid": uid, "mentions": mentions})
	}
	for _, uid := range entityUIDs {
		if onlyNew[uid] {
			touch(uid, newMentions[uid])
		} else {
			touch(uid, nil)
		}
	}

	// 3. Claims and MENTIONS the sources loaded before no longer make.
	t := time.Now()
	oldClaims, err := previousClaims(ctx, tx, loaded)
	if err != nil {
		return nil, fmt.Errorf("read previous claims: %w", err)
	}
	oldMentions, err := previousMentions(ctx, tx, loaded)
	if err != nil {
		return nil, fmt.Errorf("read previous mentions: %w", err)
	}
	trace("previous", t)
	var stale []any
	for _, src := range loaded {
		d := docs[slices.IndexFunc(docs, func(d model.Document) bool { return d.Source.UID == src })]
		current := map[string]bool{}
		for _, cl := range d.Claims {
			current[cl.UID] = true
		}
		for _, claim := range sortedKeys(oldClaims[src]) {
			if !current[claim] {
				stale = append(stale, oldClaims[src][claim].elementID)
			}
		}
		current = map[string]bool{}
		for _, e := range d.Entities {
			current[e.UID] = true
		}
		for _, uid := range sortedKeys(oldMentions[src]) {
			if !current[uid] {
				stale = append(stale, oldMentions[src][uid].elementID)
				touch(uid, nil)
			}
		}
	}
	if err := batches("stale", deleteRelationshipsCypher, stale, nil); err != nil {
		return nil, fmt.Errorf("delete stale claims and mentions: %w", err)
	}

	// 4. MENTIONS: what each source says of each entity; created for new
	// sources, merged for the others.
	var createMentions, mergeMentions []any
	for _, r := range mentionRows {
		if row := r.(map[string]any); newSource[row["src"].(string)] {
			createMentions = append(createMentions, r)
		} else {
			mergeMentions = append(mergeMentions, r)
		}
	}
	if err := batches("mentions", mentionsCypher("CREATE"), createMentions, nil); err != nil {
		return nil, fmt.Errorf("create mentions: %w", err)
	}
	if err := batches("mentions", mentionsCypher("MERGE"), mergeMentions, nil); err != nil {
		return nil, fmt.Errorf("merge mentions: %w", err)
	}

	// 5. Claims, one statement per relationship type, in start-node order
	// (so concurrent loads lock nodes in the same order).
	byType := map[string][]any{}
	for _, d := range docs {
		for _, cl := range d.Claims {
			byType[cl.Type] = append(byType[cl.Type], claimRow(cl, d.Source.UID))
		}
	}
	for _, typ := range sortedKeys(byType) {
		rows := byType[typ]
		sort.SliceStable(rows, func(i, j int) bool {
			return rows[i].(map[string]any)["from"].(string) < rows[j].(map[string]any)["from"].(string)
		})
		var create, merge []any
		for _, r := range rows {
			if newSource[r.(map[string]any)["src"].(string)] {
				create = append(create, r)
			} else {
				merge = append(merge, r)
			}
		}
		if err := batches("claims", claimsCypher("CREATE", typ), create, nil); err != nil {
			return nil, fmt.Errorf("create %s claims: %w", typ, err)
		}
		if err := batches("claims", claimsCypher("MERGE", typ), merge, nil); err != nil {
			return nil, fmt.Errorf("merge %s claims: %w", typ, err)
		}
	}

	// 6. Entity properties from all sources' MENTIONS; then orphans.
	if err := batches("recompute", recomputeEntitiesCypher, touched, nil); err != nil {
		return nil, fmt.Errorf("recompute entities: %w", err)
	}
	touchedUIDs := make([]any, len(touched))
	for i, row := range touched {
		touchedUIDs[i] = row.(map[string]any)["uid"]
	}
	if err := batches("orphans", deleteOrphansCypher, touchedUIDs, nil); err != nil {
		return nil, fmt.Errorf("delete orphans: %w", err)
	}
	return sortedKeys(settled), nil
}

// mergeReportsCypher merges the Reports and returns the uids of those it
// created. The marker property is set and removed in the same statement, so
// it never reaches the database.
const mergeReportsCypher = `UNWIND $rows AS row
MERGE (r:Report {uid: row.uid})
ON CREATE SET r.threatkg_created = true
WITH r, row, r.threatkg_created IS NOT NULL AS created
REMOVE r.threatkg_created
SET r += row.props
WITH row, created WHERE created
RETURN row.uid`

const deleteRelationshipsCypher = `UNWIND $rows AS id MATCH ()-[r]->() WHERE elementId(r) = id DELETE r`

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

// mergeEntitiesCypher merges the entity nodes of one label, sets the
// properties of those it creates when the row has them, and returns their
// uids. The label comes from the declared model (CheckDocument verified it)
// and is quoted.
func mergeEntitiesCypher(label string) string {
	return fmt.Sprintf(`UNWIND $rows AS row
MERGE (n:%s {%s: row.uid})
ON CREATE SET n.threatkg_created = true
SET n:%s
WITH n, row, n.threatkg_created IS NOT NULL AS created
REMOVE n.threatkg_created
WITH n, row WHERE created AND row.props IS NOT NULL
SET n += row.props
RETURN row.uid`, quoteName(model.EntityLabel), model.KeyProperty, quoteName(label))
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

// mentionsCypher writes MENTIONS rows; verb is CREATE (a source new in this
// transaction) or MERGE.
func mentionsCypher(verb string) string {
	var sets []string
	for _, p := range mentionProperties() {
		sets = append(sets, fmt.Sprintf("m.%s = row.%s", quoteName(p), quoteName(p)))
	}
	return fmt.Sprintf(`UNWIND $rows AS row
MATCH (r:Report {uid: row.src})
MATCH (n:Entity {uid: row.uid})
%s (r)-[m:MENTIONS]->(n)
SET %s`, verb, strings.Join(sets, ", "))
}

// subsumptionPayload is what a mention says that derived properties depend
// on: name, aliases, keys, description and the declared properties.
func subsumptionPayload(e model.Entity) map[string]any {
	row := mentionRow(e)
	delete(row, "uid")
	delete(row, "quote")
	return row
}

// entityProps are the properties recomputeEntitiesCypher derives for an
// entity with one mention, computed here; ok is false when the names hold
// characters outside Unicode's Basic Multilingual Plane, where Go's and
// Cypher's string orders might differ (those take the recompute path).
func entityProps(e model.Entity) (map[string]any, bool) {
	names := append([]string{e.Name}, e.Aliases...)
	for _, n := range names {
		for _, r := range n {
			if r > 0xFFFF {
				return nil, false
			}
		}
	}
	sort.Strings(names)
	aliases := []string{}
	for i, n := range names {
		if n != e.Name && (i == 0 || n != names[i-1]) {
			aliases = append(aliases, n)
		}
	}
	props := map[string]any{"name": e.Name, "aliases": aliases, "keys": entityKeys(e)}
	if e.Description != "" {
		props["description"] = e.Description
	}
	for _, p := range model.Declared.EntityProperties() {
		if v, ok := e.Properties[p.Name]; ok && v != nil {
			props[p.Name] = v
		}
	}
	return props, true
}

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

// claimsCypher writes claims of one relationship type: one relationship per
// claim uid, that is per type, endpoints and source. verb is CREATE (a
// source new in this transaction) or MERGE.
func claimsCypher(verb, typ string) string {
	sets := []string{"r.source = row.src", "r.quote = row.quote", "r.date = row.date", "r.citations = row.citations"}
	for _, p := range model.Declared.RelProperties() {
		sets = append(sets, fmt.Sprintf("r.%s = row.%s", quoteName(p.Name), quoteName(p.Name)))
	}
	return fmt.Sprintf(`UNWIND $rows AS row
MATCH (a:Entity {uid: row.from})
MATCH (b:Entity {uid: row.to})
%s (a)-[r:%s {claim: row.claim}]->(b)
SET %s`, verb, quoteName(typ), strings.Join(sets, ", "))
}

func claimRow(cl model.Claim, src string) map[string]any {
	row := map[string]any{"src": src, "claim": cl.UID, "from": cl.From, "to": cl.To, "quote": cl.Quote, "date": nilIfEmpty(cl.Date), "citations": nilIfNoStrings(cl.Citations)}
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
	subsumed := []string{
		"m.name = n.name",
		"all(a IN m.aliases WHERE a = n.name OR a IN coalesce(n.aliases, []))",
		"all(k IN m.keys WHERE k IN coalesce(n.keys, []))",
		"(m.description IS NULL OR m.description = n.description)",
	}
	for _, p := range model.Declared.EntityProperties() {
		q := quoteName(p.Name)
		subsumed = append(subsumed, fmt.Sprintf("(m.%s IS NULL OR m.%s = n.%s)", q, q, q))
	}
	return fmt.Sprintf(`UNWIND $rows AS row
MATCH (n:Entity {uid: row.uid})
WHERE row.mentions IS NULL
   OR NOT all(m IN row.mentions WHERE %s)
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
SET %s`, strings.Join(subsumed, "\n     AND "), strings.Join(sets, ",\n    "))
}()

const deleteOrphansCypher = `UNWIND $rows AS uid
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
