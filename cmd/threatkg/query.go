package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/threatkg/threatkg/queries"
)

type queryOptions struct {
	global *globalOptions
	name   string
	params []string
	format string
	cypher bool
}

func newQueryCmd(g *globalOptions) *cobra.Command {
	opts := &queryOptions{global: g}
	cmd := &cobra.Command{
		Use:   "query [NAME]",
		Short: "Run a canned query, or list the catalogue",
		Long: `Runs one of threatkg's canned, parameterised Cypher queries in a read
transaction and prints its rows. Without NAME, lists the catalogue.

Parameters are given as --param key=value (repeatable); values reach Neo4j
only as query parameters. A missing required or unknown parameter exits 2
and lists the valid ones. --cypher prints the query instead of running it:
it runs unchanged in Neo4j Browser after :param.`,
		Example: `  threatkg query
  threatkg query actors-victims --param actor=APT10
  threatkg query actor-profile --param actor=apt10 --format json
  threatkg query shortest-path --param from="Zhu Hua" --param to=China
  threatkg query condemnations --format csv > condemnations.csv
  threatkg query provenance --cypher`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.name = args[0]
			}
			return runQuery(cmd.Context(), opts)
		},
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			all, _ := queries.All()
			names := make([]string, len(all))
			for i, q := range all {
				names[i] = q.Name + "\t" + q.Description
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
	}
	cmd.Flags().StringArrayVarP(&opts.params, "param", "p", nil, "query parameter as key=value (repeatable)")
	cmd.Flags().StringVar(&opts.format, "format", formatTable, "output format: table, json or csv")
	cmd.Flags().BoolVar(&opts.cypher, "cypher", false, "print the query's Cypher instead of running it")
	return cmd
}

func runQuery(ctx context.Context, opts *queryOptions) error {
	if err := checkFormat(opts.format, formatTable, formatJSON, formatCSV); err != nil {
		return err
	}
	out := opts.global.io.Out
	if opts.name == "" {
		return listQueries(opts)
	}
	q, err := queries.Lookup(opts.name)
	if err != nil {
		return err
	}
	if opts.cypher {
		_, err := fmt.Fprint(out, q.Cypher)
		return err
	}
	given := map[string]string{}
	for _, kv := range opts.params {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return usageErrorf("--param %q: want key=value", kv)
		}
		if _, dup := given[k]; dup {
			return usageErrorf("--param %s given twice", k)
		}
		given[strings.TrimSpace(k)] = v
	}
	params, err := q.Bind(given)
	if err != nil {
		return err
	}
	client, err := opts.global.connect(ctx)
	if err != nil {
		return err
	}
	defer client.Close(context.Background())
	rows, err := client.Read(ctx, q.Cypher, params)
	if err != nil {
		return fmt.Errorf("query %s: %w", q.Name, err)
	}
	maxCell := 0
	if isTerminal(out) {
		maxCell = 60
	}
	if err := writeRows(out, opts.format, rows.Columns, rows.Records, maxCell); err != nil {
		return err
	}
	if opts.format == formatTable {
		fmt.Fprintf(opts.global.io.ErrOut, "%d row%s\n", len(rows.Records), plural(len(rows.Records)))
	}
	return nil
}

func listQueries(opts *queryOptions) error {
	all, err := queries.All()
	if err != nil {
		return err
	}
	if opts.format == formatJSON {
		return writeJSON(opts.global.io.Out, all)
	}
	records := make([][]any, len(all))
	for i, q := range all {
		var ps []string
		for _, p := range q.Params {
			ps = append(ps, p.Usage())
		}
		records[i] = []any{q.Name, strings.Join(ps, ", "), q.Description}
	}
	maxCell := 0
	if isTerminal(opts.global.io.Out) {
		maxCell = 80
	}
	return writeRows(opts.global.io.Out, opts.format, []string{"name", "parameters", "description"}, records, maxCell)
}
