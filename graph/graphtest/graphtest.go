// Package graphtest gives integration tests a real Neo4j, the way users get
// one:
//
//  1. NEO4J_URI (with NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE) when set;
//     `make test` sets them for its own local server (.neo4j-test, port 7688);
//  2. otherwise a Neo4j 5.26 container started with testcontainers-go, when a
//     Docker engine answers: the image THREATKG_NEO4J_IMAGE names, by default
//     the official neo4j:5.26-community. The package's TestMain (Main)
//     terminates it when the tests end, so no reaper (Ryuk) is needed;
//  3. otherwise the test is skipped, except that it fails when CI=true or
//     THREATKG_REQUIRE_NEO4J=1, so CI can never pass without running it.
//
// All tests of one `go test` process share one server. Test processes of
// different packages take turns through a file lock, because they wipe the
// database between tests; and the helper refuses to wipe a database that holds
// data it did not create (see Open).
package graphtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/testcontainers/testcontainers-go"
	tcneo4j "github.com/testcontainers/testcontainers-go/modules/neo4j"

	"github.com/threatkg/threatkg/graph"
)

// StandinImage is threatkg's stand-in for the official image, built
// without a registry (scripts/docker/build.sh): the Maven route's jars,
// threatkg's Browser assets packed in as that route packs them.
const StandinImage = "threatkg/neo4j-standin:5.26"

// DefaultImage is the Neo4j image the container route runs unless
// THREATKG_NEO4J_IMAGE names another (another 5.x version, an enterprise
// image, or threatkg's stand-in, scripts/docker).
const DefaultImage = "neo4j:5.26-community"

// ImageEnv names the image the container route runs.
const ImageEnv = "THREATKG_NEO4J_IMAGE"

// Image is the image the container route runs.
func Image() string {
	if img := strings.TrimSpace(os.Getenv(ImageEnv)); img != "" {
		return img
	}
	return DefaultImage
}

// sentinelIndex marks a database as the tests' own: an index, so it adds no
// node or relationship that a test would count.
const sentinelIndex = "threatkg_test_sentinel"

// Server is the Neo4j the tests of this process share.
type Server struct {
	Config graph.Config
	// HTTPURL is the server's HTTP address (Neo4j Browser), "" if unknown.
	HTTPURL string
	// Source says where the server came from: "NEO4J_URI", or
	// "testcontainers IMAGE".
	Source string
}

var (
	once      sync.Once
	container *tcneo4j.Neo4jContainer // the container setup started, if any
	server    Server
	setupErr  error
	claimOnce sync.Once
	claimErr  error
)

// Required reports whether a missing Neo4j must fail the test instead of
// skipping it.
// SkipUnlessRequired skips a test whose precondition a timing race denied
// (a load that finished before it could be interrupted), and fails it when
// integration tests are required: CI cannot pass on a test that did not
// test.
func SkipUnlessRequired(t testing.TB, format string, args ...any) {
	t.Helper()
	if Required() {
		t.Fatalf("required test did not run its check: "+format, args...)
	}
	t.Skipf(format, args...)
}

func Required() bool {
	return os.Getenv("CI") == "true" || os.Getenv("THREATKG_REQUIRE_NEO4J") == "1"
}

// Get returns the shared server, starting a container if needed, or skips
// (fails when Required) when there is none.
func Get(t testing.TB) Server {
	t.Helper()
	once.Do(func() { server, setupErr = setup() })
	if setupErr != nil {
		if Required() {
			t.Fatalf("no Neo4j for this integration test, and one is required (CI=true or THREATKG_REQUIRE_NEO4J=1): %v", setupErr)
		}
		t.Skipf("no Neo4j: %v (run 'make test', or set NEO4J_URI)", setupErr)
	}
	return server
}

