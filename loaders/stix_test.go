package loaders

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/threatkg/threatkg/graph/model"
)

func readSTIXFile(t *testing.T, path string) (STIXResult, error) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return ReadSTIX(path, data, model.Declared)
}

func TestOASISValidExamplesLoad(t *testing.T) {
	files, _ := filepath.Glob("../testdata/stix/oasis/valid/*.json")
	if len(files) < 10 {
		t.Fatalf("only %d OASIS examples found", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			res, err := readSTIXFile(t, f)
			if err != nil {
				t.Fatalf("refused a valid example: %v", err)
			}
			for _, d := range res.Documents {
				d.External = map[string]string{}
				for uid := range res.Unresolved {
					d.External[uid] = "ThreatActor" // stands in for "already in the graph"
				}
				if len(res.Unresolved) == 0 {
					if err := model.Declared.CheckDocument(d); err != nil {
						t.Errorf("document fails the model check: %v", err)
					}
				}
			}
		})
	}
}

func TestOASISInvalidExamplesAreRefused(t *testing.T) {
	want := map[string]string{
		"invalid_braces.json":    "invalid_braces.json:1:1: invalid JSON",
		"invalid_comma.json":     "invalid_comma.json:9:1: invalid JSON",
		"invalid_identity.json":  "missing required property 'modified'",
		"invalid_timestamp.json": "'modified' (2015-08-08T15:50:10.983Z) is earlier than 'created'",
	}
	for name, msg := range want {
		t.Run(name, func(t *testing.T) {
			_, err := readSTIXFile(t, filepath.Join("../testdata/stix/oasis/invalid", name))
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("got %v, want an *InputError", err)
			}
			if !strings.Contains(strings.Join(ie.Lines(), "\n"), msg) {
				t.Errorf("problems %q do not mention %q", ie.Lines(), msg)
			}
		})
	}
}

