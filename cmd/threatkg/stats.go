package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"
)

type statsOptions struct {
	global *globalOptions
	format string
}

// newStatsCmd binds the command's flags; runF runs it (nil: runStats).
func newStatsCmd(g *globalOptions, runF func(context.Context, *statsOptions) error) *cobra.Command {
	runF, opts := orDefault(runF, runStats), &statsOptions{global: g}
	cmd := &cobra.Command{
		Use:   "stats",
		Short: "Count nodes per label and relationships per type",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return runF(cmd.Context(), opts) },
	}
	formatFlag(cmd, &opts.format, formatTable, "output format", formatTable, formatJSON)
	return cmd
}

func runStats(ctx context.Context, opts *statsOptions) error {
	client, err := clientOf(ctx, opts.global, opts.global.clients.stats)
	if err != nil {
		return err
	}
	defer client.Close(context.Background())
	stats, err := client.Stats(ctx)
	if err != nil {
		return err
	}
	if opts.format == formatJSON {
		return writeJSON(opts.global.io.Out, stats)
	}
	return stats.Rows().Write(opts.global.io.Out, formatTable, 0)
}

type resetOptions struct {
	global *globalOptions
	yes    bool
}

// newResetCmd binds the command's flags; runF runs it (nil: runReset).
func newResetCmd(g *globalOptions, runF func(context.Context, *resetOptions) error) *cobra.Command {
	runF, opts := orDefault(runF, runReset), &resetOptions{global: g}
	cmd := &cobra.Command{
		Use:   "reset --yes",
		Short: "Delete threatkg's data (Entity and Report nodes) from the database",
		Long:  help("reset"),
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return runF(cmd.Context(), opts) },
	}
	cmd.Flags().BoolVar(&opts.yes, "yes", false, "confirm the deletion")
	return cmd
}

func runReset(ctx context.Context, opts *resetOptions) error {
	if !opts.yes {
		return &usageError{err: errors.New("reset deletes every source threatkg loaded into this database; run it again with --yes to confirm")}
	}
	client, err := clientOf(ctx, opts.global, opts.global.clients.resetter)
	if err != nil {
		return err
	}
	defer client.Close(context.Background())
	n, err := client.Reset(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(opts.global.io.ErrOut, "deleted %d nodes from %s database %q\n", n, client.URI(), client.Database())
	return nil
}
