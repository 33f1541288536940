package loaders

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/threatkg/threatkg/graph/model"
)

const seedDir = "../testdata/articles/apt10-2018-12-20"

func TestSeedArticleIsValid(t *testing.T) {
	path, ok := ArticlePath(seedDir)
	if !ok {
		t.Fatalf("ArticlePath(%s) not recognised", seedDir)
	}
	doc, err := ReadArticle(path, model.Declared)
	if err != nil {
		if ie, ok := err.(*InputError); ok {
			for _, l := range ie.Lines() {
				t.Error(l)
			}
		}
		t.Fatal(err)
	}
	t.Logf("%d entities, %d claims", len(doc.Entities), len(doc.Claims))
}

// Dates are checked against the calendar, not only their shape: an
// impossible day would load and then break the STIX export.
func TestIsDate(t *testing.T) {
	for s, want := range map[string]bool{
		"2018": true, "2018-02": true, "2018-02-28": true, "2020-02-29": true,
		"2018-02-31": false, "2019-02-29": false, "2018-13": false, "2018-04-31": false, "18-02-01": false, "": false,
	} {
		if got := IsDate(s); got != want {
			t.Errorf("IsDate(%q) = %v, want %v", s, got, want)
		}
	}
	src := "format: threatkg-article/1\nsource: {title: T, publisher: P, date: 2018-02-31, text: article.txt}\nentities: []\nrelations: []\n"
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "article.txt"), []byte("text"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, AnnotationsFile)
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadArticle(path, model.Declared); err == nil || !strings.Contains(err.Error(), "2018-02-31") {
		t.Errorf("an impossible date loaded: %v", err)
	}
}
