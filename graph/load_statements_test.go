package graph

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/threatkg/threatkg/graph/graphtest/golden"
	"github.com/threatkg/threatkg/graph/model"
)

// twoSources is the fixture of the statement tests: an article that
// attributes APT10 to China, and a bundle in which menuPass (alias APT10)
// uses PlugX, against an actor an earlier source brought (External).
func twoSources() []model.Document {
	a := model.Document{
		Source: model.Source{UID: "report--a", Kind: "article", Title: "APT10 charged", Publisher: "DOJ", Date: "2018-12-20"},
		Entities: []model.Entity{
			{UID: "threat-actor--apt10", Label: model.LabelThreatActor, Name: "APT10", Aliases: []string{"Stone Panda"}, Quote: "APT10"},
			{UID: "country--cn", Label: model.LabelCountry, Name: "China", Quote: "China"},
		},
		Claims: []model.Claim{{UID: "claim--1", Type: model.RelAttributedTo, From: "threat-actor--apt10", To: "country--cn", Quote: "APT10 ... China", Date: "2018-12-20"}},
	}
	b := model.Document{
		Source: model.Source{UID: "report--b", Kind: "stix-bundle", Title: "menuPass", Publisher: "MITRE", Date: "2024-01-01", STIXID: "bundle--b"},
		Entities: []model.Entity{
			{UID: "intrusion-set--menupass", Label: model.LabelThreatActor, Name: "menuPass", Aliases: []string{"APT10"}, Description: "a group", Quote: "menuPass",
				Properties: map[string]any{"external_id": "G0045"}},
			{UID: "malware--plugx", Label: model.LabelMalware, Name: "PlugX", Quote: "PlugX"},
		},
		Claims: []model.Claim{
			{UID: "claim--3", Type: model.RelUses, From: "intrusion-set--menupass", To: "malware--plugx", Quote: "uses PlugX", Citations: []string{"https://attack.mitre.org"}},
			{UID: "claim--2", Type: model.RelUses, From: "intrusion-set--earlier", To: "malware--plugx", Quote: "uses PlugX too"},
		},
		External: map[string]string{"intrusion-set--earlier": model.LabelThreatActor},
	}
	return []model.Document{a, b}
}

// render lists statements as the golden files hold them: each statement's
// step, what it does and its rows, then the distinct Cypher texts.
func render(stmts []statement) string {
	var b strings.Builder
	var texts []string
	index := map[string]int{}
	for _, s := range stmts {
		if _, ok := index[s.cypher]; !ok {
			index[s.cypher] = len(texts)
			texts = append(texts, s.cypher)
		}
		fmt.Fprintf(&b, "%-9s %-38s cypher #%d, %d rows\n", s.step, s.what, index[s.cypher]+1, len(s.rows))
		for _, r := range s.rows {
			j, _ := json.Marshal(r)
			fmt.Fprintf(&b, "    %s\n", j)
		}
	}
	for i, t := range texts {
		fmt.Fprintf(&b, "\n-- cypher #%d\n%s\n", i+1, t)
	}
	return b.String()
}

// TestLoadStatementsGolden: the statements a load of two sources runs, in
// order, with their rows and Cypher, checked offline: on a first load
// (both Reports created, the entities created with their properties) and
// on a re-load of the article, whose source said more before (a stale
// claim and a stale mention) and whose APT10 another source mentions.
func TestLoadStatementsGolden(t *testing.T) {
	docs := twoSources()
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	first := writeState{
		newSource: map[string]bool{"report--a": true, "report--b": true},
		settled:   map[string]bool{"threat-actor--apt10": true, "country--cn": true, "intrusion-set--menupass": true, "malware--plugx": true},
	}
	reload := writeState{
		newSource: map[string]bool{"report--b": true},
		settled:   map[string]bool{"intrusion-set--menupass": true, "malware--plugx": true},
		oldClaims: map[string]map[string]oldClaim{"report--a": {
			"claim--1":   {typ: model.RelAttributedTo, elementID: "5:rel:1"},
			"claim--old": {typ: model.RelTargeted, elementID: "5:rel:9"},
		}},
		oldMentions: map[string]map[string]oldMention{"report--a": {
			"threat-actor--apt10": {uid: "threat-actor--apt10", label: model.LabelThreatActor, elementID: "5:m:1"},
			"sector--defence":     {uid: "sector--defence", label: model.LabelSector, elementID: "5:m:7", onlySource: true},
		}},
	}
	for _, tc := range []struct {
		name string
		st   writeState
	}{{"first-load", first}, {"reload", reload}} {
		t.Run(tc.name, func(t *testing.T) {
			stmts := append([]statement{reportStatement(docs, now)}, entityStatements(docs)...)
			stmts = append(stmts, followUps(docs, tc.st)...)
			golden.Check(t, filepath.Join("..", "testdata", "golden", "load", tc.name+".txt"), []byte(render(stmts)), "go test ./graph -run TestLoadStatementsGolden -update")
		})
	}
}

