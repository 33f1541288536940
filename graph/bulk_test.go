package graph

import (
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/threatkg/threatkg/graph/graphtest/golden"
	"github.com/threatkg/threatkg/graph/model"
)

// validSources are twoSources with STIX ids (the importer's writer checks
// documents as a load does): "x--name" becomes x--<UUIDv5 of name>.
func validSources() []model.Document {
	id := func(s string) string {
		typ, name, _ := strings.Cut(s, "--")
		return typ + "--" + uuid.NewSHA1(uuid.NameSpaceURL, []byte(name)).String()
	}
	docs := twoSources()
	for i := range docs {
		d := &docs[i]
		d.Source.UID = id(d.Source.UID)
		for j := range d.Entities {
			d.Entities[j].UID = id(d.Entities[j].UID)
		}
		for j := range d.Claims {
			c := &d.Claims[j]
			c.UID, c.From, c.To = id(c.UID), id(c.From), id(c.To)
		}
		ext := map[string]string{}
		for uid, label := range d.External {
			ext[id(uid)] = label
		}
		d.External = ext
	}
	return docs
}

// TestImportWriterGolden writes the statement tests' two sources as the
// importer's files and compares every file with the golden text.
func TestImportWriterGolden(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "import")
	w, err := NewImportWriter(dir, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	docs := validSources()
	docs[0].Entities[0].Description = "a group\nwith two lines, a \"quote\" and, a comma"
	for _, d := range docs {
		if err := w.Add(d); err != nil {
			t.Fatal(err)
		}
	}
	files, err := w.Close()
	if err != nil {
		t.Fatal(err)
	}
	if files.Nodes != 7 || files.Relationships != 7 { // 2 reports, 5 entities (one external); 4 MENTIONS, 3 claims
		t.Errorf("counts: %d nodes, %d relationships; want 7 and 7", files.Nodes, files.Relationships)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString("== " + e.Name() + "\n" + strings.ReplaceAll(string(data), string(ImportArrayDelimiter), "<US>"))
	}
	golden.Check(t, filepath.Join("..", "testdata", "golden", "bulk", "two-sources.txt"), []byte(b.String()), "go test ./graph -run TestImportWriterGolden -update")
	if !strings.Contains(strings.Join(files.Args, " "), "--multiline-fields=mentions.csv,entities-ThreatActor.csv") {
		t.Errorf("the files with a line break are not declared multiline: %v", files.Args)
	}
	if got := files.ImportCommand("neo4j"); got != "cd "+dir+" && neo4j-admin database import full neo4j @import.args" {
		t.Errorf("command: %s", got)
	}
}

// TestImportWriterRefuses: a source given twice, an empty list element and
// a directory that holds files are errors, not a wrong import.
func TestImportWriterRefuses(t *testing.T) {
	w, err := NewImportWriter(t.TempDir(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	d := validSources()[0]
	if err := w.Add(d); err != nil {
		t.Fatal(err)
	}
	if err := w.Add(d); err == nil || !strings.Contains(err.Error(), "given twice") {
		t.Errorf("a source twice: %v", err)
	}
	bad := validSources()[1]
	bad.Claims[0].Citations = []string{"a\x1fb"}
	if err := w.Add(bad); err == nil || !strings.Contains(err.Error(), "U+001F") {
		t.Errorf("a list element with the delimiter: %v", err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "x"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := NewImportWriter(dir, time.Now()); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("a directory with a file: %v", err)
	}
}

// TestImportColumnsCoverTheRows: every property the transactional path's
// rows carry has a column in the importer's files (a property without one
// would be lost silently).
func TestImportColumnsCoverTheRows(t *testing.T) {
	cols := func(props []model.Property) map[string]bool {
		out := map[string]bool{}
		for _, c := range propColumns(props) {
			out[c.prop] = true
		}
		return out
	}
	reports := cols(model.ReportProperties)
	for k := range reportProps(model.Source{}, time.Now()) {
		if !reports[k] {
			t.Errorf("report property %q has no column", k)
		}
	}
	if !reports["content_sha256"] {
		t.Error("content_sha256 has no column")
	}
	for _, n := range model.Declared.Nodes {
		entity := cols(append(append([]model.Property{}, model.CommonProperties...), n.Properties...))
		e := model.Entity{Name: "x", Aliases: []string{"y"}, Description: "d", Properties: map[string]any{}}
		for _, p := range n.Properties {
			e.Properties[p.Name] = "v"
		}
		props, _ := entityProps(e)
		for k := range props {
			if !entity[k] {
				t.Errorf("%s property %q has no column", n.Label, k)
			}
		}
	}
	for _, p := range mentionProperties() {
		if mentionPropertyType(p) == "" {
			t.Errorf("MENTIONS property %q has no type", p)
		}
	}
}

// TestDerivedPropsMatchTheRecompute checks derivedProps, case by case,
// against what recomputeEntitiesCypher derives (the integration test
// TestBulkEqualsTransactional compares whole graphs).
func TestDerivedPropsMatchTheRecompute(t *testing.T) {
	e := func(name string, aliases []string, desc string, props map[string]any) model.Entity {
		return model.Entity{Name: name, Aliases: aliases, Description: desc, Properties: props}
	}
	cases := []struct {
		name string
		ms   []bulkMention
		want map[string]any
	}{
		{"no mention", nil, nil},
		{"one mention", []bulkMention{{"report--b", e("APT10", []string{"Stone Panda", "APT10"}, "", nil)}},
			map[string]any{"name": "APT10", "aliases": []string{"Stone Panda"}, "keys": []string{"apt10", "stone panda"}}},
		{"first source by uid wins the name and each property", []bulkMention{
			{"report--b", e("menuPass", []string{"APT10"}, "b's", map[string]any{"external_id": "G0045"})},
			{"report--a", e("APT10", nil, "", map[string]any{"first_seen": "2009"})},
		}, map[string]any{"name": "APT10", "aliases": []string{"menuPass"}, "description": "b's",
			"external_id": "G0045", "first_seen": "2009", "keys": []string{"apt10", "menupass"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := derivedProps(tc.ms)
			for k, v := range got {
				if v == nil {
					delete(got, k)
				}
			}
			if len(got) == 0 && len(tc.want) == 0 {
				return
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	if !NeedsRecompute(model.Entity{Name: "Panda 🐼"}) || NeedsRecompute(model.Entity{Name: "Панда"}) {
		t.Error("NeedsRecompute: want true outside the BMP only")
	}
}

func TestImportField(t *testing.T) {
	for _, tc := range []struct {
		v    any
		want string
	}{
		{nil, ""}, {"", `""`}, {`say "hi"`, `"say ""hi"""`}, {[]string{}, ""}, {[]string{"a", "b"}, "\"a\x1fb\""},
		{true, "true"}, {int64(-3), "-3"},
	} {
		got, err := importField(tc.v)
		if err != nil || got != tc.want {
			t.Errorf("importField(%#v) = %q, %v; want %q", tc.v, got, err, tc.want)
		}
	}
	if _, err := importField(3.5); err == nil {
		t.Error("a float64 (not a declared type) was accepted")
	}
	keys := sortedKeys(map[string]int{"b": 1, "a": 2})
	if !sort.StringsAreSorted(keys) {
		t.Error(keys)
	}
}
