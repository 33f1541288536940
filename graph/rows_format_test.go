package graph

import (
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"
)

// TestRowsWrite: each format's rendering of each kind of value, and graph
// values converted from the driver's.
func TestRowsWrite(t *testing.T) {
	drv := dbtype.Path{Nodes: []dbtype.Node{{Labels: []string{"Entity"}, Props: map[string]any{"name": "APT10"}}, {Labels: []string{"Country"}}}}
	rows := Rows{Columns: []string{"name", "list", "node", "rel", "path", "date", "none", "map"},
		Records: [][]any{{"multi\n  line", []any{"a", int64(2)},
			fromDriver(dbtype.Node{Labels: []string{"Entity", "ThreatActor"}, Props: map[string]any{"name": "APT10"}}),
			fromDriver(dbtype.Relationship{Type: "USES", Props: map[string]any{"claim": "x"}}),
			fromDriver(drv), dbtype.Date(time.Date(2018, 12, 20, 0, 0, 0, 0, time.UTC)), nil, map[string]any{"k": "<v>"}}}}
	tests := []struct {
		format  string
		maxCell int
		want    string
	}{
		{FormatTable, 0, "name        list  node   rel   path             date        none  map\nmulti line  a; 2  APT10  USES  APT10 - Country  2018-12-20        {\"k\":\"<v>\"}\n"},
		{FormatTable, 4, "name  list  node  rel   path  date  none  map\nmul…  a; 2  APT…  USES  APT…  201…        {\"k…\n"},
		{FormatCSV, 0, "name,list,node,rel,path,date,none,map\nmulti line,a; 2,APT10,USES,APT10 - Country,2018-12-20,,\"{\"\"k\"\":\"\"<v>\"\"}\"\n"},
		{FormatJSON, 0, "[\n  {\"name\": \"multi\\n  line\", \"list\": [\"a\",2], \"node\": {\"labels\":[\"Entity\",\"ThreatActor\"],\"properties\":{\"name\":\"APT10\"}}, " +
			"\"rel\": {\"properties\":{\"claim\":\"x\"},\"type\":\"USES\"}, \"path\": \"APT10 - Country\", \"date\": \"2018-12-20\", \"none\": null, \"map\": {\"k\":\"<v>\"}}\n]\n"},
	}
	for _, tc := range tests {
		var b strings.Builder
		if err := rows.Write(&b, tc.format, tc.maxCell); err != nil {
			t.Fatal(err)
		}
		if b.String() != tc.want {
			t.Errorf("%s (max %d):\n got %q\nwant %q", tc.format, tc.maxCell, b.String(), tc.want)
		}
	}
	var b strings.Builder
	if err := (Rows{Columns: []string{"a"}}).Write(&b, FormatJSON, 0); err != nil || b.String() != "[]\n" {
		t.Errorf("no rows: %q %v", b.String(), err)
	}
}
