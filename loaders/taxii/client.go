// Package taxii is a TAXII 2.1 client: server discovery, API roots,
// collection listing and paginated object fetching (OASIS TAXII 2.1,
// sections 4 and 5). It fetches STIX objects; loaders reads them.
//
// It is written on net/http rather than taken from a library: there is no
// maintained Go TAXII 2.1 client, and what threatkg needs is four GET
// requests with one media type, basic or bearer authentication, and the
// limit/next pagination of section 3.6.
package taxii

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// MediaType is the TAXII 2.1 media type, sent in Accept and expected back.
const MediaType = "application/taxii+json;version=2.1"

// Scheme prefixes mark a TAXII collection URL among a load's paths:
// taxii+https://host/api-root/collections/ID/.
const (
	SchemeHTTPS = "taxii+https://"
	SchemeHTTP  = "taxii+http://"
)

// The environment variables credentials come from (never flags, which other
// users of the machine can read in the process list).
const (
	EnvUsername = "TAXII_USERNAME"
	EnvPassword = "TAXII_PASSWORD"
	EnvToken    = "TAXII_TOKEN"
)

// MaxResponse bounds one response body (a page of objects).
const MaxResponse = 64 << 20

// IsURL reports whether a load path names a TAXII collection.
func IsURL(p string) bool {
	return strings.HasPrefix(p, SchemeHTTPS) || strings.HasPrefix(p, SchemeHTTP)
}

// HTTPURL turns taxii+https:// (or taxii+http://) into https:// (http://);
// plain http(s) URLs pass as they are. The result ends with a slash, as
// TAXII's URLs do.
func HTTPURL(raw string) (string, error) {
	s := strings.TrimPrefix(raw, "taxii+")
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", fmt.Errorf("%q is not a TAXII URL: give taxii+https://host/api-root/collections/ID/ (taxii+http:// for a local server)", raw)
	}
	if u.User != nil {
		return "", fmt.Errorf("%q carries credentials: set %s and %s (or %s) in the environment instead", redact(raw), EnvUsername, EnvPassword, EnvToken)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	u.RawQuery, u.Fragment = "", ""
	return u.String(), nil
}

func redact(raw string) string {
	u, err := url.Parse(strings.TrimPrefix(raw, "taxii+"))
	if err != nil || u.User == nil {
		return raw
	}
	u.User = url.User("***")
	return u.String()
}

// Auth is how requests authenticate: none, basic, or a bearer token.
type Auth struct {
	Username, Password string
	Token              string
}

// AuthFromEnv reads the credentials from TAXII_USERNAME and TAXII_PASSWORD,
// or TAXII_TOKEN. Setting both kinds is an error: which one the user meant
// is not for threatkg to guess.
func AuthFromEnv(getenv func(string) string) (Auth, error) {
	a := Auth{Username: getenv(EnvUsername), Password: getenv(EnvPassword), Token: getenv(EnvToken)}
	if a.Token != "" && (a.Username != "" || a.Password != "") {
		return Auth{}, fmt.Errorf("both %s and %s are set: keep one way of authenticating", EnvToken, EnvUsername)
	}
	if (a.Username == "") != (a.Password == "") {
		return Auth{}, fmt.Errorf("set both %s and %s, or neither", EnvUsername, EnvPassword)
	}
	return a, nil
}

func (a Auth) apply(req *http.Request) {
	switch {
	case a.Token != "":
		req.Header.Set("Authorization", "Bearer "+a.Token)
	case a.Username != "":
		req.SetBasicAuth(a.Username, a.Password)
	}
}

// Error is a failed TAXII request. Status is the HTTP status (0: the server
// could not be reached or its answer was not TAXII 2.1).
type Error struct {
	URL    string
	Status int
	Msg    string
	Err    error
}

