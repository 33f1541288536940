package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Output formats. Results go to stdout in one of these; progress and logs go
// to stderr.
const (
	formatTable = "table"
	formatJSON  = "json"
	formatCSV   = "csv"
)

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
