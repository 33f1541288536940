package main

import (
	"cmp"
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/threatkg/threatkg/loaders"
	"github.com/threatkg/threatkg/loaders/taxii"
)

// feedOptions are load's settings for TAXII collections.
type feedOptions struct {
	addedAfter string // RFC 3339; empty: after the graph's last pull
	pageSize   int
}

// splitFeeds separates TAXII collection URLs from the other paths.
func splitFeeds(paths []string) (feeds, files []string) {
	for _, p := range paths {
		if taxii.IsURL(p) {
			feeds = append(feeds, p)
		} else {
			files = append(files, p)
		}
	}
	return feeds, files
}

func (f feedOptions) check(feeds []string, bulk bool) error {
	switch {
	case len(feeds) == 0 && (f.addedAfter != "" || f.pageSize != 0):
		return usageErrorf("--added-after and --page-size apply to TAXII collections (taxii+https://...), and none is given")
	case len(feeds) > 0 && bulk:
		return usageErrorf("--bulk reads files; load TAXII collections without it")
	case f.pageSize < 0:
		return usageErrorf("--page-size must be at least 1")
	}
	if f.addedAfter != "" {
		if _, err := taxii.ParseTimestamp(f.addedAfter); err != nil {
			return usageErrorf("--added-after %w", err)
		}
	}
	for _, u := range feeds {
		if _, err := taxii.HTTPURL(u); err != nil {
			return &usageError{err}
		}
	}
	return nil
}

// pullFeeds fetches what each collection added since the graph's last pull
// of it (or since --added-after) and validates it as one source per pull;
// a collection with nothing new gives no source.
func pullFeeds(ctx context.Context, opts *loadOptions, client loadClient, opener *loaders.Opener, feeds []string) ([]loaders.Source, error) {
	tc, err := taxii.NewClientFromEnv(opts.global.getenv, userAgent(), opts.feed.pageSize)
	if err != nil {
		return nil, &usageError{err}
	}
	var out []loaders.Source
	for _, raw := range feeds {
		f, err := tc.Fetch(ctx, raw, opts.feed.addedAfter, client.TAXIIAddedLast)
		if err != nil {
			return nil, err
		}
		logf(opts.global.io, "taxii %s: %d objects in %d pages (added after %s)", f.Key, len(f.Objects), f.Pages, cmp.Or(f.Since, "the start"))
		if len(f.Objects) == 0 {
			logf(opts.global.io, "taxii %s: up to date, nothing to load", f.Key)
			continue
		}
		if f.AddedLast == "" {
			logf(opts.global.io, "taxii %s: the server sent no X-TAXII-Date-Added-Last; the next pull fetches everything again", f.Key)
		}
		src, err := opener.OpenPull(f)
		if err != nil {
			return nil, err
		}
		out = append(out, src)
	}
	return out, nil
}

func logf(io ioStreams, format string, a ...any) { fmt.Fprintf(io.ErrOut, format+"\n", a...) }

type taxiiOptions struct {
	global *globalOptions
	url    string
	format string
}

// newTaxiiCmd is the parent of the TAXII commands.
func newTaxiiCmd(g *globalOptions, runF func(context.Context, *taxiiOptions) error) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "taxii",
		Short: "Look at TAXII 2.1 servers (load their collections with 'threatkg load taxii+https://...')",
		Long:  help("taxii"),
		Args:  cobra.NoArgs,
	}
	runF, opts := orDefault(runF, runTaxiiCollections), &taxiiOptions{global: g}
	list := &cobra.Command{
		Use:     "collections URL",
		Short:   "List the collections of a TAXII 2.1 server (its discovery URL) or API root",
		Long:    help("taxii-collections"),
		Example: examples("taxii-collections"),
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.url = args[0]
			return runF(cmd.Context(), opts)
		},
	}
	formatFlag(list, &opts.format, formatTable, "output format", formatTable, formatJSON, formatCSV)
	cmd.AddCommand(list)
	return cmd
}

func runTaxiiCollections(ctx context.Context, opts *taxiiOptions) error {
	tc, err := taxii.NewClientFromEnv(opts.global.getenv, userAgent(), 0)
	if err != nil {
		return &usageError{err}
	}
	if _, err := taxii.HTTPURL(opts.url); err != nil {
		return &usageError{err}
	}
	cols, err := tc.Collections(ctx, opts.url)
	if err != nil {
		return err
	}
	if opts.format == formatJSON {
		return writeJSON(opts.global.io.Out, append([]taxii.Collection{}, cols...))
	}
	records := make([][]any, len(cols))
	for i, c := range cols {
		records[i] = []any{c.Title, c.CanRead, c.CanWrite, c.URL()}
	}
	return writeRows(opts.global.io.Out, opts.format, []string{"title", "can_read", "can_write", "url"}, records, cellWidth(opts.global.io, 60))
}
