package graph

import "testing"

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