// A bundle with one object of each mapped type, and some that are skipped.
const mappingBundle = `{
  "type": "bundle", "id": "bundle--0d6c9c2e-7f44-4ad5-9a66-5b3a0b7f0001",
  "objects": [
    {"type": "intrusion-set", "spec_version": "2.1", "id": "intrusion-set--00000000-0000-4000-8000-000000000001",
     "created": "2020-01-01T00:00:00.000Z", "modified": "2020-01-02T00:00:00.000Z", "name": "menuPass",
     "aliases": ["menuPass", "APT10"], "first_seen": "2006-01-01T00:00:00Z",
     "external_references": [{"source_name": "mitre-attack", "external_id": "G0045", "url": "https://attack.mitre.org/groups/G0045"}]},
    {"type": "threat-actor", "spec_version": "2.1", "id": "threat-actor--00000000-0000-4000-8000-000000000002",
     "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "name": "Ugly Gorilla"},
    {"type": "malware", "spec_version": "2.1", "id": "malware--00000000-0000-4000-8000-000000000003",
     "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "name": "PlugX", "is_family": true,
     "x_mitre_aliases": ["PlugX", "Korplug"], "x_mitre_platforms": ["Windows"]},
    {"type": "tool", "spec_version": "2.1", "id": "tool--00000000-0000-4000-8000-000000000004",
     "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "name": "Mimikatz"},
    {"type": "attack-pattern", "spec_version": "2.1", "id": "attack-pattern--00000000-0000-4000-8000-000000000005",
     "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "name": "Trusted Relationship",
     "kill_chain_phases": [{"kill_chain_name": "mitre-attack", "phase_name": "initial-access"}],
     "external_references": [{"source_name": "mitre-attack", "external_id": "T1199"}]},
    {"type": "attack-pattern", "spec_version": "2.1", "id": "attack-pattern--00000000-0000-4000-8000-000000000006",
     "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "name": "Security Account Manager",
     "x_mitre_is_subtechnique": true, "external_references": [{"source_name": "mitre-attack", "external_id": "T1003.002"}]},
    {"type": "attack-pattern", "spec_version": "2.1", "id": "attack-pattern--00000000-0000-4000-8000-000000000007",
     "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "name": "OS Credential Dumping"},
    {"type": "campaign", "spec_version": "2.1", "id": "campaign--00000000-0000-4000-8000-000000000008",
     "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "name": "Cloud Hopper",
     "first_seen": "2014-01-01T00:00:00Z", "last_seen": "2017-04-01T00:00:00Z"},
    {"type": "identity", "spec_version": "2.1", "id": "identity--00000000-0000-4000-8000-000000000009",
     "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "name": "Zhu Hua", "identity_class": "individual"},
    {"type": "identity", "spec_version": "2.1", "id": "identity--00000000-0000-4000-8000-00000000000a",
     "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "name": "Acme Bank", "identity_class": "organization"},
    {"type": "identity", "spec_version": "2.1", "id": "identity--00000000-0000-4000-8000-00000000000b",
     "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "name": "Financial services", "identity_class": "class"},
    {"type": "identity", "spec_version": "2.1", "id": "identity--00000000-0000-4000-8000-00000000000c",
     "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "name": "Chinese government",
     "identity_class": "organization", "sectors": ["government-national"]},
    {"type": "location", "spec_version": "2.1", "id": "location--00000000-0000-4000-8000-00000000000d",
     "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "name": "Japan", "country": "jp"},
    {"type": "location", "spec_version": "2.1", "id": "location--00000000-0000-4000-8000-00000000000e",
     "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "region": "eastern-asia"},
    {"type": "malware", "spec_version": "2.1", "id": "malware--00000000-0000-4000-8000-00000000000f",
     "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "name": "Old Thing", "is_family": true, "revoked": true},
    {"type": "tool", "spec_version": "2.1", "id": "tool--00000000-0000-4000-8000-000000000010",
     "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "name": "Deprecated Tool", "x_mitre_deprecated": true},
    {"type": "indicator", "spec_version": "2.1", "id": "indicator--00000000-0000-4000-8000-000000000011",
     "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "name": "menuPass C2",
     "pattern": "[ipv4-addr:value = '198.51.100.3'] OR [file:hashes.'SHA-256' = 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855' AND file:name = 'x'] OR [domain-name:value != 'skip.example']",
     "pattern_type": "stix", "valid_from": "2020-01-01T00:00:00Z"},
    {"type": "ipv4-addr", "spec_version": "2.1", "id": "ipv4-addr--00000000-0000-4000-8000-000000000014", "value": "198.51.100.3"},
    {"type": "domain-name", "spec_version": "2.1", "id": "domain-name--00000000-0000-4000-8000-000000000015", "value": "C2.Example.COM",
     "resolves_to_refs": ["ipv4-addr--00000000-0000-4000-8000-000000000014"]},
    {"type": "x-acme-widget", "id": "x-acme-widget--00000000-0000-4000-8000-000000000012", "colour": "blue"},
    {"type": "report", "spec_version": "2.1", "id": "report--00000000-0000-4000-8000-000000000013",
     "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "name": "Operation Cloud Hopper",
     "published": "2017-04-03T00:00:00Z", "object_refs": ["intrusion-set--00000000-0000-4000-8000-000000000001", "malware--00000000-0000-4000-8000-000000000003"]},
    {"type": "relationship", "spec_version": "2.1", "id": "relationship--00000000-0000-4000-8000-000000000101",
     "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "relationship_type": "uses",
     "source_ref": "intrusion-set--00000000-0000-4000-8000-000000000001", "target_ref": "malware--00000000-0000-4000-8000-000000000003",
     "description": "menuPass has used PlugX.", "external_references": [{"source_name": "FireEye APT10", "url": "https://example.org/apt10"}]},
    {"type": "relationship", "spec_version": "2.1", "id": "relationship--00000000-0000-4000-8000-000000000102",
     "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "relationship_type": "uses",
     "source_ref": "intrusion-set--00000000-0000-4000-8000-000000000001", "target_ref": "attack-pattern--00000000-0000-4000-8000-000000000005"},
    {"type": "relationship", "spec_version": "2.1", "id": "relationship--00000000-0000-4000-8000-000000000103",
     "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "relationship_type": "subtechnique-of",
     "source_ref": "attack-pattern--00000000-0000-4000-8000-000000000006", "target_ref": "attack-pattern--00000000-0000-4000-8000-000000000007"},
    {"type": "relationship", "spec_version": "2.1", "id": "relationship--00000000-0000-4000-8000-000000000104",
     "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "relationship_type": "attributed-to",
     "source_ref": "campaign--00000000-0000-4000-8000-000000000008", "target_ref": "intrusion-set--00000000-0000-4000-8000-000000000001"},
    {"type": "relationship", "spec_version": "2.1", "id": "relationship--00000000-0000-4000-8000-000000000105",
     "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "relationship_type": "targets",
     "source_ref": "intrusion-set--00000000-0000-4000-8000-000000000001", "target_ref": "identity--00000000-0000-4000-8000-00000000000b"},
    {"type": "relationship", "spec_version": "2.1", "id": "relationship--00000000-0000-4000-8000-000000000106",
     "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "relationship_type": "uses",
     "source_ref": "intrusion-set--00000000-0000-4000-8000-000000000001", "target_ref": "malware--00000000-0000-4000-8000-00000000000f"},
    {"type": "relationship", "spec_version": "2.1", "id": "relationship--00000000-0000-4000-8000-000000000107",
     "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "relationship_type": "indicates",
     "source_ref": "indicator--00000000-0000-4000-8000-000000000011", "target_ref": "malware--00000000-0000-4000-8000-000000000003"},
    {"type": "relationship", "spec_version": "2.1", "id": "relationship--00000000-0000-4000-8000-000000000108",
     "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "relationship_type": "targets",
     "source_ref": "intrusion-set--00000000-0000-4000-8000-000000000001", "target_ref": "location--00000000-0000-4000-8000-00000000000d"},
    {"type": "relationship", "spec_version": "2.1", "id": "relationship--00000000-0000-4000-8000-000000000109",
     "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "relationship_type": "uses",
     "source_ref": "identity--00000000-0000-4000-8000-00000000000a", "target_ref": "tool--00000000-0000-4000-8000-000000000004"}
  ]
}`

