package graph

import (
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/threatkg/threatkg/graph/model"
)

// The load's statements: pure builders that turn documents, and what the
// graph said of them so far (writeState), into Cypher text and typed rows.
// They touch no database, so TestLoadStatementsGolden checks their text and
// order offline; writeDocuments runs them.

// statement is one UNWIND statement over rows, run in batches.
type statement struct {
	step   string // the --timings step it counts to
	what   string // what it does, for errors
	cypher string
	rows   []any // the rows' parameter values, from the typed rows below
}

// row is a typed row; value is what the statement's $rows holds for it.
type row interface{ value() any }

func values[R row](rows []R) []any {
	out := make([]any, len(rows))
	for i, r := range rows {
		out[i] = r.value()
	}
	return out
}

type reportRow struct {
	UID   string
	Props map[string]any
}

func (r reportRow) value() any { return map[string]any{"uid": r.UID, "props": r.Props} }

// entityRow merges an entity node; Props, when set, are its properties
// (an entity with one mention: see entityProps).
type entityRow struct {
	UID   string
	Props map[string]any
}

func (r entityRow) value() any {
	var props any
	if r.Props != nil {
		props = r.Props
	}
	return map[string]any{"uid": r.UID, "props": props}
}

// mentionRow is what one source says of one entity (mentionProperties).
type mentionRow struct {
	Src, UID string
	Values   map[string]any
}

func (r mentionRow) value() any {
	v := map[string]any{"src": r.Src, "uid": r.UID}
	for k, x := range r.Values {
		v[k] = x
	}
	return v
}

// created is a row of a relationship this transaction creates (its
// source is new): it carries only the properties that are set, as one
// map, since on a new relationship an absent property and a null are the
// same; most declared properties are null on most rows.
type created struct{ row }

func (c created) value() any {
	switch r := c.row.(type) {
	case mentionRow:
		return map[string]any{"src": r.Src, "uid": r.UID, "props": setOnly(r.Values, nil)}
	case claimRow:
		props := setOnly(r.Props, map[string]any{"source": r.Src, "quote": r.Quote, "date": r.Date, "citations": r.Citations})
		return map[string]any{"src": r.Src, "from": r.From, "to": r.To, "claim": r.Claim, "props": props}
	}
	panic(fmt.Sprintf("created: a %T row", c.row))
}

// setOnly is the values of the maps that are not null, in one new map.
func setOnly(maps ...map[string]any) map[string]any {
	out := map[string]any{}
	for _, m := range maps {
		for k, v := range m {
			if v != nil {
				out[k] = v
			}
		}
	}
	return out
}

type claimRow struct {
	Src, Claim, From, To, Quote string
	Date, Citations             any
	Props                       map[string]any
}

func (r claimRow) value() any {
	v := map[string]any{"src": r.Src, "claim": r.Claim, "from": r.From, "to": r.To, "quote": r.Quote, "date": r.Date, "citations": r.Citations}
	for k, x := range r.Props {
		v[k] = x
	}
	return v
}

// touchRow is an entity whose properties are recomputed; Mentions, when
// set, are the payloads of its only (new) mentions, which let the
// statement skip it when they are subsumed.
type touchRow struct {
	UID      string
	Mentions []map[string]any
}

func (r touchRow) value() any {
	var m any
	if r.Mentions != nil {
		m = r.Mentions
	}
	return map[string]any{"uid": r.UID, "mentions": m}
}

type idRow string

func (r idRow) value() any { return string(r) }

// reportStatement merges the documents' Reports; it returns the uids of
// those it created.
func reportStatement(docs []model.Document, now time.Time) statement {
	rows := make([]reportRow, len(docs))
	for i, d := range docs {
		props := reportProps(d.Source, now)
		props["content_sha256"] = documentDigest(d)
		rows[i] = reportRow{UID: d.Source.UID, Props: props}
	}
	return statement{step: "reports", what: "merge reports", cypher: mergeReportsCypher, rows: values(rows)}
}

