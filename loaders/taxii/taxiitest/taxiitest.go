// Package taxiitest runs OASIS's reference TAXII 2.1 server, medallion, for
// tests: a real server of the protocol, with its memory backend, on a free
// port of 127.0.0.1, seeded with the collections a test declares.
//
// medallion is a Python package; 'make python-tools' installs the pinned
// version into .venv-tools/ at the repository's root, where Start finds it
// (or THREATKG_MEDALLION names the medallion executable). Without it, tests
// skip, unless THREATKG_REQUIRE_TAXII=1 (make test and CI set it), which
// makes them fail instead. THREATKG_NO_SERVERS=1 (make unit) skips them.
package taxiitest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/threatkg/threatkg/internal/pytools"
)

// Credentials of the server's one user.
const (
	Username = "threatkg"
	Password = "taxii-test-password"
	APIRoot  = "api1"
)

// Collection is one collection to serve. Added[i] is the date_added of
// Objects[i] (RFC 3339); a missing one is 2024-01-01T00:00:00Z plus i
// seconds, so the objects keep their order.
type Collection struct {
	ID, Title         string
	CanRead, CanWrite bool
	Objects           []map[string]any
	Added             []string
}

// Server is a running medallion.
type Server struct {
	Base     string // http://127.0.0.1:PORT/
	PageSize int
}

// Discovery is the server's discovery URL.
func (s *Server) Discovery() string { return s.Base + "taxii2/" }

// CollectionURL is a collection's URL as threatkg load takes it.
func (s *Server) CollectionURL(id string) string {
	return "taxii+" + s.Base + APIRoot + "/collections/" + id + "/"
}

// Medallion finds the medallion executable: THREATKG_MEDALLION, then
// .venv-tools/bin/medallion at the repository's root, then PATH.
func Medallion() (string, bool) { return pytools.Find("THREATKG_MEDALLION", "medallion") }

// Start runs medallion with the collections, pageSize objects per page at
// most, and stops it when the test ends.
func Start(t testing.TB, pageSize int, cols ...Collection) *Server {
	t.Helper()
	bin, ok := Medallion()
	if os.Getenv("THREATKG_NO_SERVERS") == "1" && os.Getenv("THREATKG_REQUIRE_TAXII") != "1" {
		t.Skip("THREATKG_NO_SERVERS=1: not starting medallion")
	}
	if !ok {
		if os.Getenv("THREATKG_REQUIRE_TAXII") == "1" {
			t.Fatal("medallion (the TAXII 2.1 reference server) is not installed: run 'make python-tools' (THREATKG_REQUIRE_TAXII=1)")
		}
		t.Skip("medallion is not installed ('make taxii-server'); skipping the TAXII tests")
	}
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Base: fmt.Sprintf("http://127.0.0.1:%d/", port), PageSize: pageSize}
	dir := t.TempDir()
	config := filepath.Join(dir, "config.json")
	if err := os.WriteFile(config, s.config(t, dir, cols), 0o600); err != nil {
		t.Fatal(err)
	}
	logFile, err := os.Create(filepath.Join(dir, "medallion.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--host", "127.0.0.1", "--port", fmt.Sprint(port), config)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatalf("start medallion: %v", err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-done
		logFile.Close()
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		req, _ := http.NewRequest(http.MethodGet, s.Discovery(), nil)
		req.Header.Set("Accept", "application/taxii+json;version=2.1")
		req.SetBasicAuth(Username, Password)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
		}
		select {
		case <-done:
			log, _ := os.ReadFile(logFile.Name())
			t.Fatalf("medallion exited before it answered:\n%s", log)
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(logFile.Name())
			t.Fatalf("medallion did not answer within 30 s:\n%s", log)
		}
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// config is medallion's configuration with its data inline: users, page
// size, and a memory backend holding the collections with their manifests.
func (s *Server) config(t testing.TB, dir string, cols []Collection) []byte {
	var collections []map[string]any
	for _, c := range cols {
		var manifest []map[string]any
		for i, o := range c.Objects {
			added := time.Date(2024, 1, 1, 0, 0, i, 0, time.UTC).Format("2006-01-02T15:04:05.000000Z")
			if i < len(c.Added) && c.Added[i] != "" {
				added = c.Added[i]
			}
			version, _ := o["modified"].(string)
			if version == "" {
				version, _ = o["created"].(string)
			}
			manifest = append(manifest, map[string]any{"id": o["id"], "date_added": added, "version": version,
				"media_type": "application/stix+json;version=2.1"})
		}
		collections = append(collections, map[string]any{
			"id": c.ID, "title": c.Title, "can_read": c.CanRead, "can_write": c.CanWrite,
			"media_types": []string{"application/stix+json;version=2.1"},
			"objects":     orEmpty(c.Objects), "manifest": orEmpty(manifest),
		})
	}
	root := s.Base + APIRoot + "/"
	data := map[string]any{
		"/discovery": map[string]any{"title": "threatkg test TAXII server", "default": root, "api_roots": []string{root}},
		APIRoot: map[string]any{
			"information": map[string]any{"title": "threatkg test API root", "versions": []string{"application/taxii+json;version=2.1"},
				"max_content_length": 100 << 20},
			"status":      []any{},
			"collections": orEmpty(collections),
		},
	}
	cfg := map[string]any{
		"backend": map[string]any{"module": "medallion.backends.memory_backend", "module_class": "MemoryBackend", "filename": nil},
		"users":   map[string]string{Username: Password},
		"taxii":   map[string]any{"max_page_size": s.PageSize},
	}
	// The memory backend reads its data from a file: write it beside the
	// config.
	out, err := json.Marshal(data)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "data.json")
	if err := os.WriteFile(path, out, 0o600); err != nil {
		t.Fatal(err)
	}
	cfg["backend"].(map[string]any)["filename"] = path
	b, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// Add posts objects to a collection (medallion's Add Objects): they get
// the current time as date_added, as a feed's new objects do.
func (s *Server) Add(t testing.TB, collection string, objects []map[string]any) {
	t.Helper()
	body, err := json.Marshal(map[string]any{"objects": objects})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.Base+APIRoot+"/collections/"+collection+"/objects/", bytes.NewReader(body))
	req.Header.Set("Accept", "application/taxii+json;version=2.1")
	req.Header.Set("Content-Type", "application/taxii+json;version=2.1")
	req.SetBasicAuth(Username, Password)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var status struct {
		SuccessCount int `json:"success_count"`
	}
	json.NewDecoder(resp.Body).Decode(&status)
	if resp.StatusCode != http.StatusAccepted || status.SuccessCount != len(objects) {
		t.Fatalf("add %d objects to %s: %s, %d added", len(objects), collection, resp.Status, status.SuccessCount)
	}
}

// ReadBundle reads a STIX bundle's objects (the seed of a collection).
func ReadBundle(t testing.TB, path string) []map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var b struct {
		Objects []map[string]any `json:"objects"`
	}
	if err := json.Unmarshal(data, &b); err != nil {
		t.Fatal(err)
	}
	if len(b.Objects) == 0 {
		t.Fatalf("%s: no objects", path)
	}
	return b.Objects
}

// Env is what a threatkg process needs to authenticate to the server.
func Env() map[string]string {
	return map[string]string{"TAXII_USERNAME": Username, "TAXII_PASSWORD": Password}
}
