package main

import "github.com/threatkg/threatkg/graph"

// *graph.Client is every client a command can ask for: checked when the
// tests compile, so that clientOf's assertion cannot fail.
var (
	_ loadClient    = (*graph.Client)(nil)
	_ readClient    = (*graph.Client)(nil)
	_ resolveClient = (*graph.Client)(nil)
	_ exportClient  = (*graph.Client)(nil)
	_ statsClient   = (*graph.Client)(nil)
	_ resetClient   = (*graph.Client)(nil)
	_ schemaClient  = (*graph.Client)(nil)
	_ doctorClient  = (*graph.Client)(nil)
	_ namesClient   = (*graph.Client)(nil)
	_ benchClient   = (*graph.Client)(nil)
	_ bulkClient    = (*graph.Client)(nil)
)