// entityStatements merge the entity nodes, one statement per label, and
// return the uids of those they created with their properties. External
// entities are ends of claims other sources bring (their nodes normally
// exist; within one import they may come from a later document).
func entityStatements(docs []model.Document) []statement {
	mentions := map[string]int{}
	for _, d := range docs {
		for _, e := range d.Entities {
			mentions[e.UID]++
		}
	}
	byLabel := map[string][]entityRow{}
	seen := map[string]bool{}
	for _, d := range docs {
		for _, e := range d.Entities {
			if seen[e.UID] {
				continue
			}
			seen[e.UID] = true
			r := entityRow{UID: e.UID}
			if mentions[e.UID] == 1 {
				r.Props, _ = entityProps(e)
			}
			byLabel[e.Label] = append(byLabel[e.Label], r)
		}
	}
	for _, d := range docs {
		for _, uid := range sortedKeys(d.External) {
			if !seen[uid] {
				seen[uid] = true
				byLabel[d.External[uid]] = append(byLabel[d.External[uid]], entityRow{UID: uid})
			}
		}
	}
	var out []statement
	for _, label := range sortedKeys(byLabel) {
		out = append(out, statement{step: "entities", what: "merge " + label + " nodes", cypher: mergeEntitiesCypher(label), rows: values(byLabel[label])})
	}
	return out
}

// writeState is what the graph said so far in the write transaction: the
// sources whose Report it created, the entities created with their
// properties, and what the sources loaded before said.
type writeState struct {
	newSource   map[string]bool
	settled     map[string]bool
	oldClaims   map[string]map[string]oldClaim
	oldMentions map[string]map[string]oldMention
}

// loadedBefore are the documents' sources whose Report existed.
func (st writeState) loadedBefore(docs []model.Document) []string {
	var out []string
	for _, d := range docs {
		if !st.newSource[d.Source.UID] {
			out = append(out, d.Source.UID)
		}
	}
	return out
}

// followUps are the statements after the nodes: stale claims and MENTIONS
// out, MENTIONS, claims (per type, in start-node order, so that concurrent
// loads lock nodes in the same order), then the recompute of entity
// properties from all remaining MENTIONS, and orphans last.
func followUps(docs []model.Document, st writeState) []statement {
	touched := touchedEntities(docs, st)
	out := []statement{staleStatement(docs, st, touched)}
	out = append(out, mentionStatements(docs, st)...)
	out = append(out, claimStatements(docs, st)...)
	uids := make([]idRow, len(touched.rows))
	for i, r := range touched.rows {
		uids[i] = idRow(r.UID)
	}
	return append(out,
		statement{step: "recompute", what: "recompute entities", cypher: recomputeEntitiesCypher, rows: values(touched.rows)},
		statement{step: "orphans", what: "delete orphans", cypher: deleteOrphansCypher, rows: values(uids)})
}

// touched collects the entities to recompute, each once.
type touched struct {
	rows    []touchRow
	at      map[string]int
	settled map[string]bool
}

// touch adds an entity (but not one created with its properties); nil
// mentions mean "always recompute", and win over payloads.
func (t *touched) touch(uid string, mentions []map[string]any) {
	if t.settled[uid] {
		return
	}
	if i, ok := t.at[uid]; ok {
		if mentions == nil {
			t.rows[i].Mentions = nil
		}
		return
	}
	t.at[uid] = len(t.rows)
	t.rows = append(t.rows, touchRow{UID: uid, Mentions: mentions})
}

// touchedEntities are the documents' entities to recompute. One that only
// gained MENTIONS from sources new in this transaction carries those
// mentions' payloads: the recompute statement skips it when each payload
// is already subsumed by the entity's properties (same name, known aliases
// and keys, equal or no other values), for then the derived properties
// cannot change. That keeps hubs (a technique many reports name) cheap.
func touchedEntities(docs []model.Document, st writeState) *touched {
	newMentions := map[string][]map[string]any{}
	onlyNew := map[string]bool{}
	var uids []string
	for _, d := range docs {
		for _, e := range d.Entities {
			if _, ok := onlyNew[e.UID]; !ok {
				onlyNew[e.UID] = true
				uids = append(uids, e.UID)
			}
			if !st.newSource[d.Source.UID] {
				onlyNew[e.UID] = false
				continue
			}
			p := subsumptionPayload(e)
			if !slices.ContainsFunc(newMentions[e.UID], func(q map[string]any) bool { return reflect.DeepEqual(p, q) }) {
				newMentions[e.UID] = append(newMentions[e.UID], p)
			}
		}
	}
	t := &touched{at: map[string]int{}, settled: st.settled}
	for _, uid := range uids {
		if onlyNew[uid] {
			t.touch(uid, newMentions[uid])
		} else {
			t.touch(uid, nil)
		}
	}
	return t
}

