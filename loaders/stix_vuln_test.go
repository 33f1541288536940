package loaders

import (
	"sort"
	"strings"
	"testing"

	"github.com/threatkg/threatkg/graph/model"
)

// A vulnerability and the two STIX forms of exploiting it: malware
// "exploits" it, an intrusion set "targets" it.
const vulnBundle = `{"type": "bundle", "id": "bundle--00000000-0000-4000-8000-0000000000aa", "objects": [
  {"type": "vulnerability", "spec_version": "2.1", "id": "vulnerability--00000000-0000-4000-8000-000000000001",
   "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "name": "CVE-2019-19781",
   "external_references": [{"source_name": "cve", "external_id": "CVE-2019-19781"}]},
  {"type": "malware", "spec_version": "2.1", "id": "malware--00000000-0000-4000-8000-000000000002",
   "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "name": "SPEEDUP", "is_family": true},
  {"type": "intrusion-set", "spec_version": "2.1", "id": "intrusion-set--00000000-0000-4000-8000-000000000003",
   "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "name": "APT41"},
  {"type": "relationship", "spec_version": "2.1", "id": "relationship--00000000-0000-4000-8000-000000000004",
   "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "relationship_type": "exploits",
   "source_ref": "malware--00000000-0000-4000-8000-000000000002", "target_ref": "vulnerability--00000000-0000-4000-8000-000000000001"},
  {"type": "relationship", "spec_version": "2.1", "id": "relationship--00000000-0000-4000-8000-000000000005",
   "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "relationship_type": "targets",
   "source_ref": "intrusion-set--00000000-0000-4000-8000-000000000003", "target_ref": "vulnerability--00000000-0000-4000-8000-000000000001"}
]}`

func TestSTIXVulnerabilities(t *testing.T) {
	res, err := ReadSTIX("vuln.json", []byte(vulnBundle), model.Declared)
	if err != nil {
		t.Fatal(err)
	}
	doc := res.Documents[0]
	if err := model.Declared.CheckDocument(doc); err != nil {
		t.Fatal(err)
	}
	var vuln model.Entity
	for _, e := range doc.Entities {
		if e.Label == "Vulnerability" {
			vuln = e
		}
	}
	if vuln.Name != "CVE-2019-19781" || vuln.Properties["external_id"] != "CVE-2019-19781" {
		t.Fatalf("vulnerability = %+v, want CVE-2019-19781 with its CVE id", vuln)
	}
	exploits := 0
	for _, c := range doc.Claims {
		if c.Type == "EXPLOITS" && c.To == vuln.UID {
			exploits++
		}
	}
	if exploits != 2 {
		t.Fatalf("%d EXPLOITS claims, want 2 (exploits and targets); claims: %+v", exploits, doc.Claims)
	}
	// Export: valid STIX, malware "exploits", the intrusion set "targets",
	// the CVE id as an external reference; and it reads back the same.
	data, err := WriteSTIX(res.Documents)
	if err != nil {
		t.Fatal(err)
	}
	if err := ValidateSTIXBundle(data); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"relationship_type": "exploits"`, `"relationship_type": "targets"`, `"source_name": "cve"`, `"type": "vulnerability"`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("export lacks %s", want)
		}
	}
	back, err := ReadSTIX("export.json", data, model.Declared)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, d := range back.Documents {
		for _, c := range d.Claims {
			if c.Type == "EXPLOITS" {
				n++
			}
		}
	}
	if n != 2 {
		t.Errorf("the export reads back with %d EXPLOITS claims, want 2", n)
	}
}

// docs/stix.md maps located-at and originates-from to LOCATED_IN, and a
// location with a region and no country to a Region.
func TestSTIXLocatedInAndRegions(t *testing.T) {
	bundle := `{"type": "bundle", "id": "bundle--00000000-0000-4000-8000-0000000000bb", "objects": [
  {"type": "intrusion-set", "spec_version": "2.1", "id": "intrusion-set--00000000-0000-4000-8000-000000000001",
   "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "name": "APT41"},
  {"type": "identity", "spec_version": "2.1", "id": "identity--00000000-0000-4000-8000-000000000002",
   "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "name": "Acme Bank", "identity_class": "organization"},
  {"type": "location", "spec_version": "2.1", "id": "location--00000000-0000-4000-8000-000000000003",
   "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "name": "China", "country": "cn"},
  {"type": "location", "spec_version": "2.1", "id": "location--00000000-0000-4000-8000-000000000004",
   "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "region": "south-eastern-asia"},
  {"type": "relationship", "spec_version": "2.1", "id": "relationship--00000000-0000-4000-8000-000000000005",
   "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "relationship_type": "originates-from",
   "source_ref": "intrusion-set--00000000-0000-4000-8000-000000000001", "target_ref": "location--00000000-0000-4000-8000-000000000003"},
  {"type": "relationship", "spec_version": "2.1", "id": "relationship--00000000-0000-4000-8000-000000000006",
   "created": "2020-01-01T00:00:00Z", "modified": "2020-01-01T00:00:00Z", "relationship_type": "located-at",
   "source_ref": "identity--00000000-0000-4000-8000-000000000002", "target_ref": "location--00000000-0000-4000-8000-000000000004"}
]}`
	res, err := ReadSTIX("located.json", []byte(bundle), model.Declared)
	if err != nil {
		t.Fatal(err)
	}
	doc := res.Documents[0]
	if err := model.Declared.CheckDocument(doc); err != nil {
		t.Fatal(err)
	}
	label := map[string]string{}
	for _, e := range doc.Entities {
		label[e.UID] = e.Label + ":" + e.Name
	}
	var got []string
	for _, c := range doc.Claims {
		got = append(got, c.Type+" "+label[c.From]+" -> "+label[c.To])
	}
	sort.Strings(got)
	want := []string{"LOCATED_IN Organization:Acme Bank -> Region:South Eastern Asia", "LOCATED_IN ThreatActor:APT41 -> Country:China"}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("claims %q, want %q", got, want)
	}
}
