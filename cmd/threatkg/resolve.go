package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/threatkg/threatkg/graph"
)

type resolveOptions struct {
	global  *globalOptions
	explain string
	undo    string
	format  string
}

// newResolveCmd binds the command's flags to its options; runF runs it (nil:
// runResolve), so that tests can check what the flags parse to.
func newResolveCmd(g *globalOptions, runF func(context.Context, *resolveOptions) error) *cobra.Command {
	runF = orDefault(runF, runResolve)
	opts := &resolveOptions{global: g}
	cmd := &cobra.Command{
		Use:     "resolve (--explain NAME | --undo UID)",
		Short:   "Explain or undo entity resolution (which nodes are one entity, and why)",
		Long:    help("resolve"),
		Example: examples("resolve"),
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runF(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.explain, "explain", "", "show why the entity called NAME is linked to others")
	cmd.Flags().StringVar(&opts.undo, "undo", "", "remove the SAME_AS links of the entity with this uid or exact name")
	formatFlag(cmd, &opts.format, formatTable, "output format", formatTable, formatJSON)
	cmd.MarkFlagsMutuallyExclusive("explain", "undo")
	cmd.MarkFlagsOneRequired("explain", "undo")
	return cmd
}

func runResolve(ctx context.Context, opts *resolveOptions) error {
	client, err := clientOf(ctx, opts.global, opts.global.clients.resolver)
	if err != nil {
		return err
	}
	defer client.Close(context.Background())
	out := opts.global.io.Out
	if opts.undo != "" {
		links, err := client.Undo(ctx, opts.undo)
		if err != nil {
			return err
		}
		if opts.format == formatJSON {
			return writeJSON(out, links)
		}
		if len(links) == 0 {
			fmt.Fprintf(opts.global.io.ErrOut, "%s has no SAME_AS links\n", opts.undo)
			return nil
		}
		return graph.WriteUnlinked(out, links)
	}
	explanations, err := client.Explain(ctx, opts.explain)
	if err != nil {
		return err
	}
	if opts.format == formatJSON {
		if explanations == nil {
			explanations = []graph.Explanation{}
		}
		return writeJSON(out, explanations)
	}
	if len(explanations) == 0 {
		fmt.Fprintf(opts.global.io.ErrOut, "no entity is called %q\n", opts.explain)
		return nil
	}
	return graph.WriteExplanations(out, opts.explain, explanations)
}
