package bench

import (
	"fmt"
	"io"
	"sort"

	"github.com/threatkg/threatkg/graph"
)

// WriteTable prints the result as `threatkg bench` shows it: the load's
// figures, then each query's latency.
func (r Result) WriteTable(w io.Writer) error {
	l := r.Load
	fmt.Fprintf(w, "size %s (seed %d): %d nodes, %d relationships; %d CPUs, %d GiB, Neo4j %s %s\n\n",
		r.Size, r.Seed, l.Nodes, l.Relationships, r.Machine.CPUs, r.Machine.MemoryGiB, r.Machine.Neo4j, r.Machine.Edition)
	records := [][]any{
		{"first load", fmt.Sprintf("%.1f s", l.Seconds)},
		{"elements/s", fmt.Sprintf("%.0f", l.ElementsPerS)},
		{"ceiling (plain UNWIND)", fmt.Sprintf("%.0f elements/s", l.CeilingElementsPerS)},
		{"threatkg / ceiling", fmt.Sprintf("%.2f", l.CeilingRatio)},
		{"nodes/s", fmt.Sprintf("%.0f", l.NodesPerS)},
		{"relationships/s", fmt.Sprintf("%.0f", l.RelationshipsPerS)},
		{"re-load", fmt.Sprintf("%.1f s", l.ReloadSeconds)},
		{"peak RSS (load)", fmt.Sprintf("%d MiB", l.PeakRSSBytes>>20)},
		{"naive baseline", fmt.Sprintf("%.0f elements/s", l.NaiveElementsPerS)},
		{"batched / naive", fmt.Sprintf("%.1fx", l.NaiveRatio)},
	}
	if b := r.Bulk; b != nil {
		records = append(records, []any{"bulk first load", fmt.Sprintf("%.1f s", b.Seconds)},
			[]any{"bulk elements/s", fmt.Sprintf("%.0f", b.ElementsPerS)},
			[]any{"peak RSS (bulk)", fmt.Sprintf("%d MiB", b.PeakRSSBytes>>20)})
	}
	if err := (graph.Rows{Columns: []string{"load", "value"}, Records: records}).Write(w, graph.FormatTable, 40); err != nil {
		return err
	}
	fmt.Fprintln(w)
	records = records[:0]
	sort.SliceStable(r.Queries, func(i, j int) bool { return r.Queries[i].Name < r.Queries[j].Name })
	for _, q := range r.Queries {
		records = append(records, []any{q.Name, q.Rows, q.Runs, q.P50, q.P95, q.P99})
	}
	return graph.Rows{Columns: []string{"query", "rows", "runs", "p50_ms", "p95_ms", "p99_ms"}, Records: records}.Write(w, graph.FormatTable, 40)
}
