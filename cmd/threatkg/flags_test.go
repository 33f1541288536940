package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
)

// parseWith runs a command built by newCmd on args with a runF that only
// records the options the flags parsed to; no server is involved.
func parseWith[T any](t *testing.T, newCmd func(*globalOptions, func(context.Context, *T) error) *cobra.Command, args ...string) (*T, error) {
	t.Helper()
	var got *T
	g := &globalOptions{io: ioStreams{Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}, getenv: func(string) string { return "" }}
	cmd := newCmd(g, func(_ context.Context, o *T) error { got = o; return nil })
	cmd.SetArgs(args)
	cmd.SetOut(&bytes.Buffer{})
	cmd.SetErr(&bytes.Buffer{})
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	err := cmd.Execute()
	return got, err
}

func TestLoadFlags(t *testing.T) {
	tests := []struct {
		args    []string
		want    string
		wantErr string
	}{
		{[]string{"a", "b"}, "paths=[a b] dry=false batch=5000 tx=50000 format=table timings=false recursive=false", ""},
		{[]string{"--dry-run", "--batch-size", "10", "--transaction-rows", "99", "--format", "json", "--timings", "--recursive", "d"},
			"paths=[d] dry=true batch=10 tx=99 format=json timings=true recursive=true", ""},
		{[]string{}, "", "requires at least 1 arg"},
		{[]string{"--format", "csv", "x"}, "", "want one of: table, json"},
		{[]string{"--batch-size", "ten", "x"}, "", "invalid argument"},
	}
	for _, tt := range tests {
		o, err := parseWith(t, newLoadCmd, tt.args...)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%q: err %v, want %q", tt.args, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%q: %v", tt.args, err)
		}
		got := fmt.Sprintf("paths=%v dry=%v batch=%d tx=%d format=%s timings=%v recursive=%v", o.paths, o.dryRun, o.batchSize, o.txRows, o.format, o.timings, o.recursive)
		if got != tt.want {
			t.Errorf("%q:\n got %s\nwant %s", tt.args, got, tt.want)
		}
	}
}

func TestQueryFlags(t *testing.T) {
	o, err := parseWith(t, newQueryCmd, "actor-profile", "--param", "actor=APT10", "--param", "limit=5", "--format", "csv", "--timeout", "3s")
	if err != nil {
		t.Fatal(err)
	}
	if o.name != "actor-profile" || strings.Join(o.params, ",") != "actor=APT10,limit=5" || o.format != "csv" || o.timeout != 3*time.Second {
		t.Errorf("parsed %+v", *o)
	}
	o, err = parseWith(t, newQueryCmd, "-e", "RETURN 1", "--browser", "--cypher")
	if err != nil || o.execute != "RETURN 1" || !o.browser || !o.cypher || o.name != "" {
		t.Errorf("ad hoc: %v %+v", err, o)
	}
	if _, err := parseWith(t, newQueryCmd, "--format", "xml"); err == nil {
		t.Error("--format xml was accepted")
	}
}

func TestExportResolveDoctorExtractFlags(t *testing.T) {
	e, err := parseWith(t, newExportCmd, "--source", "report--1", "--source", "report--2", "-o", "out.json")
	if err != nil || strings.Join(e.sources, ",") != "report--1,report--2" || e.output != "out.json" || e.format != "stix" {
		t.Errorf("export: %v %+v", err, e)
	}
	r, err := parseWith(t, newResolveCmd, "--explain", "APT10", "--format", "json")
	if err != nil || r.explain != "APT10" || r.format != "json" || r.undo != "" {
		t.Errorf("resolve: %v %+v", err, r)
	}
	d, err := parseWith(t, newDoctorCmd, "--format", "json")
	if err != nil || d.format != "json" {
		t.Errorf("doctor: %v %+v", err, d)
	}
	x, err := parseWith(t, newExtractCmd, "story.txt", "--no-graph", "--date", "2020-09-16", "--publisher", "DOJ", "-o", "d.yaml")
	if err != nil || x.path != "story.txt" || !x.noGraph || x.date != "2020-09-16" || x.publisher != "DOJ" || x.output != "d.yaml" || x.format != formatYAML {
		t.Errorf("extract: %v %+v", err, x)
	}
	x, err = parseWith(t, newExtractCmd, "--eval-corpus", "testdata/annoctr/dev")
	if err != nil || x.corpus != "testdata/annoctr/dev" || x.path != "" || x.format != formatTable {
		t.Errorf("extract --eval-corpus: %v %+v", err, x)
	}
	if _, err := parseWith(t, newExtractCmd, "--eval-corpus", "dir", "extra.txt"); err == nil {
		t.Error("extract --eval-corpus took a text argument too")
	}
}

// TestStatsResetSchemaBenchFlags: the runF hooks of the other commands get
// the options their flags parse to.
func TestStatsResetSchemaBenchFlags(t *testing.T) {
	if o, err := parseWith(t, newStatsCmd, "--format", "json"); err != nil || o.format != formatJSON {
		t.Errorf("stats: %+v, %v", o, err)
	}
	if _, err := parseWith(t, newStatsCmd, "--format", "csv"); err == nil {
		t.Error("stats --format csv was accepted")
	}
	if o, err := parseWith(t, newResetCmd); err != nil || o.yes {
		t.Errorf("reset: %+v, %v", o, err)
	}
	if o, err := parseWith(t, newResetCmd, "--yes"); err != nil || !o.yes {
		t.Errorf("reset --yes: %+v, %v", o, err)
	}
	if o, err := parseWith(t, newSchemaCmd, "apply"); err != nil || o == nil || o.global == nil {
		t.Errorf("schema apply: %+v, %v", o, err)
	}
	o, err := parseWith(t, newBenchCmd, "--size", "M", "--runs", "7", "--warmup", "0", "--query-budget", "5s", "--yes", "--format", "json")
	if err != nil || o.size != "M" || o.runs != 7 || o.warmup != 0 || o.budget != 5*time.Second || !o.yes || o.format != formatJSON {
		t.Errorf("bench: %+v, %v", o, err)
	}
}
