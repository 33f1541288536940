package graph

import (
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/threatkg/threatkg/graph/model"
)

// Timings add up how long each step of a load took (LoadOptions.Trace).
type Timings map[string]time.Duration

// Add counts d to the step.
func (t Timings) Add(step string, d time.Duration) { t[step] += d }

// Write prints the steps, longest first, as `threatkg load --timings` does.
func (t Timings) Write(w io.Writer) {
	keys := sortedKeys(t)
	sort.SliceStable(keys, func(i, j int) bool { return t[keys[i]] > t[keys[j]] })
	for _, step := range keys {
		fmt.Fprintf(w, "timing: %-18s %8.2fs\n", step, t[step].Seconds())
	}
}

// SummaryRows are load summaries as rows: per source, per label and per
// relationship type, what was created, updated and deleted.
func SummaryRows(summaries []LoadSummary) Rows {
	rows := Rows{Columns: []string{"source", "kind", "name", "created", "updated", "deleted"}}
	for _, s := range summaries {
		for _, part := range []struct {
			kind    string
			changes map[string]*Change
		}{{"node", s.Nodes}, {"relationship", s.Relationships}} {
			for _, n := range sortedKeys(part.changes) {
				c := part.changes[n]
				rows.Records = append(rows.Records, []any{s.Title, part.kind, n, c.Created, c.Updated, c.Deleted})
			}
		}
	}
	return rows
}

// Rows are the counts as rows: kind (node or relationship), name, count.
func (s Stats) Rows() Rows {
	rows := Rows{Columns: []string{"kind", "name", "count"}}
	for _, part := range []struct {
		kind   string
		counts map[string]int64
	}{{"node", s.Nodes}, {"relationship", s.Relationships}} {
		for _, n := range sortedKeys(part.counts) {
			rows.Records = append(rows.Records, []any{part.kind, n, part.counts[n]})
		}
	}
	return rows
}

// attribute gives each resolution and ambiguity to the summary of the
// first document that mentions the entity.
func attribute(docs []model.Document, summaries []LoadSummary, resolved []Resolution, ambiguous []Ambiguity) {
	owner := map[string]int{}
	for i, d := range docs {
		for _, e := range d.Entities {
			if _, ok := owner[e.Name+"\x00"+e.Label]; !ok {
				owner[e.Name+"\x00"+e.Label] = i
			}
		}
	}
	for _, r := range resolved {
		i := owner[r.From+"\x00"+r.Label]
		summaries[i].Resolved = append(summaries[i].Resolved, r)
	}
	for _, a := range ambiguous {
		i := owner[a.Entity+"\x00"+a.Label]
		summaries[i].Ambiguous = append(summaries[i].Ambiguous, a)
	}
}