func (e *Error) Error() string {
	s := "taxii " + e.URL + ": " + e.Msg
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Unavailable reports whether the server could not be reached or refused
// the credentials (as opposed to a wrong URL or a bad answer).
func (e *Error) Unavailable() bool {
	return e.Status == 0 && e.Err != nil || e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden
}

// statusMessage says what a refused request means and how to fix it.
func statusMessage(status int, auth Auth) string {
	switch status {
	case http.StatusUnauthorized:
		if auth.Token == "" && auth.Username == "" {
			return "401 Unauthorized: the server wants credentials; set " + EnvUsername + " and " + EnvPassword + " (or " + EnvToken + ")"
		}
		return "401 Unauthorized: the server refused the credentials in " + EnvUsername + "/" + EnvPassword + " or " + EnvToken
	case http.StatusForbidden:
		return "403 Forbidden: these credentials may not read this resource (ask the server's operator for access)"
	case http.StatusNotFound:
		return "404 Not Found: no such API root or collection; list them with 'threatkg taxii collections <server or API root URL>'"
	case http.StatusNotAcceptable:
		return "406 Not Acceptable: the server does not serve TAXII 2.1 (" + MediaType + "); is it a TAXII 2.0 server?"
	}
	return fmt.Sprintf("%d %s", status, http.StatusText(status))
}

// Client talks to TAXII 2.1 servers.
type Client struct {
	HTTP      *http.Client // nil: a client with a 2-minute timeout per request
	Auth      Auth
	UserAgent string
	PageSize  int // objects per page to ask for (limit); 0: the server's default
}

func (c *Client) httpClient() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return &http.Client{Timeout: 2 * time.Minute}
}

// get fetches one TAXII resource into v and returns the response headers.
func (c *Client) get(ctx context.Context, u string, v any) (http.Header, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, &Error{URL: u, Msg: "bad request", Err: err}
	}
	req.Header.Set("Accept", MediaType)
	if c.UserAgent != "" {
		req.Header.Set("User-Agent", c.UserAgent)
	}
	c.Auth.apply(req)
	resp, err := c.httpClient().Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &Error{URL: u, Msg: "server unreachable (is the URL right, and the server up?)", Err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponse+1))
	if err != nil {
		return nil, &Error{URL: u, Msg: "reading the response", Err: err}
	}
	if resp.StatusCode != http.StatusOK {
		msg := statusMessage(resp.StatusCode, c.Auth)
		var te struct {
			Title       string `json:"title"`
			Description string `json:"description"`
		}
		if json.Unmarshal(body, &te) == nil && te.Title != "" && resp.StatusCode != http.StatusUnauthorized {
			msg += " (server: " + strings.TrimSpace(te.Title+" "+te.Description) + ")"
		}
		return nil, &Error{URL: u, Status: resp.StatusCode, Msg: msg}
	}
	if len(body) > MaxResponse {
		return nil, &Error{URL: u, Msg: fmt.Sprintf("the response is larger than %d MiB; ask for smaller pages (--page-size)", MaxResponse>>20)}
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(strings.ToLower(strings.ReplaceAll(ct, " ", "")), "application/taxii+json") {
		return nil, &Error{URL: u, Msg: fmt.Sprintf("the answer is %q, not %s: is this a TAXII 2.1 URL?", ct, MediaType)}
	}
	if err := json.Unmarshal(body, v); err != nil {
		return nil, &Error{URL: u, Msg: "the answer is not the TAXII resource expected", Err: err}
	}
	return resp.Header, nil
}

// Discovery is a server's discovery resource (section 4.1).
type Discovery struct {
	Title       string   `json:"title"`
	Description string   `json:"description,omitempty"`
	Default     string   `json:"default,omitempty"`
	APIRoots    []string `json:"api_roots"`
}

// Collection is one collection resource (section 5.2).
type Collection struct {
	APIRoot     string   `json:"api_root"` // filled in by threatkg: the API root it belongs to
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description,omitempty"`
	CanRead     bool     `json:"can_read"`
	CanWrite    bool     `json:"can_write"`
	MediaTypes  []string `json:"media_types,omitempty"`
}

// URL is the collection's URL, as threatkg load takes it.
func (c Collection) URL() string {
	return "taxii+" + strings.TrimSuffix(c.APIRoot, "/") + "/collections/" + c.ID + "/"
}

