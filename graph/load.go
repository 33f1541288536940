package graph

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
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
	// DeferRollups leaves the refresh of the actors' rollups (which each
	// load marks stale) to the caller's RefreshRollups: a command that
	// loads many files refreshes once, at its end.
	DeferRollups bool
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
	opts = opts.withDefaults()
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
	if !opts.DryRun && !opts.DeferRollups {
		t := time.Now()
		if _, err := c.RefreshRollups(ctx); err != nil {
			return nil, c.lostConnection(err, docs)
		}
		opts.trace("rollups", t)
	}
	return out, nil
}

// withDefaults fills in the options left at zero.
func (o LoadOptions) withDefaults() LoadOptions {
	if o.BatchSize <= 0 {
		o.BatchSize = DefaultBatchSize
	}
	if o.TransactionRows <= 0 {
		o.TransactionRows = DefaultTransactionRows
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
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
	b, err := json.Marshal(model.Canonical(d))
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
		return collectStrings(ctx, tx, cypher(`UNWIND $rows AS row
MATCH (r:{{Report}} {uid: row.uid})
WHERE r.content_sha256 = row.digest
RETURN r.uid`), map[string]any{"rows": rows})
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
	attribute(docs, summaries, out.resolved, out.ambiguous)
	return summaries, nil
}

// writeDocuments runs the load's statements in order: reports, entity
// nodes, then the follow-ups (stale claims and MENTIONS out, MENTIONS,
// claims, the recompute of entities from all remaining MENTIONS, orphans).
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
	x := executor{tx: tx, opts: opts}
	st := writeState{settled: map[string]bool{}}
	var err error
	if st.newSource, err = x.run(ctx, reportStatement(docs, opts.Now())); err != nil {
		return nil, err
	}
	for _, s := range entityStatements(docs) {
		created, err := x.run(ctx, s)
		if err != nil {
			return nil, err
		}
		for uid := range created {
			st.settled[uid] = true
		}
	}
	t := time.Now()
	loaded := st.loadedBefore(docs)
	if st.oldClaims, err = previousClaims(ctx, tx, loaded); err != nil {
		return nil, fmt.Errorf("read previous claims: %w", err)
	}
	if st.oldMentions, err = previousMentions(ctx, tx, loaded); err != nil {
		return nil, fmt.Errorf("read previous mentions: %w", err)
	}
	opts.trace("previous", t)
	t = time.Now()
	if err := markRollups(ctx, tx, rollupEntities(docs, st)); err != nil {
		return nil, fmt.Errorf("mark rollups stale: %w", err)
	}
	opts.trace("rollups", t)
	for _, s := range followUps(docs, st) {
		if _, err := x.run(ctx, s); err != nil {
			return nil, err
		}
	}
	return sortedKeys(st.settled), nil
}

// executor runs statements in a transaction, in batches of
// opts.BatchSize rows.
type executor struct {
	tx   neo4j.ManagedTransaction
	opts LoadOptions
}

// run runs the statement's batches and returns the strings its records
// return (the uids a MERGE created).
func (x executor) run(ctx context.Context, s statement) (map[string]bool, error) {
	defer x.opts.trace(s.step, time.Now())
	got := map[string]bool{}
	for start := 0; start < len(s.rows); start += x.opts.BatchSize {
		end := min(start+x.opts.BatchSize, len(s.rows))
		res, err := x.tx.Run(ctx, s.cypher, map[string]any{"rows": s.rows[start:end]})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.what, err)
		}
		for res.Next(ctx) {
			if uid, ok := res.Record().Values[0].(string); ok {
				got[uid] = true
			}
		}
		if _, err := res.Consume(ctx); err != nil {
			return nil, fmt.Errorf("%s: %w", s.what, err)
		}
	}
	return got, nil
}
