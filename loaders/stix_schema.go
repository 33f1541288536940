package loaders

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"strings"
	"sync"

	// santhosh-tekuri/jsonschema implements JSON Schema draft 2020-12, which
	// the OASIS STIX 2.1 schemas use; it is maintained and has no
	// dependencies beyond golang.org/x/text.
	"github.com/santhosh-tekuri/jsonschema/v6"
)

//go:embed stixschema
var stixSchemaFiles embed.FS

// schemaBase is the URL the OASIS schemas' $id values start with; their
// relative $refs resolve against it.
const schemaBase = "http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/"

// stixSchemas are the compiled schemas: one per STIX type, "core" for
// custom objects, and the bundle's own properties.
type stixSchemas struct {
	byType map[string]*jsonschema.Schema
	core   *jsonschema.Schema
}

var (
	schemasOnce sync.Once
	schemas     stixSchemas
	schemasErr  error
)

func compileSchemas() (stixSchemas, error) {
	schemasOnce.Do(func() {
		c := jsonschema.NewCompiler()
		var typeFiles []string
		err := fs.WalkDir(stixSchemaFiles, "stixschema", func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
				return err
			}
			data, err := stixSchemaFiles.ReadFile(path)
			if err != nil {
				return err
			}
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
			if err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			rel := strings.TrimPrefix(path, "stixschema/")
			if strings.HasPrefix(rel, "sdos/") || strings.HasPrefix(rel, "sros/") || strings.HasPrefix(rel, "observables/") ||
				rel == "common/marking-definition.json" || rel == "common/language-content.json" || rel == "common/extension-definition.json" {
				typeFiles = append(typeFiles, rel)
			}
			return c.AddResource(schemaBase+rel, doc)
		})
		if err != nil {
			schemasErr = err
			return
		}
		schemas.byType = map[string]*jsonschema.Schema{}
		for _, rel := range typeFiles {
			sch, err := c.Compile(schemaBase + rel)
			if err != nil {
				schemasErr = fmt.Errorf("%s: %w", rel, err)
				return
			}
			typ := strings.TrimSuffix(rel[strings.LastIndex(rel, "/")+1:], ".json")
			schemas.byType[typ] = sch
		}
		schemas.core, schemasErr = c.Compile(schemaBase + "common/core.json")
	})
	return schemas, schemasErr
}

// ValidateSTIXBundle checks a STIX 2.1 bundle against the OASIS JSON
// schemas: the bundle's own properties (type, id, objects) as in
// common/bundle.json, each object of a standard type against its type's
// schema (sdos/, sros/, observables/, marking-definition, ...), and each
// custom object against common/core.json.
//
// It does not run common/bundle.json over custom objects: there a custom
// object with created and modified matches both core.json and
// cyber-observable-core.json, so the schema's oneOf rejects every custom
// object. This is the same per-object check the OASIS validator makes.
func ValidateSTIXBundle(data []byte) error {
	s, err := compileSchemas()
	if err != nil {
		return fmt.Errorf("compile the STIX schemas: %w", err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	bundle, ok := doc.(map[string]any)
	if !ok || bundle["type"] != "bundle" {
		return fmt.Errorf("not a STIX bundle: no \"type\": \"bundle\"")
	}
	if id, _ := bundle["id"].(string); stixIDType(id) != "bundle" {
		return fmt.Errorf("bundle id %q is not bundle--<uuid>", id)
	}
	objects, ok := bundle["objects"].([]any)
	if !ok {
		return fmt.Errorf("bundle 'objects' is not a list")
	}
	var problems []string
	for i, o := range objects {
		obj, _ := o.(map[string]any)
		typ, _ := obj["type"].(string)
		sch := s.byType[typ]
		if sch == nil {
			sch = s.core
		}
		if err := sch.Validate(o); err != nil {
			problems = append(problems, fmt.Sprintf("objects[%d] (%v): %v", i, obj["id"], err))
			if len(problems) == 5 {
				problems = append(problems, "...")
				break
			}
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("not valid STIX 2.1: %s", strings.Join(problems, "; "))
	}
	return nil
}
