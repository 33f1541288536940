package loaders

import (
	"fmt"
	"strings"

	"github.com/threatkg/threatkg/graph/model"
)

// STIX 2.1 (section 7.3) wants custom objects and properties declared by
// extension-definition objects, which consumers such as OpenCTI read. The
// export declares threatkg's: a new-sdo definition for each object type
// of its own (Agreement, LegalAction), and one property-extension holding
// what threatkg adds to STIX objects (a claim's source and date, the
// model's properties STIX has no place for, a report's kind and quotes).
// The import reads this form and the older one (top-level x_threatkg_*
// properties, no definitions).

// Extension is one of threatkg's STIX extension definitions.
type Extension struct {
	ID          string // extension-definition--<UUIDv4>, fixed forever
	Name        string
	Description string
	Type        string // new-sdo or property-extension
	// Label is the model label a new-sdo defines; Properties the properties
	// a property extension holds, with what each means.
	Label      string
	Properties []ExtensionProperty
}

// ExtensionProperty is one property threatkg's property extension holds,
// and the top-level x_ property that carried it before.
type ExtensionProperty struct {
	Name, Legacy, Meaning string
}

// threatkgIdentity is the identity that creates threatkg's extension
// definitions (STIX requires a created_by_ref on them).
const threatkgIdentity = "identity--208eb03c-233f-4868-8c58-2b15c845bc0e"

// extensionsCreated is when the definitions were first written; a new
// version of one gets a new version number and modified time.
const extensionsCreated = "2026-12-02T00:00:00.000Z"

// extensionsSchema is where the definitions are documented: STIX's
// schema property takes a URL or a plain-text definition.
const extensionsSchema = "https://github.com/threatkg/threatkg/blob/main/docs/stix-extensions.md"

// propertyExtension is threatkg's property extension.
const propertyExtension = "extension-definition--5a933c33-59a5-4c38-bf0d-7beed975586f"

// Extensions are threatkg's STIX extension definitions: docs/stix-extensions.md
// lists them (a test keeps it current).
var Extensions = []Extension{
	{ID: "extension-definition--2052eac2-a528-42b2-be65-01f297bd5797", Name: "threatkg agreement", Type: "new-sdo", Label: model.LabelAgreement,
		Description: "A treaty, accord or commitment between governments (threatkg's Agreement): name, description, and in the threatkg property extension its date."},
	{ID: "extension-definition--b31cfaad-a700-4562-bbd2-abc057aa8342", Name: "threatkg legal action", Type: "new-sdo", Label: model.LabelLegalAction,
		Description: "An indictment, charge, sanction or other legal step (threatkg's LegalAction): name, description, and in the threatkg property extension its kind, date and status."},
	{ID: propertyExtension, Name: "threatkg provenance and properties", Type: "property-extension",
		Description: "What threatkg adds to STIX objects: which source makes a claim and when, the model's properties STIX has no place for, and a report's kind, publisher, URL and quotes.",
		Properties: []ExtensionProperty{
			{"source", xSource, "on a relationship: the uid of the report (a source) that makes the claim"},
			{"date", xDate, "on a relationship: the claim's date as the source gives it (YYYY, YYYY-MM or YYYY-MM-DD)"},
			{"properties", xProperties, "the model's properties STIX has no place for, by name (docs/model.md)"},
			{"aliases", xAliases, "on a STIX type without aliases (identity, location, vulnerability, indicator, threatkg's own): other names the sources use"},
			{"kind", xKind, "on a report: the kind of source (article, stix-bundle, misp-galaxy, taxii-pull, ...)"},
			{"publisher", xPublisher, "on a report: who published the source"},
			{"url", xURL, "on a report: where the source was published"},
			{"quotes", xQuotes, "on a report: entity id to the quote where the source names it"},
		}},
}

// threatkgProperties are what the property extension holds.
func threatkgProperties() []ExtensionProperty {
	e, _ := extensionByID(propertyExtension)
	return e.Properties
}

// extensionOf is the new-sdo definition of a label, if it has one.
func extensionOf(label string) (Extension, bool) {
	for _, e := range Extensions {
		if e.Label == label && label != "" {
			return e, true
		}
	}
	return Extension{}, false
}

func extensionByID(id string) (Extension, bool) {
	for _, e := range Extensions {
		if e.ID == id {
			return e, true
		}
	}
	return Extension{}, false
}

// definitionObjects are the extension-definition objects (and their
// creator) for the extensions an export uses.
func definitionObjects(used map[string]bool) []map[string]any {
	if len(used) == 0 {
		return nil
	}
	out := []map[string]any{{
		"type": "identity", "spec_version": "2.1", "id": threatkgIdentity, "created": extensionsCreated, "modified": extensionsCreated,
		"name": "threatkg", "identity_class": "system",
		"description": "threatkg, the threat-actor knowledge graph: the author of its STIX extension definitions",
	}}
	for _, e := range Extensions {
		if !used[e.ID] {
			continue
		}
		d := map[string]any{
			"type": "extension-definition", "spec_version": "2.1", "id": e.ID, "created": extensionsCreated, "modified": extensionsCreated,
			"created_by_ref": threatkgIdentity, "name": e.Name, "description": e.Description,
			"schema": extensionsSchema, "version": "1.0.0", "extension_types": []string{e.Type},
		}
		out = append(out, d)
	}
	return out
}

