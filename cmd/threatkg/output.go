package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"
	"github.com/spf13/cobra"
)

// Output formats. Results go to stdout in one of these; progress and logs go
// to stderr.
const (
	formatTable = "table"
	formatJSON  = "json"
	formatCSV   = "csv"
)

// formatValue is --format as an enum (a pflag.Value): a value that is not
// one of the command's formats is refused when the flags are parsed (exit
// 2), --help lists the formats, and the shell completes them.
type formatValue struct {
	p       *string
	allowed []string
}

func (f *formatValue) String() string { return *f.p }
func (f *formatValue) Type() string   { return strings.Join(f.allowed, "|") }
func (f *formatValue) Set(v string) error {
	if !slices.Contains(f.allowed, v) {
		return fmt.Errorf("want one of: %s", strings.Join(f.allowed, ", "))
	}
	*f.p = v
	return nil
}

// formatFlag binds a command's --format to p, with its default and the
// formats it offers.
func formatFlag(cmd *cobra.Command, p *string, def, usage string, allowed ...string) {
	*p = def
	cmd.Flags().Var(&formatValue{p: p, allowed: allowed}, "format", usage)
	_ = cmd.RegisterFlagCompletionFunc("format", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return allowed, cobra.ShellCompDirectiveNoFileComp
	})
}

// checkFormat validates a --format value against the formats a command offers.
func checkFormat(got string, allowed ...string) error {
	for _, a := range allowed {
		if got == a {
			return nil
		}
	}
	return usageErrorf("--format %q is not one of: %s", got, strings.Join(allowed, ", "))
}

// writeJSON writes v as indented JSON followed by a newline.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// keyValue is one line of a two-column report.
type keyValue struct{ Key, Value string }

// writeKeyValues writes aligned "key  value" lines.
func writeKeyValues(w io.Writer, rows []keyValue) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\n", r.Key, r.Value)
	}
	return tw.Flush()
}

// writeRows writes query rows in a format: an aligned table (cells cut to
// maxCell runes when maxCell > 0), JSON (an array of objects keyed by column,
// in column order), or CSV with a header row.
func writeRows(w io.Writer, format string, columns []string, records [][]any, maxCell int) error {
	switch format {
	case formatJSON:
		return writeRowsJSON(w, columns, records)
	case formatCSV:
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
	case dbtype.Node:
		return map[string]any{"labels": x.Labels, "properties": plainValue(x.Props)}
	case dbtype.Relationship:
		return map[string]any{"type": x.Type, "properties": plainValue(x.Props)}
	case dbtype.Path:
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
	case dbtype.Node:
		if name, ok := x.Props["name"].(string); ok {
			return name
		}
		return strings.Join(x.Labels, ":")
	case dbtype.Relationship:
		return x.Type
	case dbtype.Path:
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

// cellWidth is the widest table cell on a terminal of the streams (def,
// or less on a narrow terminal), and 0 (no limit) off a terminal.
func cellWidth(io ioStreams, def int) int {
	if !io.OutTTY {
		return 0
	}
	if io.Width > 0 && io.Width/2 < def {
		return max(io.Width/2, 12)
	}
	return def
}
