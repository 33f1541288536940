package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/threatkg/threatkg/graph"
	"github.com/threatkg/threatkg/graph/graphtest"
)

func envOf(c graph.Config) map[string]string {
	return map[string]string{graph.EnvURI: c.URI, graph.EnvUsername: c.Username, graph.EnvPassword: c.Password, graph.EnvDatabase: c.Database}
}

func TestDoctorHealthy(t *testing.T) {
	graphtest.Open(t) // claims the shared test database for this process
	env := envOf(graphtest.Get(t).Config)

	code, out, errOut := runCLI(t, env, "", "doctor")
	if code != exitOK {
		t.Fatalf("doctor: exit %d, stderr %q", code, errOut)
	}
	for _, want := range []string{"status", "ok", "version", "5.26.", "edition", "database", "schema"} {
		if !strings.Contains(out, want) {
			t.Errorf("doctor output lacks %q:\n%s", want, out)
		}
	}

	code, out, errOut = runCLI(t, env, "", "doctor", "--format", "json")
	if code != exitOK {
		t.Fatalf("doctor --format json: exit %d, stderr %q", code, errOut)
	}
	var report graph.Health
	if err := json.Unmarshal([]byte(out), &report); err != nil {
		t.Fatalf("doctor json: %v\n%s", err, out)
	}
	if !report.Healthy || report.Server == nil || !strings.HasPrefix(report.Server.Version, "5.26.") || report.Database != env[graph.EnvDatabase] {
		t.Errorf("doctor json report: %+v", report)
	}
}

func TestDoctorPasswordFromStdin(t *testing.T) {
	graphtest.Open(t)
	env := envOf(graphtest.Get(t).Config)
	password := env[graph.EnvPassword]
	delete(env, graph.EnvPassword)
	code, _, errOut := runCLI(t, env, password+"\n", "--password-stdin", "doctor")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
}

// TestDoctorUnavailableExits3 runs doctor against the real server with a
// wrong password, a missing database, and a port where nothing listens.
func TestDoctorUnavailableExits3(t *testing.T) {
	graphtest.Open(t)
	good := envOf(graphtest.Get(t).Config)
	tests := []struct {
		name    string
		change  map[string]string
		wantErr string
	}{
		// One wrong password only: the server locks a user out after three.
		{"wrong password", map[string]string{graph.EnvPassword: "not-the-password"}, "refused the credentials"},
		{"missing database", map[string]string{graph.EnvDatabase: "nosuchdb"}, `database "nosuchdb" does not exist`},
		{"nothing listening", map[string]string{graph.EnvURI: "neo4j://127.0.0.1:" + graphtest.FreePort(t)}, "cannot reach Neo4j"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{}
			for k, v := range good {
				env[k] = v
			}
			for k, v := range tt.change {
				env[k] = v
			}
			start := time.Now()
			code, out, errOut := runCLI(t, env, "", "doctor")
			elapsed := time.Since(start)
			if code != exitUnavailable {
				t.Errorf("exit %d, want %d", code, exitUnavailable)
			}
			if elapsed > 10*time.Second {
				t.Errorf("took %v, want under 10s", elapsed)
			}
			lines := strings.Split(strings.TrimSpace(errOut), "\n")
			if len(lines) != 1 || !strings.Contains(lines[0], tt.wantErr) || strings.Contains(errOut, "goroutine") {
				t.Errorf("stderr = %q, want one line containing %q", errOut, tt.wantErr)
			}
			if strings.Contains(errOut, good[graph.EnvPassword]) {
				t.Error("stderr leaks the password")
			}
			if out != "" {
				t.Errorf("stdout = %q, want nothing", out)
			}
		})
	}
}

func TestDoctorJSONReportsFailure(t *testing.T) {
	env := map[string]string{graph.EnvURI: "bolt://127.0.0.1:" + graphtest.FreePort(t)}
	code, out, _ := runCLI(t, env, "", "doctor", "--format", "json")
	if code != exitUnavailable {
		t.Fatalf("exit %d", code)
	}
	var report graph.Health
	if err := json.Unmarshal([]byte(out), &report); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if report.Healthy || !strings.Contains(report.Error, "cannot reach Neo4j") {
		t.Errorf("report = %+v", report)
	}
}

// TestEveryCommandReportsAnUnreachableServer: every command that talks to
// Neo4j exits 3 with one line, fast, when nothing listens.
func TestEveryCommandReportsAnUnreachableServer(t *testing.T) {
	env := map[string]string{graph.EnvURI: "neo4j://127.0.0.1:" + graphtest.FreePort(t), graph.EnvPassword: "x"}
	commands := [][]string{
		{"doctor"}, {"schema", "apply"}, {"stats"}, {"reset", "--yes"},
		{"load", "../../testdata/articles/apt10-2018-12-20"},
		{"query", "condemnations"}, {"query", "-e", "RETURN 1"},
		{"resolve", "--explain", "APT10"}, {"export", "--format", "stix"},
	}
	for _, args := range commands {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			start := time.Now()
			code, out, errOut := runCLI(t, env, "", args...)
			if code != exitUnavailable || !strings.Contains(errOut, "cannot reach Neo4j") || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
				t.Errorf("exit %d, stderr %q", code, errOut)
			}
			if out != "" && !strings.Contains(out, `"healthy": false`) {
				t.Errorf("stdout %q", out)
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

// TestPasswordNeverPrinted runs the commands, in success and in failure,
// and checks that no output carries the password.
func TestPasswordNeverPrinted(t *testing.T) {
	env := loadSeed(t)
	password := env[graph.EnvPassword]
	if len(password) < 8 {
		t.Fatalf("the test password %q is too short to grep for", password)
	}
	withURI := func(uri string) map[string]string {
		e := map[string]string{}
		for k, v := range env {
			e[k] = v
		}
		e[graph.EnvURI] = uri
		return e
	}
	runs := []struct {
		env  map[string]string
		args []string
	}{
		{env, []string{"doctor"}}, {env, []string{"doctor", "--format", "json"}},
		{env, []string{"stats", "--format", "json"}}, {env, []string{"query", "charged-individuals"}},
		{env, []string{"query", "-e", "RETURN $p AS p", "--param", "p=x"}},
		{env, []string{"export", "--format", "stix"}}, {env, []string{"load", "--dry-run", seedArticle}},
		{env, []string{"--help"}},
		{env, []string{"schema", "apply"}}, {env, []string{"resolve", "--explain", "APT10"}},
		{env, []string{"extract", seedArticle + "/article.txt", "--load", "--date", "2018-12-20"}},
		{env, []string{"bench", "--size", "S"}}, // refuses the non-empty database, after connecting
		{withURI("neo4j://127.0.0.1:" + graphtest.FreePort(t)), []string{"doctor", "--format", "json"}},
		{withURI("neo4j://neo4j:" + password + "@127.0.0.1:" + graphtest.FreePort(t)), []string{"doctor"}},
		{withURI("bolt+s://neo4j:" + password + "@" + strings.TrimPrefix(env[graph.EnvURI], "neo4j://")), []string{"stats"}},
		{env, []string{"reset", "--yes"}}, // last: it empties the database
	}
	for _, r := range runs {
		code, out, errOut := runCLI(t, r.env, "", r.args...)
		t.Logf("%v: exit %d", r.args, code)
		if strings.Contains(out+errOut, password) {
			t.Errorf("%v printed the password:\n%s%s", r.args, out, errOut)
		}
	}
}
