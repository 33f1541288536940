package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/threatkg/threatkg/graph/model"
	"github.com/threatkg/threatkg/loaders"
)

// The export formats.
const (
	formatSTIX      = "stix"
	formatNavigator = "navigator"
)

type exportOptions struct {
	global  *globalOptions
	format  string
	output  string
	sources []string
	params  []string // navigator: actor=NAME, campaign=NAME
}

// newExportCmd binds the command's flags to its options; runF runs it (nil:
// runExport), so that tests can check what the flags parse to.
func newExportCmd(g *globalOptions, runF func(context.Context, *exportOptions) error) *cobra.Command {
	runF = orDefault(runF, runExport)
	opts := &exportOptions{global: g}
	cmd := &cobra.Command{
		Use:     "export --format stix|navigator [-o FILE]",
		Short:   "Export the graph (or some sources) as a STIX 2.1 bundle, or actors' techniques as an ATT&CK Navigator layer",
		Long:    help("export"),
		Example: examples("export"),
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runF(cmd.Context(), opts)
		},
	}
	formatFlag(cmd, &opts.format, formatSTIX, "export format", formatSTIX, formatNavigator)
	cmd.Flags().StringVarP(&opts.output, "output", "o", "", "write to this file instead of standard output")
	cmd.Flags().StringArrayVar(&opts.sources, "source", nil, "stix: export only this source (Report uid; repeatable)")
	cmd.Flags().StringArrayVar(&opts.params, "param", nil, "navigator: actor=NAME or campaign=NAME, whose techniques the layer shows (repeatable: an overlap layer)")
	return cmd
}

func runExport(ctx context.Context, opts *exportOptions) error {
	subjects, err := navigatorSubjects(opts)
	if err != nil {
		return err
	}
	client, err := clientOf(ctx, opts.global, opts.global.clients.exporter)
	if err != nil {
		return err
	}
	defer client.Close(context.Background())
	if opts.format == formatNavigator {
		return exportNavigator(ctx, opts, client, subjects)
	}
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
	if err := writeExport(opts, data); err != nil {
		return err
	}
	entities, claims := model.Sizes(docs)
	fmt.Fprintf(opts.global.io.ErrOut, "exported %d sources, %d mentions, %d claims as STIX 2.1\n", len(docs), entities, claims)
	return nil
}

func writeExport(opts *exportOptions, data []byte) error {
	if opts.output == "" {
		_, err := opts.global.io.Out.Write(data)
		return err
	}
	return loaders.WriteFileAtomic(opts.output, data)
}

// navigatorSubjects checks the flags of the format and returns the names
// whose techniques a navigator layer shows.
func navigatorSubjects(opts *exportOptions) ([]string, error) {
	if opts.format != formatNavigator {
		if len(opts.params) > 0 {
			return nil, usageErrorf("--param is for --format navigator (actor=NAME, campaign=NAME)")
		}
		return nil, nil
	}
	if len(opts.sources) > 0 {
		return nil, usageErrorf("--source is for --format stix; a navigator layer takes --param actor=NAME or campaign=NAME")
	}
	var names []string
	for _, p := range opts.params {
		k, v, ok := strings.Cut(p, "=")
		if !ok || (k != "actor" && k != "campaign") || strings.TrimSpace(v) == "" {
			return nil, usageErrorf("--param %q: give actor=NAME or campaign=NAME", p)
		}
		names = append(names, strings.TrimSpace(v))
	}
	if len(names) == 0 {
		return nil, usageErrorf("--format navigator needs --param actor=NAME (or campaign=NAME), e.g. --param actor=APT10")
	}
	return names, nil
}

// exportNavigator writes the ATT&CK Navigator layer of the subjects'
// techniques.
func exportNavigator(ctx context.Context, opts *exportOptions, client exportClient, names []string) error {
	uses, err := client.TechniqueCoverage(ctx, names...)
	if err != nil {
		return err
	}
	version, err := client.ATTACKVersion(ctx)
	if err != nil {
		return err
	}
	layer := loaders.NavigatorLayer(uses, version, time.Now())
	data, err := loaders.WriteNavigatorLayer(layer)
	if err != nil {
		return err
	}
	if err := loaders.CheckNavigatorLayer(data); err != nil {
		return fmt.Errorf("the layer does not follow the Navigator's format (a bug; please report it): %w", err)
	}
	if err := writeExport(opts, data); err != nil {
		return err
	}
	fmt.Fprintf(opts.global.io.ErrOut, "exported %d techniques of %s as an ATT&CK Navigator layer (format %s)\n", len(layer.Techniques), layer.Name, loaders.NavigatorLayerVersion)
	return nil
}
