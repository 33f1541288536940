package graph

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/threatkg/threatkg/graph/model"
)

// The properties the load's rows carry, derived from the model's rows.

func reportProps(s model.Source, now time.Time) map[string]any {
	props := map[string]any{
		"kind": s.Kind, "title": s.Title, "publisher": s.Publisher, "date": s.Date,
		"url": nilIfEmpty(s.URL), "file": nilIfEmpty(s.File), "text_sha256": nilIfEmpty(s.TextSHA256),
		"loaded_at":      now.UTC().Format(time.RFC3339),
		"stix_id":        nilIfEmpty(s.STIXID),
		"attack_version": nilIfEmpty(s.ATTACKVersion), "attack_spec_version": nilIfEmpty(s.ATTACKSpecVersion),
		"skipped":          nilIfNoStrings(s.Skipped),
		"taxii_collection": nilIfEmpty(s.TAXIICollection), "taxii_added_first": nilIfEmpty(s.TAXIIAddedFirst),
		"taxii_added_last": nilIfEmpty(s.TAXIIAddedLast),
	}
	return props
}

// mentionProperties are the per-source values MENTIONS carries: the common
// entity properties (but uid) and every declared label-specific property.
func mentionProperties() []string {
	out := []string{"name", "aliases", "description", "quote", "keys"}
	for _, p := range model.Declared.EntityProperties() {
		out = append(out, p.Name)
	}
	return out
}

// subsumptionPayload is what a mention says that derived properties depend
// on: name, aliases, keys, description and the declared properties.
func subsumptionPayload(e model.Entity) map[string]any {
	row := mentionValues(e)
	delete(row, "quote")
	return row
}

// entityProps are the properties recomputeEntitiesCypher derives for an
// entity with one mention, computed here; ok is false when the names hold
// characters outside Unicode's Basic Multilingual Plane, where Go's and
// Cypher's string orders might differ (those take the recompute path).
func entityProps(e model.Entity) (map[string]any, bool) {
	names := append([]string{e.Name}, e.Aliases...)
	for _, n := range names {
		for _, r := range n {
			if r > 0xFFFF {
				return nil, false
			}
		}
	}
	sort.Strings(names)
	aliases := []string{}
	for i, n := range names {
		if n != e.Name && (i == 0 || n != names[i-1]) {
			aliases = append(aliases, n)
		}
	}
	props := map[string]any{"name": e.Name, "aliases": nilIfNoStrings(aliases), "keys": nilIfNoStrings(entityKeys(e))}
	if e.Description != "" {
		props["description"] = e.Description
	}
	for _, p := range model.Declared.EntityProperties() {
		if v, ok := e.Properties[p.Name]; ok && v != nil {
			props[p.Name] = v
		}
	}
	return props, true
}

// entityKeys are the normalised name and aliases, which entity resolution
// compares (see resolve.go); none for a label identified otherwise than by
// name (observables, indicators), which resolution must never link.
func entityKeys(e model.Entity) []string {
	if n, ok := model.Declared.Node(e.Label); ok && !n.Resolved() {
		return nil
	}
	seen := map[string]bool{}
	keys := []string{}
	for _, n := range append([]string{e.Name}, e.Aliases...) {
		if k := model.Normalize(n); k != "" && !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// mentionValues are what a source says of an entity, by MENTIONS property.
func mentionValues(e model.Entity) map[string]any {
	row := map[string]any{
		"name": e.Name, "aliases": nilIfNoStrings(e.Aliases),
		"description": nilIfEmpty(e.Description), "quote": e.Quote, "keys": nilIfNoStrings(entityKeys(e)),
	}
	for _, p := range model.Declared.EntityProperties() {
		row[p.Name] = e.Properties[p.Name] // nil when absent: SET removes it
	}
	return row
}

func newClaimRow(cl model.Claim, src string) claimRow {
	row := claimRow{Src: src, Claim: cl.UID, From: cl.From, To: cl.To, Quote: cl.Quote, Date: nilIfEmpty(cl.Date), Citations: nilIfNoStrings(cl.Citations), Props: map[string]any{}}
	for _, p := range model.Declared.RelProperties() {
		row.Props[p.Name] = cl.Properties[p.Name] // nil when absent: SET removes it
	}
	return row
}

// recomputeEntitiesCypher sets each entity's properties from every source's
// MENTIONS, taking sources in uid order, so that the result does not depend
// on the order sources were loaded in: the name and each property come from
// the first source that gives one; aliases are the union of all names and
// aliases but the name.
var recomputeEntitiesCypher = func() string {
	// An empty list is stored as none (model.Canonical; the bulk importer
	// cannot write one either).
	sets := []string{"n.name = ms[0].name",
		"n.aliases = CASE WHEN size(aliases) = 0 THEN null ELSE aliases END",
		"n.keys = CASE WHEN size(keys) = 0 THEN null ELSE keys END"}
	subsumed := []string{
		"m.name = n.name",
		"all(a IN coalesce(m.aliases, []) WHERE a = n.name OR a IN coalesce(n.aliases, []))",
		"all(k IN coalesce(m.keys, []) WHERE k IN coalesce(n.keys, []))",
	}
	// The description and the declared properties: the first source's that
	// gives one; a mention is subsumed when it gives none or the same.
	props := []string{"description"}
	for _, p := range model.Declared.EntityProperties() {
		props = append(props, p.Name)
	}
	for _, name := range props {
		q := quoteName(name)
		sets = append(sets, fmt.Sprintf("n.%s = head([m IN ms WHERE m.%s IS NOT NULL | m.%s])", q, q, q))
		subsumed = append(subsumed, fmt.Sprintf("(m.%s IS NULL OR m.%s = n.%s)", q, q, q))
	}
	return fmt.Sprintf(`UNWIND $rows AS row
MATCH (n:%s {%s: row.uid})
WHERE row.mentions IS NULL
   OR NOT all(m IN row.mentions WHERE %s)
CALL (n) {
  MATCH (r:%s)-[m:%s]->(n)
  WITH r, m ORDER BY r.uid
  RETURN collect(m) AS ms
}
WITH n, ms WHERE size(ms) > 0
CALL (ms) {
  UNWIND ms AS m
  UNWIND [m.name] + coalesce(m.aliases, []) AS a
  WITH DISTINCT a WHERE a <> ms[0].name
  WITH a ORDER BY a
  RETURN collect(a) AS aliases
}
CALL (ms) {
  UNWIND ms AS m
  UNWIND coalesce(m.keys, []) AS k
  WITH DISTINCT k ORDER BY k
  RETURN collect(k) AS keys
}
SET %s`, qEntity, qKey, strings.Join(subsumed, "\n     AND "), qReport, qMentions, strings.Join(sets, ",\n    "))
}()

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nilIfNoStrings(s []string) any {
	if len(s) == 0 {
		return nil
	}
	return s
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
