package graph

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"unicode/utf8"
)

// Formats rows are written in.
const (
	FormatTable = "table"
	FormatJSON  = "json"
	FormatCSV   = "csv"
)

// Write writes the rows in a format: an aligned table (cells cut to maxCell
// runes when maxCell > 0), JSON (an array of objects keyed by column, in
// column order), or CSV with a header row. Graph values print as their
// names (tables, CSV) or as labels and properties (JSON).
func (r Rows) Write(w io.Writer, format string, maxCell int) error {
	columns, records := r.Columns, r.Records
	switch format {
	case FormatJSON:
		return writeRowsJSON(w, columns, records)
	case FormatCSV:
		cw := csv.NewWriter(w)
		if err := cw.Write(columns); err != nil {
			return err
		}
		for _, rec := range records {
			line := make([]string, len(rec))
			for i, v := range rec {
				line[i] = cellText(v)
			}
			if err := cw.Write(line); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(columns, "\t"))
	for _, rec := range records {
		line := make([]string, len(rec))
		for i, v := range rec {
			line[i] = truncate(cellText(v), maxCell)
		}
		fmt.Fprintln(tw, strings.Join(line, "\t"))
	}
	return tw.Flush()
}

func writeRowsJSON(w io.Writer, columns []string, records [][]any) error {
	var b bytes.Buffer
	b.WriteString("[")
	for i, rec := range records {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n  {")
		for j, col := range columns {
			if j > 0 {
				b.WriteString(", ")
			}
			k, _ := json.Marshal(col)
			v, err := marshalPlain(plainValue(rec[j]))
			if err != nil {
				return fmt.Errorf("column %s: %w", col, err)
			}
			b.Write(k)
			b.WriteString(": ")
			b.Write(v)
		}
		b.WriteString("}")
	}
	if len(records) > 0 {
		b.WriteString("\n")
	}
	b.WriteString("]\n")
	_, err := w.Write(b.Bytes())
	return err
}

func marshalPlain(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// plainValue turns driver values into JSON-friendly ones.
func plainValue(v any) any {
	switch x := v.(type) {
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = plainValue(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = plainValue(e)
		}
		return out
	case Node:
		return map[string]any{"labels": x.Labels, "properties": plainValue(x.Props)}
	case Relationship:
		return map[string]any{"type": x.Type, "properties": plainValue(x.Props)}
	case Path:
		return cellText(x)
	case fmt.Stringer:
		return x.String() // dates, times, durations, points
	}
	return v
}

// cellText renders a value for a table or CSV cell: lists joined with "; ",
// null as empty, text on one line.
func cellText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return strings.Join(strings.Fields(x), " ")
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = cellText(e)
		}
		return strings.Join(parts, "; ")
	case Node:
		if name, ok := x.Props["name"].(string); ok {
			return name
		}
		return strings.Join(x.Labels, ":")
	case Relationship:
		return x.Type
	case Path:
		parts := make([]string, len(x.Nodes))
		for i, n := range x.Nodes {
			parts[i] = cellText(n)
		}
		return strings.Join(parts, " - ")
	case map[string]any:
		b, _ := marshalPlain(plainValue(x))
		return string(b)
	}
	return fmt.Sprint(plainValue(v))
}

func truncate(s string, max int) string {
	if max <= 0 || utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max-1]) + "…"
}
