package taxii_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/threatkg/threatkg/loaders/taxii"
	"github.com/threatkg/threatkg/loaders/taxii/taxiitest"
)

const (
	menupass   = "../../testdata/stix/attack/menupass.json"
	collection = "91a7b528-80eb-42ed-a74d-c6fbd5a26116"
	closed     = "52892447-4d7e-4f70-b94d-d7f22742ff63"
)

func client() *taxii.Client {
	return &taxii.Client{Auth: taxii.Auth{Username: taxiitest.Username, Password: taxiitest.Password}, PageSize: 40}
}

func start(t *testing.T, objects []map[string]any) *taxiitest.Server {
	return taxiitest.Start(t, 100,
		taxiitest.Collection{ID: collection, Title: "menuPass", CanRead: true, CanWrite: true, Objects: objects},
		taxiitest.Collection{ID: closed, Title: "closed", CanRead: false})
}

func ids(raw []json.RawMessage) []string {
	out := make([]string, len(raw))
	for i, r := range raw {
		var o struct {
			ID string `json:"id"`
		}
		json.Unmarshal(r, &o)
		out[i] = o.ID
	}
	return out
}

// TestPullFollowsPages: 255 objects in pages of 40 arrive whole, in the
// order they were added, with the first and last date_added.
func TestPullFollowsPages(t *testing.T) {
	objects := taxiitest.ReadBundle(t, menupass)
	srv := start(t, objects)
	ctx := context.Background()
	c := client()
	col, err := c.Collection(ctx, srv.CollectionURL(collection))
	if err != nil {
		t.Fatal(err)
	}
	if col.Title != "menuPass" || col.URL() != srv.CollectionURL(collection) {
		t.Errorf("collection %+v, URL %s", col, col.URL())
	}
	pull, err := c.Objects(ctx, col, "")
	if err != nil {
		t.Fatal(err)
	}
	if want := (len(objects) + 39) / 40; pull.Pages != want {
		t.Errorf("%d pages, want %d", pull.Pages, want)
	}
	got := ids(pull.Objects)
	if len(got) != len(objects) {
		t.Fatalf("%d objects, want %d", len(got), len(objects))
	}
	for i, o := range objects {
		if got[i] != o["id"] {
			t.Fatalf("object %d is %s, want %s", i, got[i], o["id"])
		}
	}
	// The server's own page size (100 here): medallion wants limit with
	// next, which the client then sends.
	whole := client()
	whole.PageSize = 0
	if p, err := whole.Objects(ctx, col, ""); err != nil || p.Pages != 3 || len(p.Objects) != len(objects) {
		t.Errorf("server-sized pages: %d pages, %d objects, %v", p.Pages, len(p.Objects), err)
	}
	first, _ := taxii.ParseTimestamp(pull.AddedFirst)
	last, _ := taxii.ParseTimestamp(pull.AddedLast)
	if !first.Equal(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)) || !last.Equal(time.Date(2024, 1, 1, 0, 0, len(objects)-1, 0, time.UTC)) {
		t.Errorf("added %s to %s", pull.AddedFirst, pull.AddedLast)
	}

	// From the last date_added on: only what is added later.
	srv.Add(t, collection, []map[string]any{identity("a later object")})
	again, err := c.Objects(ctx, col, pull.AddedLast)
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(again.Objects); len(got) != 1 || !strings.HasPrefix(got[0], "identity--") {
		t.Errorf("after %s: %v, want the one object added", pull.AddedLast, got)
	}
	if later, err := taxii.ParseTimestamp(again.AddedLast); err != nil || !later.After(last) {
		t.Errorf("the later pull ends at %s, not after %s", again.AddedLast, pull.AddedLast)
	}
}

func identity(name string) map[string]any {
	return map[string]any{"type": "identity", "spec_version": "2.1", "id": "identity--0f9e1b7a-2c3d-4e5f-8a9b-0c1d2e3f4a5b",
		"created": "2026-12-01T00:00:00.000Z", "modified": "2026-12-01T00:00:00.000Z", "name": name, "identity_class": "organization"}
}

