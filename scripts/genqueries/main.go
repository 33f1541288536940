// Command genqueries expands the shared Cypher fragments (queries.Fragments)
// into the canned query files between their marker comments:
//
//	go run ./scripts/genqueries
//
// TestQueryFilesAreCurrent (queries) fails when a file is not what this
// writes.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/threatkg/threatkg/queries"
)

func main() {
	dir := "queries"
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.cypher"))
	if err == nil {
		var more []string
		more, err = filepath.Glob(filepath.Join(dir, "graph", "*.cypher"))
		files = append(files, more...)
	}
	if err != nil || len(files) == 0 {
		fmt.Fprintf(os.Stderr, "genqueries: no query files in %s (run it from the repository's root)\n", dir)
		os.Exit(2)
	}
	changed := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			fmt.Fprintln(os.Stderr, "genqueries:", err)
			os.Exit(1)
		}
		out, err := queries.ExpandFragments(f, string(src))
		if err != nil {
			fmt.Fprintln(os.Stderr, "genqueries:", err)
			os.Exit(2)
		}
		if out != string(src) {
			changed++
			if err := os.WriteFile(f, []byte(out), 0o644); err != nil {
				fmt.Fprintln(os.Stderr, "genqueries:", err)
				os.Exit(1)
			}
		}
	}
	fmt.Fprintf(os.Stderr, "genqueries: %d of %d files rewritten\n", changed, len(files))
}
