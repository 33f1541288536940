package loaders

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/threatkg/threatkg/graph/graphtest/golden"
	"github.com/threatkg/threatkg/graph/model"
	"github.com/threatkg/threatkg/loaders/stixtest"
)

// validatorDocs are the seed article, ATT&CK's menuPass and indicators
// tied to it: every kind of object threatkg writes.
func validatorDocs(t *testing.T) []model.Document {
	t.Helper()
	docs := exportDocs(t)
	res, err := readSTIXFile(t, "../testdata/stix/indicators/menupass-iocs.json")
	if err != nil {
		t.Fatal(err)
	}
	return append(docs, res.Documents...)
}

// expectedWarnings are the validator's best-practice checks the export may
// still draw, each for a reason docs/stix-extensions.md gives; none is
// about threatkg's own objects or properties being undeclared.
var expectedWarnings = map[string]string{
	"103": "threatkg's ids are UUIDv5 (deterministic), not UUIDv4",
	"202": "threatkg's relationship vocabulary (condemned, charged-in, ...) is not among STIX's suggested relationships",
	"302": "ATT&CK's external references have URLs without hashes",
	"401": "ATT&CK's own x_mitre_ properties, which MITRE publishes without an extension definition",
}

// TestExportPassesOASISValidator runs stix2-validator on the export: no
// error, and no warning that threatkg's types or properties are custom
// ones left undeclared.
func TestExportPassesOASISValidator(t *testing.T) {
	data, err := WriteSTIX(validatorDocs(t))
	if err != nil {
		t.Fatal(err)
	}
	r := stixtest.Validate(t, data)
	if !r.Valid || len(r.Errors) > 0 {
		t.Fatalf("stix2-validator: %d errors: %v", len(r.Errors), r.Errors)
	}
	for _, w := range r.Warnings {
		own := strings.Contains(w.Msg, "x_threatkg") || strings.Contains(w.Msg, "x-threatkg") && w.Code == "401" ||
			isThreatkgDefinition(w.Object)
		if _, expected := expectedWarnings[w.Code]; own || !expected || w.Code == "401" && !strings.Contains(w.Msg, "'x_mitre_") {
			t.Errorf("warning about threatkg's own objects or properties, or of an unexpected kind: %s {%s} %s", w.Object, w.Code, w.Msg)
		}
	}
	t.Logf("stix2-validator: valid, %d warnings by check: %v", len(r.Warnings), r.Counts())

	// The check can fail: the older form, with top-level x_threatkg_
	// properties and no definitions, draws the warnings the issue counted.
	legacy := legacyForm(t, data)
	old := stixtest.Validate(t, legacy)
	undeclared := 0
	for _, w := range old.Warnings {
		if w.Code == "401" && strings.Contains(w.Msg, "x_threatkg_source") {
			undeclared++
		}
	}
	if undeclared == 0 {
		t.Errorf("the older form drew no warning about x_threatkg_source: %v", old.Counts())
	}
}

// TestImportReadsBothForms reads the export and its older form (top-level
// x_threatkg_ properties, no extension definitions) to the same documents.
func TestImportReadsBothForms(t *testing.T) {
	data, err := WriteSTIX(validatorDocs(t))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"extension_type": "property-extension"`) || strings.Contains(string(data), `"x_threatkg_source"`) {
		t.Fatal("the export does not use threatkg's property extension")
	}
	now, err := ReadSTIX("export.json", data, model.Declared)
	if err != nil {
		t.Fatal(err)
	}
	before, err := ReadSTIX("export.json", legacyForm(t, data), model.Declared)
	if err != nil {
		t.Fatal(err)
	}
	if len(now.Documents) != len(before.Documents) {
		t.Fatalf("%d documents from the export, %d from its older form", len(now.Documents), len(before.Documents))
	}
	for i := range now.Documents {
		a, b := model.Canonical(now.Documents[i]), model.Canonical(before.Documents[i])
		a.Source.TextSHA256, b.Source.TextSHA256 = "", ""
		if !reflect.DeepEqual(a, b) {
			t.Errorf("document %d (%s) differs between the two forms", i, a.Source.Title)
		}
	}
	for _, d := range now.Documents {
		for _, e := range d.Entities {
			if e.Name == "threatkg" || model.STIXType(e.UID) == "extension-definition" {
				t.Errorf("threatkg's definitions were read as an entity: %+v", e)
			}
		}
	}
}

// legacyForm rewrites an export as threatkg wrote it before extension
// definitions: threatkg's properties at the top level, x_ prefixed.
func legacyForm(t *testing.T, data []byte) []byte {
	t.Helper()
	var bundle map[string]any
	if err := json.Unmarshal(data, &bundle); err != nil {
		t.Fatal(err)
	}
	var kept []any
	for _, raw := range bundle["objects"].([]any) {
		o := raw.(map[string]any)
		if isThreatkgDefinition(o["id"].(string)) {
			continue
		}
		if exts, ok := o["extensions"].(map[string]any); ok {
			if ext, ok := exts[propertyExtension].(map[string]any); ok {
				for _, p := range threatkgProperties() {
					if v, ok := ext[p.Name]; ok {
						o[p.Legacy] = v
					}
				}
			}
			delete(o, "extensions")
		}
		kept = append(kept, o)
	}
	bundle["objects"] = kept
	out, err := json.MarshalIndent(bundle, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestExtensionsDocIsCurrent keeps docs/stix-extensions.md equal to the
// registry.
func TestExtensionsDocIsCurrent(t *testing.T) {
	golden.Check(t, filepath.Join("..", "docs", "stix-extensions.md"), []byte(ExtensionsMarkdown()), "go test ./loaders -run TestExtensionsDocIsCurrent -update")
}

func TestExtensionsAreWellFormed(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range Extensions {
		if model.STIXType(e.ID) != "extension-definition" || seen[e.ID] {
			t.Errorf("%s: id %q is not a unique extension-definition id", e.Name, e.ID)
		}
		seen[e.ID] = true
		switch e.Type {
		case "new-sdo":
			if n, ok := model.Declared.Node(e.Label); !ok || !strings.HasPrefix(n.STIXType, "x-threatkg-") {
				t.Errorf("%s defines %q, not one of threatkg's own object types", e.Name, e.Label)
			}
		case "property-extension":
		default:
			t.Errorf("%s: extension type %q", e.Name, e.Type)
		}
	}
	// Every object type of threatkg's own has a definition.
	for _, n := range model.Declared.Nodes {
		if _, ok := extensionOf(n.Label); strings.HasPrefix(n.STIXType, "x-") != ok {
			t.Errorf("%s (%s): definition %v", n.Label, n.STIXType, ok)
		}
	}
}