func TestCollectionsFromDiscoveryAndAPIRoot(t *testing.T) {
	srv := start(t, nil)
	for _, u := range []string{srv.Discovery(), "taxii+" + srv.Base + taxiitest.APIRoot + "/"} {
		cols, err := client().Collections(context.Background(), u)
		if err != nil {
			t.Fatalf("%s: %v", u, err)
		}
		if len(cols) != 2 || cols[0].ID != collection || cols[1].ID != closed || cols[0].URL() != srv.CollectionURL(collection) || cols[1].CanRead {
			t.Errorf("%s: %+v", u, cols)
		}
	}
}

// TestRefusals: the statuses a real server answers with, and what they
// tell the user.
func TestRefusals(t *testing.T) {
	srv := start(t, nil)
	tests := []struct {
		name        string
		auth        taxii.Auth
		url         string
		status      int
		unavailable bool
		says        string
		objects     bool // ask for the objects (the server decides), not the collection
	}{
		{"no credentials", taxii.Auth{}, srv.CollectionURL(collection), 401, true, "set TAXII_USERNAME and TAXII_PASSWORD", false},
		{"wrong password", taxii.Auth{Username: taxiitest.Username, Password: "wrong"}, srv.CollectionURL(collection), 401, true, "refused the credentials", false},
		{"no such collection", client().Auth, srv.CollectionURL("00000000-0000-4000-8000-000000000000"), 404, false, "threatkg taxii collections", false},
		{"no such API root", client().Auth, "taxii+" + srv.Base + "nowhere/collections/" + collection + "/", 404, false, "no such API root", false},
		{"not readable (can_read false)", client().Auth, srv.CollectionURL(closed), 403, true, "may not read", false},
		{"not readable (the server refuses)", client().Auth, srv.CollectionURL(closed), 403, true, "Forbidden to read", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &taxii.Client{Auth: tt.auth}
			var err error
			if tt.objects {
				_, err = c.Objects(context.Background(), taxii.Collection{APIRoot: srv.Base + taxiitest.APIRoot + "/", ID: closed}, "")
			} else {
				_, err = c.Collection(context.Background(), tt.url)
			}
			var te *taxii.Error
			if !errors.As(err, &te) || te.Status != tt.status || te.Unavailable() != tt.unavailable || !strings.Contains(err.Error(), tt.says) {
				t.Fatalf("got %v (%#v), want status %d saying %q", err, te, tt.status, tt.says)
			}
			if strings.Contains(err.Error(), taxiitest.Password) {
				t.Errorf("the message shows the password: %v", err)
			}
		})
	}
}

// TestUnreachableAndNotTAXII: no server at all, and a web server that is
// not TAXII 2.1 (a 406, and a 200 of another media type).
func TestUnreachableAndNotTAXII(t *testing.T) {
	_, err := client().Collections(context.Background(), "taxii+http://127.0.0.1:1/taxii2/")
	var te *taxii.Error
	if !errors.As(err, &te) || !te.Unavailable() || !strings.Contains(err.Error(), "unreachable") {
		t.Errorf("unreachable: %v", err)
	}
	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Accept") != taxii.MediaType {
			t.Errorf("Accept %q", r.Header.Get("Accept"))
		}
		if strings.Contains(r.URL.Path, "old") {
			w.WriteHeader(http.StatusNotAcceptable)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html></html>"))
	}))
	defer web.Close()
	for path, says := range map[string]string{"/old/": "406 Not Acceptable", "/page/": `"text/html", not application/taxii+json`} {
		_, err := client().Collections(context.Background(), web.URL+path)
		if !errors.As(err, &te) || te.Unavailable() || !strings.Contains(err.Error(), says) {
			t.Errorf("%s: %v, want %q", path, err, says)
		}
	}
}

