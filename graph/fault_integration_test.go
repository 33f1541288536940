package graph_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/threatkg/threatkg/graph"
	"github.com/threatkg/threatkg/graph/graphtest"
	"github.com/threatkg/threatkg/graph/model"
)

// TestConcurrentLoadsEqualSequentialLoads: 8 loads at once of overlapping
// sources (the article, ATT&CK's menuPass, and a third source repeating
// their entities) end in exactly the graph that loading them one after
// another gives. Uniqueness constraints keep entities single; the managed
// transactions retry when they collide on locks.
func TestConcurrentLoadsEqualSequentialLoads(t *testing.T) {
	c := graphtest.OpenClean(t)
	seed := seedDocument(t)
	attack := stixDocuments(t, menupass)[0]
	other := secondSource(t, seed)
	docs := []model.Document{seed, attack, other, seed, attack, other, seed, attack}

	for _, d := range docs[:3] {
		load(t, c, d, graph.LoadOptions{})
	}
	sequential := fingerprint(t, c)

	graphtest.Wipe(t, c)
	var wg sync.WaitGroup
	errs := make(chan error, len(docs))
	for _, d := range docs {
		wg.Add(1)
		go func(d model.Document) {
			defer wg.Done()
			_, err := c.Load(context.Background(), d, graph.LoadOptions{BatchSize: 50})
			errs <- err
		}(d)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent load: %v", err)
		}
	}
	if got := fingerprint(t, c); got != sequential {
		t.Errorf("concurrent loads gave %s, sequential loads %s", got, sequential)
	}
}

// TestCancelledLoadWritesNothing: a load whose context is cancelled (what
// Ctrl-C does) stops promptly and leaves no part of its transaction; the
// same load afterwards gives the graph a clean load gives.
func TestCancelledLoadWritesNothing(t *testing.T) {
	c := graphtest.OpenClean(t)
	docs := stixDocuments(t, "../testdata/stix/attack/enterprise-attack-subset.json.gz")
	load(t, c, seedDocument(t), graph.LoadOptions{})
	before := fingerprint(t, c)

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(700*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.Load(ctx, docs[0], graph.LoadOptions{BatchSize: 200})
	if err == nil {
		graphtest.SkipUnlessRequired(t, "the load finished before the cancellation; nothing to check")
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled load: %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("the load stopped %v after start, want within a few seconds of the cancellation", d)
	}
	time.Sleep(time.Second) // the server rolls the transaction back
	if got := fingerprint(t, c); got != before {
		t.Errorf("a cancelled load left data behind: %s -> %s", before, got)
	}
	load(t, c, docs[0], graph.LoadOptions{})
	afterRetry := fingerprint(t, c)

	graphtest.Wipe(t, c)
	load(t, c, seedDocument(t), graph.LoadOptions{})
	load(t, c, docs[0], graph.LoadOptions{})
	if clean := fingerprint(t, c); clean != afterRetry {
		t.Errorf("re-running the cancelled load gave %s, a clean load %s", afterRetry, clean)
	}
}
