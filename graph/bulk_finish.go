package graph

import (
	"context"
	"fmt"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/threatkg/threatkg/graph/model"
)

// NotEmptyError: a bulk load was asked of a database that holds data. The
// importer replaces a whole database, so it is only for a first load.
type NotEmptyError struct {
	Database, URI string
	Nodes         int64
}

func (e *NotEmptyError) Error() string {
	return fmt.Sprintf("the database %q at %s holds %d nodes, and a bulk load replaces the whole database: load without --bulk, or empty it first (threatkg reset --yes)", e.Database, e.URI, e.Nodes)
}

// CheckEmpty returns a *NotEmptyError unless the database holds no node.
func (c *Client) CheckEmpty(ctx context.Context) error {
	counts, err := c.Counts(ctx)
	if err != nil {
		return err
	}
	if counts.Nodes > 0 {
		return &NotEmptyError{Database: c.cfg.Database, URI: c.URI(), Nodes: counts.Nodes}
	}
	return nil
}

// RecomputeEntities derives the properties of the entities in the
// database from their MENTIONS, as a load does: after a bulk import, for
// those the writer could not derive (NeedsRecompute).
func (c *Client) RecomputeEntities(ctx context.Context, uids []string, opts LoadOptions) error {
	if len(uids) == 0 {
		return nil
	}
	rows := make([]touchRow, len(uids))
	for i, uid := range uids {
		rows[i] = touchRow{UID: uid}
	}
	session := c.session(ctx, writeAccess)
	defer session.Close(ctx)
	_, err := neo4j.ExecuteWrite(ctx, session, func(tx neo4j.ManagedTransaction) (any, error) {
		x := executor{tx: tx, opts: opts.withDefaults()}
		return x.run(ctx, statement{step: "recompute", what: "recompute entities", cypher: recomputeEntitiesCypher, rows: values(rows)})
	})
	if err != nil {
		return fmt.Errorf("recompute the imported entities: %w", err)
	}
	return nil
}

// ImportResolver resolves imported sources' entities, source by source
// and in transaction groups, as their transactional loads in the same
// order would (resolveEntities); it remembers the entities resolved so
// far, which are then existing ones.
type ImportResolver struct {
	seen map[string]bool
}

// NewImportResolver starts the resolution of a bulk import.
func NewImportResolver() *ImportResolver { return &ImportResolver{seen: map[string]bool{}} }

// ResolveImported resolves the imported documents of one source file
// and returns their summaries: each entity created by the first document
// that mentions it, each relationship created.
func (c *Client) ResolveImported(ctx context.Context, r *ImportResolver, docs []model.Document, opts LoadOptions) ([]LoadSummary, error) {
	opts = opts.withDefaults()
	session := c.session(ctx, writeAccess)
	defer session.Close(ctx)
	var out []LoadSummary
	for _, group := range transactionGroups(docs, opts.TransactionRows) {
		summaries, settled := r.summaries(group)
		t := time.Now()
		type outcome struct {
			resolved  []Resolution
			ambiguous []Ambiguity
		}
		got, err := neo4j.ExecuteWrite(ctx, session, func(tx neo4j.ManagedTransaction) (outcome, error) {
			res, amb, err := resolveEntities(ctx, tx, group, settled)
			return outcome{res, amb}, err
		})
		opts.trace("resolve", t)
		if err != nil {
			return nil, c.lostConnection(fmt.Errorf("resolve the entities of %s: %w", group[0].Source.UID, err), group)
		}
		attribute(group, summaries, got.resolved, got.ambiguous)
		out = append(out, summaries...)
		if opts.Progress != nil {
			opts.Progress(len(out))
		}
	}
	return out, nil
}

// summaries are what the import wrote of the group's documents, and the
// entities it is the first to mention.
func (r *ImportResolver) summaries(group []model.Document) ([]LoadSummary, []string) {
	var settled []string
	out := make([]LoadSummary, len(group))
	for i, d := range group {
		s := LoadSummary{Source: d.Source.UID, Title: d.Source.Title, Nodes: map[string]*Change{}, Relationships: map[string]*Change{},
			Resolved: []Resolution{}, Ambiguous: []Ambiguity{}}
		s.node(model.ReportLabel).Created++
		for _, e := range d.Entities {
			if r.seen[e.UID] {
				s.node(e.Label).Updated++
			} else {
				r.seen[e.UID] = true
				settled = append(settled, e.UID)
				s.node(e.Label).Created++
			}
			s.rel(model.MentionsType).Created++
		}
		for _, cl := range d.Claims {
			s.rel(cl.Type).Created++
		}
		out[i] = s
	}
	return out, settled
}