func TestHTTPURL(t *testing.T) {
	tests := []struct{ in, want, err string }{
		{"taxii+https://h.example/api1/collections/x", "https://h.example/api1/collections/x/", ""},
		{"taxii+http://127.0.0.1:5000/api1/collections/x/", "http://127.0.0.1:5000/api1/collections/x/", ""},
		{"https://h.example/taxii2/?a=b", "https://h.example/taxii2/", ""},
		{"taxii+ftp://h.example/", "", "not a TAXII URL"},
		{"taxii+https://me:secret@h.example/api1/", "", "TAXII_USERNAME"},
	}
	for _, tt := range tests {
		got, err := taxii.HTTPURL(tt.in)
		if got != tt.want || (err == nil) != (tt.err == "") || err != nil && !strings.Contains(err.Error(), tt.err) {
			t.Errorf("HTTPURL(%q) = %q, %v; want %q, %q", tt.in, got, err, tt.want, tt.err)
		}
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("HTTPURL(%q): the message shows the password: %v", tt.in, err)
		}
	}
}

func TestAuthFromEnv(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want taxii.Auth
		err  string
	}{
		{map[string]string{}, taxii.Auth{}, ""},
		{map[string]string{"TAXII_USERNAME": "u", "TAXII_PASSWORD": "p"}, taxii.Auth{Username: "u", Password: "p"}, ""},
		{map[string]string{"TAXII_TOKEN": "t"}, taxii.Auth{Token: "t"}, ""},
		{map[string]string{"TAXII_TOKEN": "t", "TAXII_USERNAME": "u"}, taxii.Auth{}, "both"},
		{map[string]string{"TAXII_USERNAME": "u"}, taxii.Auth{}, "set both"},
	}
	for _, tt := range tests {
		got, err := taxii.AuthFromEnv(func(k string) string { return tt.env[k] })
		if got != tt.want || (err == nil) != (tt.err == "") || err != nil && !strings.Contains(err.Error(), tt.err) {
			t.Errorf("AuthFromEnv(%v) = %+v, %v; want %+v, %q", tt.env, got, err, tt.want, tt.err)
		}
	}
}

// TestBearerToken: a token goes as "Authorization: Bearer".
func TestBearerToken(t *testing.T) {
	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", taxii.MediaType)
		w.Write([]byte(`{"title": "t", "api_roots": []}`))
	}))
	defer web.Close()
	c := &taxii.Client{Auth: taxii.Auth{Token: "tok"}}
	if _, err := c.Collections(context.Background(), web.URL+"/taxii2/"); err != nil {
		t.Error(err)
	}
}

// TestBundleIsDeterministic: the same pull makes the same bundle (and so
// the same Report); another pull another one; line N+1 is object N.
func TestBundleIsDeterministic(t *testing.T) {
	p := taxii.Pull{Objects: []json.RawMessage{json.RawMessage(`{"id": "a",
 "type": "x"}`), json.RawMessage(`{"id":"b"}`)}}
	a, err := p.Bundle("taxii+https://h/api1/collections/c/")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := p.Bundle("taxii+https://h/api1/collections/c/")
	other, _ := taxii.Pull{Objects: p.Objects[:1]}.Bundle("taxii+https://h/api1/collections/c/")
	elsewhere, _ := p.Bundle("taxii+https://h/api1/collections/d/")
	if string(a) != string(b) || string(a[:60]) == string(other[:60]) || string(a[:60]) == string(elsewhere[:60]) {
		t.Errorf("bundles:\n%s\n%s\n%s", a, other, elsewhere)
	}
	lines := strings.Split(string(a), "\n")
	if lines[1] != `{"id":"a","type":"x"},` || lines[2] != `{"id":"b"}` {
		t.Errorf("lines: %q", lines)
	}
	var v map[string]any
	if err := json.Unmarshal(a, &v); err != nil || v["type"] != "bundle" {
		t.Errorf("not a bundle: %v", err)
	}
	if _, err := (taxii.Pull{Objects: []json.RawMessage{json.RawMessage(`{`)}}).Bundle("u"); err == nil {
		t.Error("a broken object made a bundle")
	}
}
