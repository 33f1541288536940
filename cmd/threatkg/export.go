package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/threatkg/threatkg/graph/model"
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
	runF = orDefault(runF, runExport)
	opts := &exportOptions{global: g}
	cmd := &cobra.Command{
		Use:     "export --format stix [-o FILE]",
		Short:   "Export the graph (or some sources) as a STIX 2.1 bundle",
		Long:    help("export"),
		Example: examples("export"),
		Args:    cobra.NoArgs,
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
	client, err := clientOf(ctx, opts.global, opts.global.clients.exporter)
	if err != nil {
		return err
	}
	defer client.Close(context.Background())
	docs, err := client.Documents(ctx, opts.sources)
	if err != nil {
		return err
	}
	if len(opts.sources) > 0 && len(docs) != len(opts.sources) {
		return usageErrorf("--source: %d of the %d sources given are not in the graph (see: threatkg query ... or MATCH (r:%s) RETURN r.uid)", len(opts.sources)-len(docs), len(opts.sources), model.ReportLabel)
	}
	data, err := loaders.WriteSTIX(docs)
	if err != nil {
		return err
	}
	// Never hand out a bundle other tools would refuse.
	if err := loaders.ValidateSTIXBundle(data); err != nil {
		return fmt.Errorf("the export does not pass the OASIS STIX 2.1 schemas (a bug; please report it): %w", err)
	}
	if opts.output == "" {
		if _, err := opts.global.io.Out.Write(data); err != nil {
			return err
		}
	} else if err := loaders.WriteFileAtomic(opts.output, data); err != nil {
		return err
	}
	entities, claims := model.Sizes(docs)
	fmt.Fprintf(opts.global.io.ErrOut, "exported %d sources, %d mentions, %d claims as STIX 2.1\n", len(docs), entities, claims)
	return nil
}
