package loaders

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/threatkg/threatkg/graph/model"
)

const galaxyDir = "../testdata/catalogues/misp-galaxy/"

func openGalaxy(t *testing.T, typ string) model.Document {
	t.Helper()
	src, err := (&Opener{}).Open(context.Background(), galaxyDir+typ+".json.gz")
	if err != nil {
		t.Fatal(err)
	}
	docs, err := src.Documents(context.Background())
	if err != nil || len(docs) != 1 {
		t.Fatalf("%s: %d documents, %v", typ, len(docs), err)
	}
	return docs[0]
}

// TestGalaxies: every galaxy of the registry reads from MISP's own file,
// each distinct cluster name an entity of the rule's label.
func TestGalaxies(t *testing.T) {
	for _, rule := range Galaxies {
		t.Run(rule.Type, func(t *testing.T) {
			doc := openGalaxy(t, rule.Type)
			data, err := readGunzip(galaxyDir + rule.Type + ".json.gz")
			if err != nil {
				t.Fatal(err)
			}
			var g struct {
				Values []struct {
					Value string `json:"value"`
				} `json:"values"`
			}
			if err := json.Unmarshal(data, &g); err != nil {
				t.Fatal(err)
			}
			names := map[string]bool{}
			for _, v := range g.Values {
				names[model.Normalize(v.Value)] = true
			}
			n := 0
			for _, e := range doc.Entities {
				switch e.Label {
				case rule.Label:
					n++
				case model.LabelCountry, model.LabelRegion:
				default:
					t.Errorf("entity %q is a %s", e.Name, e.Label)
				}
			}
			if n != len(names) || doc.Source.Kind != "misp-galaxy" || !strings.Contains(doc.Source.Title, "(version ") {
				t.Errorf("%d %s entities of %d distinct clusters; source %+v", n, rule.Label, len(names), doc.Source)
			}
			again := openGalaxy(t, rule.Type)
			if documentsDiffer(doc, again) {
				t.Error("reading the galaxy twice gave two documents")
			}
		})
	}
}

func documentsDiffer(a, b model.Document) bool {
	x, _ := json.Marshal(model.Canonical(a))
	y, _ := json.Marshal(model.Canonical(b))
	return string(x) != string(y)
}

