package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/threatkg/threatkg/graph"
	"github.com/threatkg/threatkg/graph/model"
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
	if runF == nil {
		runF = runResolve
	}
	opts := &resolveOptions{global: g}
	cmd := &cobra.Command{
		Use:   "resolve (--explain NAME | --undo UID)",
		Short: "Explain or undo entity resolution (which nodes are one entity, and why)",
		Long: `Every load links nodes of the same label that share a normalised name or
alias (APT10 in an article and ATT&CK's menuPass, whose aliases include
APT10) with a SAME_AS relationship, when exactly one entity matches. Queries
treat linked nodes as one entity.

--explain NAME shows the nodes that form the entity called NAME (a name or
alias, case-insensitive), their sources, and each link: the key that matched
and the sources that gave it.

--undo UID removes the links of the node with that uid (or that exact name,
if only one node has it) and records NOT_SAME_AS, so that later loads keep
the nodes apart.`,
		Example: `  threatkg resolve --explain APT10
  threatkg resolve --explain menupass --format json
  threatkg resolve --undo APT10`,
		Args: cobra.NoArgs,
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
	client, err := opts.global.connect(ctx)
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
		for _, l := range links {
			fmt.Fprintf(out, "unlinked %s (%s) and %s (%s), which shared %q; recorded NOT_SAME_AS\n", l.From, l.FromUID, l.To, l.ToUID, l.Matched)
		}
		return nil
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
	for i, e := range explanations {
		if i > 0 {
			fmt.Fprintln(out)
		}
		fmt.Fprintf(out, "%q is one entity of %d node(s):\n", opts.explain, len(e.Members))
		for _, m := range e.Members {
			fmt.Fprintf(out, "  %s %q (%s)\n      aliases: %s\n      sources: %s\n", m.Label, m.Name, m.UID,
				strings.Join(m.Aliases, ", "), strings.Join(m.Sources, "; "))
		}
		for _, l := range e.Links {
			switch l.Kind {
			case model.SameAsType:
				fmt.Fprintf(out, "  linked: %q = %q, because both are called %q (%s; sources: %s)\n", l.From, l.To, l.Matched, l.Method, strings.Join(l.Sources, ", "))
			default:
				fmt.Fprintf(out, "  kept apart: %q and %q (%s)\n", l.From, l.To, l.Method)
			}
		}
	}
	return nil
}
