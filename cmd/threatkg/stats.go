package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"
)

func newStatsCmd(g *globalOptions) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "stats",
		Short: "Count nodes per label and relationships per type",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runStats(cmd.Context(), g, format)
		},
	}
	formatFlag(cmd, &format, formatTable, "output format", formatTable, formatJSON)
	return cmd
}

func runStats(ctx context.Context, g *globalOptions, format string) error {
	client, err := clientOf(ctx, g, g.clients.stats)
	if err != nil {
		return err
	}
	defer client.Close(context.Background())
	stats, err := client.Stats(ctx)
	if err != nil {
		return err
	}
	if format == formatJSON {
		return writeJSON(g.io.Out, stats)
	}
	return stats.Rows().Write(g.io.Out, formatTable, 0)
}

func newResetCmd(g *globalOptions) *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:   "reset --yes",
		Short: "Delete threatkg's data (Entity and Report nodes) from the database",
		Long:  help("reset"),
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !yes {
				return &usageError{err: errors.New("reset deletes every source threatkg loaded into this database; run it again with --yes to confirm")}
			}
			client, err := clientOf(cmd.Context(), g, g.clients.resetter)
			if err != nil {
				return err
			}
			defer client.Close(context.Background())
			n, err := client.Reset(cmd.Context())
			if err != nil {
				return err
			}
			fmt.Fprintf(g.io.ErrOut, "deleted %d nodes from %s database %q\n", n, client.URI(), client.Database())
			return nil
		},
	}
	cmd.Flags().BoolVar(&yes, "yes", false, "confirm the deletion")
	return cmd
}
