package graph

import (
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"
)

// Node, Relationship and Path are the graph values a read query returns,
// as threatkg's own types: callers need not import the driver.
type Node struct {
	Labels []string
	Props  map[string]any
}

// Relationship is a relationship a read query returns.
type Relationship struct {
	Type  string
	Props map[string]any
}

// Path is a path a read query returns: its nodes, in order.
type Path struct {
	Nodes []Node
}

// fromDriver turns the driver's graph values (also inside lists and maps)
// into threatkg's; other values (strings, numbers, temporal values) pass.
func fromDriver(v any) any {
	switch x := v.(type) {
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = fromDriver(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = fromDriver(e)
		}
		return out
	case dbtype.Node:
		return Node{Labels: x.Labels, Props: x.Props}
	case dbtype.Relationship:
		return Relationship{Type: x.Type, Props: x.Props}
	case dbtype.Path:
		p := Path{Nodes: make([]Node, len(x.Nodes))}
		for i, n := range x.Nodes {
			p.Nodes[i] = Node{Labels: n.Labels, Props: n.Props}
		}
		return p
	}
	return v
}