func TestSTIXMapping(t *testing.T) {
	res, err := ReadSTIX("mapping.json", []byte(mappingBundle), model.Declared)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Documents) != 2 {
		t.Fatalf("%d documents, want the bundle and its report", len(res.Documents))
	}
	doc := res.Documents[0]
	if err := model.Declared.CheckDocument(doc); err != nil {
		t.Fatal(err)
	}
	labels := map[string]string{}
	byName := map[string]model.Entity{}
	for _, e := range doc.Entities {
		labels[e.Name] = e.Label
		byName[e.Name] = e
	}
	wantLabels := map[string]string{
		"menuPass": "ThreatActor", "Ugly Gorilla": "ThreatActor", "PlugX": "Malware", "Mimikatz": "Tool",
		"Trusted Relationship": "Technique", "Cloud Hopper": "Campaign", "Zhu Hua": "Person", "Acme Bank": "Organization",
		"Financial services": "Sector", "Chinese government": "Government", "Japan": "Country",
		"Eastern Asia": "Region",
	}
	for name, want := range wantLabels {
		if labels[name] != want {
			t.Errorf("%s mapped to %q, want %q", name, labels[name], want)
		}
	}
	for _, skipped := range []string{"Old Thing", "Deprecated Tool"} {
		if _, ok := labels[skipped]; ok {
			t.Errorf("%s (revoked or deprecated) was not skipped", skipped)
		}
	}
	mp := byName["menuPass"]
	if mp.UID != "intrusion-set--00000000-0000-4000-8000-000000000001" || mp.Properties["external_id"] != "G0045" ||
		strings.Join(mp.Aliases, ",") != "APT10" || mp.Properties["first_seen"] != "2006-01-01" {
		t.Errorf("menuPass = %+v", mp)
	}
	tr := byName["Trusted Relationship"]
	if tr.Properties["external_id"] != "T1199" || strings.Join(tr.Properties["tactics"].([]string), ",") != "initial-access" || tr.Properties["is_subtechnique"] != false {
		t.Errorf("T1199 = %+v", tr.Properties)
	}
	if byName["Security Account Manager"].Properties["is_subtechnique"] != true {
		t.Error("T1003.002 is not marked a sub-technique")
	}
	if p := byName["PlugX"]; strings.Join(p.Aliases, ",") != "Korplug" || strings.Join(p.Properties["platforms"].([]string), ",") != "Windows" {
		t.Errorf("PlugX = %+v", p)
	}
	if c := byName["Cloud Hopper"]; c.Properties["start"] != "2014-01-01" || c.Properties["end"] != "2017-04-01" {
		t.Errorf("campaign = %+v", c.Properties)
	}
	if byName["Japan"].Properties["iso2"] != "JP" {
		t.Errorf("Japan = %+v", byName["Japan"].Properties)
	}

	types := map[string]int{}
	for _, c := range doc.Claims {
		types[c.Type]++
		if c.Quote == "" {
			t.Errorf("claim %s has no evidence", c.UID)
		}
	}
	wantTypes := map[string]int{"USES": 2, "SUBTECHNIQUE_OF": 1, "ATTRIBUTED_TO": 1, "TARGETED": 2}
	for typ, n := range wantTypes {
		if types[typ] != n {
			t.Errorf("%d %s claims, want %d (all: %v)", types[typ], typ, n, types)
		}
	}
	for _, c := range doc.Claims {
		if c.UID == "relationship--00000000-0000-4000-8000-000000000101" &&
			(c.Quote != "menuPass has used PlugX." || len(c.Citations) != 1 || !strings.Contains(c.Citations[0], "https://example.org/apt10")) {
			t.Errorf("uses claim = %+v", c)
		}
	}
	// The indicator, and its observables: the address of the ipv4-addr
	// object and of the pattern is one entity, with STIX's deterministic id.
	if ind := byName["menuPass C2"]; ind.Label != model.LabelIndicator || ind.UID != "indicator--00000000-0000-4000-8000-000000000011" ||
		ind.Properties["pattern_type"] != "stix" || ind.Properties["valid_from"] != "2020-01-01T00:00:00Z" {
		t.Errorf("indicator = %+v", ind)
	}
	if ip := byName["198.51.100.3"]; ip.Label != model.LabelIPv4 || ip.UID != "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4" || ip.Properties["value"] != "198.51.100.3" {
		t.Errorf("address = %+v", ip)
	}
	if d := byName["c2.example.com"]; d.Label != model.LabelDomain {
		t.Errorf("domain = %+v", d)
	}
	if f := byName["e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"]; f.Label != model.LabelFile || f.Properties["sha256"] == nil {
		t.Errorf("file = %+v", f)
	}
	for typ, n := range map[string]int{model.RelIndicates: 1, model.RelBasedOn: 2, model.RelResolvesTo: 1} {
		if types[typ] != n {
			t.Errorf("%d %s claims, want %d (all: %v)", types[typ], typ, n, types)
		}
	}
	skipped := strings.Join(res.Skipped, "\n")
	for _, want := range []string{"1 x-acme-widget objects", "1 malware objects: revoked",
		"1 tool objects: deprecated", "relationships to revoked or deprecated objects",
		"uses relationships from Organization to Tool: not in threatkg's model"} {
		if !strings.Contains(skipped, want) {
			t.Errorf("skipped list lacks %q:\n%s", want, skipped)
		}
	}
	report := res.Documents[1]
	if report.Source.UID != "report--00000000-0000-4000-8000-000000000013" || len(report.Entities) != 2 || report.Source.Date != "2017-04-03" {
		t.Errorf("report document = %+v", report.Source)
	}
}

