package loaders

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/threatkg/threatkg/graph/model"
)

// The fuzz tests feed arbitrary bytes to both parsers. Whatever the input,
// a parser returns a document that passes the model's check, or an
// *InputError; it never panics and never returns anything else. Seeds:
// testdata/fuzz/FuzzXxx (committed) and the f.Add calls below. A short,
// bounded run is part of `make test` (see Makefile: fuzz).

func FuzzReadArticle(f *testing.F) {
	seed, err := os.ReadFile(filepath.Join(seedDir, AnnotationsFile))
	if err != nil {
		f.Fatal(err)
	}
	text, err := os.ReadFile(filepath.Join(seedDir, "article.txt"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte("format: threatkg-article/1\nsource: {title: t, publisher: p, date: 2020, text: article.txt}\nentities: []\n"))
	f.Add([]byte("a: &a [*a, *a]\nb: *a\n"))
	f.Add([]byte("entities:\n  - {id: x, type: ThreatActor`) DETACH DELETE n //, name: y, evidence: z}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "article.txt"), text, 0o644); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, AnnotationsFile)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		doc, err := ReadArticle(path, model.Declared)
		checkParserResult(t, doc, err)
	})
}

func FuzzReadSTIX(f *testing.F) {
	for _, p := range []string{"../testdata/stix/oasis/valid/threat-report-apt1.json", "../testdata/stix/oasis/valid/identity.json",
		"../testdata/stix/oasis/invalid/invalid_timestamp.json"} {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(mappingBundle))
	f.Add([]byte(`{"type": "bundle", "id": "bundle--0d6c9c2e-7f44-4ad5-9a66-5b3a0b7f0001", "objects": [[[[[[[[[[]]]]]]]]]]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := ReadSTIX("fuzz.json", data, model.Declared)
		if err != nil {
			checkParserResult(t, model.Document{}, err)
			return
		}
		for _, doc := range res.Documents {
			// References outside the file stand for "already in the graph".
			if doc.External == nil {
				doc.External = map[string]string{}
			}
			for uid := range res.Unresolved {
				doc.External[uid] = "ThreatActor"
			}
			if len(res.Unresolved) == 0 {
				checkParserResult(t, doc, nil)
			}
		}
	})
}

func checkParserResult(t *testing.T, doc model.Document, err error) {
	t.Helper()
	if err != nil {
		var ie *InputError
		if !errors.As(err, &ie) || len(ie.Problems) == 0 {
			t.Fatalf("error is not an *InputError with problems: %T %v", err, err)
		}
		for _, p := range ie.Problems {
			if p.File == "" || p.Msg == "" {
				t.Fatalf("problem without file or message: %+v", p)
			}
		}
		return
	}
	if err := model.Declared.CheckDocument(doc); err != nil {
		t.Fatalf("parser accepted a document the model refuses: %v", err)
	}
}
