package graph

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/threatkg/threatkg/graph/model"
)

// CeilingBatch is the rows per transaction of the ceiling writer.
const CeilingBatch = 10000

// LoadCeiling writes documents the plainest way the server takes them, as
// the ceiling `threatkg bench` measures Load against: the same nodes
// (Reports, entities with their declared labels) and relationships
// (MENTIONS, claims) as Load, under the same schema, as UNWIND batches of
// CeilingBatch rows, one transaction each: MERGE nodes on the unique uid
// with their name, aliases and description; MATCH, MATCH, CREATE
// relationships with their claim, source and quote. Nothing else: no
// replacement of what a source said before, no derived properties, no
// resolution. It writes into an empty database and returns the rows it
// wrote (a node merged again, such as a hub in a later file, counts again;
// the bench counts the graph instead).
func (c *Client) LoadCeiling(ctx context.Context, docs []model.Document) (int, error) {
	if err := c.checkAndPrepare(ctx, docs); err != nil {
		return 0, err
	}
	session := c.session(ctx, writeAccess)
	defer session.Close(ctx)
	elements := 0
	for _, s := range ceilingStatements(docs) {
		for start := 0; start < len(s.rows); start += CeilingBatch {
			batch := s.rows[start:min(start+CeilingBatch, len(s.rows))]
			_, err := session.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
				res, err := tx.Run(ctx, s.cypher, map[string]any{"rows": batch})
				if err != nil {
					return nil, err
				}
				return res.Consume(ctx)
			})
			if err != nil {
				return elements, fmt.Errorf("ceiling: %s: %w", s.what, err)
			}
			elements += len(batch)
		}
	}
	return elements, nil
}

// ceilingStatements are the ceiling writer's statements: nodes by label
// (each uid once), then relationships by type.
func ceilingStatements(docs []model.Document) []statement {
	nodes := map[string][]any{}
	rels := map[string][]any{}
	seen := map[string]bool{}
	for _, d := range docs {
		nodes[model.ReportLabel] = append(nodes[model.ReportLabel], map[string]any{"uid": d.Source.UID, "name": d.Source.Title, "aliases": nil, "description": nil})
		for _, e := range d.Entities {
			if !seen[e.UID] {
				seen[e.UID] = true
				nodes[e.Label] = append(nodes[e.Label], map[string]any{"uid": e.UID, "name": e.Name, "aliases": nilIfNoStrings(e.Aliases), "description": nilIfEmpty(e.Description)})
			}
			rels[model.MentionsType] = append(rels[model.MentionsType], map[string]any{"from": d.Source.UID, "to": e.UID, "claim": nil, "source": d.Source.UID, "quote": e.Quote})
		}
		for _, cl := range d.Claims {
			rels[cl.Type] = append(rels[cl.Type], map[string]any{"from": cl.From, "to": cl.To, "claim": cl.UID, "source": d.Source.UID, "quote": cl.Quote})
		}
	}
	var out []statement
	for _, label := range sortedKeys(nodes) {
		pattern, set := qEntity+":"+quoteName(label), "n.name = row.name, n.aliases = row.aliases, n.description = row.description"
		if label == model.ReportLabel {
			pattern, set = qReport, "n.title = row.name"
		}
		out = append(out, statement{step: "ceiling", what: "merge " + label + " nodes", rows: nodes[label], cypher: fmt.Sprintf(`UNWIND $rows AS row
MERGE (n:%s {%s: row.uid})
SET %s`, pattern, qKey, set)})
	}
	for _, typ := range sortedKeys(rels) {
		from := qEntity
		if typ == model.MentionsType {
			from = qReport
		}
		out = append(out, statement{step: "ceiling", what: "create " + typ + " relationships", rows: rels[typ], cypher: fmt.Sprintf(`UNWIND $rows AS row
MATCH (a:%s {%s: row.from})
MATCH (b:%s {%s: row.to})
CREATE (a)-[r:%s]->(b)
SET r.claim = row.claim, r.source = row.source, r.quote = row.quote`, from, qKey, qEntity, qKey, quoteName(typ))})
	}
	return out
}

// checkAndPrepare checks documents against the model (labels and types
// reach Cypher only from it) and applies the schema, before the baseline
// writers write.
func (c *Client) checkAndPrepare(ctx context.Context, docs []model.Document) error {
	for _, d := range docs {
		if err := model.Declared.CheckDocument(d); err != nil {
			return err
		}
	}
	return c.ensureSchema(ctx)
}
