package graph

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/threatkg/threatkg/graph/model"
)

// Constraint is one schema object threatkg needs: a uniqueness constraint on
// a node label's key property. Constraints are derived from the declared
// model, never spelled by hand.
type Constraint struct {
	Name     string
	Label    string
	Property string
}

// Cypher is the idempotent statement that creates the constraint. Label and
// property come from the declared model, never from user input.
func (c Constraint) Cypher() string {
	return fmt.Sprintf("CREATE CONSTRAINT %s IF NOT EXISTS FOR (n:%s) REQUIRE n.%s IS UNIQUE",
		quoteName(c.Name), quoteName(c.Label), quoteName(c.Property))
}

// SchemaObject is one constraint or index, by name, with the idempotent
// statement that creates it.
type SchemaObject struct {
	Name   string
	Cypher string
}

// SchemaObjects are every constraint and index the model needs, constraints
// first.
func SchemaObjects() []SchemaObject {
	var out []SchemaObject
	for _, c := range Constraints() {
		out = append(out, SchemaObject{Name: c.Name, Cypher: c.Cypher()})
	}
	for _, ix := range model.Declared.Indexes() {
		out = append(out, SchemaObject{Name: ix.Name, Cypher: indexCypher(ix)})
	}
	return out
}

// indexCypher is the statement that creates a declared index. Every name in
// it comes from the declared model and is quoted.
func indexCypher(ix model.Index) string {
	props := make([]string, len(ix.Properties))
	for i, p := range ix.Properties {
		props[i] = "x." + quoteName(p)
	}
	pattern := fmt.Sprintf("(x:%s)", quoteName(ix.Label))
	if ix.RelType != "" {
		pattern = fmt.Sprintf("()-[x:%s]-()", quoteName(ix.RelType))
	}
	if ix.Kind == model.FulltextIndex {
		return fmt.Sprintf("CREATE FULLTEXT INDEX %s IF NOT EXISTS FOR %s ON EACH [%s] OPTIONS {indexConfig: {`fulltext.analyzer`: '%s'}}",
			quoteName(ix.Name), pattern, strings.Join(props, ", "), strings.ReplaceAll(ix.Analyzer, "'", ""))
	}
	return fmt.Sprintf("CREATE INDEX %s IF NOT EXISTS FOR %s ON (%s)", quoteName(ix.Name), pattern, strings.Join(props, ", "))
}

// SchemaStatus says which of the declared constraints and indexes exist in
// the database.
type SchemaStatus struct {
	Present []string `json:"present"`
	Missing []string `json:"missing"`
}

// Complete reports whether every declared constraint and index exists.
func (s SchemaStatus) Complete() bool { return len(s.Missing) == 0 }

// SchemaStatus compares the declared schema with SHOW CONSTRAINTS and SHOW
// INDEXES.
func (c *Client) SchemaStatus(ctx context.Context) (SchemaStatus, error) {
	session := c.session(ctx, readAccess)
	defer session.Close(ctx)
	existing := map[string]bool{}
	for _, show := range []string{"SHOW CONSTRAINTS YIELD name RETURN name", "SHOW INDEXES YIELD name RETURN name"} {
		res, err := session.Run(ctx, show, nil)
		if err != nil {
			return SchemaStatus{}, fmt.Errorf("read the schema: %w", err)
		}
		for res.Next(ctx) {
			name, _ := res.Record().Values[0].(string)
			existing[name] = true
		}
		if err := res.Err(); err != nil {
			return SchemaStatus{}, fmt.Errorf("read the schema: %w", err)
		}
	}
	status := SchemaStatus{Present: []string{}, Missing: []string{}}
	for _, want := range SchemaObjects() {
		if existing[want.Name] {
			status.Present = append(status.Present, want.Name)
		} else {
			status.Missing = append(status.Missing, want.Name)
		}
	}
	sort.Strings(status.Present)
	sort.Strings(status.Missing)
	return status, nil
}

// ApplySchema creates every declared constraint and index that does not
// exist yet, then waits until the indexes are online. It is idempotent and
// runs before any write.
func (c *Client) ApplySchema(ctx context.Context) error {
	session := c.session(ctx, writeAccess)
	defer session.Close(ctx)
	for _, obj := range SchemaObjects() {
		// Schema commands cannot share a transaction with data writes; each
		// runs in its own auto-commit transaction.
		res, err := session.Run(ctx, obj.Cypher, nil)
		if err == nil {
			_, err = res.Consume(ctx)
		}
		if err != nil {
			return fmt.Errorf("create %s: %w", obj.Name, err)
		}
	}
	res, err := session.Run(ctx, "CALL db.awaitIndexes(600)", nil)
	if err == nil {
		_, err = res.Consume(ctx)
	}
	if err != nil {
		return fmt.Errorf("wait for the indexes: %w", err)
	}
	c.schemaApplied.Store(true)
	return nil
}

// ensureSchema applies the schema unless this client did already.
func (c *Client) ensureSchema(ctx context.Context) error {
	if c.schemaApplied.Load() {
		return nil
	}
	return c.ApplySchema(ctx)
}

// Constraints are the uniqueness constraints the model needs: one on the base
// entity label, one on reports. Every MERGE matches on one of them.
func Constraints() []Constraint {
	return []Constraint{
		{Name: "threatkg_entity_uid", Label: model.EntityLabel, Property: model.KeyProperty},
		{Name: "threatkg_report_uid", Label: model.ReportLabel, Property: model.KeyProperty},
	}
}

// quoteName backtick-quotes a label, type or property name for Cypher. Names
// come only from the declared model; quoting is a second line of defence.
func quoteName(s string) string {
	return "`" + strings.ReplaceAll(s, "`", "``") + "`"
}