// Collections lists the collections a URL leads to: a discovery URL (every
// API root it names) or an API root.
func (c *Client) Collections(ctx context.Context, raw string) ([]Collection, error) {
	u, err := HTTPURL(raw)
	if err != nil {
		return nil, err
	}
	var probe struct {
		APIRoots *[]string `json:"api_roots"`
		Title    string    `json:"title"`
		Versions []string  `json:"versions"`
	}
	if _, err := c.get(ctx, u, &probe); err != nil {
		return nil, err
	}
	roots := []string{u}
	if probe.APIRoots != nil { // a discovery resource
		roots = roots[:0]
		for _, r := range *probe.APIRoots {
			ru, err := url.Parse(u)
			if err != nil {
				return nil, err
			}
			abs, err := ru.Parse(r)
			if err != nil {
				return nil, &Error{URL: u, Msg: fmt.Sprintf("the API root %q is not a URL", r)}
			}
			s := abs.String()
			if !strings.HasSuffix(s, "/") {
				s += "/"
			}
			roots = append(roots, s)
		}
	} else if probe.Versions == nil {
		return nil, &Error{URL: u, Msg: "neither a discovery resource nor an API root (no api_roots, no versions)"}
	}
	var out []Collection
	for _, root := range roots {
		var cs struct {
			Collections []Collection `json:"collections"`
		}
		if _, err := c.get(ctx, root+"collections/", &cs); err != nil {
			return nil, err
		}
		for _, col := range cs.Collections {
			col.APIRoot = root
			out = append(out, col)
		}
	}
	return out, nil
}

// Collection fetches one collection's resource (its title, whether it can
// be read) from its URL (.../collections/ID/).
func (c *Client) Collection(ctx context.Context, raw string) (Collection, error) {
	u, err := HTTPURL(raw)
	if err != nil {
		return Collection{}, err
	}
	i := strings.LastIndex(strings.TrimSuffix(u, "/"), "/collections/")
	if i < 0 {
		return Collection{}, fmt.Errorf("%q names no collection: give .../api-root/collections/ID/ (list them with 'threatkg taxii collections URL')", raw)
	}
	var col Collection
	if _, err := c.get(ctx, u, &col); err != nil {
		return Collection{}, err
	}
	col.APIRoot = u[:i+1]
	if col.ID == "" {
		return Collection{}, &Error{URL: u, Msg: "the answer is not a collection (no id)"}
	}
	if !col.CanRead {
		return Collection{}, &Error{URL: u, Status: http.StatusForbidden, Msg: statusMessage(http.StatusForbidden, c.Auth) + " (can_read is false)"}
	}
	return col, nil
}

// Pull is what one fetch of a collection's objects got.
type Pull struct {
	Objects []json.RawMessage
	Pages   int
	// AddedFirst and AddedLast are the date_added of the first and last
	// object fetched (X-TAXII-Date-Added-First/-Last); AddedLast is where
	// the next pull starts (added_after). Empty when the server sent none.
	AddedFirst, AddedLast string
}

// maxPages bounds one pull: a server whose "next" never ends would
// otherwise loop for ever.
const maxPages = 100000

// Objects fetches the collection's objects added after addedAfter (RFC 3339;
// empty: all), following more/next until the server says there is no more.
func (c *Client) Objects(ctx context.Context, col Collection, addedAfter string) (Pull, error) {
	base := strings.TrimSuffix(col.APIRoot, "/") + "/collections/" + col.ID + "/objects/"
	var pull Pull
	next, firstPage := "", 0
	for {
		q := url.Values{}
		if addedAfter != "" {
			q.Set("added_after", addedAfter)
		}
		switch {
		case c.PageSize > 0:
			q.Set("limit", strconv.Itoa(c.PageSize))
		case next != "":
			// With next, ask for pages of the size the server chose: the
			// spec makes limit optional, but medallion 3.0 fails (500)
			// on a next without it.
			q.Set("limit", strconv.Itoa(firstPage))
		}
		if next != "" {
			q.Set("next", next)
		}
		u := base
		if len(q) > 0 {
			u += "?" + q.Encode()
		}
		var env struct {
			More    bool              `json:"more"`
			Next    string            `json:"next"`
			Objects []json.RawMessage `json:"objects"`
		}
		h, err := c.get(ctx, u, &env)
		if err != nil {
			return Pull{}, err
		}
		pull.Pages++
		if pull.Pages == 1 {
			firstPage = len(env.Objects)
		}
		pull.Objects = append(pull.Objects, env.Objects...)
		if first := h.Get("X-TAXII-Date-Added-First"); first != "" && pull.AddedFirst == "" {
			pull.AddedFirst = first
		}
		if last := h.Get("X-TAXII-Date-Added-Last"); last != "" {
			pull.AddedLast = last
		}
		if !env.More || len(env.Objects) == 0 {
			return pull, nil
		}
		if env.Next == "" {
			return Pull{}, &Error{URL: u, Msg: "the server says there is more but gives no next; threatkg cannot page on"}
		}
		if pull.Pages >= maxPages {
			return Pull{}, &Error{URL: u, Msg: fmt.Sprintf("the server's pages do not end (%d pages)", maxPages)}
		}
		next = env.Next // servers may keep one token for a whole listing (medallion does)
	}
}

