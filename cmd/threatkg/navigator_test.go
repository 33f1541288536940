package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/threatkg/threatkg/graph/graphtest"
	"github.com/threatkg/threatkg/graph/model"
	"github.com/threatkg/threatkg/loaders"
)

const attackSubset = "../../testdata/stix/attack/enterprise-attack-subset.json.gz"

func layerOf(t *testing.T, data []byte) loaders.Layer {
	t.Helper()
	if err := loaders.CheckNavigatorLayer(data); err != nil {
		t.Fatal(err)
	}
	var l loaders.Layer
	if err := json.Unmarshal(data, &l); err != nil {
		t.Fatal(err)
	}
	return l
}

// TestNavigatorExport: the layer of an actor has the techniques
// actor-techniques lists for it, in the Navigator's format; several actors
// give their overlap; a campaign works too.
func TestNavigatorExport(t *testing.T) {
	graphtest.OpenClean(t)
	env := envOf(graphtest.Get(t).Config)
	for _, src := range []string{attackSubset, seedArticle} {
		if code, _, errOut := runCLI(t, env, "", "load", src); code != exitOK {
			t.Fatalf("load %s: exit %d: %s", src, code, errOut)
		}
	}
	distinct := func(actor string) map[string]bool {
		ids := map[string]bool{}
		for _, r := range queryJSON(t, env, "actor-techniques", "--param", "actor="+actor) {
			ids[r["technique_id"].(string)] = true
		}
		return ids
	}
	out := filepath.Join(t.TempDir(), "apt10.json")
	code, _, errOut := runCLI(t, env, "", "export", "--format", "navigator", "--param", "actor=APT10", "-o", out)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	apt10 := layerOf(t, data)
	want := distinct("APT10")
	if len(apt10.Techniques) != len(want) || len(want) < 40 || apt10.Name != "menuPass" {
		t.Fatalf("%d techniques in the layer of %q, actor-techniques lists %d", len(apt10.Techniques), apt10.Name, len(want))
	}
	for _, lt := range apt10.Techniques {
		cites := false
		for _, m := range lt.Metadata {
			cites = cites || m.Name == "source" && strings.Contains(m.Value, "report--")
		}
		if !want[lt.TechniqueID] || lt.Score < 1 || !cites || !strings.Contains(lt.Comment, "menuPass (") {
			t.Errorf("technique %+v", lt)
		}
	}

	code, overlap, errOut := runCLI(t, env, "", "export", "--format", "navigator", "--param", "actor=APT10", "--param", "actor=APT41")
	if code != exitOK {
		t.Fatalf("overlap: exit %d: %s", code, errOut)
	}
	both := layerOf(t, []byte(overlap))
	a41 := distinct("APT41")
	shared, union := 0, map[string]bool{}
	for id := range want {
		union[id] = true
		if a41[id] {
			shared++
		}
	}
	for id := range a41 {
		union[id] = true
	}
	twos := 0
	for _, lt := range both.Techniques {
		if lt.Score == 2 {
			twos++
		}
	}
	if len(both.Techniques) != len(union) || twos != shared || shared == 0 || both.Gradient.MaxValue != 2 {
		t.Errorf("overlap: %d techniques (union %d), %d scored 2 (shared %d)", len(both.Techniques), len(union), twos, shared)
	}

	code, campaign, errOut := runCLI(t, env, "", "export", "--format", "navigator", "--param", "campaign=Operation Wocao")
	if code != exitOK || len(layerOf(t, []byte(campaign)).Techniques) < 50 {
		t.Errorf("campaign: exit %d: %s", code, errOut)
	}

	for _, tt := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"export", "--format", "navigator", "--param", "actor=Nobody At All"}, exitUsage, `no threat actor or campaign is called "Nobody At All"`},
		{[]string{"export", "--format", "navigator"}, exitUsage, "needs --param actor=NAME"},
		{[]string{"export", "--format", "navigator", "--param", "sector=x"}, exitUsage, "give actor=NAME or campaign=NAME"},
		{[]string{"export", "--format", "navigator", "--param", "actor=APT10", "--source", "report--x"}, exitUsage, "--source is for --format stix"},
		{[]string{"export", "--param", "actor=APT10"}, exitUsage, "--param is for --format navigator"},
	} {
		code, out, errOut := runCLI(t, env, "", tt.args...)
		if code != tt.code || !strings.Contains(errOut, tt.says) || out != "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want %d saying %q", tt.args, code, out, errOut, tt.code, tt.says)
		}
	}
}

// TestRunExportNavigator: the run function with a fake graph: what it asks
// for, what it writes, and that the flags of one format are refused with
// the other (before connecting).
func TestRunExportNavigator(t *testing.T) {
	f := &fakeGraph{attack: "18.1", coverage: map[string][]model.TechniqueUse{
		"APT10": {{Subject: "menuPass", SubjectLabel: model.LabelThreatActor, TechniqueID: "T1199", Technique: "Trusted Relationship",
			Via: "directly", Evidence: "menuPass used MSPs", Source: "report--a", SourceTitle: "ATT&CK"}},
	}}
	r := runFake(t, f, nil, false, "export", "--format", "navigator", "--param", "actor=APT10")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.errOut)
	}
	l := layerOf(t, []byte(r.out))
	if l.Name != "menuPass" || l.Versions.Attack != "18" || len(l.Techniques) != 1 || !strings.Contains(r.errOut, "exported 1 techniques of menuPass") {
		t.Errorf("layer %+v\n%s", l, r.errOut)
	}
	if r := runFake(t, f, nil, false, "export", "--format", "navigator", "--param", "actor=Nobody"); r.code != exitUsage || !strings.Contains(r.errOut, `"Nobody"`) {
		t.Errorf("unknown actor: exit %d: %s", r.code, r.errOut)
	}
	calls := len(f.calls)
	if r := runFake(t, f, nil, false, "export", "--param", "actor=APT10"); r.code != exitUsage || len(f.calls) != calls {
		t.Errorf("--param with stix: exit %d, calls %v", r.code, f.calls[calls:])
	}
}
