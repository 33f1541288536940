package graph

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// ConnectErrorKind says why a connection could not be made.
type ConnectErrorKind int

const (
	// InvalidConfig: the URI or database name cannot work (a usage error).
	InvalidConfig ConnectErrorKind = iota + 1
	// Unreachable: nothing answered at the URI, or TLS did not match.
	Unreachable
	// AuthFailed: the server refused the credentials.
	AuthFailed
	// DatabaseNotFound: the server has no database of that name.
	DatabaseNotFound
)

// ConnectError is returned by Open when the graph cannot be used at all. The
// command line recognises it to choose its exit code; its message is one
// line that says what went wrong and what to do.
type ConnectError struct {
	Kind     ConnectErrorKind
	URI      string
	Username string
	Database string
	Err      error
}

func (e *ConnectError) Error() string {
	cause := oneLine(e.Err)
	switch e.Kind {
	case InvalidConfig:
		return fmt.Sprintf("invalid connection setting %q: %s; set --uri or NEO4J_URI to e.g. %s", e.URI, cause, DefaultURI)
	case Unreachable:
		if strings.Contains(cause, "connection was lost") {
			return fmt.Sprintf("lost Neo4j at %s: %s", e.URI, cause)
		}
		if strings.Contains(cause, "x509") || strings.Contains(cause, "certificate") {
			return fmt.Sprintf("cannot reach Neo4j at %s: %s; the server's certificate is not trusted: use +ssc (neo4j+ssc://) for a self-signed one, or trust its CA", e.URI, cause)
		}
		if strings.Contains(cause, "TLS") {
			return fmt.Sprintf("cannot reach Neo4j at %s: %s; use a neo4j:// or bolt:// URI for a server without TLS, +s or +ssc for one with it", e.URI, cause)
		}
		return fmt.Sprintf("cannot reach Neo4j at %s: %s; start a local server with 'make neo4j', or set --uri / NEO4J_URI", e.URI, cause)
	case AuthFailed:
		return fmt.Sprintf("Neo4j at %s refused the credentials of user %q; check NEO4J_USERNAME and NEO4J_PASSWORD (or --password-stdin)", e.URI, e.Username)
	case DatabaseNotFound:
		return fmt.Sprintf("database %q does not exist on %s; set --database / NEO4J_DATABASE to an existing one (Community Edition has only %q)", e.Database, e.URI, DefaultDatabase)
	}
	return fmt.Sprintf("cannot use Neo4j at %s: %s", e.URI, cause)
}

func (e *ConnectError) Unwrap() error { return e.Err }

// classify turns a driver error met while connecting into a ConnectError, or
// returns it unchanged when it is not about the connection itself.
func classify(err error, cfg Config) error {
	if err == nil || errors.Is(err, context.Canceled) {
		return err // an interrupt is not a connection problem
	}
	ce := &ConnectError{URI: cfg.Redacted(), Username: cfg.Username, Database: cfg.Database, Err: err}
	var n4jErr *neo4j.Neo4jError
	switch {
	case errors.As(err, &n4jErr) && strings.HasPrefix(n4jErr.Code, "Neo.ClientError.Security."):
		// Unauthorized, AuthenticationRateLimit, CredentialsExpired, ...
		ce.Kind = AuthFailed
		if n4jErr.Code == "Neo.ClientError.Security.AuthenticationRateLimit" {
			ce.Err = errors.New("too many failed attempts; wait a few seconds")
		}
	case errors.As(err, &n4jErr) && n4jErr.Code == "Neo.ClientError.Database.DatabaseNotFound":
		ce.Kind = DatabaseNotFound
	case errors.As(err, new(*neo4j.ConnectivityError)), errors.Is(err, context.DeadlineExceeded):
		ce.Kind = Unreachable
		ce.Err = errors.New(connectivityCause(err))
	case neo4j.IsUsageError(err):
		ce.Kind = InvalidConfig
	default:
		return err
	}
	return ce
}

// connectivityCause keeps the useful tail of the driver's message, e.g.
// "dial tcp 127.0.0.1:7699: connect: connection refused".
func connectivityCause(err error) string {
	msg := oneLine(err)
	if errors.Is(err, context.DeadlineExceeded) && !strings.Contains(msg, "dial") {
		return "no answer before the time-out"
	}
	msg = strings.TrimPrefix(msg, "ConnectivityError: ")
	if i := strings.LastIndex(msg, "last error: "); i >= 0 {
		msg = strings.TrimPrefix(msg[i+len("last error: "):], "ConnectivityError: ")
	}
	return msg
}

func oneLine(err error) string {
	if err == nil {
		return ""
	}
	return strings.Join(strings.Fields(err.Error()), " ")
}
