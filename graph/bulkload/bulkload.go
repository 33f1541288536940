// Package bulkload is threatkg's bulk first load (`threatkg load --bulk`):
// validated sources written as the CSV files of Neo4j's offline importer
// (graph.ImportWriter), imported with `neo4j-admin database import full`
// (by the local server's script, or by the user on the server's machine),
// then the schema, resolution and the few entities Go cannot derive.
package bulkload

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"time"

	"github.com/threatkg/threatkg/graph"
	"github.com/threatkg/threatkg/graph/model"
	"github.com/threatkg/threatkg/loaders"
)

// Client is what a bulk load needs of the graph.
type Client interface {
	Database() string
	CheckEmpty(ctx context.Context) error
	Reconnect(ctx context.Context) error // after the server restarted
	ApplySchema(ctx context.Context) error
	ResolveImported(ctx context.Context, r *graph.ImportResolver, docs []model.Document, opts graph.LoadOptions) ([]graph.LoadSummary, error)
	RecomputeEntities(ctx context.Context, uids []string, opts graph.LoadOptions) error
	RefreshRollups(ctx context.Context) (int, error)
}

// Options are a bulk load's settings.
type Options struct {
	// Dir is where the CSV files go; "" a temporary directory, removed
	// after a local import.
	Dir string
	// LocalServer is the scripts/neo4j-local.sh of the server the client
	// talks to: it stops the server, imports and starts it again. "": the
	// files are written and Outcome.Command says how to import them.
	LocalServer string
	// Imported: the user ran the import; only the steps after it run.
	Imported bool
	Load     graph.LoadOptions // TransactionRows groups resolution as a load groups writes; Trace
	Now      func() time.Time
	Stderr   io.Writer // the script's output
	Log      func(format string, args ...any)
}

// Check verifies the options go together: bulk says whether a bulk load
// was asked for at all, dryRun whether a dry run was.
func (o Options) Check(bulk, dryRun bool) error {
	switch {
	case !bulk && (o.Dir != "" || o.LocalServer != "" || o.Imported):
		return errors.New("--import-dir, --local-server and --imported go with --bulk")
	case bulk && dryRun:
		return errors.New("--bulk cannot be a dry run: use --dry-run without --bulk to check the sources")
	case bulk && o.LocalServer == "" && o.Dir == "" && !o.Imported:
		return errors.New("--bulk needs --local-server (the local server's script), or --import-dir to write the files for a server elsewhere")
	case o.Imported && (o.Dir != "" || o.LocalServer != ""):
		return errors.New("--imported finishes an import you ran: give it without --import-dir and --local-server")
	}
	return nil
}

// Outcome is what a bulk load did.
type Outcome struct {
	Files     graph.ImportFiles
	Command   string // set when the user runs the import: the command, in the import directory
	Summaries []graph.LoadSummary
}

// ImportError: the importer failed; nothing of the sources is in the
// database (a failed import leaves the database empty).
type ImportError struct {
	Dir string
	Err error
}

func (e *ImportError) Error() string {
	return fmt.Sprintf("the bulk import of %s failed: %v (its log is %s/import.log)", e.Dir, e.Err, e.Dir)
}

func (e *ImportError) Unwrap() error { return e.Err }

// Run bulk-loads the sources, which must be validated (loaders.Opener)
// and their references resolved.
func Run(ctx context.Context, c Client, sources []loaders.Source, opts Options) (Outcome, error) {
	log := opts.Log
	if log == nil {
		log = func(string, ...any) {}
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	var out Outcome
	if !opts.Imported {
		if err := c.CheckEmpty(ctx); err != nil {
			return out, err
		}
		files, err := write(ctx, sources, opts)
		if err != nil {
			return out, err
		}
		out.Files = files
		log("wrote %d nodes and %d relationships as CSV files in %s", files.Nodes, files.Relationships, files.Dir)
		if opts.LocalServer == "" {
			out.Command = files.ImportCommand(c.Database())
			return out, nil
		}
		if opts.Dir == "" {
			defer os.RemoveAll(files.Dir)
		}
		t := time.Now()
		if err := importLocal(ctx, opts.LocalServer, files.Dir, opts.Stderr); err != nil {
			return out, err
		}
		trace(opts.Load, "import", t)
		log("imported in %.1fs", time.Since(t).Seconds())
		if err := c.Reconnect(ctx); err != nil {
			return out, err
		}
	}
	summaries, err := finish(ctx, c, sources, opts)
	out.Summaries = summaries
	return out, err
}

func trace(o graph.LoadOptions, step string, start time.Time) {
	if o.Trace != nil {
		o.Trace(step, time.Since(start))
	}
}

// write writes every source's documents as the importer's files.
func write(ctx context.Context, sources []loaders.Source, opts Options) (graph.ImportFiles, error) {
	t := time.Now()
	dir := opts.Dir
	if dir == "" {
		tmp, err := os.MkdirTemp("", "threatkg-import-*")
		if err != nil {
			return graph.ImportFiles{}, fmt.Errorf("bulk: %w", err)
		}
		dir = tmp
	}
	w, err := graph.NewImportWriter(dir, opts.Now())
	if err != nil {
		return graph.ImportFiles{}, err
	}
	for i := range sources {
		docs, err := sources[i].Documents(ctx)
		if err != nil {
			return graph.ImportFiles{}, err
		}
		for _, d := range docs {
			if err := w.Add(d); err != nil {
				return graph.ImportFiles{}, fmt.Errorf("%s: %w", sources[i].Name, err)
			}
		}
	}
	files, err := w.Close()
	trace(opts.Load, "write CSV", t)
	return files, err
}

// importLocal runs the local server's script: stop, import, start. It is
// not tied to ctx: an interrupt waits for the script, so that the server
// is started again, and is reported after.
func importLocal(ctx context.Context, script, dir string, stderr io.Writer) error {
	cmd := exec.Command(script, "import", dir)
	cmd.Stdout, cmd.Stderr = stderr, stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return &ImportError{Dir: dir, Err: fmt.Errorf("%s import exited with %d", script, exit.ExitCode())}
		}
		return &ImportError{Dir: dir, Err: err}
	}
	return nil
}

// finish creates the schema, resolves each source's entities in load
// order, and recomputes the entities Go could not derive.
func finish(ctx context.Context, c Client, sources []loaders.Source, opts Options) ([]graph.LoadSummary, error) {
	t := time.Now()
	if err := c.ApplySchema(ctx); err != nil {
		return nil, err
	}
	trace(opts.Load, "schema", t)
	r := graph.NewImportResolver()
	var summaries []graph.LoadSummary
	var recompute []string
	seen := map[string]bool{}
	for i := range sources {
		docs, err := sources[i].Documents(ctx)
		if err != nil {
			return nil, err
		}
		got, err := c.ResolveImported(ctx, r, docs, opts.Load)
		if err != nil {
			return nil, err
		}
		summaries = append(summaries, got...)
		for _, d := range docs {
			for _, e := range d.Entities {
				if !seen[e.UID] && graph.NeedsRecompute(e) {
					seen[e.UID] = true
					recompute = append(recompute, e.UID)
				}
			}
		}
	}
	if err := c.RecomputeEntities(ctx, recompute, opts.Load); err != nil {
		return nil, err
	}
	t = time.Now()
	if _, err := c.RefreshRollups(ctx); err != nil { // the imported actors have none yet
		return nil, err
	}
	trace(opts.Load, "rollups", t)
	return summaries, nil
}
