package main

import (
	"context"

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
	runF = orDefault(runF, runDoctor)
	opts := &doctorOptions{global: g}
	cmd := &cobra.Command{
		Use:     "doctor",
		Short:   "Check the connection to Neo4j and threatkg's schema",
		Long:    help("doctor"),
		Example: examples("doctor"),
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runF(cmd.Context(), opts)
		},
	}
	formatFlag(cmd, &opts.format, formatTable, "output format", formatTable, formatJSON)
	return cmd
}

func runDoctor(ctx context.Context, opts *doctorOptions) error {
	cfg, err := opts.global.config()
	if err != nil {
		return err
	}
	report := graph.Health{URI: cfg.Redacted(), Database: cfg.Database}
	out := opts.global.io.Out
	client, err := clientOf(ctx, opts.global, opts.global.clients.doctor)
	if err != nil {
		if opts.format == formatJSON {
			report.Error = oneLine(err)
			_ = writeJSON(out, report)
		}
		return err
	}
	defer client.Close(context.Background())
	if err := report.Check(ctx, client); err != nil {
		return err
	}
	if opts.format == formatJSON {
		return writeJSON(out, report)
	}
	return writeKeyValues(out, report.Fields())
}
