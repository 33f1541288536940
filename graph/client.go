package graph

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"
)

// ConnectTimeout bounds Open: an unreachable server, refused credentials or
// a missing database are reported within it.
const ConnectTimeout = 8 * time.Second

// Client is one driver (one connection pool) bound to one database. Every
// session it opens names that database, which saves the driver a round trip
// to resolve the home database and makes a wrong name fail loudly.
type Client struct {
	driver    neo4j.DriverWithContext
	cfg       Config
	userAgent string
	// schemaApplied: this client created the schema already; loads after
	// the first skip it.
	schemaApplied atomic.Bool
}

// Option adjusts a Client at Open.
type Option func(*Client)

// WithUserAgent sets the user agent the server logs for our connections.
func WithUserAgent(ua string) Option { return func(c *Client) { c.userAgent = ua } }

// Open creates the driver, then proves within ConnectTimeout that the server
// answers, accepts the credentials and has the database. Failures are
// *ConnectError values.
func Open(ctx context.Context, cfg Config, opts ...Option) (*Client, error) {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	c := &Client{cfg: cfg, userAgent: "threatkg"}
	for _, o := range opts {
		o(c)
	}
	driver, err := neo4j.NewDriverWithContext(cfg.URI, neo4j.BasicAuth(cfg.Username, cfg.Password, ""),
		func(dc *config.Config) {
			dc.UserAgent = c.userAgent
			dc.SocketConnectTimeout = 5 * time.Second
			dc.ConnectionAcquisitionTimeout = ConnectTimeout
		})
	if err != nil {
		return nil, classify(err, cfg)
	}
	c.driver = driver

	ctx, cancel := context.WithTimeout(ctx, ConnectTimeout)
	defer cancel()
	if err := driver.VerifyConnectivity(ctx); err != nil {
		_ = driver.Close(context.Background())
		return nil, classify(err, cfg)
	}
	// VerifyConnectivity does not look at the database; a trivial read does.
	if _, err := c.readSingle(ctx, "RETURN 1 AS ok", nil); err != nil {
		_ = driver.Close(context.Background())
		return nil, classify(err, cfg)
	}
	return c, nil
}

// Reconnect replaces the connection pool with a new one, verified as Open
// verifies it: after the server restarted (a bulk import), the old pool's
// connections are dead. Not safe while other calls use the client.
func (c *Client) Reconnect(ctx context.Context) error {
	fresh, err := Open(ctx, c.cfg, WithUserAgent(c.userAgent))
	if err != nil {
		return err
	}
	_ = c.driver.Close(ctx)
	c.driver = fresh.driver
	c.schemaApplied.Store(false)
	return nil
}

// Close releases the connection pool.
func (c *Client) Close(ctx context.Context) error { return c.driver.Close(ctx) }

// Database is the name of the database every session uses.
func (c *Client) Database() string { return c.cfg.Database }

// URI is the server address, without credentials.
func (c *Client) URI() string { return c.cfg.Redacted() }

// Driver exposes the underlying driver to code in this module that needs a
// session of its own (tests, benchmarks).
func (c *Client) Driver() neo4j.DriverWithContext { return c.driver }

// ServerInfo describes the server we are connected to.
type ServerInfo struct {
	Address  string `json:"address"`
	Version  string `json:"version"`
	Edition  string `json:"edition"`
	Protocol string `json:"protocol"`
}

// ServerInfo asks the server for its address, version and edition.
func (c *Client) ServerInfo(ctx context.Context) (ServerInfo, error) {
	si, err := c.driver.GetServerInfo(ctx)
	if err != nil {
		return ServerInfo{}, fmt.Errorf("get server info: %w", err)
	}
	info := ServerInfo{
		Address:  si.Address(),
		Version:  strings.TrimPrefix(si.Agent(), "Neo4j/"),
		Protocol: fmt.Sprintf("bolt %d.%d", si.ProtocolVersion().Major, si.ProtocolVersion().Minor),
	}
	rec, err := c.readSingle(ctx,
		"CALL dbms.components() YIELD name, versions, edition WHERE name = 'Neo4j Kernel' RETURN versions[0] AS version, edition", nil)
	if err != nil {
		return ServerInfo{}, fmt.Errorf("query dbms.components: %w", err)
	}
	if v, ok := rec["version"].(string); ok && v != "" {
		info.Version = v
	}
	info.Edition, _ = rec["edition"].(string)
	return info, nil
}

// Counts are the sizes of the database.
type Counts struct {
	Nodes         int64 `json:"nodes"`
	Relationships int64 `json:"relationships"`
}

// Counts returns the number of nodes and relationships, from the count store.
func (c *Client) Counts(ctx context.Context) (Counts, error) {
	nodes, err := c.readSingle(ctx, "MATCH (n) RETURN count(n) AS n", nil)
	if err != nil {
		return Counts{}, fmt.Errorf("count nodes: %w", err)
	}
	rels, err := c.readSingle(ctx, "MATCH ()-[r]->() RETURN count(r) AS n", nil)
	if err != nil {
		return Counts{}, fmt.Errorf("count relationships: %w", err)
	}
	n, _ := nodes["n"].(int64)
	r, _ := rels["n"].(int64)
	return Counts{Nodes: n, Relationships: r}, nil
}

type accessMode = neo4j.AccessMode

const (
	readAccess  accessMode = neo4j.AccessModeRead
	writeAccess accessMode = neo4j.AccessModeWrite
)

// session opens a session on the client's database; the caller closes it.
func (c *Client) session(ctx context.Context, mode accessMode) neo4j.SessionWithContext {
	return c.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: c.cfg.Database, AccessMode: mode})
}

// readSingle runs a read query in a managed read transaction and returns its
// one record as a map (nil when there is none).
func (c *Client) readSingle(ctx context.Context, cypher string, params map[string]any) (map[string]any, error) {
	session := c.session(ctx, readAccess)
	defer session.Close(ctx)
	return neo4j.ExecuteRead(ctx, session, func(tx neo4j.ManagedTransaction) (map[string]any, error) {
		res, err := tx.Run(ctx, cypher, params)
		if err != nil {
			return nil, err
		}
		if !res.Next(ctx) {
			return nil, res.Err()
		}
		return res.Record().AsMap(), res.Err()
	})
}
