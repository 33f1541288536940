package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/threatkg/threatkg/graph/model"
)

type schemaOptions struct{ global *globalOptions }

// newSchemaCmd binds the subcommands; runF runs apply (nil: runSchemaApply).
func newSchemaCmd(g *globalOptions, runF func(context.Context, *schemaOptions) error) *cobra.Command {
	runF = orDefault(runF, runSchemaApply)
	cmd := &cobra.Command{
		Use:   "schema",
		Short: "Manage threatkg's schema (constraints and indexes) in Neo4j",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newSchemaDescribeCmd())
	cmd.AddCommand(&cobra.Command{
		Use:   "apply",
		Short: "Create threatkg's constraints and indexes where they are missing (idempotent)",
		Long:  help("schema-apply"),
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runF(cmd.Context(), &schemaOptions{global: g})
		},
	})
	return cmd
}

func runSchemaApply(ctx context.Context, opts *schemaOptions) error {
	client, err := clientOf(ctx, opts.global, opts.global.clients.schema)
	if err != nil {
		return err
	}
	defer client.Close(context.Background())
	if err := client.ApplySchema(ctx); err != nil {
		return err
	}
	if _, err := client.RefreshRollups(ctx); err != nil {
		return err
	}
	status, err := client.SchemaStatus(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(opts.global.io.ErrOut, "schema: %d constraints and indexes present\n", len(status.Present))
	return nil
}

func newSchemaDescribeCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "describe",
		Short: "Print the declared graph model (labels, relationship types, properties) as Markdown",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprint(cmd.OutOrStdout(), model.Declared.Markdown())
			return err
		},
	}
}
