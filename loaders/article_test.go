package loaders

import (
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