// TestLoadStatementsOrder: whatever the state, reports come first, then
// entity nodes, stale relationships, MENTIONS, claims, the recompute and
// the orphans; claims of one type are in start-node order.
func TestLoadStatementsOrder(t *testing.T) {
	docs := twoSources()
	st := writeState{newSource: map[string]bool{}, settled: map[string]bool{}}
	stmts := append([]statement{reportStatement(docs, time.Time{})}, entityStatements(docs)...)
	stmts = append(stmts, followUps(docs, st)...)
	order := []string{"reports", "entities", "stale", "mentions", "claims", "recompute", "orphans"}
	at := 0
	for _, s := range stmts {
		for at < len(order) && order[at] != s.step {
			at++
		}
		if at == len(order) {
			t.Fatalf("statement %q (%s) out of order", s.what, s.step)
		}
		if s.step == "claims" && len(s.rows) > 1 {
			for i := 1; i < len(s.rows); i++ {
				if s.rows[i-1].(map[string]any)["from"].(string) > s.rows[i].(map[string]any)["from"].(string) {
					t.Errorf("%s: rows not in start-node order", s.what)
				}
			}
		}
	}
	// Nothing new: every mention and claim is merged, none created; every
	// entity is recomputed with no payload (it may have changed).
	for _, s := range stmts {
		if strings.HasPrefix(s.what, "create ") && len(s.rows) > 0 {
			t.Errorf("%s has %d rows for sources loaded before", s.what, len(s.rows))
		}
		if s.step == "recompute" {
			for _, r := range s.rows {
				if r.(map[string]any)["mentions"] != nil {
					t.Errorf("recompute of a source loaded before carries payloads: %v", r)
				}
			}
		}
	}
}

// TestCypherPlaceholders: cypher() expands every shared name and refuses
// one it does not know.
func TestCypherPlaceholders(t *testing.T) {
	got := cypher("MATCH (:{{Report}})-[:{{MENTIONS}}]->(n:{{Entity}})-[:{{SAME_AS}}|{{NOT_SAME_AS}}]-()")
	if want := "MATCH (:`Report`)-[:`MENTIONS`]->(n:`Entity`)-[:`SAME_AS`|`NOT_SAME_AS`]-()"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	defer func() {
		if recover() == nil {
			t.Error("an unknown placeholder did not panic")
		}
	}()
	cypher("MATCH (:{{Reprot}})")
}

// TestDigestIgnoresEmptyVersusNil: a document digests alike whether its
// empty lists and maps are nil or empty (a spool read back makes them nil),
// and differently when it says something else.
func TestDigestIgnoresEmptyVersusNil(t *testing.T) {
	a := twoSources()[1]
	b := a
	b.Entities = append([]model.Entity{}, a.Entities...)
	b.Entities[1].Aliases, b.Entities[1].Properties = []string{}, map[string]any{}
	b.Claims = append([]model.Claim{}, a.Claims...)
	b.Claims[1].Citations = []string{}
	b.Source.Skipped = []string{}
	if documentDigest(a) != documentDigest(b) {
		t.Error("empty and nil lists digest differently")
	}
	b.Entities[1].Aliases = []string{"Korplug"}
	if documentDigest(a) == documentDigest(b) {
		t.Error("a new alias does not change the digest")
	}
}
