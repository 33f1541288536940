package scripts

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	// licensecheck is the Go team's licence classifier (pkg.go.dev uses
	// it): it names the licence of a text, which a list of file names or a
	// hand-written match could not do reliably.
	"github.com/google/licensecheck"
)

// allowedLicenses may be linked into threatkg (Apache-2.0) and its tests.
var allowedLicenses = map[string]bool{
	"Apache-2.0": true, "MIT": true, "BSD-2-Clause": true, "BSD-3-Clause": true, "ISC": true, "MPL-2.0": true,
	"BSD-3-Clause-Clear": true, "0BSD": true, "Unlicense": true, "CC0-1.0": true,
}

// Every module that the binary or a test builds has a licence file whose
// licence is on the allow-list; THIRD_PARTY.md lists the binary's.
func TestDependencyLicences(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-test", "-f", "{{with .Module}}{{.Path}}\t{{.Dir}}{{end}}", "../...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	seen := map[string]bool{}
	var mods []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if line == "" || seen[line] {
			continue
		}
		seen[line] = true
		mods = append(mods, line)
	}
	sort.Strings(mods)
	checked := 0
	for _, m := range mods {
		path, dir, _ := strings.Cut(m, "\t")
		if path == "github.com/threatkg/threatkg" {
			continue
		}
		if dir == "" {
			t.Errorf("%s: no source in the module cache to read its licence from", path)
			continue
		}
		files, _ := filepath.Glob(filepath.Join(dir, "LICEN[CS]E*"))
		copying, _ := filepath.Glob(filepath.Join(dir, "COPYING*"))
		files = append(files, copying...)
		if len(files) == 0 {
			t.Errorf("%s: no LICENSE or COPYING file", path)
			continue
		}
		var ids []string
		for _, f := range files {
			if strings.Contains(strings.ToLower(filepath.Base(f)), "doc") {
				continue // LICENSE.docs covers a module's documentation, not its code
			}
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, match := range licensecheck.Scan(data).Match {
				ids = append(ids, match.ID)
			}
		}
		if len(ids) == 0 {
			t.Errorf("%s: licence not recognised in %v", path, files)
			continue
		}
		for _, id := range ids {
			if !allowedLicenses[id] {
				t.Errorf("%s: licence %s is not on the allow-list", path, id)
			}
		}
		checked++
	}
	if checked < 10 {
		t.Fatalf("only %d modules checked; the dependency list looks wrong", checked)
	}
	t.Logf("%d modules, every licence on the allow-list", checked)
}

// THIRD_PARTY.md names every module the threatkg binary links.
func TestThirdPartyNoticeListsTheBinarysModules(t *testing.T) {
	notice, err := os.ReadFile("../THIRD_PARTY.md")
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("go", "list", "-deps", "-f", "{{with .Module}}{{.Path}}{{end}}", "../cmd/threatkg").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, path := range strings.Fields(string(out)) {
		if path != "github.com/threatkg/threatkg" && !bytes.Contains(notice, []byte("`"+path+"`")) {
			t.Errorf("THIRD_PARTY.md does not list %s, which the binary links", path)
		}
	}
}