func setup() (Server, error) {
	if os.Getenv(graph.EnvURI) != "" {
		cfg := graph.ConfigFromEnv(os.Getenv)
		return Server{Config: cfg, HTTPURL: os.Getenv("NEO4J_HTTP_URL"), Source: graph.EnvURI}, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if reason := dockerUnavailable(ctx); reason != "" {
		return Server{}, fmt.Errorf("NEO4J_URI is not set and Docker is not available (%s)", reason)
	}
	password := randomPassword()
	img := Image()
	started := time.Now()
	opts := []testcontainers.ContainerCustomizer{tcneo4j.WithAdminPassword(password)}
	// An enterprise image starts only once its licence is accepted; that is
	// the user's decision, passed on from the environment, never made here.
	if v := os.Getenv("NEO4J_ACCEPT_LICENSE_AGREEMENT"); v != "" {
		opts = append(opts, testcontainers.WithEnv(map[string]string{"NEO4J_ACCEPT_LICENSE_AGREEMENT": v}))
	}
	ctr, err := tcneo4j.Run(ctx, img, opts...)
	if ctr != nil {
		container = ctr // Main terminates it when the package's tests end
	}
	if err != nil {
		return Server{}, fmt.Errorf("start %s container: %w", img, err)
	}
	uri, err := ctr.BoltUrl(ctx)
	if err != nil {
		return Server{}, fmt.Errorf("container bolt address: %w", err)
	}
	httpURL, err := ctr.PortEndpoint(ctx, "7474/tcp", "http")
	if err != nil {
		return Server{}, fmt.Errorf("container http address: %w", err)
	}
	cfg := graph.Config{URI: uri, Username: "neo4j", Password: password, Database: graph.DefaultDatabase}
	// make test-docker asserts that every package's tests got this line.
	fmt.Fprintf(os.Stderr, "graphtest: Neo4j from testcontainers (%s) at %s, ready in %s\n", img, uri, time.Since(started).Round(100*time.Millisecond))
	return Server{Config: cfg, HTTPURL: httpURL, Source: "testcontainers " + img}, nil
}

// Main runs a package's tests and then terminates the container they
// shared, if one was started: a package whose tests use graphtest calls
// it from TestMain. (testcontainers' reaper would remove it too, but the
// reaper is an image that machines without a registry cannot pull.)
func Main(m *testing.M) {
	code := m.Run()
	if container != nil {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		if err := container.Terminate(ctx); err != nil {
			fmt.Fprintf(os.Stderr, "graphtest: terminate the Neo4j container: %v\n", err)
			if code == 0 {
				code = 1
			}
		}
		cancel()
	}
	os.Exit(code)
}

// dockerUnavailable returns why no Docker engine can be used, or "".
func dockerUnavailable(ctx context.Context) (reason string) {
	defer func() {
		// The provider panics on some broken set-ups; that means "no Docker".
		if r := recover(); r != nil {
			reason = fmt.Sprint(r)
		}
	}()
	p, err := testcontainers.ProviderDocker.GetProvider()
	if err != nil {
		return err.Error()
	}
	defer p.Close()
	if err := p.Health(ctx); err != nil {
		return err.Error()
	}
	return ""
}

func randomPassword() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return "tk-" + hex.EncodeToString(b)
}

// Open returns a client of the shared server, closed when the test ends.
// The first call in a process waits for the database lock (other test
// processes may be using the same server) and checks that the database is
// the tests' own: empty, or marked by an earlier test run. It refuses to
// touch a database holding anything else, so pointing NEO4J_URI at a real
// graph cannot destroy it.
func Open(t testing.TB) *graph.Client {
	t.Helper()
	srv := Get(t)
	ctx := context.Background()
	client, err := graph.Open(ctx, srv.Config)
	if err != nil {
		t.Fatalf("connect to the test Neo4j (%s): %v", srv.Source, err)
	}
	t.Cleanup(func() { _ = client.Close(context.Background()) })
	claimOnce.Do(func() { claimErr = claim(ctx, client) })
	if claimErr != nil {
		t.Fatal(claimErr)
	}
	return client
}

// OpenClean is Open followed by Wipe: the test starts from an empty graph.
func OpenClean(t testing.TB) *graph.Client {
	t.Helper()
	c := Open(t)
	Wipe(t, c)
	return c
}

func claim(ctx context.Context, c *graph.Client) error {
	if err := lockDatabase(c.URI() + "/" + c.Database()); err != nil {
		return fmt.Errorf("lock the test database: %w", err)
	}
	marked, err := hasSentinel(ctx, c)
	if err != nil {
		return err
	}
	if marked {
		return nil
	}
	counts, err := c.Counts(ctx)
	if err != nil {
		return fmt.Errorf("count the test database: %w", err)
	}
	if counts.Nodes > 0 {
		return fmt.Errorf("refusing to run integration tests against %s database %q: it holds %d nodes the tests did not create, and tests wipe it; point NEO4J_URI at a scratch server (make test starts one)",
			c.URI(), c.Database(), counts.Nodes)
	}
	return run(ctx, c, fmt.Sprintf("CREATE INDEX %s IF NOT EXISTS FOR (n:ThreatkgTestSentinel) ON (n.id)", sentinelIndex), nil)
}

