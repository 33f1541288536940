package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/threatkg/threatkg/graph"
	"github.com/threatkg/threatkg/queries"
)

type queryOptions struct {
	global     *globalOptions
	name       string
	params     []string
	format     string
	cypher     bool
	browser    bool
	open       bool
	browserURL string
	execute    string
	file       string
	timeout    time.Duration
}

// newQueryCmd binds the command's flags to its options; runF runs it (nil:
// runQuery), so that tests can check what the flags parse to.
func newQueryCmd(g *globalOptions, runF func(context.Context, *queryOptions) error) *cobra.Command {
	runF = orDefault(runF, runQuery)
	opts := &queryOptions{global: g}
	cmd := &cobra.Command{
		Use:     "query [NAME]",
		Short:   "Run a canned query, or list the catalogue",
		Long:    help("query"),
		Example: examples("query"),
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.name = args[0]
			}
			return runF(cmd.Context(), opts)
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
	formatFlag(cmd, &opts.format, formatTable, "output format", formatTable, formatJSON, formatCSV)
	cmd.Flags().BoolVar(&opts.cypher, "cypher", false, "print the query's Cypher instead of running it")
	cmd.Flags().BoolVar(&opts.browser, "browser", false, "print a Neo4j Browser link to the query's graph form instead of running it")
	cmd.Flags().BoolVar(&opts.open, "open", false, "with --browser: open the link in the desktop's browser")
	cmd.Flags().StringVar(&opts.browserURL, "browser-url", "", "Neo4j Browser's server (env NEO4J_HTTP_URL, default http://localhost:7474)")
	cmd.Flags().StringVarP(&opts.execute, "execute", "e", "", "run this read-only Cypher statement instead of a canned query")
	cmd.Flags().StringVar(&opts.file, "file", "", "run the read-only Cypher statement in this file")
	cmd.Flags().DurationVar(&opts.timeout, "timeout", graph.DefaultQueryTimeout, "stop the query on the server after this long")
	cmd.MarkFlagsMutuallyExclusive("execute", "file")
	return cmd
}

func runQuery(ctx context.Context, opts *queryOptions) error {
	out := opts.global.io.Out
	if opts.timeout <= 0 {
		return usageErrorf("--timeout must be positive")
	}
	if opts.execute != "" || opts.file != "" {
		return runAdHoc(ctx, opts)
	}
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
	given, err := queries.ParseParams(opts.params)
	if err != nil {
		return err
	}
	params, err := q.Bind(given)
	if err != nil {
		return err
	}
	if opts.open && !opts.browser {
		return usageErrorf("--open goes with --browser")
	}
	if opts.browser {
		link := q.BrowserLink(opts.global.browserHTTPURL(opts.browserURL), params)
		if _, err := fmt.Fprintln(out, link); err != nil {
			return err
		}
		if len(q.Params) > 0 {
			fmt.Fprintln(opts.global.io.ErrOut, "In Neo4j Browser: run it (Ctrl+Enter) to set the parameters and run the query; "+
				"to draw the graph, run the query again on its own (its last statement).")
		}
		if opts.open {
			return openURL(link)
		}
		return nil
	}
	client, err := clientOf(ctx, opts.global, opts.global.clients.reader)
	if err != nil {
		return err
	}
	defer client.Close(context.Background())
	rows, err := client.Read(ctx, q.Cypher, params, opts.timeout)
	if err != nil {
		return fmt.Errorf("query %s: %w", q.Name, err)
	}
	return printRows(opts, rows)
}

// runAdHoc runs the user's own statement, read-only.
func runAdHoc(ctx context.Context, opts *queryOptions) error {
	if opts.name != "" {
		return usageErrorf("give a canned query's name or -e/--file, not both")
	}
	if opts.browser || opts.cypher {
		return usageErrorf("--browser and --cypher go with canned queries")
	}
	cypher := opts.execute
	if opts.file != "" {
		data, err := os.ReadFile(opts.file)
		if err != nil {
			return usageErrorf("--file: %w", err)
		}
		cypher = string(data)
	}
	cypher = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(cypher), ";"))
	if cypher == "" {
		return usageErrorf("the statement is empty")
	}
	given, err := queries.ParseParams(opts.params)
	if err != nil {
		return err
	}
	params := map[string]any{}
	for k, v := range given {
		params[k] = v
	}
	client, err := clientOf(ctx, opts.global, opts.global.clients.reader)
	if err != nil {
		return err
	}
	defer client.Close(context.Background())
	if err := client.CheckReadOnly(ctx, cypher, params); err != nil {
		return err
	}
	rows, err := client.Read(ctx, cypher, params, opts.timeout)
	if err != nil {
		return err
	}
	return printRows(opts, rows)
}

func printRows(opts *queryOptions, rows graph.Rows) error {
	out := opts.global.io.Out
	if err := writeRows(out, opts.format, rows.Columns, rows.Records, cellWidth(opts.global.io, 60)); err != nil {
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
	cols, records := queries.Table(all)
	return writeRows(opts.global.io.Out, opts.format, cols, records, cellWidth(opts.global.io, 80))
}
