package graph

import (
	"strings"
	"testing"
)

func TestDeclaredModelIsConsistent(t *testing.T) {
	if err := Declared.Check(); err != nil {
		t.Fatal(err)
	}
}

func TestModelCheckFindsProblems(t *testing.T) {
	bad := Model{
		Nodes: []NodeType{
			{Label: "Actor", STIXType: "intrusion-set"},
			{Label: "Actor", STIXType: "intrusion-set"},
			{Label: "Bad Label`) DETACH DELETE n //", STIXType: "x"},
			{Label: "NoStix"},
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

func TestConstraintCypher(t *testing.T) {
	got := Constraint{Name: "threatkg_entity_uid", Label: "Entity", Property: "uid"}.Cypher()
	want := "CREATE CONSTRAINT `threatkg_entity_uid` IF NOT EXISTS FOR (n:`Entity`) REQUIRE n.`uid` IS UNIQUE"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if q := quoteName("a`b"); q != "`a``b`" {
		t.Errorf("quoteName escapes backticks: got %s", q)
	}
}
