// Package stixtest runs OASIS's STIX 2.1 validator, stix2-validator (a
// Python package), on what threatkg writes. 'make python-tools' installs
// the pinned version into .venv-tools/ (or THREATKG_STIX2_VALIDATOR names
// the stix2_validator executable). Without it, tests skip, unless
// THREATKG_REQUIRE_STIX_VALIDATOR=1 (make test and CI set it), which makes
// them fail instead.
package stixtest

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/threatkg/threatkg/internal/pytools"
)

// Finding is one warning or error of the validator.
type Finding struct {
	Object string // the id the validator names, if any
	Code   string // the best-practice check's number ({401}: "401"); "" for an error
	Msg    string
}

// Report is what the validator says of a file.
type Report struct {
	Valid    bool
	Errors   []Finding
	Warnings []Finding
	Output   string
}

var (
	warningLine = regexp.MustCompile(`^\s*\[!\] Warning: (?:(\S+): )?\{(\d+)\} (.*)$`)
	errorLine   = regexp.MustCompile(`^\s*\[X\] (?:(\S+--\S+): )?(.*)$`)
)

// Validate writes data to a file and runs stix2_validator on it.
func Validate(t testing.TB, data []byte) Report {
	t.Helper()
	bin, ok := pytools.Find("THREATKG_STIX2_VALIDATOR", "stix2_validator")
	if !ok {
		if os.Getenv("THREATKG_REQUIRE_STIX_VALIDATOR") == "1" {
			t.Fatal("stix2-validator is not installed: run 'make python-tools' (THREATKG_REQUIRE_STIX_VALIDATOR=1)")
		}
		t.Skip("stix2-validator is not installed: run 'make python-tools'")
	}
	path := filepath.Join(t.TempDir(), "export.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	// --no-cache: the validator would otherwise try to fetch external
	// sources' values over the network.
	cmd := exec.Command(bin, "--no-cache", path)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("run %s: %v", bin, err)
	}
	r := Report{Output: out.String()}
	for _, line := range strings.Split(r.Output, "\n") {
		switch {
		case strings.Contains(line, "[+] STIX JSON: Valid"):
			r.Valid = true
		case warningLine.MatchString(line):
			m := warningLine.FindStringSubmatch(line)
			r.Warnings = append(r.Warnings, Finding{Object: m[1], Code: m[2], Msg: m[3]})
		case errorLine.MatchString(line) && !strings.Contains(line, "STIX JSON: Invalid"):
			m := errorLine.FindStringSubmatch(line)
			r.Errors = append(r.Errors, Finding{Object: m[1], Msg: m[2]})
		}
	}
	if err != nil && len(r.Errors) == 0 {
		r.Errors = append(r.Errors, Finding{Msg: "stix2_validator exited " + err.Error() + ":\n" + r.Output})
	}
	if !r.Valid && len(r.Errors) == 0 {
		r.Errors = append(r.Errors, Finding{Msg: "stix2_validator did not say the file is valid:\n" + r.Output})
	}
	return r
}

// Counts are the warnings by check number.
func (r Report) Counts() map[string]int {
	n := map[string]int{}
	for _, w := range r.Warnings {
		n[w.Code]++
	}
	return n
}
