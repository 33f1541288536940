package graph

import (
	"context"
	"fmt"

	"github.com/threatkg/threatkg/graph/model"
)

// coverageCypher finds the threat actors and campaigns called $name (name
// or alias, case-insensitive), each with the nodes resolution linked to it,
// and every claim that it uses a technique, directly or through software
// it uses, with the claim's source. A subject with no technique gives one
// row without one.
var coverageCypher = cypher(`CALL db.index.fulltext.queryNodes('threatkg_entity_names', '"' + replace(replace($name, '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS x
WITH x WHERE (x:{{ThreatActor}} OR x:{{Campaign}})
  AND (toLower(x.name) = toLower($name) OR any(known IN x.aliases WHERE toLower(known) = toLower($name)))
WITH x, CASE WHEN x:{{ThreatActor}} THEN $actorLabel ELSE $campaignLabel END AS label
MATCH (x)-[:{{SAME_AS}}*0..10]-(m:{{Entity}}) WHERE label IN labels(m)
WITH x, label, collect(DISTINCT m) AS cluster
WITH label, cluster, reduce(r = head(cluster), c IN cluster | CASE WHEN c.uid < r.uid THEN c ELSE r END) AS rep
WITH label, rep, head(collect(cluster)) AS cluster
OPTIONAL CALL (cluster) {
  UNWIND cluster AS a
  MATCH (a)-[u:{{USES}}]->(t:{{Technique}})
  RETURN t, 'directly' AS via, u
  UNION
  UNWIND cluster AS a
  MATCH (a)-[:{{USES}}]->(s:{{Malware}}|{{Tool}})-[u:{{USES}}]->(t:{{Technique}})
  RETURN t, 'software: ' + s.name AS via, u
}
OPTIONAL MATCH (r:{{Report}} {uid: u.source})
RETURN rep.name, label, t.external_id, t.name, t.url, coalesce(t.tactics, []), via, u.quote, u.source, r.title, u.date
ORDER BY rep.name, t.external_id, via, u.source`)

// TechniqueCoverage returns the technique claims of the threat actors and
// campaigns called by each of the names (see coverageCypher); a subject
// that uses no technique gives one TechniqueUse without a TechniqueID. A
// name that is no actor's or campaign's is a *NotFoundError.
func (c *Client) TechniqueCoverage(ctx context.Context, names ...string) ([]model.TechniqueUse, error) {
	var out []model.TechniqueUse
	for _, name := range names {
		got, err := c.coverage(ctx, name)
		if err != nil {
			return nil, err
		}
		if len(got) == 0 {
			return nil, &NotFoundError{What: fmt.Sprintf("no threat actor or campaign is called %q (name or alias)", name)}
		}
		out = append(out, got...)
	}
	return out, nil
}

func (c *Client) coverage(ctx context.Context, name string) ([]model.TechniqueUse, error) {
	rows, err := c.Read(ctx, coverageCypher, map[string]any{"name": name, "actorLabel": model.LabelThreatActor, "campaignLabel": model.LabelCampaign})
	if err != nil {
		return nil, fmt.Errorf("technique coverage of %q: %w", name, err)
	}
	out := make([]model.TechniqueUse, 0, len(rows.Records))
	for _, r := range rows.Records {
		out = append(out, model.TechniqueUse{
			Subject: str(r[0]), SubjectLabel: str(r[1]), TechniqueID: str(r[2]), Technique: str(r[3]), TechniqueURL: str(r[4]),
			Tactics: asStrings(r[5]), Via: str(r[6]), Evidence: str(r[7]), Source: str(r[8]), SourceTitle: str(r[9]), Date: str(r[10]),
		})
	}
	return out, nil
}

var attackVersionsCypher = cypher(`MATCH (r:{{Report}}) WHERE r.attack_version IS NOT NULL
RETURN DISTINCT r.attack_version`)

// ATTACKVersion is the newest ATT&CK release the graph holds data of (the
// attack_version of its ATT&CK sources, "18.1"), or "" if none says.
func (c *Client) ATTACKVersion(ctx context.Context) (string, error) {
	rows, err := c.Read(ctx, attackVersionsCypher, nil)
	if err != nil {
		return "", err
	}
	newest := ""
	for _, r := range rows.Records {
		if v := str(r[0]); newest == "" || versionLess(newest, v) {
			newest = v
		}
	}
	return newest, nil
}

// versionLess compares dotted release numbers ("9.0" < "18.1").
func versionLess(a, b string) bool {
	var x, y [3]int
	fmt.Sscanf(a, "%d.%d.%d", &x[0], &x[1], &x[2])
	fmt.Sscanf(b, "%d.%d.%d", &y[0], &y[1], &y[2])
	return x[0] < y[0] || x[0] == y[0] && (x[1] < y[1] || x[1] == y[1] && x[2] < y[2])
}
