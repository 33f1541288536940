package graph

import (
	"context"
	"fmt"
	"sort"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/threatkg/threatkg/graph/model"
)

// Documents reads the graph back as one Document per source (Report): the
// entities it mentions, with their merged properties, and the claims it
// makes. With no uids, every source; otherwise those sources only. It is
// the export's view of the graph, and the inverse of Load.
func (c *Client) Documents(ctx context.Context, sourceUIDs []string) ([]model.Document, error) {
	session := c.session(ctx, readAccess)
	defer session.Close(ctx)
	return neo4j.ExecuteRead(ctx, session, func(tx neo4j.ManagedTransaction) ([]model.Document, error) {
		docs, err := readReports(ctx, tx, nonNilStrings(sourceUIDs))
		if err != nil || len(docs) == 0 {
			return docs, err
		}
		index := map[string]int{}
		uids := make([]string, len(docs))
		for i, d := range docs {
			index[d.Source.UID], uids[i] = i, d.Source.UID
		}
		if err := readMentions(ctx, tx, uids, func(src string, e model.Entity) {
			docs[index[src]].Entities = append(docs[index[src]].Entities, e)
		}); err != nil {
			return nil, err
		}
		if err := readClaims(ctx, tx, uids, func(src string, cl model.Claim) {
			docs[index[src]].Claims = append(docs[index[src]].Claims, cl)
		}); err != nil {
			return nil, err
		}
		for i := range docs {
			sort.Slice(docs[i].Claims, func(a, b int) bool { return docs[i].Claims[a].UID < docs[i].Claims[b].UID })
		}
		return docs, nil
	})
}

// readReports reads the sources (all when uids is empty), by uid.
func readReports(ctx context.Context, tx neo4j.ManagedTransaction, uids []string) ([]model.Document, error) {
	res, err := tx.Run(ctx, fmt.Sprintf(`MATCH (r:%s) WHERE size($uids) = 0 OR r.%s IN $uids
RETURN r {.*} AS r ORDER BY r.%s`, qReport, qKey, qKey), map[string]any{"uids": uids})
	if err != nil {
		return nil, err
	}
	var docs []model.Document
	for res.Next(ctx) {
		p, _ := res.Record().Values[0].(map[string]any)
		docs = append(docs, model.Document{Source: model.Source{
			UID: str(p["uid"]), Kind: str(p["kind"]), Title: str(p["title"]), Publisher: str(p["publisher"]),
			Date: str(p["date"]), URL: str(p["url"]), File: str(p["file"]), TextSHA256: str(p["text_sha256"]),
			STIXID: str(p["stix_id"]), ATTACKVersion: str(p["attack_version"]), ATTACKSpecVersion: str(p["attack_spec_version"]),
			TAXIICollection: str(p["taxii_collection"]), TAXIIAddedFirst: str(p["taxii_added_first"]), TAXIIAddedLast: str(p["taxii_added_last"]),
		}})
	}
	return docs, res.Err()
}

// readMentions reads the entities each source mentions, with their merged
// properties and the source's quote.
func readMentions(ctx context.Context, tx neo4j.ManagedTransaction, srcs []string, add func(src string, e model.Entity)) error {
	res, err := tx.Run(ctx, fmt.Sprintf(`UNWIND $uids AS src
MATCH (:%s {%s: src})-[m:%s]->(n:%s)
RETURN src, n {.*} AS n, [l IN labels(n) WHERE l <> $entity][0] AS label, m.quote AS quote
ORDER BY src, n.%s`, qReport, qKey, qMentions, qEntity, qKey), map[string]any{"uids": srcs, "entity": model.EntityLabel})
	if err != nil {
		return err
	}
	for res.Next(ctx) {
		v := res.Record().Values
		props, _ := v[1].(map[string]any)
		label := str(v[2])
		e := model.Entity{UID: str(props["uid"]), Label: label, Name: str(props["name"]), Aliases: asStrings(props["aliases"]),
			Description: str(props["description"]), Quote: str(v[3]), Properties: map[string]any{}}
		if node, ok := model.Declared.Node(label); ok {
			declaredProperties(node.Properties, props, e.Properties)
		}
		add(str(v[0]), e)
	}
	return res.Err()
}

// readClaims reads each source's claims, found through the entities it
// mentions (at least one end of every claim is one of them).
func readClaims(ctx context.Context, tx neo4j.ManagedTransaction, srcs []string, add func(src string, cl model.Claim)) error {
	res, err := tx.Run(ctx, fmt.Sprintf(`UNWIND $uids AS src
MATCH (:%s {%s: src})-[:%s]->(:%s)-[c]-(:%s)
WHERE c.source = src
WITH DISTINCT src, c
RETURN src, type(c) AS type, startNode(c).%s AS from, endNode(c).%s AS to, c {.*} AS props
ORDER BY src, c.claim`, qReport, qKey, qMentions, qEntity, qEntity, qKey, qKey), map[string]any{"uids": srcs})
	if err != nil {
		return err
	}
	for res.Next(ctx) {
		v := res.Record().Values
		typ := str(v[1])
		props, _ := v[4].(map[string]any)
		cl := model.Claim{UID: str(props["claim"]), Type: typ, From: str(v[2]), To: str(v[3]), Quote: str(props["quote"]),
			Date: str(props["date"]), Citations: asStrings(props["citations"]), Properties: map[string]any{}}
		if rt, ok := model.Declared.Rel(typ); ok {
			declaredProperties(rt.Properties, props, cl.Properties)
		}
		add(str(v[0]), cl)
	}
	return res.Err()
}

// declaredProperties copies the declared properties that are set from
// stored to into, as the model's Go types.
func declaredProperties(declared []model.Property, stored, into map[string]any) {
	for _, p := range declared {
		if val, ok := stored[p.Name]; ok && val != nil {
			into[p.Name] = fromNeo4j(p, val)
		}
	}
}

// fromNeo4j converts a stored value to the Go type the model uses.
func fromNeo4j(p model.Property, v any) any {
	if p.Type == model.StringList {
		return asStrings(v)
	}
	return v
}

func str(v any) string {
	s, _ := v.(string)
	return s
}
