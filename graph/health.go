package graph

import (
	"context"
	"fmt"
	"strings"
)

// Health is what `threatkg doctor` reports; its JSON form is a stable
// contract.
type Health struct {
	Healthy  bool          `json:"healthy"`
	Error    string        `json:"error,omitempty"`
	URI      string        `json:"uri"`
	Database string        `json:"database"`
	Server   *ServerInfo   `json:"server,omitempty"`
	Counts   *Counts       `json:"counts,omitempty"`
	Schema   *SchemaStatus `json:"schema,omitempty"`
}

// HealthClient is what a health check asks of the graph.
type HealthClient interface {
	ServerInfo(ctx context.Context) (ServerInfo, error)
	Counts(ctx context.Context) (Counts, error)
	SchemaStatus(ctx context.Context) (SchemaStatus, error)
}

// Check asks the server for its version, its sizes and threatkg's schema;
// h is healthy when all three answered.
func (h *Health) Check(ctx context.Context, c HealthClient) error {
	info, err := c.ServerInfo(ctx)
	if err != nil {
		return err
	}
	counts, err := c.Counts(ctx)
	if err != nil {
		return err
	}
	schema, err := c.SchemaStatus(ctx)
	if err != nil {
		return err
	}
	h.Healthy, h.Server, h.Counts, h.Schema = true, &info, &counts, &schema
	return nil
}

// Fields are a healthy report as key and value lines.
func (h Health) Fields() [][2]string {
	schema := fmt.Sprintf("present (%d constraints and indexes)", len(h.Schema.Present))
	if !h.Schema.Complete() {
		schema = fmt.Sprintf("missing %s (created by 'threatkg schema apply' and by every load)", strings.Join(h.Schema.Missing, ", "))
	}
	return [][2]string{
		{"status", "ok"}, {"uri", h.URI}, {"server", h.Server.Address}, {"version", h.Server.Version},
		{"edition", h.Server.Edition}, {"protocol", h.Server.Protocol}, {"database", h.Database},
		{"nodes", fmt.Sprint(h.Counts.Nodes)}, {"relationships", fmt.Sprint(h.Counts.Relationships)}, {"schema", schema},
	}
}