// staleStatement deletes the claims and MENTIONS the sources loaded before
// no longer make; the entities they mentioned are recomputed.
func staleStatement(docs []model.Document, st writeState, t *touched) statement {
	var stale []idRow
	for _, src := range st.loadedBefore(docs) {
		d := docs[slices.IndexFunc(docs, func(d model.Document) bool { return d.Source.UID == src })]
		current := map[string]bool{}
		for _, cl := range d.Claims {
			current[cl.UID] = true
		}
		for _, claim := range sortedKeys(st.oldClaims[src]) {
			if !current[claim] {
				stale = append(stale, idRow(st.oldClaims[src][claim].elementID))
			}
		}
		current = map[string]bool{}
		for _, e := range d.Entities {
			current[e.UID] = true
		}
		for _, uid := range sortedKeys(st.oldMentions[src]) {
			if !current[uid] {
				stale = append(stale, idRow(st.oldMentions[src][uid].elementID))
				t.touch(uid, nil)
			}
		}
	}
	return statement{step: "stale", what: "delete stale claims and mentions", cypher: deleteRelationshipsCypher, rows: values(stale)}
}

// mentionStatements write MENTIONS: created for new sources, merged for
// the others.
func mentionStatements(docs []model.Document, st writeState) []statement {
	var create []created
	var merge []mentionRow
	for _, d := range docs {
		for _, e := range d.Entities {
			r := mentionRow{Src: d.Source.UID, UID: e.UID, Values: mentionValues(e)}
			if st.newSource[d.Source.UID] {
				create = append(create, created{r})
			} else {
				merge = append(merge, r)
			}
		}
	}
	return []statement{
		{step: "mentions", what: "create mentions", cypher: createMentionsCypher, rows: values(create)},
		{step: "mentions", what: "merge mentions", cypher: mentionsCypher("MERGE"), rows: values(merge)},
	}
}

// claimStatements write the claims, per relationship type in start-node
// order: created for new sources, merged for the others.
func claimStatements(docs []model.Document, st writeState) []statement {
	byType := map[string][]claimRow{}
	for _, d := range docs {
		for _, cl := range d.Claims {
			byType[cl.Type] = append(byType[cl.Type], newClaimRow(cl, d.Source.UID))
		}
	}
	var out []statement
	for _, typ := range sortedKeys(byType) {
		rows := byType[typ]
		sort.SliceStable(rows, func(i, j int) bool { return rows[i].From < rows[j].From })
		var create []created
		var merge []claimRow
		for _, r := range rows {
			if st.newSource[r.Src] {
				create = append(create, created{r})
			} else {
				merge = append(merge, r)
			}
		}
		out = append(out,
			statement{step: "claims", what: "create " + typ + " claims", cypher: createClaimsCypher(typ), rows: values(create)},
			statement{step: "claims", what: "merge " + typ + " claims", cypher: claimsCypher("MERGE", typ), rows: values(merge)})
	}
	return out
}

// The Cypher. Labels, types and keys come from the declared model's
// symbols, quoted; the marker property is set and removed in the same
// statement, so it never reaches the database.
var (
	qReport, qEntity, qMentions, qKey = quoteName(model.ReportLabel), quoteName(model.EntityLabel), quoteName(model.MentionsType), quoteName(model.KeyProperty)
	qSameAs, qNotSameAs               = quoteName(model.SameAsType), quoteName(model.NotSameAsType)

	// cypherNames expands the placeholders of cypher(): the names every
	// part of threatkg shares and every declared label and type, from the
	// model's symbols, quoted.
	cypherNames = func() *strings.Replacer {
		pairs := []string{"{{Entity}}", qEntity, "{{Report}}", qReport, "{{MENTIONS}}", qMentions,
			"{{SAME_AS}}", qSameAs, "{{NOT_SAME_AS}}", qNotSameAs}
		for _, name := range append(model.Declared.Labels(), model.Declared.RelTypes()...) {
			pairs = append(pairs, "{{"+name+"}}", quoteName(name))
		}
		return strings.NewReplacer(pairs...)
	}()

	// mergeReportsCypher merges the Reports and returns the uids of those
	// it created.
	mergeReportsCypher = fmt.Sprintf(`UNWIND $rows AS row
MERGE (r:%s {%s: row.uid})
ON CREATE SET r.threatkg_created = true
WITH r, row, r.threatkg_created IS NOT NULL AS created
REMOVE r.threatkg_created
SET r += row.props
WITH row, created WHERE created
RETURN row.uid`, qReport, qKey)

	deleteRelationshipsCypher = `UNWIND $rows AS id MATCH ()-[r]->() WHERE elementId(r) = id DELETE r`

	deleteOrphansCypher = fmt.Sprintf(`UNWIND $rows AS uid
MATCH (n:%s {%s: uid})
WHERE NOT EXISTS { MATCH (:%s)-[:%s]->(n) }
DETACH DELETE n`, qEntity, qKey, qReport, qMentions)
)

