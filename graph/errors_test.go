package graph

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

func TestClassify(t *testing.T) {
	cfg := Config{URI: "neo4j://u:pw@localhost:7687", Username: "neo4j", Database: "neo4j"}
	tests := []struct {
		name     string
		err      error
		wantKind ConnectErrorKind // 0: returned unchanged
		wantMsg  string
	}{
		{"unauthorized", &neo4j.Neo4jError{Code: "Neo.ClientError.Security.Unauthorized", Msg: "auth failure"}, AuthFailed, "refused the credentials"},
		{"rate limited", &neo4j.Neo4jError{Code: "Neo.ClientError.Security.AuthenticationRateLimit"}, AuthFailed, "refused the credentials"},
		{"no database", &neo4j.Neo4jError{Code: "Neo.ClientError.Database.DatabaseNotFound"}, DatabaseNotFound, `database "neo4j" does not exist`},
		{"refused", &neo4j.ConnectivityError{Inner: errors.New("dial tcp 127.0.0.1:7699: connect: connection refused")}, Unreachable, "connection refused"},
		{"untrusted certificate", &neo4j.ConnectivityError{Inner: errors.New("tls: failed to verify certificate: x509: certificate signed by unknown authority")}, Unreachable, "use +ssc"},
		{"timeout", fmt.Errorf("wrapped: %w", context.DeadlineExceeded), Unreachable, "no answer before the time-out"},
		{"an interrupt is not a connection error", fmt.Errorf("connect: %w", context.Canceled), 0, ""},
		{"syntax error is not a connection error", &neo4j.Neo4jError{Code: "Neo.ClientError.Statement.SyntaxError"}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := classify(tt.err, cfg)
			var ce *ConnectError
			if tt.wantKind == 0 {
				if errors.As(got, &ce) {
					t.Fatalf("classify() = %v, want the error unchanged", got)
				}
				return
			}
			if !errors.As(got, &ce) || ce.Kind != tt.wantKind {
				t.Fatalf("classify() = %#v, want kind %d", got, tt.wantKind)
			}
			msg := got.Error()
			if !strings.Contains(msg, tt.wantMsg) {
				t.Errorf("message %q does not contain %q", msg, tt.wantMsg)
			}
			if strings.Contains(msg, "pw@") || strings.Contains(msg, "\n") {
				t.Errorf("message %q leaks credentials or spans lines", msg)
			}
		})
	}
}
