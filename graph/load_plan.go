package graph

// The plan of a load: what the graph holds of the sources before they are
// written (their previous MENTIONS and claims), which both the dry run's
// diff and the write's stale statements read.

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/threatkg/threatkg/graph/model"
)

// oldMention is a MENTIONS edge a source had before this load.
type oldMention struct {
	uid, label string
	elementID  string
	onlySource bool // no other source mentions the entity
}

// oldClaim is a claim relationship a source had before this load.
type oldClaim struct {
	typ, elementID string
	from, to       string // the uids of its ends
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
	res, err := tx.Run(ctx, cypher(`UNWIND $srcs AS src
MATCH (r:{{Report}} {uid: src})
RETURN src`), map[string]any{"srcs": srcs})
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
	res, err := tx.Run(ctx, cypher(`UNWIND $srcs AS src
MATCH (:{{Report}} {uid: src})-[m:{{MENTIONS}}]->(n:{{Entity}})
RETURN src, n.uid, [l IN labels(n) WHERE l <> $entity][0], elementId(m),
       NOT EXISTS { MATCH (r:{{Report}})-[:{{MENTIONS}}]->(n) WHERE r.uid <> src }`), map[string]any{"srcs": srcs, "entity": model.EntityLabel})
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
MATCH (a)-[r:%s {source: src}]->(b)
RETURN src, r.claim, elementId(r), a.uid, b.uid`, quoteName(typ)), map[string]any{"srcs": srcs})
		if err != nil {
			return nil, err
		}
		for res.Next(ctx) {
			v := res.Record().Values
			src, _ := v[0].(string)
			claim, _ := v[1].(string)
			id, _ := v[2].(string)
			from, _ := v[3].(string)
			to, _ := v[4].(string)
			if out[src] == nil {
				out[src] = map[string]oldClaim{}
			}
			out[src][claim] = oldClaim{typ: typ, elementID: id, from: from, to: to}
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
		existing, err := collectStrings(ctx, tx, cypher("UNWIND $uids AS uid MATCH (n:{{Entity}} {uid: uid}) RETURN uid"), map[string]any{"uids": uids})
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
			out[i] = diffDocument(doc, existing, mentions[doc.Source.UID], claims[doc.Source.UID])
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

// diffDocument is what loading doc changes, given the entities the graph
// (or an earlier document of the load) holds and what doc's source
// mentioned and claimed before. It adds doc's entities to existing.
func diffDocument(doc model.Document, existing map[string]bool, mentions map[string]oldMention, claims map[string]oldClaim) LoadSummary {
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
		if _, ok := mentions[e.UID]; ok {
			m.Updated++
		} else {
			m.Created++
		}
	}
	for uid, old := range mentions {
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
	inDoc = map[string]bool{}
	for _, cl := range doc.Claims {
		inDoc[cl.UID] = true
		if _, ok := claims[cl.UID]; ok {
			s.rel(cl.Type).Updated++
		} else {
			s.rel(cl.Type).Created++
		}
	}
	for claim, old := range claims {
		if !inDoc[claim] {
			s.rel(old.typ).Deleted++
		}
	}
	return s
}
