package main

import (
	"testing"
	"time"
)

func TestPercentileMS(t *testing.T) {
	var lat []time.Duration
	for i := 100; i >= 1; i-- { // 1..100 ms, unsorted
		lat = append(lat, time.Duration(i)*time.Millisecond)
	}
	for _, c := range []struct {
		p    int
		want float64
	}{{50, 50}, {95, 95}, {99, 99}, {100, 100}, {1, 1}} {
		if got := percentileMS(lat, c.p); got != c.want {
			t.Errorf("p%d = %v ms, want %v", c.p, got, c.want)
		}
	}
	if got := percentileMS([]time.Duration{7 * time.Millisecond}, 99); got != 7 {
		t.Errorf("one run: p99 = %v", got)
	}
	if got := percentileMS(nil, 50); got != 0 {
		t.Errorf("no runs: %v", got)
	}
	if lat[0] != 100*time.Millisecond {
		t.Error("percentileMS sorted its input in place")
	}
}

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
