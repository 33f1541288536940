package graph

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWritePathStaysSmall keeps the write path plan → statements →
// execute: load.go (the API and the executor) stays short, and no function
// of graph and its packages grows past what a reader holds at once; the
// statements live in load_statements.go, tested offline.
func TestWritePathStaysSmall(t *testing.T) {
	const maxLoadLines, maxFuncLines = 400, 80
	src, err := os.ReadFile("load.go")
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(src), "\n"); n > maxLoadLines {
		t.Errorf("load.go has %d lines, at most %d", n, maxLoadLines)
	}
	fset := token.NewFileSet()
	checked := 0
	err = filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		checked++
		for _, decl := range f.Decls {
			if fn, ok := decl.(*ast.FuncDecl); ok {
				if n := fset.Position(fn.End()).Line - fset.Position(fn.Pos()).Line + 1; n > maxFuncLines {
					t.Errorf("%s: %s is %d lines, at most %d", path, fn.Name.Name, n, maxFuncLines)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 15 {
		t.Fatalf("only %d files checked", checked)
	}
}
