package graph

import (
	"context"
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
		res, err := tx.Run(ctx, `MATCH (r:Report) WHERE size($uids) = 0 OR r.uid IN $uids
RETURN r {.*} AS r ORDER BY r.uid`, map[string]any{"uids": nonNilStrings(sourceUIDs)})
		if err != nil {
			return nil, err
		}
		var docs []model.Document
		index := map[string]int{}
		for res.Next(ctx) {
			p, _ := res.Record().Values[0].(map[string]any)
			s := model.Source{
				UID: str(p["uid"]), Kind: str(p["kind"]), Title: str(p["title"]), Publisher: str(p["publisher"]),
				Date: str(p["date"]), URL: str(p["url"]), File: str(p["file"]), TextSHA256: str(p["text_sha256"]),
				STIXID: str(p["stix_id"]), ATTACKVersion: str(p["attack_version"]), ATTACKSpecVersion: str(p["attack_spec_version"]),
			}
			index[s.UID] = len(docs)
			docs = append(docs, model.Document{Source: s})
		}
		if err := res.Err(); err != nil {
			return nil, err
		}
		if len(docs) == 0 {
			return docs, nil
		}
		uids := make([]string, 0, len(docs))
		for _, d := range docs {
			uids = append(uids, d.Source.UID)
		}

		res, err = tx.Run(ctx, `UNWIND $uids AS src
MATCH (:Report {uid: src})-[m:MENTIONS]->(n:Entity)
RETURN src, n {.*} AS n, [l IN labels(n) WHERE l <> 'Entity'][0] AS label, m.quote AS quote
ORDER BY src, n.uid`, map[string]any{"uids": uids})
		if err != nil {
			return nil, err
		}
		for res.Next(ctx) {
			v := res.Record().Values
			props, _ := v[1].(map[string]any)
			label := str(v[2])
			e := model.Entity{UID: str(props["uid"]), Label: label, Name: str(props["name"]), Aliases: asStrings(props["aliases"]),
				Description: str(props["description"]), Quote: str(v[3]), Properties: map[string]any{}}
			if node, ok := model.Declared.Node(label); ok {
				for _, p := range node.Properties {
					if val, ok := props[p.Name]; ok && val != nil {
						e.Properties[p.Name] = fromNeo4j(p, val)
					}
				}
			}
			i := index[str(v[0])]
			docs[i].Entities = append(docs[i].Entities, e)
		}
		if err := res.Err(); err != nil {
			return nil, err
		}

		// Claims, found through the entities each source mentions (at least
		// one end of every claim is one of them).
		res, err = tx.Run(ctx, `UNWIND $uids AS src
MATCH (:Report {uid: src})-[:MENTIONS]->(:Entity)-[c]-(:Entity)
WHERE c.source = src
WITH DISTINCT src, c
RETURN src, type(c) AS type, startNode(c).uid AS from, endNode(c).uid AS to, c {.*} AS props
ORDER BY src, c.claim`, map[string]any{"uids": uids})
		if err != nil {
			return nil, err
		}
		for res.Next(ctx) {
			v := res.Record().Values
			typ := str(v[1])
			props, _ := v[4].(map[string]any)
			cl := model.Claim{UID: str(props["claim"]), Type: typ, From: str(v[2]), To: str(v[3]), Quote: str(props["quote"]),
				Date: str(props["date"]), Citations: asStrings(props["citations"]), Properties: map[string]any{}}
			if rt, ok := model.Declared.Rel(typ); ok {
				for _, p := range rt.Properties {
					if val, ok := props[p.Name]; ok && val != nil {
						cl.Properties[p.Name] = fromNeo4j(p, val)
					}
				}
			}
			i := index[str(v[0])]
			docs[i].Claims = append(docs[i].Claims, cl)
		}
		if err := res.Err(); err != nil {
			return nil, err
		}
		for i := range docs {
			sort.Slice(docs[i].Claims, func(a, b int) bool { return docs[i].Claims[a].UID < docs[i].Claims[b].UID })
		}
		return docs, nil
	})
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