// cypher expands a statement's placeholders ({{Entity}}, {{Report}},
// {{MENTIONS}}, {{SAME_AS}}, {{NOT_SAME_AS}}, and {{Label}} or {{TYPE}} of
// every declared label and relationship type) into the model's names; a
// placeholder it does not know is a bug, and panics (statements
// are expanded when the package loads, so every test run catches it).
func cypher(text string) string {
	out := cypherNames.Replace(text)
	if strings.Contains(out, "{{") {
		panic("graph: unknown placeholder in " + out)
	}
	return out
}

// mergeEntitiesCypher merges the entity nodes of one label, sets the
// properties of those it creates when the row has them, and returns their
// uids. The label comes from the declared model (CheckDocument verified it).
func mergeEntitiesCypher(label string) string {
	return fmt.Sprintf(`UNWIND $rows AS row
MERGE (n:%s {%s: row.uid})
ON CREATE SET n.threatkg_created = true
SET n:%s
WITH n, row, n.threatkg_created IS NOT NULL AS created
REMOVE n.threatkg_created
WITH n, row WHERE created AND row.props IS NOT NULL
SET n += row.props
RETURN row.uid`, qEntity, qKey, quoteName(label))
}

// createMentionsCypher writes the MENTIONS of sources new in this
// transaction, with the properties each row sets (created).
var createMentionsCypher = cypher(`UNWIND $rows AS row
MATCH (r:{{Report}} {uid: row.src})
MATCH (n:{{Entity}} {uid: row.uid})
CREATE (r)-[m:{{MENTIONS}}]->(n)
SET m = row.props`)

// createClaimsCypher writes the claims of one type of sources new in this
// transaction, with the properties each row sets (created).
func createClaimsCypher(typ string) string {
	return fmt.Sprintf(cypher(`UNWIND $rows AS row
MATCH (a:{{Entity}} {uid: row.from})
MATCH (b:{{Entity}} {uid: row.to})
CREATE (a)-[r:%s {claim: row.claim}]->(b)
SET r += row.props`), quoteName(typ))
}

// mentionsCypher writes MENTIONS rows, every property (a null removes
// it); verb is CREATE or MERGE (a source loaded before).
func mentionsCypher(verb string) string {
	var sets []string
	for _, p := range mentionProperties() {
		sets = append(sets, fmt.Sprintf("m.%s = row.%s", quoteName(p), quoteName(p)))
	}
	return fmt.Sprintf(`UNWIND $rows AS row
MATCH (r:%s {%s: row.src})
MATCH (n:%s {%s: row.uid})
%s (r)-[m:%s]->(n)
SET %s`, qReport, qKey, qEntity, qKey, verb, qMentions, strings.Join(sets, ", "))
}

// claimsCypher writes claims of one relationship type: one relationship per
// claim uid, that is per type, endpoints and source. verb is CREATE (a
// source new in this transaction) or MERGE.
func claimsCypher(verb, typ string) string {
	sets := []string{"r.source = row.src", "r.quote = row.quote", "r.date = row.date", "r.citations = row.citations"}
	for _, p := range model.Declared.RelProperties() {
		sets = append(sets, fmt.Sprintf("r.%s = row.%s", quoteName(p.Name), quoteName(p.Name)))
	}
	return fmt.Sprintf(`UNWIND $rows AS row
MATCH (a:%s {%s: row.from})
MATCH (b:%s {%s: row.to})
%s (a)-[r:%s {claim: row.claim}]->(b)
SET %s`, qEntity, qKey, qEntity, qKey, verb, quoteName(typ), strings.Join(sets, ", "))
}
