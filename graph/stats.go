package graph

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/threatkg/threatkg/graph/model"
)

// Stats counts threatkg's nodes per label and relationships per type. Every
// declared label and type is listed, with 0 where there are none, so the
// shape is stable.
type Stats struct {
	Nodes         map[string]int64 `json:"nodes"`
	Relationships map[string]int64 `json:"relationships"`
}

// Stats reads the counts from the count store (one cheap query per label
// and type, names from the declared model only).
func (c *Client) Stats(ctx context.Context) (Stats, error) {
	labels := append([]string{model.EntityLabel, model.ReportLabel}, model.Declared.Labels()...)
	types := append(model.Declared.RelTypes(), model.MentionsType, model.SameAsType, model.NotSameAsType)
	session := c.session(ctx, readAccess)
	defer session.Close(ctx)
	return neo4j.ExecuteRead(ctx, session, func(tx neo4j.ManagedTransaction) (Stats, error) {
		s := Stats{Nodes: map[string]int64{}, Relationships: map[string]int64{}}
		for _, l := range labels {
			n, err := single[int64](ctx, tx, fmt.Sprintf("MATCH (n:%s) RETURN count(n)", quoteName(l)))
			if err != nil {
				return Stats{}, fmt.Errorf("count %s: %w", l, err)
			}
			s.Nodes[l] = n
		}
		for _, t := range types {
			n, err := single[int64](ctx, tx, fmt.Sprintf("MATCH ()-[r:%s]->() RETURN count(r)", quoteName(t)))
			if err != nil {
				return Stats{}, fmt.Errorf("count %s: %w", t, err)
			}
			s.Relationships[t] = n
		}
		return s, nil
	})
}

func single[T any](ctx context.Context, tx neo4j.ManagedTransaction, cypher string) (T, error) {
	var zero T
	res, err := tx.Run(ctx, cypher, nil)
	if err != nil {
		return zero, err
	}
	rec, err := res.Single(ctx)
	if err != nil {
		return zero, err
	}
	v, ok := rec.Values[0].(T)
	if !ok {
		return zero, fmt.Errorf("unexpected %T", rec.Values[0])
	}
	return v, nil
}

// Reset deletes threatkg's data: every Entity and Report node and their
// relationships, in batches. Other data in the database is left alone, and
// so is the schema. It returns the number of nodes deleted.
func (c *Client) Reset(ctx context.Context) (int64, error) {
	session := c.session(ctx, writeAccess)
	defer session.Close(ctx)
	var total int64
	for _, label := range []string{model.ReportLabel, model.EntityLabel} {
		// CALL ... IN TRANSACTIONS needs an auto-commit transaction.
		res, err := session.Run(ctx, fmt.Sprintf("MATCH (n:%s) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS", quoteName(label)), nil)
		if err != nil {
			return total, fmt.Errorf("delete %s nodes: %w", label, err)
		}
		sum, err := res.Consume(ctx)
		if err != nil {
			return total, fmt.Errorf("delete %s nodes: %w", label, err)
		}
		total += int64(sum.Counters().NodesDeleted())
	}
	return total, nil
}
