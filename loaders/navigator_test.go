package loaders

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/threatkg/threatkg/graph/model"
)

func use(subject, id, via, source string) model.TechniqueUse {
	return model.TechniqueUse{Subject: subject, SubjectLabel: model.LabelThreatActor, TechniqueID: id, Technique: "Technique " + id,
		TechniqueURL: "https://attack.mitre.org/techniques/" + strings.ReplaceAll(id, ".", "/"), Via: via, Evidence: "uses " + id,
		Source: "report--" + source, SourceTitle: "Report " + source}
}

func TestNavigatorLayer(t *testing.T) {
	now := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	one := NavigatorLayer([]model.TechniqueUse{
		use("APT10", "T1199", "directly", "a"), use("APT10", "T1199", "software: PlugX", "b"), use("APT10", "T1003.002", "directly", "a"),
	}, "18.1", now)
	data, err := WriteNavigatorLayer(one)
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckNavigatorLayer(data); err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	if one.Versions.Attack != "18" || one.Name != "APT10" || len(one.Techniques) != 2 || one.Gradient.MaxValue != 2 {
		t.Errorf("layer %+v", one)
	}
	byID := map[string]LayerTechnique{}
	for _, lt := range one.Techniques {
		byID[lt.TechniqueID] = lt
	}
	t1199 := byID["T1199"]
	if t1199.Score != 2 || !strings.Contains(t1199.Comment, "APT10 (directly; software: PlugX)") || len(t1199.Links) != 1 {
		t.Errorf("T1199: %+v", t1199)
	}
	var sources []string
	for _, m := range t1199.Metadata {
		if m.Name == "source" {
			sources = append(sources, m.Value)
		}
	}
	if len(sources) != 2 || sources[0] != "Report a (report--a)" {
		t.Errorf("T1199 cites %q", sources)
	}

	// Several subjects: the score is the overlap.
	two := NavigatorLayer([]model.TechniqueUse{
		use("APT10", "T1199", "directly", "a"), use("APT10", "T1199", "directly", "b"), use("APT41", "T1199", "directly", "c"),
		use("APT41", "T1059", "directly", "c"), {Subject: "Quiet Group", SubjectLabel: model.LabelThreatActor},
	}, "", now)
	data, _ = WriteNavigatorLayer(two)
	if err := CheckNavigatorLayer(data); err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	scores := map[string]int{}
	for _, lt := range two.Techniques {
		scores[lt.TechniqueID] = lt.Score
	}
	if scores["T1199"] != 2 || scores["T1059"] != 1 || two.Name != "APT10 + APT41 + Quiet Group" || two.Versions.Attack != "" {
		t.Errorf("overlap: scores %v, name %q, versions %+v", scores, two.Name, two.Versions)
	}

	// Many claims: the first ones are cited, the rest counted.
	var many []model.TechniqueUse
	for i := 0; i < 15; i++ {
		many = append(many, use("APT10", "T1199", "directly", fmt.Sprint(i)))
	}
	meta := NavigatorLayer(many, "", now).Techniques[0].Metadata
	if last := meta[len(meta)-1]; last.Name != "more" || !strings.HasPrefix(last.Value, "5 more claims") {
		t.Errorf("last metadata %+v", last)
	}
}

// TestCheckNavigatorLayerRejects: the checker itself fails on what the
// format forbids.
func TestCheckNavigatorLayerRejects(t *testing.T) {
	for _, bad := range []string{
		`{"name": "x", "domain": "enterprise-attack", "versions": {"navigator": "5.2.0", "layer": "4.4"}}`,
		`{"name": "x", "domain": "attack", "versions": {"navigator": "5.2.0", "layer": "4.5"}}`,
		`{"domain": "enterprise-attack", "versions": {"navigator": "5.2.0", "layer": "4.5"}}`,
		`{"name": "x", "domain": "enterprise-attack", "versions": {"navigator": "4.8.0", "layer": "4.5"}}`,
		`{"name": "x", "domain": "enterprise-attack", "techniques": [{"techniqueID": "1199"}]}`,
		`{"name": "x", "domain": "enterprise-attack", "techniques": [{"techniqueID": "T1199", "score": "2"}]}`,
		`{"name": "x", "domain": "enterprise-attack", "techniques": [{"techniqueID": "T1199", "metadata": [{"name": "a"}]}]}`,
		`{"name": "x", "domain": "enterprise-attack", "hideDisable": true}`,
		`{"name": "x", "domain": "enterprise-attack", "gradient": {"colors": ["#fff"], "minValue": 0, "maxValue": 1}}`,
	} {
		if CheckNavigatorLayer([]byte(bad)) == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}
