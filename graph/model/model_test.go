package model

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/threatkg/threatkg/graph/graphtest/golden"
)

func TestDeclaredModelIsConsistent(t *testing.T) {
	if err := Declared.Check(); err != nil {
		t.Fatal(err)
	}
}

func TestModelCheckFindsProblems(t *testing.T) {
	bad := Model{
		Nodes: []NodeType{
			{Label: "Actor", STIXType: "intrusion-set", Color: "#000000", Diameter: 1},
			{Label: "Actor", STIXType: "intrusion-set", Color: "#000000", Diameter: 1},
			{Label: "Bad Label`) DETACH DELETE n //", STIXType: "x", Color: "#000000", Diameter: 1},
			{Label: "NoStix", Color: "#000000", Diameter: 1},
		},
		Rels: []RelType{
			{Type: "USES", From: []string{"Actor"}, To: []string{"Missing"}},
			{Type: "MENTIONS", From: []string{"Actor"}, To: []string{"Actor"}},
		},
	}
	err := bad.Check()
	if err == nil {
		t.Fatal("Check() accepted a broken model")
	}
	for _, want := range []string{`"Actor" declared twice`, "not a plain identifier", `"NoStix" has no STIX type`, `undeclared label "Missing"`, `"MENTIONS" declared twice`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Check() = %v; want it to mention %s", err, want)
		}
	}
}

// TestModelDocIsCurrent keeps docs/model.md equal to the model's Markdown.
func TestModelDocIsCurrent(t *testing.T) {
	golden.Check(t, filepath.Join("..", "..", "docs", "model.md"), []byte(Declared.Markdown()), "go test ./graph/model -update")
}

func TestEntityUID(t *testing.T) {
	actor, _ := Declared.Node("ThreatActor")
	person, _ := Declared.Node("Person")
	a := EntityUID(actor, "APT10")
	if STIXType(a) != "intrusion-set" {
		t.Errorf("uid %q is not an intrusion-set id", a)
	}
	tests := []struct {
		x, y string
		same bool
	}{
		{"APT10", " apt10 ", true},
		{"U.S.", "US", true},
		{"China’s", "Chinas", true},
		{"Zhu  Hua", "zhu hua", true},
		{"ＡＰＴ１０", "APT10", true}, // full-width letters fold (NFKC)
		{"APT10", "APT 10", false},
		{"APT10", "APT1", false},
	}
	for _, tt := range tests {
		if got := EntityUID(actor, tt.x) == EntityUID(actor, tt.y); got != tt.same {
			t.Errorf("EntityUID(%q) == EntityUID(%q): %v, want %v", tt.x, tt.y, got, tt.same)
		}
	}
	if EntityUID(actor, "X") == EntityUID(person, "X") {
		t.Error("a ThreatActor and a Person of the same name share a uid")
	}
	// uids never change between versions: stored graphs depend on them.
	if want := "intrusion-set--df1a77d3-054b-50fa-a596-cfd91406438d"; a != want {
		t.Errorf("APT10 uid is %s, was %s: the namespace or normalisation changed", a, want)
	}
}

func TestGraSSCoversEveryLabelAndType(t *testing.T) {
	grass := Declared.GraSS()
	for _, n := range Declared.Nodes {
		if n.Diameter == 0 || !strings.Contains(grass, "node."+n.Label+" {\n  color: "+n.Color+";") {
			t.Errorf("no style (or no size) for %s", n.Label)
		}
	}
	for _, r := range Declared.Rels {
		if !strings.Contains(grass, "relationship."+r.Type+" {") {
			t.Errorf("no style for %s", r.Type)
		}
	}
	if strings.Count(grass, "{") != strings.Count(grass, "}") || !strings.Contains(grass, "caption: '{name}';") {
		t.Error("malformed stylesheet")
	}
	if textColor("#FFFFFF") == textColor("#000000") {
		t.Error("caption colour ignores the fill")
	}
}
