package queries

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/threatkg/threatkg/graph/model"
)

// Fragments are the pieces of Cypher several canned queries share, written
// once here and expanded into the checked-in .cypher files between marker
// comments, so that every file still runs unchanged in Neo4j Browser:
//
//	// fragment: lookup actor x ThreatActor
//	...the expansion, rewritten by 'go run ./scripts/genqueries'...
//	// end fragment
//
// TestQueryFilesAreCurrent fails when a file's expansion is not what the
// fragment now gives.
var Fragments = map[string]Fragment{
	"lookup": {
		Args: "PARAM VAR LABEL [CARRIED...]",
		Doc: "the entities of LABEL named PARAM (name or alias, case-insensitive), as VAR, through the names index " +
			"(a phrase query, then the exact comparison); CARRIED are variables the WITH keeps",
		Expand: lookup,
	},
	"lookup-name": {
		Args: "PARAM VAR LABEL",
		Doc:  "the entities of LABEL whose name (not an alias) is PARAM, case-insensitive, as VAR, through the names index",
		Expand: func(a []string) (string, error) {
			if len(a) != 3 {
				return "", fmt.Errorf("lookup-name takes PARAM VAR LABEL")
			}
			p, v := "$"+a[0], a[1]
			return fmt.Sprintf("%s\nWITH %s WHERE %s:%s AND toLower(%s.name) = toLower(%s)", namesQuery(p, v), v, v, a[2], v, p), nil
		},
	},
	"lookup-value": {
		Args: "PARAM VAR",
		Doc: "the observables whose value, or a file's MD5, SHA-1, SHA-256 or SHA-512 hash, is PARAM (an observable parameter: normalised), as VAR; " +
			"each an exact seek of one range index (the model's value and hash indexes)",
		Expand: func(a []string) (string, error) {
			if len(a) != 2 {
				return "", fmt.Errorf("lookup-value takes PARAM VAR")
			}
			p, v := "$"+a[0], a[1]
			props := []string{"value"}
			for _, h := range model.HashKinds {
				props = append(props, h.Property)
			}
			var arms []string
			for _, prop := range props {
				arms = append(arms, fmt.Sprintf("  MATCH (%s:%s {%s: %s}) RETURN %s", v, model.EntityLabel, prop, p, v))
			}
			return fmt.Sprintf("CALL () {\n%s\n}", strings.Join(arms, "\n  UNION\n")), nil
		},
	},
	"cluster": {
		Args: "VAR MEMBER LABEL",
		Doc:  "VAR and the nodes entity resolution linked to it (SAME_AS, as MEMBER) as one entity: cluster, and rep, its representative",
		Expand: func(a []string) (string, error) {
			if len(a) != 3 {
				return "", fmt.Errorf("cluster takes VAR MEMBER LABEL")
			}
			v, m, label := a[0], a[1], a[2]
			return fmt.Sprintf("MATCH (%s)-[:%s*0..10]-(%s:%s)\nWITH %s, collect(DISTINCT %s) AS cluster\nWITH cluster, %s AS rep\nWITH rep, head(collect(cluster)) AS cluster",
				v, model.SameAsType, m, label, v, m, representative), nil
		},
	},
	"page": {
		Args: "NODE LIST LABEL EXPR...",
		Doc: "one page ($skip, $top) of the rollup list LIST that NODE holds (graph.Rollups: uids, most claims first, then the most recent), " +
			"each item v of LABEL shown as EXPR, AS LIST; and the list's length, AS LIST_count (a RETURN item, with its trailing comma)",
		Expand: func(a []string) (string, error) {
			if len(a) < 4 {
				return "", fmt.Errorf("page takes NODE LIST LABEL EXPR...")
			}
			n, list, label, expr := a[0], a[1], a[2], strings.Join(a[3:], " ")
			prop := fmt.Sprintf("coalesce(%s.rollup_%s, [])", n, list)
			// The page's indexes only: a hub's list has thousands.
			return fmt.Sprintf(`COLLECT { WITH %s AS l, CASE WHEN $skip > 0 THEN $skip ELSE 0 END AS first
          UNWIND range(first, CASE WHEN size(l) < first + $top THEN size(l) ELSE first + $top END - 1) AS i
          MATCH (v:%s {uid: l[i]}) RETURN %s AS n ORDER BY i } AS %s,
size(%s) AS %s_count,`, prop, label, expr, list, prop, list), nil
		},
	},
	"representative": {
		Args: "",
		Doc:  "RETURN rep: the member of cluster with the smallest uid, so that every query names a resolved entity alike",
		Expand: func(a []string) (string, error) {
			if len(a) != 0 {
				return "", fmt.Errorf("representative takes no arguments")
			}
			return "RETURN " + representative + " AS rep", nil
		},
	},
}

// Fragment is one shared piece of Cypher.
type Fragment struct {
	Args, Doc string
	Expand    func(args []string) (string, error)
}

// representative is the SAME_AS cluster's representative: its member with
// the smallest uid.
const representative = "reduce(r = head(cluster), c IN cluster | CASE WHEN c.uid < r.uid THEN c ELSE r END)"

func lookup(a []string) (string, error) {
	if len(a) < 3 {
		return "", fmt.Errorf("lookup takes PARAM VAR LABEL [CARRIED...]")
	}
	p, v, label := "$"+a[0], a[1], a[2]
	carried := strings.Join(append(append([]string{}, a[3:]...), v), ", ")
	return fmt.Sprintf(`%s
WITH %s WHERE %s:%s
  AND (toLower(%s.name) = toLower(%s) OR any(known IN %s.aliases WHERE toLower(known) = toLower(%s)))`,
		namesQuery(p, v), carried, v, label, v, p, v, p), nil
}

// namesQuery asks the names index for the phrase p (a parameter), its
// quotes and backslashes escaped for Lucene, yielding the nodes as v.
func namesQuery(p, v string) string {
	return fmt.Sprintf(`CALL db.index.fulltext.queryNodes('%s', '"' + replace(replace(%s, '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS %s`, model.NamesIndex, p, v)
}

var (
	fragmentStart = regexp.MustCompile(`^(\s*)// fragment: (\S+)((?: \S+)*)\s*$`)
	fragmentEnd   = regexp.MustCompile(`^\s*// end fragment\s*$`)
)

// ExpandFragments rewrites every fragment of a query file from its
// definition, indented as its marker; the rest of the file is kept as it is.
func ExpandFragments(name, src string) (string, error) {
	lines := strings.Split(src, "\n")
	var out []string
	for i := 0; i < len(lines); i++ {
		m := fragmentStart.FindStringSubmatch(lines[i])
		out = append(out, lines[i])
		if m == nil {
			continue
		}
		f, ok := Fragments[m[2]]
		if !ok {
			return "", fmt.Errorf("%s:%d: no fragment %q", name, i+1, m[2])
		}
		text, err := f.Expand(strings.Fields(m[3]))
		if err != nil {
			return "", fmt.Errorf("%s:%d: %w", name, i+1, err)
		}
		for _, l := range strings.Split(text, "\n") {
			out = append(out, m[1]+l)
		}
		end := i + 1
		for end < len(lines) && !fragmentEnd.MatchString(lines[end]) {
			end++
		}
		if end == len(lines) {
			return "", fmt.Errorf("%s:%d: fragment %s has no '// end fragment'", name, i+1, m[2])
		}
		out = append(out, lines[end])
		i = end
	}
	return strings.Join(out, "\n"), nil
}
