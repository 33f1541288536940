package graph_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/threatkg/threatkg/graph"
	"github.com/threatkg/threatkg/graph/graphtest"
	"github.com/threatkg/threatkg/graph/model"
	"github.com/threatkg/threatkg/queries"
)

// TestServerIsNeo4j526 proves the integration tests run against a real
// Neo4j 5.26 server, and prints which one.
func TestServerIsNeo4j526(t *testing.T) {
	c := graphtest.Open(t)
	info, err := c.ServerInfo(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("integration tests run against Neo4j %s %s at %s (%s)", info.Version, info.Edition, info.Address, graphtest.Get(t).Source)
	if !strings.HasPrefix(info.Version, "5.26.") {
		t.Errorf("server version %q, want 5.26.x", info.Version)
	}
	if info.Edition == "" {
		t.Error("server edition is empty")
	}
}

func TestOpenFailsFastWithConnectError(t *testing.T) {
	good := graphtest.Get(t).Config
	tests := []struct {
		name string
		cfg  graph.Config
		kind graph.ConnectErrorKind
	}{
		{"unknown user", withUser(good, "threatkg-no-such-user"), graph.AuthFailed},
		{"missing database", withDatabase(good, "threatkgnosuchdb"), graph.DatabaseNotFound},
		{"nothing listening", withURI(good, "neo4j://127.0.0.1:"+graphtest.FreePort(t)), graph.Unreachable},
		{"bolt scheme, nothing listening", withURI(good, "bolt://127.0.0.1:"+graphtest.FreePort(t)), graph.Unreachable},
		{"TLS against a plain server", withURI(good, strings.Replace(good.URI, "neo4j://", "neo4j+ssc://", 1)), graph.Unreachable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			c, err := graph.Open(context.Background(), tt.cfg)
			if err == nil {
				c.Close(context.Background())
				t.Fatal("Open succeeded")
			}
			var ce *graph.ConnectError
			if !errors.As(err, &ce) || ce.Kind != tt.kind {
				t.Fatalf("Open() = %v (%T), want ConnectError kind %d", err, err, tt.kind)
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %v, want under 10s", d)
			}
			t.Logf("%s", err)
		})
	}
}

func TestApplySchemaIsIdempotent(t *testing.T) {
	c := graphtest.Open(t)
	ctx := context.Background()
	graphtest.Run(t, c, "DROP CONSTRAINT threatkg_entity_uid IF EXISTS", nil)
	before, err := c.SchemaStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if before.Complete() {
		t.Fatal("schema reported complete after dropping a constraint")
	}
	for i := 0; i < 2; i++ {
		if err := c.ApplySchema(ctx); err != nil {
			t.Fatalf("apply %d: %v", i+1, err)
		}
	}
	after, err := c.SchemaStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !after.Complete() || len(after.Present) != len(graph.SchemaObjects()) {
		t.Errorf("after apply: %+v", after)
	}
	// The constraint really enforces uniqueness.
	graphtest.Wipe(t, c)
	graphtest.Run(t, c, "CREATE (:Entity {uid: 'x'})", nil)
	err = graphtest.Exec(c, "CREATE (:Entity {uid: 'x'})", nil)
	if err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("second Entity with the same uid: err = %v, want a constraint violation", err)
	}
}

// TestBrowserIsServed fetches Neo4j Browser from the test server.
func TestBrowserIsServed(t *testing.T) {
	srv := graphtest.Get(t)
	if srv.HTTPURL == "" {
		if graphtest.Required() {
			t.Fatal("the test server's HTTP address is unknown: set NEO4J_HTTP_URL")
		}
		t.Skip("NEO4J_HTTP_URL is not set")
	}
	body := httpGet(t, srv.HTTPURL+"/browser/")
	if !strings.Contains(body, "<title>Neo4j Browser</title>") {
		t.Errorf("%s/browser/ is not Neo4j Browser; got %.200q", srv.HTTPURL, body)
	}
}

func httpGet(t *testing.T, url string) string {
	t.Helper()
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", url, resp.Status)
	}
	return string(b)
}

func withUser(c graph.Config, u string) graph.Config     { c.Username = u; return c }
func withDatabase(c graph.Config, d string) graph.Config { c.Database = d; return c }
func withURI(c graph.Config, u string) graph.Config      { c.URI = u; return c }

// TestReadRefusesWrites: canned queries run in read transactions, where the
// server refuses any write.
func TestReadRefusesWrites(t *testing.T) {
	c := graphtest.OpenClean(t)
	_, err := c.Read(context.Background(), "CREATE (:Entity {uid: 'written-in-read-tx'})", nil)
	if err == nil {
		t.Fatal("a CREATE in Read succeeded")
	}
	if n := graphtest.Run(t, c, "MATCH (n) RETURN count(n) AS n", nil)[0]["n"]; n != int64(0) {
		t.Errorf("%v nodes after the refused write", n)
	}
}

// TestBrowserServesThreatkgAssets: the local server, and the stand-in image
// of the container route, serve the style and the tour that `threatkg
// browser` generates (scripts/neo4j-local.sh packs them into the Browser
// jar the image is built from).
func TestBrowserServesThreatkgAssets(t *testing.T) {
	srv := graphtest.Get(t)
	switch {
	case srv.HTTPURL == "":
		t.Skip("the server's HTTP address is unknown (NEO4J_HTTP_URL)")
	case srv.Source == graph.EnvURI, srv.Source == "testcontainers "+graphtest.StandinImage:
		// The local server (scripts/neo4j-local.sh packs the assets into
		// its Browser jar) or the stand-in image (built from those jars).
	default:
		t.Skipf("the server is %s, whose Neo4j Browser holds no threatkg assets: threatkg packs them into the "+
			"Browser jar of the local server and of the stand-in image (scripts/docker), not into other images", srv.Source)
	}
	style := httpGet(t, srv.HTTPURL+"/browser/threatkg/threatkg.grass")
	if style != model.Declared.GraSS() {
		t.Errorf("served style differs from the model's (rebuild, then restart the server)")
	}
	guide := httpGet(t, srv.HTTPURL+"/browser/threatkg/guide.html")
	want, err := queries.Guide()
	if err != nil {
		t.Fatal(err)
	}
	if guide != want || strings.Count(guide, "<slide") < 8 {
		t.Errorf("served guide differs from threatkg browser guide, or has few slides")
	}
}