func TestInvalidSTIX(t *testing.T) {
	obj := func(extra string) string {
		return `{"type": "bundle", "id": "bundle--0d6c9c2e-7f44-4ad5-9a66-5b3a0b7f0001", "objects": [
  {"type": "tool", "id": "tool--00000000-0000-4000-8000-000000000004", "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "name": "x"` + extra + `}
]}`
	}
	tests := []struct {
		name, data, want string
	}{
		{"missing spec_version", obj(``), "2:3: tool--00000000-0000-4000-8000-000000000004: missing required property 'spec_version'"},
		{"wrong spec_version", obj(`, "spec_version": "2.0"`), `spec_version "2.0": threatkg reads STIX 2.1`},
		{"wrong type of a property", obj(`, "spec_version": "2.1", "aliases": "one"`), "property 'aliases' must be a list"},
		{"bad timestamp", strings.Replace(obj(`, "spec_version": "2.1"`), `"created": "2020-01-01T00:00:00Z"`, `"created": "yesterday"`, 1), `'created' "yesterday" is not a STIX timestamp`},
		{"id of another type", strings.Replace(obj(`, "spec_version": "2.1"`), `"id": "tool--`, `"id": "malware--`, 1), `id "malware--00000000-0000-4000-8000-000000000004" must be tool--<uuid>`},
		{"missing name", strings.Replace(obj(`, "spec_version": "2.1"`), `"name": "x"`, `"name": ""`, 1), "missing required property 'name'"},
		{"truncated JSON", obj(`, "spec_version": "2.1"`)[:80], "invalid JSON: unexpected end of JSON input"},
		{"not an object", `[1, 2]`, "not a STIX bundle or object"},
		{"relationship without target", `{"type": "relationship", "spec_version": "2.1", "id": "relationship--00000000-0000-4000-8000-000000000101", "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "relationship_type": "uses", "source_ref": "tool--00000000-0000-4000-8000-000000000004"}`, "missing required property 'target_ref'"},
		{"property names are case-sensitive", strings.Replace(obj(`, "spec_version": "2.1"`), `"created"`, `"Created"`, 1), "missing required property 'created'"},
		{"STIX 2.0 bundle", `{"type": "bundle", "id": "bundle--0d6c9c2e-7f44-4ad5-9a66-5b3a0b7f0001", "spec_version": "2.0", "objects": []}`, "this is a STIX 2.0 bundle"},
		{"indicator without pattern", `{"type": "indicator", "spec_version": "2.1", "id": "indicator--00000000-0000-4000-8000-000000000011", "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "pattern_type": "stix", "valid_from": "2020-01-01T00:00:00Z"}`, "missing required property 'pattern'"},
		{"indicator with a bad valid_until", `{"type": "indicator", "spec_version": "2.1", "id": "indicator--00000000-0000-4000-8000-000000000011", "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "pattern": "[url:value = 'http://x.example/']", "pattern_type": "stix", "valid_from": "2020-01-01T00:00:00Z", "valid_until": "soon"}`, `'valid_until' "soon" is not a STIX timestamp`},
		{"address that is not one", `{"type": "ipv4-addr", "id": "ipv4-addr--00000000-0000-4000-8000-000000000014", "value": "198.51.100"}`, `"198.51.100" is not an IPv4 address`},
		{"observable without value", `{"type": "domain-name", "id": "domain-name--00000000-0000-4000-8000-000000000015"}`, "missing required property 'value'"},
		{"file hash that is not one", `{"type": "file", "id": "file--00000000-0000-4000-8000-000000000016", "hashes": {"MD5": "xyz"}}`, `"xyz" is not a valid MD5 hash`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadSTIX("bad.json", []byte(tt.data), model.Declared)
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("got %v, want an *InputError", err)
			}
			if !strings.Contains(strings.Join(ie.Lines(), "\n"), tt.want) {
				t.Errorf("problems %q do not mention %q", ie.Lines(), tt.want)
			}
		})
	}
}

