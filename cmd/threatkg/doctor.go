package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/threatkg/threatkg/graph"
)

type doctorOptions struct {
	global *globalOptions
	format string
}

// newDoctorCmd binds the command's flags to its options; runF runs it (nil:
// runDoctor), so that tests can check what the flags parse to.
func newDoctorCmd(g *globalOptions, runF func(context.Context, *doctorOptions) error) *cobra.Command {
	if runF == nil {
		runF = runDoctor
	}
	opts := &doctorOptions{global: g}
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check the connection to Neo4j and threatkg's schema",
		Long: `Connects to Neo4j and reports the server's address, version and edition, the
database, its size, and whether threatkg's schema (its constraints and indexes) is present.

Exits 0 when the database can be used, 3 (within 10 seconds) with one line
saying what is wrong and what to do when nothing answers at the URI, the
server refuses the credentials, or the database does not exist.`,
		Example: `  threatkg doctor
  threatkg doctor --format json
  NEO4J_URI=bolt://db.example.org:7687 threatkg --password-stdin doctor < pw.txt`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runF(cmd.Context(), opts)
		},
	}
	formatFlag(cmd, &opts.format, formatTable, "output format", formatTable, formatJSON)
	return cmd
}

// doctorReport is what doctor prints; its JSON form is a stable contract.
type doctorReport struct {
	Healthy  bool                `json:"healthy"`
	Error    string              `json:"error,omitempty"`
	URI      string              `json:"uri"`
	Database string              `json:"database"`
	Server   *graph.ServerInfo   `json:"server,omitempty"`
	Counts   *graph.Counts       `json:"counts,omitempty"`
	Schema   *graph.SchemaStatus `json:"schema,omitempty"`
}

func runDoctor(ctx context.Context, opts *doctorOptions) error {
	cfg, err := opts.global.config()
	if err != nil {
		return err
	}
	report := doctorReport{URI: cfg.Redacted(), Database: cfg.Database}
	out := opts.global.io.Out

	client, err := opts.global.connect(ctx)
	if err != nil {
		if opts.format == formatJSON {
			report.Error = strings.Join(strings.Fields(err.Error()), " ")
			_ = writeJSON(out, report)
		}
		return err
	}
	defer client.Close(context.Background())

	info, err := client.ServerInfo(ctx)
	if err != nil {
		return err
	}
	counts, err := client.Counts(ctx)
	if err != nil {
		return err
	}
	schema, err := client.SchemaStatus(ctx)
	if err != nil {
		return err
	}
	report.Healthy = true
	report.Server, report.Counts, report.Schema = &info, &counts, &schema

	if opts.format == formatJSON {
		return writeJSON(out, report)
	}
	schemaLine := fmt.Sprintf("present (%d constraints and indexes)", len(schema.Present))
	if !schema.Complete() {
		schemaLine = fmt.Sprintf("missing %s (created by 'threatkg schema apply' and by every load)", strings.Join(schema.Missing, ", "))
	}
	return writeKeyValues(out, []keyValue{
		{"status", "ok"},
		{"uri", report.URI},
		{"server", info.Address},
		{"version", info.Version},
		{"edition", info.Edition},
		{"protocol", info.Protocol},
		{"database", report.Database},
		{"nodes", fmt.Sprint(counts.Nodes)},
		{"relationships", fmt.Sprint(counts.Relationships)},
		{"schema", schemaLine},
	})
}
