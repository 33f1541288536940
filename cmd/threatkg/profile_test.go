package main

import (
	"context"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/threatkg/threatkg/graph/graphtest"
	"github.com/threatkg/threatkg/queries"
)

// listingScans are the scans a canned query that lists everything of a
// kind may make (no index can find "every campaign"): label scans of the
// label listed, or a scan of the relationship type listed. Any other query
// is a lookup by name, id or alias and must reach its start nodes through
// an index.
var listingScans = map[string][]string{
	"agreement-violations": {"Agreement", "VIOLATED"},
	"campaign-timeline":    {"Campaign"},
	"charged-individuals":  {"Person", "LegalAction", "CHARGED_IN"},
	"condemnations":        {"CONDEMNED"},
	"sector-exposure":      {"Sector"},
}

// TestCannedQueriesUseIndexes runs every canned query with PROFILE on the
// seed article, ATT&CK's menuPass and indicators tied to it, with the golden
// test's parameters,
// and fails on a scan where an index lookup is possible: a label scan or a
// relationship-type scan that touched the store in a lookup query, a scan
// of a label or type a listing query does not list, or any scan of all
// nodes or all relationships.
func TestCannedQueriesUseIndexes(t *testing.T) {
	env := loadSeed(t)
	for _, f := range []string{menupassBundle, iocBundle} {
		if code, _, errOut := runCLI(t, env, "", "load", f); code != exitOK {
			t.Fatalf("load %s: exit %d: %s", f, code, errOut)
		}
	}
	client := graphtest.Open(t)
	ctx := context.Background()
	all, err := queries.All()
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range all {
		t.Run(q.Name, func(t *testing.T) {
			args, ok := goldenParams[q.Name]
			if !ok {
				t.Fatalf("no parameters for query %s: add it to goldenParams", q.Name)
			}
			given := map[string]string{}
			for i := 1; i < len(args); i += 2 {
				k, v, _ := strings.Cut(args[i], "=")
				given[k] = v
			}
			params, err := q.Bind(given)
			if err != nil {
				t.Fatal(err)
			}
			session := client.Driver().NewSession(ctx, neo4j.SessionConfig{DatabaseName: client.Database(), AccessMode: neo4j.AccessModeRead})
			defer session.Close(ctx)
			res, err := session.Run(ctx, "PROFILE "+q.Cypher, params)
			if err != nil {
				t.Fatal(err)
			}
			summary, err := res.Consume(ctx)
			if err != nil {
				t.Fatal(err)
			}
			plan := summary.Profile()
			if plan == nil {
				t.Fatal("no profile returned")
			}
			operators := 0
			walkProfile(plan, func(p neo4j.ProfiledPlan) {
				operators++
				op, _, _ := strings.Cut(p.Operator(), "@")
				details, _ := p.Arguments()["Details"].(string)
				switch {
				case strings.Contains(op, "AllNodesScan") || strings.Contains(op, "AllRelationshipsScan"):
					t.Errorf("%s scans the whole graph: %s %s", q.Name, op, details)
				case strings.Contains(op, "LabelScan") || strings.Contains(op, "LabelsScan") || strings.Contains(op, "RelationshipTypeScan"):
					allowed := false
					for _, name := range listingScans[q.Name] {
						if strings.Contains(details, ":"+name) {
							allowed = true
						}
					}
					if !allowed && p.DbHits() > 0 {
						t.Errorf("%s scans instead of using an index: %s %s (%d db hits)", q.Name, op, details, p.DbHits())
					}
				}
			})
			if operators < 3 {
				t.Errorf("only %d operators in the profile: is the walk broken?", operators)
			}
		})
	}
}

func walkProfile(p neo4j.ProfiledPlan, visit func(neo4j.ProfiledPlan)) {
	visit(p)
	for _, c := range p.Children() {
		walkProfile(c, visit)
	}
}

// TestProfileCheckCatchesAScan proves the check above can fail: a lookup
// written with a scan is flagged.
func TestProfileCheckCatchesAScan(t *testing.T) {
	loadSeed(t)
	client := graphtest.Open(t)
	ctx := context.Background()
	session := client.Driver().NewSession(ctx, neo4j.SessionConfig{DatabaseName: client.Database(), AccessMode: neo4j.AccessModeRead})
	defer session.Close(ctx)
	res, err := session.Run(ctx, "PROFILE MATCH (x:ThreatActor) WHERE toLower(x.name) = toLower($actor) RETURN x", map[string]any{"actor": "APT10"})
	if err != nil {
		t.Fatal(err)
	}
	summary, err := res.Consume(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	walkProfile(summary.Profile(), func(p neo4j.ProfiledPlan) {
		if strings.Contains(p.Operator(), "LabelScan") && p.DbHits() > 0 {
			found = true
		}
	})
	if !found {
		t.Error("a lookup by toLower(name) was not seen as a label scan: the PROFILE check would miss scans")
	}
}
