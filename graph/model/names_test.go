package model

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// cypherName is a label or type as Cypher spells it in a pattern.
var (
	cypherName = regexp.MustCompile(`[:|]([A-Za-z_][A-Za-z0-9_]*)\b`)
	cypherText = regexp.MustCompile(`\b(MATCH|MERGE|CREATE|UNWIND|RETURN)\b`)
)

// declaredNames are the names only this package may spell.
func declaredNames() map[string]bool {
	names := map[string]bool{EntityLabel: true, ReportLabel: true, MentionsType: true, ReportedType: true, SameAsType: true, NotSameAsType: true}
	for _, n := range Declared.Nodes {
		names[n.Label] = true
	}
	for _, r := range Declared.Rels {
		names[r.Type] = true
	}
	return names
}

// names.go has a symbol for every declared label and relationship type,
// and no other.
func TestSymbolsMatchTheModel(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "names.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	symbols := map[string]bool{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, spec := range g.Specs {
			for _, v := range spec.(*ast.ValueSpec).Values {
				s, _ := strconv.Unquote(v.(*ast.BasicLit).Value)
				symbols[s] = true
			}
		}
	}
	want := map[string]bool{}
	for _, n := range Declared.Nodes {
		want[n.Label] = true
	}
	for _, r := range Declared.Rels {
		if r.Type != ReportedType {
			want[r.Type] = true
		}
	}
	for n := range want {
		if !symbols[n] {
			t.Errorf("names.go has no symbol for %s", n)
		}
	}
	for n := range symbols {
		if !want[n] {
			t.Errorf("names.go names %s, which the model does not declare", n)
		}
	}
}

// No Go code outside this package spells a label or relationship type as
// a string literal: it uses the model's symbols, so that renaming one in
// the model is a compile error everywhere else, not a silent mismatch.
func TestNoLabelLiteralsOutsideTheModel(t *testing.T) {
	root := filepath.Join("..", "..")
	names := declaredNames()
	var found []string
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			if strings.HasPrefix(d.Name(), ".") && rel != "." || d.Name() == "testdata" || rel == filepath.Join("graph", "model") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		checked++
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				return true
			}
			if names[s] {
				found = append(found, fset.Position(lit.Pos()).String()+": "+lit.Value)
			}
			// Cypher text spells no name either: (n:Entity), [:MENTIONS]
			// and [:SAME_AS|NOT_SAME_AS] are built from the symbols.
			if !cypherText.MatchString(s) {
				return true
			}
			for _, m := range cypherName.FindAllStringSubmatch(s, -1) {
				if names[m[1]] {
					found = append(found, fmt.Sprintf("%s: Cypher names %s", fset.Position(lit.Pos()), m[0]))
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 30 {
		t.Fatalf("only %d Go files checked; the walk looks wrong", checked)
	}
	sort.Strings(found)
	for _, f := range found {
		t.Errorf("%s: a label or relationship type spelt outside graph/model; use the model's symbol", f)
	}
}
