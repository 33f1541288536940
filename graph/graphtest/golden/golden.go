// Package golden is the tests' one golden-file helper and its -update flag.
package golden

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

// Update is the one -update flag of every test package: go test ./... -update
// rewrites the golden files (query results, the extractor's JSON draft,
// docs/model.md, the rule table of docs/extraction.md) from what the code
// now produces. Review the diff before committing it.
var Update = flag.Bool("update", false, "rewrite the golden files under testdata/golden and the generated docs")

// Check compares got with the golden file at path, or rewrites the file
// with -update. The message names the command that rewrites it.
func Check(t testing.TB, path string, got []byte, rewrite string) {
	t.Helper()
	if *Update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run %s)", err, rewrite)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from what the code produces; if the change is intended, run %s and review the diff\ngot:\n%s", path, rewrite, firstLines(got, 40))
	}
}

func firstLines(b []byte, n int) []byte {
	lines := bytes.SplitN(b, []byte("\n"), n+1)
	if len(lines) > n {
		lines = append(lines[:n], []byte("..."))
	}
	return bytes.Join(lines, []byte("\n"))
}
