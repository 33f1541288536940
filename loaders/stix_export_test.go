package loaders

import (
	"os"
	"strings"
	"testing"

	"github.com/threatkg/threatkg/graph/model"
)

func exportDocs(t *testing.T) []model.Document {
	t.Helper()
	path, _ := ArticlePath(seedDir)
	article, err := ReadArticle(path, model.Declared)
	if err != nil {
		t.Fatal(err)
	}
	res, err := readSTIXFile(t, "../testdata/stix/attack/menupass.json")
	if err != nil {
		t.Fatal(err)
	}
	return append([]model.Document{article}, res.Documents...)
}

func TestExportValidatesAgainstOASISSchemas(t *testing.T) {
	data, err := WriteSTIX(exportDocs(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := ValidateSTIXBundle(data); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"type": "x-threatkg-agreement"`, `"relationship_type": "condemned"`, `"relationship_type": "uses"`, `"source": "report--`, `"extension_type": "new-sdo"`, `"type": "extension-definition"`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("export lacks %s", want)
		}
	}
	again, _ := WriteSTIX(exportDocs(t))
	if string(again) != string(data) {
		t.Error("export is not deterministic")
	}
}

// The validator is not a no-op: the OASIS invalid example and a broken
// export fail it.
func TestSchemaValidationRejects(t *testing.T) {
	data, err := os.ReadFile("../testdata/stix/oasis/invalid/invalid_identity.json")
	if err != nil {
		t.Fatal(err)
	}
	bundle := `{"type": "bundle", "id": "bundle--0d6c9c2e-7f44-4ad5-9a66-5b3a0b7f0001", "objects": [` + string(data) + `]}`
	if err := ValidateSTIXBundle([]byte(bundle)); err == nil {
		t.Error("a bundle with an identity lacking 'modified' passed")
	}
	good, _ := WriteSTIX(exportDocs(t))
	broken := strings.Replace(string(good), `"relationship_type": "uses"`, `"relationship_type": "Uses It"`, 1)
	if err := ValidateSTIXBundle([]byte(broken)); err == nil {
		t.Error("a relationship_type with capitals and a space passed")
	}
}

func TestExportReadsBack(t *testing.T) {
	docs := exportDocs(t)
	data, err := WriteSTIX(docs)
	if err != nil {
		t.Fatal(err)
	}
	res, err := ReadSTIX("export.json", data, model.Declared)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Documents) != len(docs) {
		t.Fatalf("%d documents read back, want %d (one per source, no bundle source)", len(res.Documents), len(docs))
	}
	for i, d := range res.Documents {
		var orig model.Document
		for _, o := range docs {
			if o.Source.UID == d.Source.UID {
				orig = o
			}
		}
		if len(d.Entities) != len(orig.Entities) || len(d.Claims) != len(orig.Claims) || d.Source.Kind != orig.Source.Kind {
			t.Errorf("document %d (%s): %d entities, %d claims, kind %q; want %d, %d, %q", i, d.Source.Title,
				len(d.Entities), len(d.Claims), d.Source.Kind, len(orig.Entities), len(orig.Claims), orig.Source.Kind)
		}
	}
}

// Indicators and observables survive export and import: the export
// validates, the observables keep their deterministic ids, and reading it
// back gives the same entities and claims.
func TestObservablesRoundTrip(t *testing.T) {
	res, err := ReadSTIX("mapping.json", []byte(mappingBundle), model.Declared)
	if err != nil {
		t.Fatal(err)
	}
	data, err := WriteSTIX(res.Documents)
	if err != nil {
		t.Fatal(err)
	}
	if err := ValidateSTIXBundle(data); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"id": "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4"`, `"relationship_type": "based-on"`,
		`"relationship_type": "resolves-to"`, `"relationship_type": "indicates"`, `"SHA-256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("export lacks %s", want)
		}
	}
	back, err := ReadSTIX("export.json", data, model.Declared)
	if err != nil {
		t.Fatal(err)
	}
	count := func(docs []model.Document) map[string]int {
		n := map[string]int{}
		seen := map[string]bool{}
		for _, d := range docs {
			for _, e := range d.Entities {
				if !seen[e.UID] {
					seen[e.UID] = true
					n[e.Label]++
				}
			}
			for _, c := range d.Claims {
				n[c.Type]++
			}
		}
		return n
	}
	got, want := count(back.Documents), count(res.Documents)
	if len(got) != len(want) {
		t.Errorf("read back %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %d read back, want %d (all: %v, want %v)", k, got[k], v, got, want)
		}
	}
}
