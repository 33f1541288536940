package main

import (
	"context"
	"errors"
	"fmt"
	"sort"

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
	client, err := g.connect(ctx)
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
	var records [][]any
	for _, part := range []struct {
		kind   string
		counts map[string]int64
	}{{"node", stats.Nodes}, {"relationship", stats.Relationships}} {
		names := make([]string, 0, len(part.counts))
		for n := range part.counts {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			records = append(records, []any{part.kind, n, part.counts[n]})
		}
	}
	return writeRows(g.io.Out, formatTable, []string{"kind", "name", "count"}, records, 0)
}

func newResetCmd(g *globalOptions) *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:   "reset --yes",
		Short: "Delete threatkg's data (Entity and Report nodes) from the database",
		Long: `Deletes every :Entity and :Report node and their relationships: all that
threatkg loaded. Other data in the database, and the schema, are left alone.
Refuses to run without --yes.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !yes {
				return &usageError{err: errors.New("reset deletes every source threatkg loaded into this database; run it again with --yes to confirm")}
			}
			client, err := g.connect(cmd.Context())
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
