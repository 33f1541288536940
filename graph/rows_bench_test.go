package graph

import (
	"os"
	"testing"
	"time"

	"github.com/threatkg/threatkg/graph/model"
	"github.com/threatkg/threatkg/loaders"
	"github.com/threatkg/threatkg/loaders/synthetic"
)

// BenchmarkBatchRows measures the client-side batching of a load: grouping
// documents into transactions and building every UNWIND row (entity
// properties, MENTIONS, claims) and the documents' digests, for the
// reports of the S corpus.
func BenchmarkBatchRows(b *testing.B) {
	size, _ := synthetic.SizeNamed("S")
	st, err := synthetic.Generate(b.TempDir(), size, 1)
	if err != nil {
		b.Fatal(err)
	}
	data, err := os.ReadFile(st.Files[1])
	if err != nil {
		b.Fatal(err)
	}
	res, err := loaders.ReadSTIX(st.Files[1], data, model.Declared)
	if err != nil {
		b.Fatal(err)
	}
	docs := res.Documents
	rows := 0
	for _, d := range docs {
		rows += len(d.Entities) + len(d.Claims)
	}
	b.ResetTimer()
	for b.Loop() {
		for _, group := range transactionGroups(docs, DefaultTransactionRows) {
			// the statements of a first load: every source new
			st := writeState{newSource: map[string]bool{}, settled: map[string]bool{}}
			for _, d := range group {
				st.newSource[d.Source.UID] = true
			}
			_ = reportStatement(group, time.Time{})
			_ = entityStatements(group)
			_ = followUps(group, st)
		}
	}
	// after the loop: ResetTimer deletes metrics reported before it
	b.ReportMetric(float64(rows), "rows/op")
}

func TestTransactionGroups(t *testing.T) {
	doc := func(uid string, rows int) model.Document {
		return model.Document{Source: model.Source{UID: uid}, Entities: make([]model.Entity, rows)}
	}
	docs := []model.Document{doc("a", 4), doc("b", 4), doc("c", 10), doc("a", 1), doc("d", 1)}
	var got [][]string
	for _, g := range transactionGroups(docs, 10) {
		var uids []string
		for _, d := range g {
			uids = append(uids, d.Source.UID)
		}
		got = append(got, uids)
	}
	// a and b fit (10 rows, counting their reports); c is over the bound
	// on its own but never split; the second a and d share the last.
	want := [][]string{{"a", "b"}, {"c"}, {"a", "d"}}
	if len(got) != len(want) {
		t.Fatalf("groups %v, want %v", got, want)
	}
	for i := range want {
		if len(got[i]) != len(want[i]) {
			t.Fatalf("groups %v, want %v", got, want)
		}
		for j := range want[i] {
			if got[i][j] != want[i][j] {
				t.Fatalf("groups %v, want %v", got, want)
			}
		}
	}
	same := transactionGroups([]model.Document{doc("a", 1), doc("a", 1)}, 100)
	if len(same) != 2 {
		t.Errorf("a source twice in one group: %d groups", len(same))
	}
}
