package model

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
