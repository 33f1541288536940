package loaders

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/threatkg/threatkg/graph/model"
)

const sednitEvent = "../testdata/misp/sednit-2017-12-21.json"

// TestMISPEvent reads CIRCL's OSINT event on Sednit (MISP's own export,
// from PyMISP's tests): indicators from the attributes and objects MISP
// flags for detection, their observables, the galaxy clusters it is about
// and the claims between them.
func TestMISPEvent(t *testing.T) {
	data, err := os.ReadFile(sednitEvent)
	if err != nil {
		t.Fatal(err)
	}
	if !LooksLikeMISPEvent(data) || LooksLikeGalaxy(data) {
		t.Fatal("the event is not recognised as one")
	}
	doc, err := ReadMISPEvent(sednitEvent, data, model.Declared)
	if err != nil {
		t.Fatal(err)
	}
	if doc.Source.Kind != "misp-event" || doc.Source.Title != "OSINT - Sednit update: How Fancy Bear Spent the Year" ||
		doc.Source.Date != "2017-12-21" || doc.Source.Publisher != "CIRCL" || doc.Source.UID != model.ReportUID("misp-event:5a3c2fcd-8328-42bb-a95e-4f4402de0b81") {
		t.Errorf("source = %+v", doc.Source)
	}
	labels, types := map[string]int{}, map[string]int{}
	byUID := map[string]model.Entity{}
	for _, e := range doc.Entities {
		labels[e.Label]++
		byUID[e.UID] = e
	}
	for _, c := range doc.Claims {
		types[c.Type]++
	}
	// 7 domain attributes and 49 objects (37 file, 12 domain-ip), all for
	// detection; 14 galaxy clusters (1 actor, 7 malware, 6 tools).
	for label, n := range map[string]int{model.LabelIndicator: 56, model.LabelFile: 37, model.LabelThreatActor: 1, model.LabelMalware: 7, model.LabelTool: 6} {
		if labels[label] != n {
			t.Errorf("%d %s entities, want %d (all: %v)", labels[label], label, n, labels)
		}
	}
	// Each indicator indicates the 14 clusters; it is based on its domain,
	// its file, or its domain and address; 12 domain-ip objects, of which
	// two name the same pair, resolve.
	if types[model.RelIndicates] != 56*14 || types[model.RelBasedOn] != 7+37+2*12 || types[model.RelResolvesTo] != 11 {
		t.Errorf("claims %v", types)
	}
	ind := byUID["indicator--5a3c3045-ab0c-4d38-8efe-459002de0b81"]
	if ind.Properties["pattern"] != "[domain-name:value = 'movieultimate.com']" || ind.Description != "Xagent Samples" ||
		ind.Properties["valid_from"] != "2017-12-21T22:05:57Z" {
		t.Errorf("indicator = %+v", ind)
	}
	var fileInd model.Entity
	for _, e := range doc.Entities {
		if e.Label == model.LabelIndicator && strings.Contains(str(e.Properties["pattern"]), "file:name") {
			fileInd = e
			break
		}
	}
	if p := str(fileInd.Properties["pattern"]); !strings.HasPrefix(p, "[file:hashes.'SHA-1' = '") || !strings.Contains(p, " AND file:name = '") {
		t.Errorf("file indicator pattern %q", p)
	}
	actor := byUID[model.EntityUID(mustNode(model.LabelThreatActor), "Sofacy")]
	if !strings.Contains(strings.Join(actor.Aliases, ","), "APT28") || actor.Quote != `misp-galaxy:threat-actor="Sofacy"` {
		t.Errorf("Sofacy = %+v", actor)
	}
	// The generated patterns read back as the observables they compare.
	for _, e := range doc.Entities {
		if e.Label != model.LabelIndicator {
			continue
		}
		obs, skipped := patternObservables(model.Declared, str(e.Properties["pattern"]))
		if len(obs) == 0 || len(skipped) > 0 {
			t.Errorf("pattern %q: %d observables, skipped %v", e.Properties["pattern"], len(obs), skipped)
		}
	}
	skipped := strings.Join(doc.Source.Skipped, "\n")
	if !strings.Contains(skipped, "(link)") || !strings.Contains(skipped, "(text)") {
		t.Errorf("skipped: %s", skipped)
	}

	// The wrapped form, {"Event": {...}}, reads the same.
	wrapped := append(append([]byte(`{"Event": `), data...), '}')
	if !LooksLikeMISPEvent(wrapped) {
		t.Fatal("the wrapped event is not recognised")
	}
	again, err := ReadMISPEvent(sednitEvent, wrapped, model.Declared)
	if err != nil {
		t.Fatal(err)
	}
	again.Source.TextSHA256 = doc.Source.TextSHA256
	if !reflect.DeepEqual(again, doc) {
		t.Error("the wrapped event reads differently")
	}
}

func mustNode(label string) model.NodeType {
	n, _ := model.Declared.Node(label)
	return n
}

func TestMISPEventProblems(t *testing.T) {
	for _, tc := range []struct{ name, data, want string }{
		{"no uuid", `{"Event": {"info": "x", "date": "2020-01-01", "Attribute": []}}`, "'uuid' \"\" is not a UUID"},
		{"bad date", `{"Event": {"uuid": "5a3c2fcd-8328-42bb-a95e-4f4402de0b81", "info": "x", "date": "yesterday", "Attribute": []}}`, "'date' \"yesterday\" is not a date"},
		{"bad JSON", "{\"Event\": {\"uuid\": \"5a3c2fcd-8328-42bb-a95e-4f4402de0b81\",\n \"Attribute\": [}}", "bad.json:2:"},
		{"wrong type", `{"Event": {"uuid": "5a3c2fcd-8328-42bb-a95e-4f4402de0b81", "info": "x", "date": "2020-01-01", "Attribute": {}}}`, "must be a list"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadMISPEvent("bad.json", []byte(tc.data), model.Declared)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want %q", err, tc.want)
			}
		})
	}
	// An attribute whose value is not what its type says is skipped and counted.
	doc, err := ReadMISPEvent("x.json", []byte(`{"Event": {"uuid": "5a3c2fcd-8328-42bb-a95e-4f4402de0b81", "info": "x", "date": "2020-01-01",
	  "Attribute": [{"uuid": "5a3c3045-ab0c-4d38-8efe-459002de0b81", "type": "ip-dst", "value": "999.1.1.1", "to_ids": true},
	                {"uuid": "5a3c3045-ab0c-4d38-8efe-459002de0b82", "type": "domain", "value": "evil[.]example", "to_ids": "0"}],
	  "Tag": [{"name": "misp-galaxy:threat-actor=\"APT10\""}, {"name": "tlp:white"}]}}`), model.Declared)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Entities) != 2 || len(doc.Claims) != 1 || doc.Claims[0].Type != model.RelRelatedTo ||
		!strings.Contains(strings.Join(doc.Source.Skipped, ";"), "not valid (ip-dst)") {
		t.Errorf("entities %+v, claims %+v, skipped %v", doc.Entities, doc.Claims, doc.Source.Skipped)
	}
}
