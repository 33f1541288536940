package bulkload

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/threatkg/threatkg/graph"
	"github.com/threatkg/threatkg/graph/model"
	"github.com/threatkg/threatkg/loaders"
)

// fakeClient records the steps; empty says what CheckEmpty answers.
type fakeClient struct {
	notEmpty bool
	steps    []string
}

func (f *fakeClient) Database() string { return "neo4j" }
func (f *fakeClient) CheckEmpty(context.Context) error {
	f.steps = append(f.steps, "check")
	if f.notEmpty {
		return &graph.NotEmptyError{Database: "neo4j", URI: "bolt://fake", Nodes: 1}
	}
	return nil
}
func (f *fakeClient) Reconnect(context.Context) error {
	f.steps = append(f.steps, "reconnect")
	return nil
}
func (f *fakeClient) ApplySchema(context.Context) error {
	f.steps = append(f.steps, "schema")
	return nil
}
func (f *fakeClient) ResolveImported(_ context.Context, _ *graph.ImportResolver, docs []model.Document, _ graph.LoadOptions) ([]graph.LoadSummary, error) {
	f.steps = append(f.steps, "resolve")
	return make([]graph.LoadSummary, len(docs)), nil
}
func (f *fakeClient) RecomputeEntities(context.Context, []string, graph.LoadOptions) error {
	f.steps = append(f.steps, "recompute")
	return nil
}
func (f *fakeClient) RefreshRollups(context.Context) (int, error) {
	f.steps = append(f.steps, "rollups")
	return 0, nil
}

func seed(t *testing.T) []loaders.Source {
	t.Helper()
	s, err := (&loaders.Opener{}).OpenAll(context.Background(), []string{"../../testdata/articles/apt10-2018-12-20"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// script writes a stand-in for scripts/neo4j-local.sh that records its
// arguments and exits with code.
func script(t *testing.T, code string) (path, args string) {
	t.Helper()
	dir := t.TempDir()
	path, args = filepath.Join(dir, "neo4j-local.sh"), filepath.Join(dir, "args")
	body := "#!/bin/sh\necho \"$@\" > " + args + "\nexit " + code + "\n"
	if err := os.WriteFile(path, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	return path, args
}

func TestRunSteps(t *testing.T) {
	ctx := context.Background()
	ok, okArgs := script(t, "0")
	fail, _ := script(t, "3")
	importDir := filepath.Join(t.TempDir(), "import")
	tests := []struct {
		name     string
		opts     Options
		notEmpty bool
		steps    string
		command  bool
		err      func(error) bool
	}{
		{name: "local", opts: Options{LocalServer: ok}, steps: "check reconnect schema resolve recompute rollups"},
		{name: "remote", opts: Options{Dir: importDir}, steps: "check", command: true},
		{name: "imported", opts: Options{Imported: true}, steps: "schema resolve recompute rollups"},
		{name: "not empty", opts: Options{LocalServer: ok}, notEmpty: true, steps: "check",
			err: func(err error) bool { var e *graph.NotEmptyError; return errors.As(err, &e) }},
		{name: "import fails", opts: Options{LocalServer: fail}, steps: "check",
			err: func(err error) bool {
				var e *ImportError
				return errors.As(err, &e) && strings.Contains(err.Error(), "exited with 3")
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeClient{notEmpty: tc.notEmpty}
			out, err := Run(ctx, f, seed(t), tc.opts)
			if tc.err != nil {
				if !tc.err(err) {
					t.Fatalf("error %v", err)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(f.steps, " "); got != tc.steps {
				t.Errorf("steps %q, want %q", got, tc.steps)
			}
			if (out.Command != "") != tc.command {
				t.Errorf("command %q", out.Command)
			}
			if tc.command {
				if _, err := os.Stat(filepath.Join(importDir, graph.ImportArgsFile)); err != nil {
					t.Errorf("no argument file: %v", err)
				}
			}
		})
	}
	if b, err := os.ReadFile(okArgs); err != nil || !strings.HasPrefix(string(b), "import ") {
		t.Errorf("the script was run with %q (%v), want import DIR", b, err)
	}
	if err := (Options{}).Check(true, false); err == nil {
		t.Error("--bulk without a server or a folder was accepted")
	}
}
