package loaders

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExpandSources(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, content string) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("b.json", "{}")
	write("a.json.gz", "x")
	write("notes.txt", "not a source")
	write(".hidden.json", "{}")
	write("article/"+AnnotationsFile, "format: threatkg-article/1\n")
	write("article/article.txt", "text")
	write("sub/c.json", "{}")
	rel := func(ps []string) string {
		var out []string
		for _, p := range ps {
			r, _ := filepath.Rel(dir, p)
			out = append(out, r)
		}
		return strings.Join(out, " ")
	}
	got, err := ExpandSources([]string{dir}, false)
	if err != nil {
		t.Fatal(err)
	}
	if want := "a.json.gz article b.json"; rel(got) != want {
		t.Errorf("folder: %q, want %q", rel(got), want)
	}
	got, err = ExpandSources([]string{dir}, true)
	if err != nil {
		t.Fatal(err)
	}
	if want := "a.json.gz article b.json sub/c.json"; rel(got) != want {
		t.Errorf("--recursive: %q, want %q", rel(got), want)
	}
	// an article folder, a file and a URL stand for themselves
	got, _ = ExpandSources([]string{filepath.Join(dir, "article"), filepath.Join(dir, "b.json"), "https://example.org/x.json"}, false)
	if len(got) != 3 || !strings.HasSuffix(got[0], "article") || got[2] != "https://example.org/x.json" {
		t.Errorf("as themselves: %q", got)
	}
	// a folder with no source says so, naming it
	empty := filepath.Join(dir, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := ExpandSources([]string{empty}, false); err == nil || !strings.Contains(err.Error(), "empty") || !strings.Contains(err.Error(), "no source") {
		t.Errorf("empty folder: %v", err)
	}
}
