package graph

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/threatkg/threatkg/graph/model"
)

// Rows is the result of a read query: column names and records.
type Rows struct {
	Columns []string
	Records [][]any
}

// DefaultQueryTimeout bounds a query on the server (threatkg query --timeout).
const DefaultQueryTimeout = 30 * time.Second

// Read runs one query in a managed read transaction (routed to a reader in
// a cluster; the server refuses writes in it) and returns all its rows. The
// server stops it after timeout (DefaultQueryTimeout when 0). It is for
// canned and ad hoc queries, whose results are small.
func (c *Client) Read(ctx context.Context, cypher string, params map[string]any, timeout ...time.Duration) (Rows, error) {
	limit := DefaultQueryTimeout
	if len(timeout) > 0 && timeout[0] > 0 {
		limit = timeout[0]
	}
	session := c.session(ctx, readAccess)
	defer session.Close(ctx)
	rows, err := neo4j.ExecuteRead(ctx, session, func(tx neo4j.ManagedTransaction) (Rows, error) {
		res, err := tx.Run(ctx, cypher, params)
		if err != nil {
			return Rows{}, err
		}
		keys, err := res.Keys()
		if err != nil {
			return Rows{}, err
		}
		out := Rows{Columns: keys, Records: [][]any{}}
		for res.Next(ctx) {
			values := res.Record().Values
			for i, v := range values {
				values[i] = fromDriver(v)
			}
			out.Records = append(out.Records, values)
		}
		return out, res.Err()
	}, neo4j.WithTxTimeout(limit))
	var n4jErr *neo4j.Neo4jError
	if errors.As(err, &n4jErr) && strings.Contains(n4jErr.Code, "TransactionTimedOut") {
		return Rows{}, &QueryError{Msg: fmt.Sprintf("the query ran longer than %s and the server stopped it; narrow it, or raise --timeout", limit)}
	}
	if err != nil {
		return Rows{}, fmt.Errorf("read query: %w", err)
	}
	return rows, nil
}

// QueryError is a query the server refused (Invalid: the statement itself
// is wrong, which is the user's to fix) or did not finish; its message says
// why and what to do.
type QueryError struct {
	Msg     string
	Invalid bool
}

func (e *QueryError) Error() string { return e.Msg }

// ReadOnlyError says an ad hoc statement would change the graph.
type ReadOnlyError struct{ Reason string }

func (e *ReadOnlyError) Error() string {
	return "threatkg query runs read-only Cypher, and this statement " + e.Reason + "; use Neo4j's own tools to change the graph"
}

// CheckReadOnly asks the server to plan the statement (EXPLAIN, which runs
// nothing) and refuses it unless it only reads: writes, schema and
// administration commands, and LOAD CSV (which reads files or URLs from the
// server's side) are refused. The read transaction that runs it is a second
// line of defence.
func (c *Client) CheckReadOnly(ctx context.Context, cypher string, params map[string]any) error {
	session := c.session(ctx, readAccess)
	defer session.Close(ctx)
	summary, err := neo4j.ExecuteRead(ctx, session, func(tx neo4j.ManagedTransaction) (neo4j.ResultSummary, error) {
		res, err := tx.Run(ctx, "EXPLAIN "+cypher, params)
		if err != nil {
			return nil, err
		}
		return res.Consume(ctx)
	})
	var n4jErr *neo4j.Neo4jError
	if errors.As(err, &n4jErr) && strings.HasPrefix(n4jErr.Code, "Neo.ClientError.") {
		if strings.Contains(n4jErr.Msg, "system database") || strings.Contains(n4jErr.Code, "Statement.NotSystemDatabaseError") {
			return &ReadOnlyError{Reason: "is an administration command"}
		}
		return &QueryError{Invalid: true, Msg: "the server refused the statement: " + strings.Join(strings.Fields(n4jErr.Msg), " ")}
	}
	if err != nil {
		return fmt.Errorf("plan the query: %w", err)
	}
	switch summary.StatementType() {
	case neo4j.StatementTypeReadOnly:
	case neo4j.StatementTypeSchemaWrite:
		return &ReadOnlyError{Reason: "changes the schema or administers the server"}
	default:
		return &ReadOnlyError{Reason: "writes (CREATE, MERGE, SET, DELETE, REMOVE or a writing procedure)"}
	}
	if plan := summary.Plan(); plan != nil && hasOperator(plan, "LoadCSV") {
		return &ReadOnlyError{Reason: "uses LOAD CSV"}
	}
	return nil
}