// isThreatkgDefinition reports whether an object is one of the definitions
// (or their creator) the export writes: the import reads them as what
// they declare, not as entities.
func isThreatkgDefinition(id string) bool {
	_, ok := extensionByID(id)
	return ok || id == threatkgIdentity
}

// useExtensions moves an exported object's x_threatkg_* properties into
// threatkg's property extension and declares a new-sdo type's definition;
// used collects the definitions the export must emit.
func useExtensions(o map[string]any, used map[string]bool) {
	ext := map[string]any{}
	for _, p := range threatkgProperties() {
		if v, ok := o[p.Legacy]; ok {
			ext[p.Name] = v
			delete(o, p.Legacy)
		}
	}
	exts := map[string]any{}
	if len(ext) > 0 {
		ext["extension_type"] = "property-extension"
		exts[propertyExtension] = ext
		used[propertyExtension] = true
	}
	if label, _, ok := model.Declared.LabelOfSTIX(fmt.Sprint(o["type"])); ok {
		if e, ok := extensionOf(label); ok {
			exts[e.ID] = map[string]any{"extension_type": "new-sdo"}
			used[e.ID] = true
		}
	}
	if len(exts) > 0 {
		o["extensions"] = exts
	}
}

// readExtension fills the x_threatkg_* fields of a decoded object from
// threatkg's property extension, where the newer export put them; a
// top-level x_threatkg_* property (the older form) wins if both are given.
func (o *stixObject) readExtension() error {
	raw, ok := o.Extensions[propertyExtension]
	if !ok {
		return nil
	}
	ext, ok := raw.(map[string]any)
	if !ok {
		return fmt.Errorf("extension %s must be an object", propertyExtension)
	}
	text := func(name string, into *string) error {
		v, ok := ext[name]
		if !ok || *into != "" {
			return nil
		}
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("threatkg extension property '%s' must be text", name)
		}
		*into = s
		return nil
	}
	for name, into := range map[string]*string{"source": &o.XSource, "date": &o.XDate, "kind": &o.XKind, "publisher": &o.XPublisher, "url": &o.XURL} {
		if err := text(name, into); err != nil {
			return err
		}
	}
	if v, ok := ext["properties"]; ok && o.XProperties == nil {
		m, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("threatkg extension property 'properties' must be an object")
		}
		o.XProperties = m
	}
	if v, ok := ext["aliases"]; ok && o.XAliases == nil {
		list, isList := v.([]any)
		if !isList || len(strs(v)) != len(list) {
			return fmt.Errorf("threatkg extension property 'aliases' must be a list of text")
		}
		o.XAliases = strs(v)
	}
	if v, ok := ext["quotes"]; ok && o.XQuotes == nil {
		m, isMap := v.(map[string]any)
		if !isMap {
			return fmt.Errorf("threatkg extension property 'quotes' must be an object")
		}
		o.XQuotes = map[string]string{}
		for k, q := range m {
			s, isStr := q.(string)
			if !isStr {
				return fmt.Errorf("threatkg extension property 'quotes' must map ids to text")
			}
			o.XQuotes[k] = s
		}
	}
	return nil
}

// ExtensionsMarkdown documents the definitions: docs/stix-extensions.md.
func ExtensionsMarkdown() string {
	var b strings.Builder
	b.WriteString("# threatkg's STIX 2.1 extensions\n\n")
	b.WriteString("Generated from `loaders.Extensions` (`go test ./loaders -run TestExtensionsDocIsCurrent -update`); do not edit by hand.\n\n")
	b.WriteString("`threatkg export` declares what threatkg adds to STIX 2.1 with extension-definition objects (STIX 2.1, section 7.3), ")
	b.WriteString("created by the identity `" + threatkgIdentity + "` (threatkg). Each definition's `schema` is this page. ")
	b.WriteString("`threatkg load` reads this form and the older one, where the same values were top-level `x_threatkg_*` properties ")
	b.WriteString("and the object types had no definition.\n\n")
	b.WriteString("| definition | id | type | what it declares |\n|---|---|---|---|\n")
	for _, e := range Extensions {
		what := e.Description
		if e.Label != "" {
			n, _ := model.Declared.Node(e.Label)
			what = fmt.Sprintf("objects of type `%s`: %s", n.STIXType, e.Description)
		}
		fmt.Fprintf(&b, "| %s | `%s` | %s | %s |\n", e.Name, e.ID, e.Type, what)
	}
	b.WriteString("\nThe property extension (`\"extensions\": {\"" + propertyExtension + "\": {\"extension_type\": \"property-extension\", ...}}`) holds:\n\n")
	b.WriteString("| property | formerly | meaning |\n|---|---|---|\n")
	for _, p := range threatkgProperties() {
		fmt.Fprintf(&b, "| `%s` | `%s` | %s |\n", p.Name, p.Legacy, p.Meaning)
	}
	b.WriteString("\nThe ids of threatkg's entities and claims are UUIDv5 (deterministic: the same entity named by two sources is one node), ")
	b.WriteString("where STIX 2.1 says SDOs and SROs SHOULD use UUIDv4; OASIS's validator warns about it (best practice 103). ")
	b.WriteString("Cyber-observables have STIX's own deterministic ids (section 2.9).\n")
	return b.String()
}
