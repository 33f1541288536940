package graph_test

import (
	"testing"

	"github.com/threatkg/threatkg/graph/graphtest"
)

// TestMain shares one Neo4j among the package's tests and, when it came
// from a container, terminates it at the end.
func TestMain(m *testing.M) { graphtest.Main(m) }
