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

// SchemaStatus says which of the declared constraints exist in the database.
type SchemaStatus struct {
	Present []string `json:"present"`
	Missing []string `json:"missing"`
}

// Complete reports whether every declared constraint exists.
func (s SchemaStatus) Complete() bool { return len(s.Missing) == 0 }

// SchemaStatus compares the declared constraints with SHOW CONSTRAINTS.
func (c *Client) SchemaStatus(ctx context.Context) (SchemaStatus, error) {
	session := c.session(ctx, readAccess)
	defer session.Close(ctx)
	res, err := session.Run(ctx, "SHOW CONSTRAINTS YIELD name RETURN name", nil)
	if err != nil {
		return SchemaStatus{}, fmt.Errorf("show constraints: %w", err)
	}
	existing := map[string]bool{}
	for res.Next(ctx) {
		name, _ := res.Record().Values[0].(string)
		existing[name] = true
	}
	if err := res.Err(); err != nil {
		return SchemaStatus{}, fmt.Errorf("show constraints: %w", err)
	}
	status := SchemaStatus{Present: []string{}, Missing: []string{}}
	for _, want := range Constraints() {
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

// ApplySchema creates every declared constraint that does not exist yet. It
// is idempotent and runs before any write.
func (c *Client) ApplySchema(ctx context.Context) error {
	session := c.session(ctx, writeAccess)
	defer session.Close(ctx)
	for _, con := range Constraints() {
		// Schema commands cannot share a transaction with data writes; each
		// runs in its own auto-commit transaction.
		res, err := session.Run(ctx, con.Cypher(), nil)
		if err == nil {
			_, err = res.Consume(ctx)
		}
		if err != nil {
			return fmt.Errorf("create constraint %s: %w", con.Name, err)
		}
	}
	return nil
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