// ErrNotTAXII is returned by ParseTimestamp for a value that is not one.
var ErrNotTAXII = errors.New("not a TAXII timestamp")

// ParseTimestamp checks an added_after value: RFC 3339 in UTC, as TAXII's
// timestamps are (2024-01-31T12:00:00Z, fractions allowed).
func ParseTimestamp(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q: %w (want RFC 3339, e.g. 2024-01-31T12:00:00Z)", s, ErrNotTAXII)
	}
	return t, nil
}

// bundleNamespace is the UUIDv5 namespace of the bundles threatkg makes of
// pulls. It must never change: a pull's bundle id keys its Report.
var bundleNamespace = uuid.MustParse("3b0f1e52-4a8e-5c1d-9f37-6d2c8e5a7b10")

// Bundle wraps the pull's objects in a STIX bundle, one object per line
// (line N+1 holds the Nth object fetched, for messages), with an id derived
// from the collection and the objects: the same pull makes the same bundle.
func (p Pull) Bundle(collectionURL string) ([]byte, error) {
	h := sha256.New()
	h.Write([]byte(collectionURL))
	var objs bytes.Buffer
	for i, raw := range p.Objects {
		var line bytes.Buffer
		if err := json.Compact(&line, raw); err != nil {
			return nil, fmt.Errorf("object %d of the pull is not JSON: %w", i+1, err)
		}
		h.Write([]byte{0})
		h.Write(line.Bytes())
		if i > 0 {
			objs.WriteString(",\n")
		}
		objs.Write(line.Bytes())
	}
	id := "bundle--" + uuid.NewSHA1(bundleNamespace, h.Sum(nil)).String()
	var out bytes.Buffer
	fmt.Fprintf(&out, "{\"type\":\"bundle\",\"id\":%q,\"objects\":[\n", id)
	out.Write(objs.Bytes())
	out.WriteString("\n]}\n")
	return out.Bytes(), nil
}

// NewClientFromEnv is a client with the credentials of the environment
// (AuthFromEnv).
func NewClientFromEnv(getenv func(string) string, userAgent string, pageSize int) (*Client, error) {
	auth, err := AuthFromEnv(getenv)
	if err != nil {
		return nil, err
	}
	return &Client{Auth: auth, UserAgent: userAgent, PageSize: pageSize}, nil
}

// Fetched is one pull of one collection.
type Fetched struct {
	Collection Collection
	Key        string // the collection's URL as threatkg records it (taxii+https://.../collections/ID/)
	Since      string // the added_after it asked with ("": everything)
	Pull
}

// Fetch pulls a collection's objects added after addedAfter, or, when that
// is empty, after what lastPull says the last pull of the collection (by
// its Key) ended with.
func (c *Client) Fetch(ctx context.Context, raw, addedAfter string, lastPull func(ctx context.Context, key string) (string, error)) (Fetched, error) {
	col, err := c.Collection(ctx, raw)
	if err != nil {
		return Fetched{}, err
	}
	f := Fetched{Collection: col, Key: col.URL(), Since: addedAfter}
	if f.Since == "" && lastPull != nil {
		if f.Since, err = lastPull(ctx, f.Key); err != nil {
			return Fetched{}, err
		}
	}
	f.Pull, err = c.Objects(ctx, col, f.Since)
	return f, err
}