func TestSTIXDanglingReferencesAreReported(t *testing.T) {
	data := `{"type": "bundle", "id": "bundle--0d6c9c2e-7f44-4ad5-9a66-5b3a0b7f0001", "objects": [
  {"type": "tool", "spec_version": "2.1", "id": "tool--00000000-0000-4000-8000-000000000004", "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "name": "x"},
  {"type": "relationship", "spec_version": "2.1", "id": "relationship--00000000-0000-4000-8000-000000000101", "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z",
   "relationship_type": "uses", "source_ref": "intrusion-set--00000000-0000-4000-8000-0000000000ff", "target_ref": "tool--00000000-0000-4000-8000-000000000004"}
]}`
	res, err := ReadSTIX("dangling.json", []byte(data), model.Declared)
	if err != nil {
		t.Fatal(err)
	}
	problems := res.Unresolved["intrusion-set--00000000-0000-4000-8000-0000000000ff"]
	if len(problems) != 1 || problems[0].Line != 3 || !strings.Contains(problems[0].Msg, "neither in this file nor in the graph") {
		t.Errorf("unresolved = %+v", res.Unresolved)
	}
}

func TestATTACKMenupass(t *testing.T) {
	res, err := readSTIXFile(t, "../testdata/stix/attack/menupass.json")
	if err != nil {
		t.Fatal(err)
	}
	doc := res.Documents[0]
	if len(doc.Entities) != 73 || len(doc.Claims) != 181 || len(res.Unresolved) != 0 {
		t.Errorf("%d entities, %d claims, %d unresolved; want 73, 181, 0", len(doc.Entities), len(doc.Claims), len(res.Unresolved))
	}
	if doc.Source.Publisher != "The MITRE Corporation" || doc.Source.ATTACKSpecVersion != "3.3.0" {
		t.Errorf("source = %+v", doc.Source)
	}
}

