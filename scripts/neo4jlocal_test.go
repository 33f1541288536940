// Package scripts holds the project's shell scripts; this test drives
// neo4j-local.sh (what `make neo4j` runs) on a throwaway server of its own,
// on free ports, so it never disturbs the development or test servers.
package scripts

import (
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/threatkg/threatkg/graph"
	"github.com/threatkg/threatkg/graph/graphtest"
	"github.com/threatkg/threatkg/graph/model"
	"github.com/threatkg/threatkg/loaders"
)

// throwawayServer prepares a server of its own in a temporary home, on free
// ports, and returns a function that runs neo4j-local.sh for it. The server
// is stopped when the test ends.
func throwawayServer(t *testing.T, extraEnv ...string) (script func(args ...string) (string, error), home, bolt string) {
	t.Helper()
	if os.Getenv("THREATKG_NO_SERVERS") == "1" {
		t.Skip("THREATKG_NO_SERVERS=1 (make unit): no server is started")
	}
	for _, tool := range []string{"java", "mvn", "curl"} {
		if _, err := exec.LookPath(tool); err != nil {
			if graphtest.Required() {
				t.Fatalf("%s is required for the local Neo4j: %v", tool, err)
			}
			t.Skipf("%s not installed: %v", tool, err)
		}
	}
	home = t.TempDir()
	bolt = graphtest.FreePort(t)
	httpPort := graphtest.FreePort(t)
	env := append(os.Environ(),
		"NEO4J_LOCAL_HOME="+home, "NEO4J_BOLT_PORT="+bolt, "NEO4J_HTTP_PORT="+httpPort,
		"NEO4J_HEAP=512m", "NEO4J_PAGECACHE=128m")
	env = append(env, extraEnv...)
	script = func(args ...string) (string, error) {
		cmd := exec.Command("bash", append([]string{"neo4j-local.sh"}, args...)...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	t.Cleanup(func() {
		if out, err := script("stop"); err != nil {
			t.Logf("stop: %v\n%s", err, out)
		}
	})
	return script, home, bolt
}

func TestLocalNeo4jLifecycle(t *testing.T) {
	script, home, bolt := throwawayServer(t)
	// First start: jars, config, password, server; prints the export lines.
	out, err := script("start")
	if err != nil {
		t.Fatalf("start: %v\n%s", err, out)
	}
	for _, want := range []string{"export NEO4J_URI=neo4j://localhost:" + bolt, "export NEO4J_USERNAME=neo4j", "export NEO4J_PASSWORD="} {
		if !strings.Contains(out, want) {
			t.Errorf("start output lacks %q:\n%s", want, out)
		}
	}
	for _, f := range []string{"password", "env"} {
		st, err := os.Stat(filepath.Join(home, f))
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %o, want 600", f, st.Mode().Perm())
		}
	}
	settings := graphtest.ReadEnv(t, filepath.Join(home, "env"))
	pid := status(t, script)

	// Second start reuses the running server.
	out, err = script("start")
	if err != nil || !strings.Contains(out, "reusing it") {
		t.Fatalf("second start: %v\n%s", err, out)
	}
	if again := status(t, script); again != pid {
		t.Errorf("second start changed the server: pid %s, then %s", pid, again)
	}
	if n := serversFor(t, home); n != 1 {
		t.Errorf("%d server processes for %s, want 1", n, home)
	}

	// Data written before a stop is there after the next start.
	write(t, settings, "CREATE (:LifecycleProbe {token: $token})", map[string]any{"token": "kept-across-restart"})
	if out, err := script("stop"); err != nil {
		t.Fatalf("stop: %v\n%s", err, out)
	}
	if out, err := script("status"); err == nil {
		t.Fatalf("status after stop succeeded: %s", out)
	}
	if out, err := script("start"); err != nil {
		t.Fatalf("restart: %v\n%s", err, out)
	}
	if got := readToken(t, settings); got != "kept-across-restart" {
		t.Errorf("after restart the probe node holds %q", got)
	}

	// Neo4j Browser is served by the same server.
	resp, err := http.Get(settings["NEO4J_HTTP_URL"] + "/browser/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "<title>Neo4j Browser</title>") {
		t.Errorf("GET /browser/: %s %.200q", resp.Status, body)
	}
}

func status(t *testing.T, script func(...string) (string, error)) string {
	t.Helper()
	out, err := script("status")
	if err != nil {
		t.Fatalf("status: %v\n%s", err, out)
	}
	// "running (pid 123, bolt://localhost:7687)"
	f := strings.Fields(strings.NewReplacer("(", " ", ",", " ").Replace(out))
	for i, w := range f {
		if w == "pid" && i+1 < len(f) {
			return f[i+1]
		}
	}
	t.Fatalf("no pid in status output %q", out)
	return ""
}

// serversFor counts the JVMs started for a server home.
func serversFor(t *testing.T, home string) int {
	t.Helper()
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	n := 0
	for _, e := range entries {
		cmdline, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err == nil && strings.Contains(string(cmdline), "--home-dir="+home+"\x00") {
			n++
		}
	}
	return n
}

func driver(t *testing.T, env map[string]string) neo4j.DriverWithContext {
	t.Helper()
	d, err := neo4j.NewDriverWithContext(env["NEO4J_URI"], neo4j.BasicAuth(env["NEO4J_USERNAME"], env["NEO4J_PASSWORD"], ""))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close(context.Background()) })
	return d
}

