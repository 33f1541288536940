package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/threatkg/threatkg/graph"
	"github.com/threatkg/threatkg/queries"
)

// runCLI runs the command line as main does and returns exit code, stdout
// and stderr.
func runCLI(t *testing.T, env map[string]string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	if env == nil {
		env = noServerEnv
	}
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, ioStreams{In: strings.NewReader(stdin), Out: &out, ErrOut: &errOut},
		func(k string) string { return env[k] })
	return code, out.String(), errOut.String()
}

// noServerEnv is the environment of a test that must not reach any
// server: a closed port on loopback, so that a command that connects by
// mistake fails (exit 3) instead of talking to whatever listens on the
// default localhost:7687.
var noServerEnv = map[string]string{"NEO4J_URI": "bolt://127.0.0.1:1", "NEO4J_USERNAME": "neo4j", "NEO4J_PASSWORD": "not-a-server"}

func TestExitCode(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"success", nil, exitOK},
		{"runtime error in a command", &commandError{err: errors.New("boom")}, exitError},
		{"usage error in a command", &commandError{err: usageErrorf("bad --format")}, exitUsage},
		{"cobra parse error", errors.New(`unknown command "x" for "threatkg"`), exitUsage},
		{"unreachable", &commandError{err: fmt.Errorf("doctor: %w", &graph.ConnectError{Kind: graph.Unreachable})}, exitUnavailable},
		{"auth", &commandError{err: &graph.ConnectError{Kind: graph.AuthFailed}}, exitUnavailable},
		{"no database", &commandError{err: &graph.ConnectError{Kind: graph.DatabaseNotFound}}, exitUnavailable},
		{"invalid uri", &commandError{err: &graph.ConnectError{Kind: graph.InvalidConfig}}, exitUsage},
	}
	for _, tt := range tests {
		if got := exitCode(tt.err); got != tt.want {
			t.Errorf("%s: exitCode = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestConfigPrecedence(t *testing.T) {
	env := map[string]string{graph.EnvURI: "bolt://env:7687", graph.EnvUsername: "envuser", graph.EnvPassword: "envpw", graph.EnvDatabase: "envdb"}
	tests := []struct {
		name  string
		opts  globalOptions
		stdin string
		want  graph.Config
	}{
		{"environment", globalOptions{}, "", graph.Config{URI: "bolt://env:7687", Username: "envuser", Password: "envpw", Database: "envdb"}},
		{"flags win", globalOptions{uri: "neo4j://flag", username: "flaguser", database: "flagdb"}, "",
			graph.Config{URI: "neo4j://flag", Username: "flaguser", Password: "envpw", Database: "flagdb"}},
		{"password from stdin", globalOptions{passwordStdin: true}, "s3cret\r\nignored\n",
			graph.Config{URI: "bolt://env:7687", Username: "envuser", Password: "s3cret", Database: "envdb"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := tt.opts
			g.getenv = func(k string) string { return env[k] }
			g.io = ioStreams{In: strings.NewReader(tt.stdin)}
			got, err := g.config()
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestUsageErrorsExit2(t *testing.T) {
	tests := []struct {
		args    []string
		stdin   string
		wantErr string
	}{
		{[]string{"nosuchcommand"}, "", `unknown command "nosuchcommand"`},
		{[]string{"doctor", "--bogus"}, "", "unknown flag: --bogus"},
		{[]string{"doctor", "extra-arg"}, "", "unknown command"},
		{[]string{"doctor", "--format", "xml"}, "", `invalid argument "xml" for "--format" flag: want one of: table, json`},
		{[]string{"--uri", "http://localhost:7474", "doctor"}, "", `unsupported scheme "http"`},
		{[]string{"--password-stdin", "doctor"}, "", "standard input is empty"},
		{[]string{"--password", "secret", "doctor"}, "", "unknown flag: --password"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errOut := runCLI(t, nil, tt.stdin, tt.args...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d", code, exitUsage)
			}
			if !strings.Contains(errOut, tt.wantErr) {
				t.Errorf("stderr %q does not contain %q", errOut, tt.wantErr)
			}
			if strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
				t.Errorf("stderr is not one line: %q", errOut)
			}
			if out != "" {
				t.Errorf("stdout not empty: %q", out)
			}
		})
	}
}

func TestVersionAndHelp(t *testing.T) {
	code, out, _ := runCLI(t, nil, "", "--version")
	if code != 0 || !strings.HasPrefix(out, "threatkg ") {
		t.Errorf("--version: exit %d, out %q", code, out)
	}
	code, out, _ = runCLI(t, nil, "", "--help")
	for _, want := range []string{"NEO4J_URI", "NEO4J_PASSWORD", "--password-stdin", "doctor", "Exit codes"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("--help (exit %d) does not mention %s", code, want)
		}
	}
}

func TestParseParams(t *testing.T) {
	tests := []struct {
		in      []string
		want    map[string]string
		wantErr string
	}{
		{[]string{"actor=APT10"}, map[string]string{"actor": "APT10"}, ""},
		{[]string{" actor =x=y"}, map[string]string{"actor": "x=y"}, ""},
		{[]string{" actor=x", "actor=y"}, nil, "given twice"},
		{[]string{"actor"}, nil, "want key=value"},
		{[]string{" =x"}, nil, "want key=value"},
	}
	for _, tt := range tests {
		got, err := queries.ParseParams(tt.in)
		switch {
		case tt.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%q: err %v, want %q", tt.in, err, tt.wantErr)
			}
		case err != nil:
			t.Errorf("%q: %v", tt.in, err)
		case fmt.Sprint(got) != fmt.Sprint(tt.want):
			t.Errorf("%q: %v, want %v", tt.in, got, tt.want)
		}
	}
	// ad-hoc queries too: a duplicate is refused before connecting
	if code, _, errOut := runCLI(t, nil, "", "query", "-e", "RETURN $a", "--param", " a=1", "--param", "a=2"); code != exitUsage || !strings.Contains(errOut, "given twice") {
		t.Errorf("ad-hoc duplicate: exit %d, %q", code, errOut)
	}
}

// --format is an enum: checked when flags are parsed, listed in --help,
// completed by the shell.
func TestFormatFlagIsAnEnum(t *testing.T) {
	for _, tt := range []struct {
		cmd     string
		formats string
	}{{"stats", "table|json"}, {"query", "table|json|csv"}, {"load", "table|json"}, {"export", "stix"}, {"extract", "yaml|json|table"}} {
		_, out, _ := runCLI(t, nil, "", tt.cmd, "--help")
		if !strings.Contains(out, "--format "+tt.formats) {
			t.Errorf("%s --help does not list --format %s:\n%s", tt.cmd, tt.formats, out)
		}
		code, out, _ := runCLI(t, nil, "", "__complete", tt.cmd, "--format", "")
		for _, f := range strings.Split(tt.formats, "|") {
			if code != exitOK || !strings.Contains(out, f+"\n") {
				t.Errorf("%s: completion of --format lacks %s: exit %d, %q", tt.cmd, f, code, out)
			}
		}
	}
	// refused at parse time: before any work, with exit 2
	if code, _, errOut := runCLI(t, nil, "", "load", "--format", "xml", "/nonexistent"); code != exitUsage || !strings.Contains(errOut, "want one of: table, json") {
		t.Errorf("load --format xml: exit %d, %q", code, errOut)
	}
}

// What the streams say of the terminal decides the table's cell width and
// the progress bar, without a real terminal.
func TestStreamsDecideTerminalOutput(t *testing.T) {
	for _, tt := range []struct {
		io   ioStreams
		want int
	}{
		{ioStreams{}, 0},
		{ioStreams{OutTTY: true}, 60},
		{ioStreams{OutTTY: true, Width: 200}, 60},
		{ioStreams{OutTTY: true, Width: 80}, 40},
		{ioStreams{OutTTY: true, Width: 10}, 12},
	} {
		if got := cellWidth(tt.io, 60); got != tt.want {
			t.Errorf("cellWidth(%+v) = %d, want %d", tt.io, got, tt.want)
		}
	}
	var bar, plain bytes.Buffer
	p := newProgress(ioStreams{ErrOut: &bar, ErrTTY: true}, 1000, "loading")
	p.Set(500)
	if p.bar == nil || !strings.Contains(bar.String(), "loading") {
		t.Errorf("on a terminal: no progress bar (%q)", bar.String())
	}
	q := newProgress(ioStreams{ErrOut: &plain}, 1000, "loading")
	q.Set(500)
	if q.bar != nil || strings.ContainsAny(plain.String(), "\r\x1b") {
		t.Errorf("off a terminal: a bar or control characters: %q", plain.String())
	}
}
