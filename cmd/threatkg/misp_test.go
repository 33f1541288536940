package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/threatkg/threatkg/graph/graphtest"
)

const threatActorGalaxy = "../../testdata/catalogues/misp-galaxy/threat-actor.json.gz"

// TestMISPGalaxyJoinsATTACKAndTheArticle: after the seed article, the
// Enterprise ATT&CK subset and the threat-actor galaxy, MISP's APT10
// cluster is the article's APT10 (same name) and resolution links it to
// ATT&CK's menuPass; "Stone Panda" has one profile with the article's
// members, ATT&CK's techniques and MISP's victims and sponsor, the galaxy
// among its sources. A second load of the galaxy changes nothing.
func TestMISPGalaxyJoinsATTACKAndTheArticle(t *testing.T) {
	c := graphtest.OpenClean(t)
	env := envOf(graphtest.Get(t).Config)
	for _, src := range []string{seedArticle, attackSubset, threatActorGalaxy} {
		if code, _, errOut := runCLI(t, env, "", "load", src); code != exitOK {
			t.Fatalf("load %s: exit %d: %s", src, code, errOut)
		}
	}
	_, out, _ := runCLI(t, env, "", "resolve", "--explain", "APT10")
	if !strings.Contains(out, "menuPass") || !strings.Contains(out, `"apt10"`) {
		t.Errorf("resolve --explain APT10:\n%s", out)
	}
	rows := queryJSON(t, env, "actor-profile", "--param", "actor=Stone Panda", "--param", "top=100")
	if len(rows) != 1 {
		t.Fatalf("actor-profile Stone Panda: %d rows: %v", len(rows), rows)
	}
	var victims []string
	for _, v := range rows[0]["victims"].([]any) {
		victims = append(victims, v.(string))
	}
	joined := strings.Join(victims, "; ")
	if !strings.Contains(joined, "Japan") || !strings.Contains(joined, "Sweden") {
		t.Errorf("victims lack MISP's Japan and Sweden: %s", joined)
	}
	// One profile: the article's members, ATT&CK's techniques, MISP's
	// sponsor country, with the galaxy among its sources.
	profile := rows[0]
	list := func(col string) string {
		var out []string
		for _, v := range profile[col].([]any) {
			out = append(out, fmt.Sprint(v))
		}
		return strings.Join(out, "; ")
	}
	if !strings.Contains(list("members"), "Zhu Hua") || profile["techniques_count"].(float64) < 40 ||
		!strings.Contains(list("sponsors"), "China") || !strings.Contains(list("sources"), "MISP galaxy Threat Actor") {
		t.Errorf("the profile lacks the article's members, ATT&CK's techniques or MISP's sponsor and source: %v", profile)
	}
	prov := queryJSON(t, env, "provenance", "--param", "name=APT10")
	found := false
	for _, r := range prov {
		for _, v := range r {
			if s, ok := v.(string); ok && strings.Contains(s, "MISP galaxy Threat Actor") {
				found = true
			}
		}
	}
	if !found {
		t.Errorf("provenance of APT10 does not name the galaxy: %v", prov)
	}
	before := graphtest.Fingerprint(t, c, "loaded_at")
	if code, _, errOut := runCLI(t, env, "", "load", threatActorGalaxy); code != exitOK {
		t.Fatalf("load again: exit %d: %s", code, errOut)
	}
	if graphtest.Fingerprint(t, c, "loaded_at") != before {
		t.Error("loading the galaxy again changed the graph")
	}
}

const sednitEvent = "../../testdata/misp/sednit-2017-12-21.json"

// TestMISPEventTiesIndicatorsToATTACK: CIRCL's Sednit event, after ATT&CK.
// Its domains and addresses lead to its actor, which resolution makes
// ATT&CK's APT28; APT28's indicators are the event's; a second load
// changes nothing.
func TestMISPEventTiesIndicatorsToATTACK(t *testing.T) {
	c := graphtest.OpenClean(t)
	env := envOf(graphtest.Get(t).Config)
	for _, src := range []string{attackSubset, sednitEvent} {
		if code, _, errOut := runCLI(t, env, "", "load", src); code != exitOK {
			t.Fatalf("load %s: exit %d: %s", src, code, errOut)
		}
	}
	const title = "OSINT - Sednit update: How Fancy Bear Spent the Year"
	for _, value := range []string{"movieultimate[.]com", "87.236.211[.]182"} {
		rows := queryJSON(t, env, "observable-actors", "--param", "value="+value)
		found := false
		for _, r := range rows {
			if r["tied_to"] == "Sofacy" && r["tied_type"] == "ThreatActor" && r["source"] == title && r["via"] == "indicator" {
				found = true
			}
		}
		if !found {
			t.Errorf("%s is not tied to Sofacy by the event: %v", value, rows)
		}
	}
	_, out, _ := runCLI(t, env, "", "resolve", "--explain", "Sofacy")
	if !strings.Contains(out, "APT28") {
		t.Errorf("resolve --explain Sofacy does not show ATT&CK's APT28:\n%s", out)
	}
	rows := queryJSON(t, env, "actor-indicators", "--param", "actor=APT28")
	n := 0
	for _, r := range rows {
		if r["source"] == title {
			n++
		}
	}
	if n != 56 {
		t.Errorf("APT28 has %d of the event's 56 indicators (%d rows)", n, len(rows))
	}
	before := graphtest.Fingerprint(t, c, "loaded_at")
	if code, _, errOut := runCLI(t, env, "", "load", sednitEvent); code != exitOK {
		t.Fatalf("load again: %s", errOut)
	}
	if graphtest.Fingerprint(t, c, "loaded_at") != before {
		t.Error("loading the event again changed the graph")
	}
}
