package graph_test

import (
	"context"
	"testing"

	"github.com/threatkg/threatkg/graph"
	"github.com/threatkg/threatkg/graph/graphtest"
	"github.com/threatkg/threatkg/graph/model"
)

// TestTAXIIAddedLast: the next pull of a collection starts at the newest
// date_added its pulls recorded, compared as times (the fraction makes
// ".5Z" sort before "Z" as text), and other collections do not count.
func TestTAXIIAddedLast(t *testing.T) {
	c := graphtest.OpenClean(t)
	ctx := context.Background()
	const col = "taxii+https://feeds.example/api1/collections/a/"
	if got, err := c.TAXIIAddedLast(ctx, col); err != nil || got != "" {
		t.Fatalf("before any pull: %q, %v", got, err)
	}
	for i, last := range map[string]string{"r1": "2024-01-01T00:00:00Z", "r2": "2024-01-01T00:00:00.5Z", "r3": "2023-12-31T23:59:59.999Z"} {
		doc := model.Document{Source: model.Source{UID: model.ReportUID(i), Kind: "taxii-pull", Title: i, Date: "2024-01-01",
			TAXIICollection: col, TAXIIAddedLast: last}}
		load(t, c, doc, graph.LoadOptions{})
	}
	other := model.Document{Source: model.Source{UID: model.ReportUID("other"), Kind: "taxii-pull", Title: "other", Date: "2024-01-01",
		TAXIICollection: col + "x/", TAXIIAddedLast: "2025-01-01T00:00:00Z"}}
	load(t, c, other, graph.LoadOptions{})
	if got, err := c.TAXIIAddedLast(ctx, col); err != nil || got != "2024-01-01T00:00:00.5Z" {
		t.Errorf("got %q, %v; want 2024-01-01T00:00:00.5Z", got, err)
	}
}