func hasOperator(p neo4j.Plan, name string) bool {
	if strings.HasPrefix(p.Operator(), name) {
		return true
	}
	for _, child := range p.Children() {
		if hasOperator(child, name) {
			return true
		}
	}
	return false
}

var entityLabelsCypher = cypher(`UNWIND $uids AS uid
MATCH (n:{{Entity}} {uid: uid})
RETURN uid, [l IN labels(n) WHERE l <> $entity][0] AS label`)

// EntityLabels returns the label of each entity of the given uids that the
// graph holds.
func (c *Client) EntityLabels(ctx context.Context, uids []string) (map[string]string, error) {
	rows, err := c.Read(ctx, entityLabelsCypher, map[string]any{"uids": uids, "entity": model.EntityLabel})
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, r := range rows.Records {
		uid, _ := r[0].(string)
		label, _ := r[1].(string)
		out[uid] = label
	}
	return out, nil
}

// NamedEntity is an entity's label, name and aliases.
type NamedEntity struct {
	Label      string
	Name       string
	Aliases    []string
	ExternalID string // the catalogue id (ATT&CK's G0045), if any
}

// MaxEntityNames bounds EntityNames: a gazetteer, not a dump of the graph.
const MaxEntityNames = 20000

// EntityNames returns the names and aliases of the graph's entities of a
// declared label (the extractor's threat-actor gazetteer: ATT&CK's groups
// once ATT&CK is loaded), at most MaxEntityNames of them.
func (c *Client) EntityNames(ctx context.Context, label string) ([]NamedEntity, error) {
	if _, ok := model.Declared.Node(label); !ok {
		return nil, fmt.Errorf("entity names: %q is not a label of the model", label)
	}
	// The label comes from the declared model (checked above), never from
	// the user; Cypher cannot take a label as a parameter.
	rows, err := c.Read(ctx, "MATCH (e:"+label+") RETURN e.name AS name, coalesce(e.aliases, []) AS aliases, coalesce(e.external_id, '') AS external_id LIMIT $limit",
		map[string]any{"limit": MaxEntityNames})
	if err != nil {
		return nil, err
	}
	out := make([]NamedEntity, 0, len(rows.Records))
	for _, r := range rows.Records {
		name, _ := r[0].(string)
		if name == "" {
			continue
		}
		e := NamedEntity{Label: label, Name: name}
		e.ExternalID, _ = r[2].(string)
		if list, ok := r[1].([]any); ok {
			for _, a := range list {
				if s, ok := a.(string); ok && s != "" {
					e.Aliases = append(e.Aliases, s)
				}
			}
		}
		out = append(out, e)
	}
	return out, nil
}

var taxiiAddedLastCypher = cypher(`MATCH (r:{{Report}})
WHERE r.taxii_collection = $collection AND r.taxii_added_last IS NOT NULL
RETURN DISTINCT r.taxii_added_last`)

// TAXIIAddedLast is where the next pull of a TAXII collection starts: the
// newest date_added the pulls loaded from it so far recorded (their Report
// nodes keep it), or "" if none was loaded. The values are compared as
// times: RFC 3339 strings with and without fractions do not sort as text.
func (c *Client) TAXIIAddedLast(ctx context.Context, collection string) (string, error) {
	rows, err := c.Read(ctx, taxiiAddedLastCypher, map[string]any{"collection": collection})
	if err != nil {
		return "", err
	}
	newest, at := "", time.Time{}
	for _, r := range rows.Records {
		s, _ := r[0].(string)
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			continue // not written by threatkg: ignore rather than guess
		}
		if newest == "" || t.After(at) {
			newest, at = s, t
		}
	}
	return newest, nil
}
