package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestCommandsAreWiring keeps cmd/threatkg the command line's wiring: it
// imports no Neo4j driver (commands get clients through the factory's
// interfaces), its code stays small, and no function grows long. Logic
// belongs in graph, loaders or queries, where it is tested on its own.
//
// The line budget was 1,800 when the commands became wiring (1,799 lines);
// it grew to 1,900 with load's bulk path (four flags, a second client and
// its output), whose logic is in graph/bulkload, and to 2,100 with the
// TAXII commands (taxii collections; load's feeds, their two flags and
// messages), whose logic is in loaders/taxii, and to 2,150 with export's
// Navigator layers (two flags' checks; the layer is built in loaders).
func TestCommandsAreWiring(t *testing.T) {
	const maxLines, maxFuncLines = 2150, 60
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	total := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		total += strings.Count(string(src), "\n")
		f, err := parser.ParseFile(fset, name, src, parser.ImportsOnly|parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			if strings.Contains(imp.Path.Value, "neo4j-go-driver") {
				t.Errorf("%s imports %s: commands reach the graph through graph's types and the factory", name, imp.Path.Value)
			}
		}
		full, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(full, func(n ast.Node) bool {
			fn, ok := n.(*ast.FuncDecl)
			if !ok {
				return true
			}
			lines := fset.Position(fn.End()).Line - fset.Position(fn.Pos()).Line + 1
			if lines > maxFuncLines {
				t.Errorf("%s: %s is %d lines (at most %d): move logic out of the command", name, fn.Name.Name, lines, maxFuncLines)
			}
			return false
		})
	}
	if total > maxLines {
		t.Errorf("cmd/threatkg has %d lines of non-test code, at most %d", total, maxLines)
	}
}

// TestEveryCommandHasHelp: every command says what it does, and every
// help file belongs to a command (a file nobody reads is stale prose).
func TestEveryCommandHasHelp(t *testing.T) {
	used := map[string]bool{}
	var walk func(c *cobra.Command, key string)
	walk = func(c *cobra.Command, key string) {
		if c.Short == "" && c.Name() != "threatkg" {
			t.Errorf("%s has no Short help", c.CommandPath())
		}
		if c.Long != "" && c.Long == help(key) {
			used[key] = true
		}
		for _, sub := range c.Commands() {
			walk(sub, strings.TrimPrefix(key+"-"+sub.Name(), "threatkg-"))
		}
	}
	walk(newRootCmd(ioStreams{}, func(string) string { return "" }), "threatkg")
	files, err := helpFiles.ReadDir("help")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if key := strings.TrimSuffix(f.Name(), ".txt"); !used[key] {
			t.Errorf("help/%s is no command's help", f.Name())
		}
	}
}
