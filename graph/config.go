// Package graph owns everything that talks to Neo4j: the driver's lifecycle,
// the declared model, the schema, batched writes and read queries.
package graph

import (
	"fmt"
	"net/url"
	"strings"
)

// Defaults used when neither a flag nor an environment variable says otherwise.
const (
	DefaultURI      = "neo4j://localhost:7687"
	DefaultUsername = "neo4j"
	DefaultDatabase = "neo4j"
)

// Environment variables read by ConfigFromEnv. They are the names Neo4j's own
// tools (cypher-shell, the drivers' examples, Aura's downloaded credentials)
// use, so a credentials file from Aura can be sourced as it is.
const (
	EnvURI      = "NEO4J_URI"
	EnvUsername = "NEO4J_USERNAME"
	EnvPassword = "NEO4J_PASSWORD"
	EnvDatabase = "NEO4J_DATABASE"
)

// Config says where the graph lives and who we are.
type Config struct {
	URI      string
	Username string
	Password string
	Database string
}

// With returns the settings with the non-empty values given (command-line
// flags, which override the environment).
func (c Config) With(uri, username, database string) Config {
	for _, o := range []struct {
		to *string
		v  string
	}{{&c.URI, uri}, {&c.Username, username}, {&c.Database, database}} {
		if o.v != "" {
			*o.to = o.v
		}
	}
	return c
}

// ConfigFromEnv reads the NEO4J_* variables through getenv (os.Getenv in
// production) and fills in the defaults for what is unset.
func ConfigFromEnv(getenv func(string) string) Config {
	cfg := Config{
		URI:      getenv(EnvURI),
		Username: getenv(EnvUsername),
		Password: getenv(EnvPassword),
		Database: getenv(EnvDatabase),
	}
	return cfg.withDefaults()
}

func (c Config) withDefaults() Config {
	if c.URI == "" {
		c.URI = DefaultURI
	}
	if c.Username == "" {
		c.Username = DefaultUsername
	}
	if c.Database == "" {
		c.Database = DefaultDatabase
	}
	return c
}

// supportedSchemes are the URI schemes of the Neo4j drivers: bolt:// talks to
// one server, neo4j:// asks it for a routing table (clusters, Aura); +s
// requires TLS with a verified certificate, +ssc accepts a self-signed one.
var supportedSchemes = []string{"neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc"}

// Validate reports a configuration that cannot work before any network
// traffic: an unparsable URI, an unknown scheme, an empty database name.
func (c Config) Validate() error {
	u, err := url.Parse(c.URI)
	if err != nil {
		return &ConnectError{Kind: InvalidConfig, URI: c.URI, Err: fmt.Errorf("not a URI: %w", err)}
	}
	known := false
	for _, s := range supportedSchemes {
		if u.Scheme == s {
			known = true
			break
		}
	}
	if !known {
		return &ConnectError{Kind: InvalidConfig, URI: c.URI,
			Err: fmt.Errorf("unsupported scheme %q (use one of %s)", u.Scheme, strings.Join(supportedSchemes, ", "))}
	}
	if u.Host == "" {
		return &ConnectError{Kind: InvalidConfig, URI: c.URI, Err: fmt.Errorf("no host in URI")}
	}
	if strings.TrimSpace(c.Database) == "" {
		return &ConnectError{Kind: InvalidConfig, URI: c.URI, Err: fmt.Errorf("empty database name")}
	}
	return nil
}

// Redacted returns the URI without any user information, for messages.
func (c Config) Redacted() string {
	u, err := url.Parse(c.URI)
	if err != nil || u.User == nil {
		return c.URI
	}
	u.User = nil
	return u.String()
}
