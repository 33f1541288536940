package graphtest

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/threatkg/threatkg/graph"
	"github.com/threatkg/threatkg/internal/pytools"
)

// Private is a Neo4j server of a test's own, run by scripts/neo4j-local.sh
// in a temporary home: for tests that stop and start the server (a bulk
// import), which the shared server's other tests cannot allow.
type Private struct {
	Script string   // scripts/neo4j-local.sh
	Env    []string // NEO4J_LOCAL_HOME and the ports, for the script
	Config graph.Config
}

// StartPrivate starts a private server (stopped when the test ends), or
// skips when Java or the server's jars are missing (fails when Required).
func StartPrivate(t testing.TB) Private {
	t.Helper()
	if os.Getenv("THREATKG_NO_SERVERS") == "1" {
		t.Skip("THREATKG_NO_SERVERS=1 (make unit): no server is started")
	}
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(root, "scripts", "neo4j-local.sh")
	if _, err := exec.LookPath("java"); err != nil {
		SkipUnlessRequired(t, "no java for a private Neo4j")
	}
	if _, err := os.Stat(filepath.Join(root, ".neo4j", "lib")); err != nil && os.Getenv("NEO4J_LOCAL_LIB") == "" {
		SkipUnlessRequired(t, "no Neo4j jars in .neo4j/lib (make neo4j or make test-neo4j resolves them)")
	}
	home := t.TempDir()
	env := []string{"NEO4J_LOCAL_HOME=" + home, "NEO4J_BOLT_PORT=" + FreePort(t), "NEO4J_HTTP_PORT=" + FreePort(t),
		"NEO4J_HEAP=512m", "NEO4J_PAGECACHE=256m"}
	p := Private{Script: script, Env: env}
	if out, err := p.run("start"); err != nil {
		t.Fatalf("start a private Neo4j: %v\n%s", err, out)
	}
	t.Cleanup(func() { _, _ = p.run("stop") })
	vars := ReadEnv(t, filepath.Join(home, "env"))
	p.Config = graph.ConfigFromEnv(func(k string) string { return vars[k] })
	return p
}

// Setenv gives the test's process the script's settings (t.Setenv), so
// that what it runs (threatkg's --local-server, the script) finds this
// server.
func (p Private) Setenv(t testing.TB) {
	t.Helper()
	for _, kv := range p.Env {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
}

// Open connects to the private server; the client is closed when the test
// ends.
func (p Private) Open(t testing.TB) *graph.Client {
	t.Helper()
	c, err := graph.Open(context.Background(), p.Config)
	if err != nil {
		t.Fatalf("connect to the private Neo4j: %v", err)
	}
	t.Cleanup(func() { _ = c.Close(context.Background()) })
	return c
}

func (p Private) run(args ...string) ([]byte, error) {
	cmd := exec.Command(p.Script, args...)
	cmd.Env = append(os.Environ(), p.Env...)
	return cmd.CombinedOutput()
}

// ReadEnv reads the export lines scripts/neo4j-local.sh writes (its
// home's env file) into a map.
func ReadEnv(t testing.TB, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	vars := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(strings.TrimPrefix(sc.Text(), "export "), "="); ok {
			vars[k] = v
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return vars
}

// repoRoot is the folder of go.mod above the working directory.
func repoRoot() (string, error) { return pytools.RepoRoot() }
