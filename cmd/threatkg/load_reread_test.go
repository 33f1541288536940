package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/threatkg/threatkg/loaders"
)

// TestLargeInputsAreReadAgainAndChecked: above keepInMemory, sources are
// validated, dropped, and read again to load; a file that changed in
// between is refused, not loaded.
func TestLargeInputsAreReadAgainAndChecked(t *testing.T) {
	saved := keepInMemory
	keepInMemory = 0
	defer func() { keepInMemory = saved }()

	dir := t.TempDir()
	path := filepath.Join(dir, "menupass.json")
	data, err := os.ReadFile(menupassBundle)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	sources, err := readSources(ctx, []string{path})
	if err != nil {
		t.Fatal(err)
	}
	if sources[0].docs != nil || sources[0].rows == 0 || len(sources[0].labels) == 0 {
		t.Fatalf("source kept in memory or not counted: docs %d, rows %d", len(sources[0].docs), sources[0].rows)
	}
	docs, err := sources[0].documents(ctx)
	if err != nil || len(docs) == 0 {
		t.Fatalf("read again: %d documents, %v", len(docs), err)
	}
	// The same file, changed after validation.
	if err := os.WriteFile(path, append(data, ' '), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = sources[0].documents(ctx)
	var ie *loaders.InputError
	if !errors.As(err, &ie) {
		t.Fatalf("changed file: %v, want an input error", err)
	}
}
