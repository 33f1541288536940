package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/threatkg/threatkg/graph/graphtest"
	"github.com/threatkg/threatkg/graph/model"
)

// TestIndicatorsLoadAndLookUp loads indicators and observables tied to
// ATT&CK's menuPass and asks the SOC analyst's question: which actor is
// this value tied to, and who says so? Values are given defanged and in
// the wrong case; a second load changes nothing.
func TestIndicatorsLoadAndLookUp(t *testing.T) {
	env := loadSeed(t)
	c := graphtest.Open(t)
	for _, f := range []string{menupassBundle, iocBundle} {
		if code, _, errOut := runCLI(t, env, "", "load", f); code != exitOK {
			t.Fatalf("load %s: exit %d: %s", f, code, errOut)
		}
	}
	tied := func(value string) map[string]string {
		got := map[string]string{}
		for _, r := range queryJSON(t, env, "observable-actors", "--param", "value="+value) {
			got[r["tied_to"].(string)] = r["via"].(string) + " | " + r["source"].(string)
		}
		return got
	}
	for _, tc := range []struct {
		value string
		want  map[string]string
	}{
		{"198.51.100[.]10", map[string]string{"menuPass": "indicator | STIX bundle menupass-iocs.json"}},
		{"hxxp://Update.C2[.]Example/news.php", map[string]string{"PlugX": "indicator | STIX bundle menupass-iocs.json",
			"menuPass": "uses PlugX | MITRE ATT&CK data menupass.json"}},
		{"UPDATE.C2.EXAMPLE", map[string]string{"PlugX": "indicator | STIX bundle menupass-iocs.json",
			"menuPass": "uses PlugX | MITRE ATT&CK data menupass.json"}},
		{"AA3D6B4B2B6F1F8C0E5C6A4D9E8F7A6B5C4D3E2F1A0B9C8D7E6F5A4B3C2D1E0F", map[string]string{"RedLeaves": "indicator | STIX bundle menupass-iocs.json",
			"menuPass": "uses RedLeaves | MITRE ATT&CK data menupass.json"}},
		{"hr-recruiting@c2[.]example", map[string]string{"menuPass": "related to | STIX bundle menupass-iocs.json"}},
		{"198.51.100.11", map[string]string{}},
	} {
		got := tied(tc.value)
		if len(got) != len(tc.want) {
			t.Errorf("%s: tied to %v, want %v", tc.value, got, tc.want)
			continue
		}
		for k, v := range tc.want {
			if got[k] != v {
				t.Errorf("%s: %s is %q, want %q", tc.value, k, got[k], v)
			}
		}
	}
	// The domain resolves to the address (resolves_to_refs).
	rows := queryJSON(t, env, "provenance", "--param", "name=update.c2.example")
	found := false
	for _, r := range rows {
		if strings.Contains(fmt.Sprint(r), model.RelResolvesTo) {
			found = true
		}
	}
	if !found {
		t.Errorf("provenance of the domain shows no RESOLVES_TO: %v", rows)
	}
	// Not a value: a usage error naming what is accepted.
	code, _, errOut := runCLI(t, env, "", "query", "observable-actors", "--param", "value=APT10")
	if code != exitUsage || !strings.Contains(errOut, "not an IP address, domain, URL, e-mail address or MD5/SHA-1/SHA-256/SHA-512 hash") {
		t.Errorf("value=APT10: exit %d, %s", code, errOut)
	}

	before := graphtest.Fingerprint(t, c, "loaded_at")
	if code, _, errOut := runCLI(t, env, "", "load", iocBundle); code != exitOK {
		t.Fatalf("second load: exit %d: %s", code, errOut)
	}
	if graphtest.Fingerprint(t, c, "loaded_at") != before {
		t.Error("a second load of the indicators changed the graph")
	}
}
