package extract

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// WriteReport prints an evaluation as `threatkg extract --eval` shows it:
// scores, each rule's precision, then the misses and the false positives.
func (ev Evaluation) WriteReport(w io.Writer, article, gold string) error {
	fmt.Fprintf(w, "%s against %s\n\n", article, gold)
	rows := [][2]string{{"", "precision  recall  F1     matched / extracted / gold"}}
	for _, s := range []struct {
		name string
		sc   Score
	}{{"entities", ev.Entities}, {"relations", ev.Relations}} {
		rows = append(rows, [2]string{s.name, fmt.Sprintf("%.2f       %.2f    %.2f   %d / %d / %d", s.sc.Precision, s.sc.Recall, s.sc.F1, s.sc.Matched, s.sc.Extracted, s.sc.Gold)})
	}
	if err := writeColumns(w, rows); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nprecision per rule (what the rule produced that the gold holds):\n")
	rows = rows[:0]
	for _, r := range ev.Rules {
		rows = append(rows, [2]string{"  " + r.Kind + " " + r.Rule, fmt.Sprintf("%.2f  (%d of %d)", r.Precision, r.Matched, r.Extracted)})
	}
	if err := writeColumns(w, rows); err != nil {
		return err
	}
	for _, list := range []struct {
		title string
		items []string
	}{
		{"missed entities", ev.EntityMisses},
		{"false-positive entities", ev.EntityFalsePositives},
		{"missed relations", ev.RelationMisses},
		{"false-positive relations", ev.RelationFalsePositive},
	} {
		fmt.Fprintf(w, "\n%s (%d):\n", list.title, len(list.items))
		for _, it := range list.items {
			fmt.Fprintf(w, "  %s\n", it)
		}
	}
	return nil
}

// WriteReport prints a corpus evaluation as `threatkg extract
// --eval-corpus` shows it: per class and micro-averaged scores, each
// rule's precision, the commonest misses and false positives.
func (ev CorpusEvaluation) WriteReport(w io.Writer) error {
	fmt.Fprintf(w, "%s: %d documents, %d bytes, %.2f MB/s\n\n", ev.Corpus, ev.Documents, ev.Bytes, ev.BytesPerSec/1e6)
	rows := [][2]string{{"class", "precision  recall  F1     right / extracted, gold strings"}}
	line := func(name string, s Score) {
		rows = append(rows, [2]string{name, fmt.Sprintf("%.2f       %.2f    %.2f   %d / %d, %d", s.Precision, s.Recall, s.F1, s.Matched, s.Extracted, s.Gold)})
	}
	for _, cl := range CorpusClasses {
		line(cl, ev.Classes[cl])
	}
	line("micro", ev.Micro)
	if err := writeColumns(w, rows); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nprecision per rule:\n")
	rows = rows[:0]
	for _, r := range ev.Rules {
		rows = append(rows, [2]string{"  " + r.Rule, fmt.Sprintf("%.2f  (%d of %d)", r.Precision, r.Matched, r.Extracted)})
	}
	if err := writeColumns(w, rows); err != nil {
		return err
	}
	for _, list := range []struct {
		title string
		items []Count
	}{{"commonest misses (documents)", ev.Misses}, {"commonest false positives (documents)", ev.FalsePositives}} {
		fmt.Fprintf(w, "\n%s:\n", list.title)
		for _, it := range list.items {
			fmt.Fprintf(w, "  %3d  %s\n", it.N, it.Item)
		}
	}
	return nil
}

// writeColumns writes aligned "key  value" lines.
func writeColumns(w io.Writer, rows [][2]string) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\n", r[0], r[1])
	}
	return tw.Flush()
}