func BenchmarkReadSTIXMenupass(b *testing.B) {
	data, err := os.ReadFile("../testdata/stix/attack/menupass.json")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for i := 0; i < b.N; i++ {
		if _, err := ReadSTIX("menupass.json", data, model.Declared); err != nil {
			b.Fatal(err)
		}
	}
}

// TestEveryMappedSTIXPropertyIsRead: every property the model maps to a
// STIX property (Property.STIX) is read by the import, and every STIX
// relationship type the model declares imports as its type.
func TestEveryMappedSTIXPropertyIsRead(t *testing.T) {
	for _, n := range model.Declared.Nodes {
		for _, p := range n.Properties {
			if p.STIX != "" && stixPropertyValue(stixObject{}, p.STIX) == nil {
				t.Errorf("%s.%s maps to STIX %q, which the import does not read", n.Label, p.Name, p.STIX)
			}
		}
		for _, typ := range append([]string{n.STIXType}, n.STIXImport...) {
			label, decided, ok := model.Declared.LabelOfSTIX(typ)
			if !ok || decided && label != n.Label {
				t.Errorf("STIX type %s imports as %q (decided %v, ok %v), want %s", typ, label, decided, ok, n.Label)
			}
		}
	}
	for _, r := range model.Declared.Rels {
		for _, name := range append([]string{r.STIXName()}, r.STIX...) {
			if got, ok := model.Declared.RelOfSTIX(name); !ok || got != r.Type {
				t.Errorf("STIX relationship_type %s imports as %q, want %s", name, got, r.Type)
			}
		}
	}
	if _, ok := model.Declared.RelOfSTIX("duplicate-of"); ok {
		t.Error("duplicate-of is no relationship type of the model")
	}
}
