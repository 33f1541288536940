package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/threatkg/threatkg/loaders"
)

type exportOptions struct {
	global  *globalOptions
	format  string
	output  string
	sources []string
}

// newExportCmd binds the command's flags to its options; runF runs it (nil:
// runExport), so that tests can check what the flags parse to.
func newExportCmd(g *globalOptions, runF func(context.Context, *exportOptions) error) *cobra.Command {
	if runF == nil {
		runF = runExport
	}
	opts := &exportOptions{global: g}
	cmd := &cobra.Command{
		Use:   "export --format stix [-o FILE]",
		Short: "Export the graph (or some sources) as a STIX 2.1 bundle",
		Long: `Writes the graph as a STIX 2.1 bundle: an object per entity, a relationship
per claim, and a report per source (its object_refs: what it mentions and
claims). What STIX lacks uses custom objects and properties, all x-prefixed
as STIX allows: agreements (x-threatkg-agreement), legal actions
(x-threatkg-legal-action), relationship types such as condemned, and
x_threatkg_source on each relationship naming the report that makes the
claim. Loading the export into an empty graph gives the same entities,
claims and sources (docs/stix.md).`,
		Example: `  threatkg export --format stix -o graph.json
  threatkg export --format stix --source report--0a26dcfd-9c74-51c0-8657-fde1d767409e`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runF(cmd.Context(), opts)
		},
	}
	formatFlag(cmd, &opts.format, "stix", "export format", "stix")
	cmd.Flags().StringVarP(&opts.output, "output", "o", "", "write to this file instead of standard output")
	cmd.Flags().StringArrayVar(&opts.sources, "source", nil, "export only this source (Report uid; repeatable)")
	return cmd
}

func runExport(ctx context.Context, opts *exportOptions) error {
	client, err := opts.global.connect(ctx)
	if err != nil {
		return err
	}
	defer client.Close(context.Background())
	docs, err := client.Documents(ctx, opts.sources)
	if err != nil {
		return err
	}
	if len(opts.sources) > 0 && len(docs) != len(opts.sources) {
		return usageErrorf("--source: %d of the %d sources given are not in the graph (see: threatkg query ... or MATCH (r:Report) RETURN r.uid)", len(opts.sources)-len(docs), len(opts.sources))
	}
	data, err := loaders.WriteSTIX(docs)
	if err != nil {
		return err
	}
	// Never hand out a bundle other tools would refuse.
	if err := loaders.ValidateSTIXBundle(data); err != nil {
		return fmt.Errorf("the export does not pass the OASIS STIX 2.1 schemas (a bug; please report it): %w", err)
	}
	entities, claims := 0, 0
	for _, d := range docs {
		entities += len(d.Entities)
		claims += len(d.Claims)
	}
	if opts.output == "" {
		if _, err := opts.global.io.Out.Write(data); err != nil {
			return err
		}
	} else if err := writeFileAtomic(opts.output, data); err != nil {
		return err
	}
	fmt.Fprintf(opts.global.io.ErrOut, "exported %d sources, %d mentions, %d claims as STIX 2.1\n", len(docs), entities, claims)
	return nil
}

// writeFileAtomic writes through a temporary file and a rename, so a failed
// export never leaves half a file.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
