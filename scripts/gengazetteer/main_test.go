package main

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// The checked-in gazetteers are what the generator writes from the
// catalogues in testdata: change a catalogue, then run
// go run ./scripts/gengazetteer.
func TestGeneratedFilesAreCurrent(t *testing.T) {
	root := filepath.Join("..", "..")
	files, err := Generate(root)
	if err != nil {
		t.Fatal(err)
	}
	onDisk, _ := filepath.Glob(filepath.Join(root, OutDir, "*.tsv"))
	var names []string
	for _, p := range onDisk {
		names = append(names, filepath.Base(p))
	}
	var want []string
	for n := range files {
		want = append(want, n)
	}
	sort.Strings(want)
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("%s holds %v, the generator writes %v", OutDir, names, want)
	}
	for name, data := range files {
		have, err := os.ReadFile(filepath.Join(root, OutDir, name))
		if err != nil {
			t.Errorf("%v: run go run ./scripts/gengazetteer", err)
			continue
		}
		if !bytes.Equal(have, data) {
			t.Errorf("%s/%s is not what the generator writes: run go run ./scripts/gengazetteer", OutDir, name)
		}
	}
}

// What the generator takes from the catalogues, checked on entries anyone
// can look up.
func TestGeneratedEntries(t *testing.T) {
	files, err := Generate(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	row := func(file, prefix string) []string {
		for _, l := range strings.Split(string(files[file]), "\n") {
			if strings.HasPrefix(l, prefix) {
				return strings.Split(l, "\t")
			}
		}
		t.Fatalf("%s has no line starting %q", file, prefix)
		return nil
	}
	// ATT&CK and MISP merged, ids kept, the sponsor country from MISP
	mp := row("actors.tsv", "menuPass\t")
	if !strings.Contains(mp[1], "APT10") || !strings.Contains(mp[2], "attack:G0045") || !strings.Contains(mp[2], "misp:") || mp[3] != "CN" {
		t.Errorf("menuPass: %q", mp)
	}
	// an actor alias that is a malware name is dropped (MISP lists ChChes)
	if strings.Contains(mp[1], "ChChes") {
		t.Errorf("menuPass keeps the malware name ChChes as an alias: %q", mp[1])
	}
	// software: ATT&CK's label, an ordinary word marked
	if ph := row("software.tsv", "Malware\tDerusbi\t"); !strings.Contains(ph[2], "PHOTO") || !strings.Contains(ph[4], "PHOTO") {
		t.Errorf("Derusbi: %q (PHOTO should be an alias, marked as an ordinary word)", ph)
	}
	if mk := row("software.tsv", "Tool\tMimikatz\t"); !strings.Contains(mk[3], "attack:S0002") {
		t.Errorf("Mimikatz: %q", mk)
	}
	if cs := row("software.tsv", "Malware\tCobalt Strike\t"); !strings.Contains(cs[5], "Cobalt Strike") {
		t.Errorf("Cobalt Strike: %q (a name of ordinary words, matched only as written)", cs)
	}
	// places: demonyms from world-countries, regions from STIX's vocabulary
	if cn := row("countries.tsv", "CN\t"); cn[1] != "China" || !strings.Contains(cn[3], "Chinese") {
		t.Errorf("China: %q", cn)
	}
	if !strings.Contains(string(files["regions.tsv"]), "\nMiddle East\tMiddle Eastern\n") {
		t.Error("regions.tsv lacks Middle East (STIX region-ov)")
	}
	if !strings.Contains(string(files["vendors.tsv"]), "\nMandiant\n") {
		t.Error("vendors.tsv lacks Mandiant, which ATT&CK cites hundreds of times")
	}
	if !strings.Contains(string(files["techniques.tsv"]), "T1199\tTrusted Relationship\n") {
		t.Error("techniques.tsv lacks T1199 Trusted Relationship")
	}
}
