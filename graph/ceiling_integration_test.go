package graph_test

import (
	"context"
	"os"
	"testing"

	"github.com/threatkg/threatkg/graph"
	"github.com/threatkg/threatkg/graph/graphtest"
	"github.com/threatkg/threatkg/graph/model"
	"github.com/threatkg/threatkg/loaders"
)

// TestCeilingWritesWhatLoadWrites: the ceiling writer writes the same nodes
// per label and relationships per type as Load, for the seed and the
// menuPass bundle, so that the bench compares like with like.
func TestCeilingWritesWhatLoadWrites(t *testing.T) {
	ctx := context.Background()
	c := graphtest.OpenClean(t)
	data, err := os.ReadFile("../testdata/stix/attack/menupass.json")
	if err != nil {
		t.Fatal(err)
	}
	res, err := loaders.ReadSTIX("menupass.json", data, model.Declared)
	if err != nil {
		t.Fatal(err)
	}
	docs := append([]model.Document{seedDocument(t)}, res.Documents...)
	if _, err := c.LoadDocuments(ctx, docs, graph.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	want, err := c.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	n, err := c.LoadCeiling(ctx, docs)
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var elements int64
	for label, count := range want.Nodes {
		if got.Nodes[label] != count {
			t.Errorf("%s nodes: ceiling %d, load %d", label, got.Nodes[label], count)
		}
	}
	for typ, count := range want.Relationships {
		if typ == model.SameAsType { // resolution, which the ceiling does not do
			continue
		}
		elements += count
		if got.Relationships[typ] != count {
			t.Errorf("%s relationships: ceiling %d, load %d", typ, got.Relationships[typ], count)
		}
	}
	if n < int(elements) {
		t.Errorf("ceiling wrote %d rows, fewer than the %d relationships", n, elements)
	}
}