func write(t *testing.T, env map[string]string, cypher string, params map[string]any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := neo4j.ExecuteQuery(ctx, driver(t, env), cypher, params, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(env["NEO4J_DATABASE"]))
	if err != nil {
		t.Fatal(err)
	}
}

func readToken(t *testing.T, env map[string]string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := neo4j.ExecuteQuery(ctx, driver(t, env), "MATCH (p:LifecycleProbe) RETURN p.token AS token", nil,
		neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(env["NEO4J_DATABASE"]), neo4j.ExecuteQueryWithReadersRouting())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Records) != 1 {
		t.Fatalf("%d probe nodes, want 1", len(res.Records))
	}
	token, _ := res.Records[0].Get("token")
	s, _ := token.(string)
	return s
}

// TestKillServerMidLoad kills the Neo4j process (SIGKILL) while a large load
// writes: the load fails with a clear error; after a restart the graph holds
// nothing of it, and running the load again gives exactly the graph of a
// clean load.
func TestKillServerMidLoad(t *testing.T) {
	script, home, _ := throwawayServer(t)
	if out, err := script("start"); err != nil {
		t.Fatalf("start: %v\n%s", err, out)
	}
	settings := graphtest.ReadEnv(t, filepath.Join(home, "env"))
	cfg := graph.Config{URI: settings["NEO4J_URI"], Username: settings["NEO4J_USERNAME"], Password: settings["NEO4J_PASSWORD"], Database: settings["NEO4J_DATABASE"]}
	open := func() *graph.Client {
		c, err := graph.Open(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close(context.Background()) })
		return c
	}
	docs := attackSubset(t)
	c := open()
	// Constraints first, so the kill lands in the data transaction.
	if err := c.ApplySchema(context.Background()); err != nil {
		t.Fatal(err)
	}
	empty := graphtest.Fingerprint(t, c, "loaded_at")

	pid := status(t, script)
	done := make(chan error, 1)
	go func() {
		_, err := c.Load(context.Background(), docs[0], graph.LoadOptions{BatchSize: 100})
		done <- err
	}()
	// Kill once the data transaction runs: another session watches for it.
	watcher := open()
	deadline := time.Now().Add(120 * time.Second)
	for {
		rows, err := watcher.Read(context.Background(), "SHOW TRANSACTIONS YIELD currentQuery WHERE currentQuery CONTAINS 'UNWIND $' + 'rows AS row' AND NOT currentQuery STARTS WITH 'SHOW' RETURN count(*) AS n", nil)
		if err == nil && rows.Records[0][0] != int64(0) {
			break
		}
		select {
		case err := <-done:
			graphtest.SkipUnlessRequired(t, "the load ended (%v) before its write was seen", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("the load's write transaction never showed up")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if out, err := exec.Command("kill", "-KILL", pid).CombinedOutput(); err != nil {
		t.Fatalf("kill: %v %s", err, out)
	}
	select {
	case err := <-done:
		if err == nil {
			graphtest.SkipUnlessRequired(t, "the load finished before the kill")
		}
		var ce *graph.ConnectError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), "nothing of it was written") {
			t.Errorf("the load failed with %v; want a ConnectError saying nothing was written", err)
		}
		t.Logf("the load failed as it should: %v", err)
	case <-time.After(90 * time.Second):
		t.Fatal("the load did not return after the server died")
	}

	if out, err := script("start"); err != nil {
		t.Fatalf("restart: %v\n%s", err, out)
	}
	c = open()
	if got := graphtest.Fingerprint(t, c, "loaded_at"); got != empty {
		t.Errorf("after the crash the graph holds part of the load: %s, want %s", got, empty)
	}
	if _, err := c.Load(context.Background(), docs[0], graph.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	rerun := graphtest.Fingerprint(t, c, "loaded_at")
	graphtest.Wipe(t, c)
	if _, err := c.Load(context.Background(), docs[0], graph.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	if clean := graphtest.Fingerprint(t, c, "loaded_at"); clean != rerun {
		t.Errorf("the re-run gave %s, a clean load %s", rerun, clean)
	}
}

func attackSubset(t *testing.T) []model.Document {
	t.Helper()
	f, err := os.Open("../testdata/stix/attack/enterprise-attack-subset.json.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	res, err := loaders.ReadSTIX("enterprise-attack-subset.json", data, model.Declared)
	if err != nil {
		t.Fatal(err)
	}
	return res.Documents
}

// TestTLSWithSelfSignedCertificate: against a server whose Bolt speaks TLS
// with a self-signed certificate, neo4j+ssc:// and bolt+ssc:// connect,
// neo4j+s:// (which verifies the certificate) is refused with exit-3 kind of
// error, and plain neo4j:// still works (TLS is optional on this server).
func TestTLSWithSelfSignedCertificate(t *testing.T) {
	if _, err := exec.LookPath("openssl"); err != nil {
		if graphtest.Required() {
			t.Fatal("openssl is required to make the test certificate")
		}
		t.Skip("no openssl")
	}
	script, home, bolt := throwawayServer(t, "NEO4J_BOLT_TLS=1")
	if out, err := script("start"); err != nil {
		t.Fatalf("start: %v\n%s", err, out)
	}
	settings := graphtest.ReadEnv(t, filepath.Join(home, "env"))
	try := func(uri string) error {
		cfg := graph.Config{URI: uri, Username: settings["NEO4J_USERNAME"], Password: settings["NEO4J_PASSWORD"], Database: "neo4j"}
		c, err := graph.Open(context.Background(), cfg)
		if err == nil {
			c.Close(context.Background())
		}
		return err
	}
	for _, scheme := range []string{"neo4j+ssc", "bolt+ssc", "neo4j"} {
		if err := try(scheme + "://localhost:" + bolt); err != nil {
			t.Errorf("%s: %v", scheme, err)
		}
	}
	err := try("neo4j+s://localhost:" + bolt)
	var ce *graph.ConnectError
	if !errors.As(err, &ce) || ce.Kind != graph.Unreachable {
		t.Errorf("neo4j+s:// with a self-signed certificate: %v, want an Unreachable ConnectError", err)
	} else {
		t.Logf("neo4j+s:// refused as it should: %v", err)
	}
}
