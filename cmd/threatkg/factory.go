package main

import (
	"context"
	"time"

	"github.com/threatkg/threatkg/graph"
	"github.com/threatkg/threatkg/graph/bench"
	"github.com/threatkg/threatkg/graph/bulkload"
	"github.com/threatkg/threatkg/graph/model"
)

// The narrow interfaces commands get their graph client through, in the
// cli/cli style: a command asks the factory for the one it needs, so that
// its run function can be tested with a fake. *graph.Client implements
// them all; the integration tests run them against a real Neo4j.
type (
	session interface {
		Close(ctx context.Context) error
		URI() string // redacted
		Database() string
	}
	loadClient interface {
		session
		LoadDocuments(ctx context.Context, docs []model.Document, opts graph.LoadOptions) ([]graph.LoadSummary, error)
		EntityLabels(ctx context.Context, uids []string) (map[string]string, error)
		RefreshRollups(ctx context.Context) (int, error)
		TAXIIAddedLast(ctx context.Context, collection string) (string, error)
	}
	readClient interface {
		session
		Read(ctx context.Context, cypher string, params map[string]any, timeout ...time.Duration) (graph.Rows, error)
		CheckReadOnly(ctx context.Context, cypher string, params map[string]any) error
	}
	resolveClient interface {
		session
		Explain(ctx context.Context, name string) ([]graph.Explanation, error)
		Undo(ctx context.Context, uidOrName string) ([]graph.ResolutionLink, error)
	}
	exportClient interface {
		session
		Documents(ctx context.Context, sourceUIDs []string) ([]model.Document, error)
		TechniqueCoverage(ctx context.Context, names ...string) ([]model.TechniqueUse, error)
		ATTACKVersion(ctx context.Context) (string, error)
	}
	statsClient interface {
		session
		Stats(ctx context.Context) (graph.Stats, error)
	}
	resetClient interface {
		session
		Reset(ctx context.Context) (int64, error)
	}
	schemaClient interface {
		session
		ApplySchema(ctx context.Context) error
		SchemaStatus(ctx context.Context) (graph.SchemaStatus, error)
		RefreshRollups(ctx context.Context) (int, error)
	}
	namesClient interface {
		session
		EntityNames(ctx context.Context, label string) ([]graph.NamedEntity, error)
	}
	bulkClient interface {
		session
		bulkload.Client
	}
	benchClient interface {
		session
		bench.Client
	}
	doctorClient interface {
		session
		ServerInfo(ctx context.Context) (graph.ServerInfo, error)
		Counts(ctx context.Context) (graph.Counts, error)
		SchemaStatus(ctx context.Context) (graph.SchemaStatus, error)
	}
)

// factory hands commands their clients. A nil field connects to Neo4j with
// the resolved settings; tests set the field of the command they test.
type factory struct {
	loader   func(context.Context) (loadClient, error)
	reader   func(context.Context) (readClient, error)
	resolver func(context.Context) (resolveClient, error)
	exporter func(context.Context) (exportClient, error)
	stats    func(context.Context) (statsClient, error)
	resetter func(context.Context) (resetClient, error)
	schema   func(context.Context) (schemaClient, error)
	doctor   func(context.Context) (doctorClient, error)
	names    func(context.Context) (namesClient, error)
	bench    func(context.Context) (benchClient, error)
	bulk     func(context.Context) (bulkClient, error)
}

// orDefault is a command's runF, or run when it is nil: tests give a runF
// that records what the flags parsed to.
func orDefault[T any](runF, run func(context.Context, *T) error) func(context.Context, *T) error {
	if runF == nil {
		return run
	}
	return runF
}

// clientOf returns what the factory's field gives, else a connected client
// (*graph.Client, which has every interface: factory_test.go checks it).
func clientOf[T any](ctx context.Context, g *globalOptions, field func(context.Context) (T, error)) (T, error) {
	if field != nil {
		return field(ctx)
	}
	c, err := g.connect(ctx)
	if err != nil {
		var zero T
		return zero, err
	}
	return any(c).(T), nil
}
