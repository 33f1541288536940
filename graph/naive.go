package graph

import (
	"context"
	"fmt"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/threatkg/threatkg/graph/model"
)

// LoadNaive writes documents the way a first attempt would: one write
// transaction per row (each Report, entity, MENTIONS and claim), with the
// same MERGE statements as Load but no batching. It exists as the baseline
// `threatkg bench` measures Load against, and returns the number of graph
// elements (nodes and relationships) it wrote. It does not replace stale
// claims, recompute entities or resolve: it writes new sources only.
func (c *Client) LoadNaive(ctx context.Context, docs []model.Document) (int, error) {
	if err := c.checkAndPrepare(ctx, docs); err != nil {
		return 0, err
	}
	session := c.session(ctx, writeAccess)
	defer session.Close(ctx)
	write := func(cypher string, params map[string]any) error {
		_, err := session.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
			res, err := tx.Run(ctx, cypher, params)
			if err != nil {
				return nil, err
			}
			return res.Consume(ctx)
		})
		return err
	}
	one := func(r row) []any { return []any{r.value()} }
	elements := 0
	for _, d := range docs {
		src := d.Source.UID
		if err := write(mergeReportsCypher, map[string]any{"rows": one(reportRow{UID: src, Props: reportProps(d.Source, time.Now())})}); err != nil {
			return elements, fmt.Errorf("naive load: %w", err)
		}
		elements++
		for _, e := range d.Entities {
			props, _ := entityProps(e)
			if err := write(mergeEntitiesCypher(e.Label), map[string]any{"rows": one(entityRow{UID: e.UID, Props: props})}); err != nil {
				return elements, fmt.Errorf("naive load: %w", err)
			}
			if err := write(mentionsCypher("MERGE"), map[string]any{"rows": one(mentionRow{Src: src, UID: e.UID, Values: mentionValues(e)})}); err != nil {
				return elements, fmt.Errorf("naive load: %w", err)
			}
			elements += 2
		}
		for _, cl := range d.Claims {
			if err := write(claimsCypher("MERGE", cl.Type), map[string]any{"rows": one(newClaimRow(cl, src))}); err != nil {
				return elements, fmt.Errorf("naive load: %w", err)
			}
			elements++
		}
	}
	return elements, nil
}