func hasSentinel(ctx context.Context, c *graph.Client) (bool, error) {
	s := c.Driver().NewSession(ctx, neo4j.SessionConfig{DatabaseName: c.Database(), AccessMode: neo4j.AccessModeRead})
	defer s.Close(ctx)
	res, err := s.Run(ctx, "SHOW INDEXES YIELD name WHERE name = $name RETURN count(*) AS n", map[string]any{"name": sentinelIndex})
	if err != nil {
		return false, fmt.Errorf("show indexes: %w", err)
	}
	rec, err := res.Single(ctx)
	if err != nil {
		return false, fmt.Errorf("show indexes: %w", err)
	}
	n, _ := rec.Values[0].(int64)
	return n > 0, nil
}

// Wipe deletes every node and relationship of the test database (schema is
// kept). Only call it on a client from Open.
func Wipe(t testing.TB, c *graph.Client) {
	t.Helper()
	err := run(context.Background(), c, "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS", nil)
	if err != nil {
		t.Fatalf("wipe the test database: %v", err)
	}
}

// Run executes one auto-commit statement on the test database, for test
// set-up and inspection.
func Run(t testing.TB, c *graph.Client, cypher string, params map[string]any) []map[string]any {
	t.Helper()
	ctx := context.Background()
	s := c.Driver().NewSession(ctx, neo4j.SessionConfig{DatabaseName: c.Database()})
	defer s.Close(ctx)
	res, err := s.Run(ctx, cypher, params)
	if err != nil {
		t.Fatalf("run %q: %v", oneLine(cypher), err)
	}
	var rows []map[string]any
	for res.Next(ctx) {
		rows = append(rows, res.Record().AsMap())
	}
	if err := res.Err(); err != nil {
		t.Fatalf("run %q: %v", oneLine(cypher), err)
	}
	return rows
}

// Exec executes one auto-commit statement and returns its error, for tests
// that expect one.
func Exec(c *graph.Client, cypher string, params map[string]any) error {
	return run(context.Background(), c, cypher, params)
}

func run(ctx context.Context, c *graph.Client, cypher string, params map[string]any) error {
	s := c.Driver().NewSession(ctx, neo4j.SessionConfig{DatabaseName: c.Database()})
	defer s.Close(ctx)
	res, err := s.Run(ctx, cypher, params)
	if err == nil {
		_, err = res.Consume(ctx)
	}
	return err
}

// lockDatabase takes an exclusive lock, held until the process exits, on a
// file named after the server and database.
func lockDatabase(key string) error {
	sum := sha256.Sum256([]byte(key))
	path := filepath.Join(os.TempDir(), "threatkg-test-neo4j-"+hex.EncodeToString(sum[:8])+".lock")
	return lockFile(path)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// Fingerprint is a digest of the whole graph: every node's labels and
// properties, every relationship's type, ends and properties, sorted.
// Properties named in ignore (e.g. loaded_at) are left out. Two graphs with
// the same fingerprint are the same graph, whatever their internal ids.
func Fingerprint(t testing.TB, c *graph.Client, ignore ...string) string {
	t.Helper()
	skip := map[string]bool{}
	for _, k := range ignore {
		skip[k] = true
	}
	describe := func(labels any, props any) string {
		ls, _ := labels.([]any)
		names := make([]string, len(ls))
		for i, l := range ls {
			names[i], _ = l.(string)
		}
		sort.Strings(names)
		pm, _ := props.(map[string]any)
		kept := map[string]any{}
		for k, v := range pm {
			if !skip[k] {
				kept[k] = v
			}
		}
		b, err := json.Marshal(kept) // map keys are sorted
		if err != nil {
			t.Fatalf("fingerprint: %v", err)
		}
		return strings.Join(names, ":") + string(b)
	}
	var lines []string
	for _, r := range Run(t, c, "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props", nil) {
		lines = append(lines, "N "+describe(r["labels"], r["props"]))
	}
	for _, r := range Run(t, c, `MATCH (a)-[r]->(b)
RETURN labels(a) AS al, properties(a) AS ap, type(r) AS type, properties(r) AS rp, labels(b) AS bl, properties(b) AS bp`, nil) {
		typ, _ := r["type"].(string)
		lines = append(lines, "R "+describe(r["al"], r["ap"])+" -["+typ+" "+describe(nil, r["rp"])+"]-> "+describe(r["bl"], r["bp"]))
	}
	sort.Strings(lines)
	sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	return fmt.Sprintf("%d elements, sha256 %x", len(lines), sum[:8])
}

// FreePort returns a TCP port on 127.0.0.1 where nothing listens (at the
// time of the call), for tests that need an address with no server.
func FreePort(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	return port
}
