package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/threatkg/threatkg/graph"
)

// Output formats. Results go to stdout in one of these; progress and logs go
// to stderr.
const (
	formatTable = graph.FormatTable
	formatJSON  = graph.FormatJSON
	formatCSV   = graph.FormatCSV
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

// writeKeyValues writes aligned "key  value" lines.
func writeKeyValues(w io.Writer, rows [][2]string) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\n", r[0], r[1])
	}
	return tw.Flush()
}

// writeRows writes rows in a format (see graph.Rows.Write).
func writeRows(w io.Writer, format string, columns []string, records [][]any, maxCell int) error {
	return graph.Rows{Columns: columns, Records: records}.Write(w, format, maxCell)
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