// TestThreatActorGalaxyClaims: APT10's cluster says China sponsors it and
// names its victims; each claim quotes the galaxy and cites its refs.
func TestThreatActorGalaxyClaims(t *testing.T) {
	doc := openGalaxy(t, "threat-actor")
	byUID := map[string]model.Entity{}
	for _, e := range doc.Entities {
		byUID[e.UID] = e
	}
	actor, _ := model.Declared.Node(model.LabelThreatActor)
	apt10 := byUID[model.EntityUID(actor, "APT10")]
	if !slices.Contains(apt10.Aliases, "STONE PANDA") || !slices.Contains(apt10.Aliases, "Menupass Team") || !strings.Contains(apt10.Description, "menuPass") {
		t.Fatalf("APT10: %+v", apt10)
	}
	claims := map[string]model.Claim{}
	for _, c := range doc.Claims {
		if c.From == apt10.UID {
			claims[c.Type+" "+byUID[c.To].Name] = c
		}
	}
	china, ok := claims["ATTRIBUTED_TO China"]
	if !ok || china.Quote != `"country": "CN"` || !slices.Contains(china.Citations, "https://attack.mitre.org/groups/G0045/") {
		t.Errorf("ATTRIBUTED_TO China: %+v (claims %v)", china, keys(claims))
	}
	if len(claims) != 1+15 { // one sponsor (country and cfr-suspected-state-sponsor agree), 15 victims
		t.Errorf("%d claims: %v", len(claims), keys(claims))
	}
	if j, ok := claims["TARGETED Japan"]; !ok || !strings.Contains(j.Quote, `"Japan"`) {
		t.Errorf("TARGETED Japan: %+v", j)
	}
	if byUID[china.To].Properties["iso2"] != "CN" {
		t.Errorf("China: %+v", byUID[china.To])
	}
	// A sponsor given only by CFR, in ISO's inverted form.
	one, err := ReadGalaxy("g.json", []byte(`{"type": "threat-actor", "uuid": "u", "values": [{"value": "Lazarus",
 "meta": {"cfr-suspected-state-sponsor": "Korea (Democratic People's Republic of)", "cfr-suspected-victims": ["The Philippines", "Middle East", "Bank of Nowhere"]}}]}`), model.Declared)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range one.Claims {
		for _, e := range one.Entities {
			if e.UID == c.To {
				got = append(got, c.Type+" "+e.Label+" "+e.Name+": "+c.Quote)
			}
		}
	}
	want := []string{`ATTRIBUTED_TO Country North Korea: "cfr-suspected-state-sponsor": "Korea (Democratic People's Republic of)"`,
		`TARGETED Country Philippines: "cfr-suspected-victims": [... "The Philippines" ...]`,
		`TARGETED Region Middle East: "cfr-suspected-victims": [... "Middle East" ...]`}
	if !slices.Equal(got, want) || !slices.Equal(one.Source.Skipped, []string{"1 cfr-suspected-victims names that are no country or region of the catalogue"}) {
		t.Errorf("claims %q, skipped %q", got, one.Source.Skipped)
	}
	if !slices.ContainsFunc(doc.Source.Skipped, func(s string) bool { return strings.Contains(s, "cfr-suspected-victims names") }) {
		t.Errorf("skipped: %q", doc.Source.Skipped)
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestGalaxyProblems(t *testing.T) {
	tests := []struct {
		name, data string
		line       int
		says       string
	}{
		{"another galaxy", `{"type": "sector", "uuid": "u", "name": "Sector", "values": [{"value": "Banking"}]}`, 1, "threatkg reads the galaxies threat-actor"},
		{"a cluster without a name", "{\"type\": \"tool\", \"uuid\": \"u\",\n \"values\": [\n  {\"value\": \"PsExec\"},\n  {\"uuid\": \"x\"}\n]}", 4, "cluster 2 has no value"},
		{"a cluster of the wrong shape", "{\"type\": \"tool\", \"uuid\": \"u\",\n \"values\": [\n  {\"value\": [1]}\n]}", 3, "cluster 1"},
		{"not JSON", "{\"type\": \"tool\", \"uuid\": \"u\", \"values\": [\n  {\"value\": \"x\",}\n]}", 2, "invalid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadGalaxy("g.json", []byte(tt.data), model.Declared)
			var ie *InputError
			if !errors.As(err, &ie) || len(ie.Problems) == 0 || ie.Problems[0].Line != tt.line || !strings.Contains(ie.Problems[0].Msg, tt.says) {
				t.Errorf("got %v, want line %d saying %q", err, tt.line, tt.says)
			}
		})
	}
	if !LooksLikeGalaxy([]byte(`{"type": "tool", "uuid": "u", "values": []}`)) || LooksLikeGalaxy([]byte(`{"type": "bundle", "id": "bundle--x", "objects": []}`)) {
		t.Error("LooksLikeGalaxy")
	}
}

func readGunzip(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Gunzip(data)
}

// TestMISPDocListsTheGalaxies: docs/misp.md's table is the registry.
func TestMISPDocListsTheGalaxies(t *testing.T) {
	data, err := os.ReadFile("../docs/misp.md")
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "| `") {
			rows = append(rows, line)
		}
	}
	var want []string
	for _, r := range append(append([]GalaxyRule{}, Galaxies...), EventGalaxies...) {
		want = append(want, fmt.Sprintf("| `%s` | %s | %s |", r.Type, r.Label, r.Why))
	}
	if !slices.Equal(rows, want) {
		t.Errorf("docs/misp.md lists\n%s\nthe registry is\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
}
