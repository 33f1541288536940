package main

import (
	"testing"
)

// TestBenchRefusesADatabaseWithData: bench wipes the database, so it asks
// for --yes when the database holds anything; and it checks its flags.
func TestBenchUsage(t *testing.T) {
	for _, args := range [][]string{
		{"bench", "--size", "XL"},
		{"bench", "--runs", "0"},
		{"bench", "generate", "--size", "S"},
	} {
		code, _, errOut := runCLI(t, map[string]string{}, "", args...)
		if code != exitUsage {
			t.Errorf("%v: exit %d, want %d: %s", args, code, exitUsage, errOut)
		}
	}
}
