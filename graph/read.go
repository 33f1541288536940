package graph

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// Rows is the result of a read query: column names and records.
type Rows struct {
	Columns []string
	Records [][]any
}

// Read runs one query in a managed read transaction (routed to a reader in
// a cluster; the server refuses writes in it) and returns all its rows. It
// is for canned queries, whose results are small.
func (c *Client) Read(ctx context.Context, cypher string, params map[string]any) (Rows, error) {
	session := c.session(ctx, readAccess)
	defer session.Close(ctx)
	rows, err := neo4j.ExecuteRead(ctx, session, func(tx neo4j.ManagedTransaction) (Rows, error) {
		res, err := tx.Run(ctx, cypher, params)
		if err != nil {
			return Rows{}, err
		}
		keys, err := res.Keys()
		if err != nil {
			return Rows{}, err
		}
		out := Rows{Columns: keys, Records: [][]any{}}
		for res.Next(ctx) {
			out.Records = append(out.Records, res.Record().Values)
		}
		return out, res.Err()
	})
	if err != nil {
		return Rows{}, fmt.Errorf("read query: %w", err)
	}
	return rows, nil
}

// EntityLabels returns the label of each entity of the given uids that the
// graph holds.
func (c *Client) EntityLabels(ctx context.Context, uids []string) (map[string]string, error) {
	rows, err := c.Read(ctx, `UNWIND $uids AS uid
MATCH (n:Entity {uid: uid})
RETURN uid, [l IN labels(n) WHERE l <> 'Entity'][0] AS label`, map[string]any{"uids": uids})
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, r := range rows.Records {
		uid, _ := r[0].(string)
		label, _ := r[1].(string)
		out[uid] = label
	}
	return out, nil
}
