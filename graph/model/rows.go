package model

import (
	"fmt"
	"sort"
	"strings"
)

// Document is everything one source says, as rows of the model: what the
// loaders produce and the graph package writes. Loading a Document replaces
// whatever the same source (same Source.UID) said before.
type Document struct {
	Source   Source
	Entities []Entity
	Claims   []Claim
	// External are entities the claims refer to that are not in the document
	// but already in the graph (uid to label), e.g. the ends of a STIX
	// relationship whose objects an earlier bundle brought.
	External map[string]string
}

// Sizes counts the entities (mentions) and the claims of documents.
func Sizes(docs []Document) (entities, claims int) {
	for _, d := range docs {
		entities += len(d.Entities)
		claims += len(d.Claims)
	}
	return entities, claims
}

// Canonical is the document with every empty list and map made nil, so
// that two documents that say the same thing are equal (and digest alike)
// whichever their producer, or a spool, made of "none".
func Canonical(d Document) Document {
	d.Source.Skipped = nilIfEmpty(d.Source.Skipped)
	if len(d.External) == 0 {
		d.External = nil
	}
	ents := make([]Entity, len(d.Entities))
	for i, e := range d.Entities {
		e.Aliases, e.Properties = nilIfEmpty(e.Aliases), canonicalProperties(e.Properties)
		ents[i] = e
	}
	claims := make([]Claim, len(d.Claims))
	for i, c := range d.Claims {
		c.Citations, c.Properties = nilIfEmpty(c.Citations), canonicalProperties(c.Properties)
		claims[i] = c
	}
	d.Entities, d.Claims = nilIfEmpty(ents), nilIfEmpty(claims)
	return d
}

func nilIfEmpty[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s
}

func canonicalProperties(p map[string]any) map[string]any {
	if len(p) == 0 {
		return nil
	}
	out := make(map[string]any, len(p))
	for k, v := range p {
		if l, ok := v.([]string); ok && len(l) == 0 {
			v = []string(nil)
		}
		out[k] = v
	}
	return out
}

// Source describes the document itself; it becomes a Report node.
type Source struct {
	UID        string
	Kind       string
	Title      string
	Publisher  string
	Date       string
	URL        string
	File       string
	TextSHA256 string
	// STIX sources only.
	STIXID            string
	ATTACKVersion     string
	ATTACKSpecVersion string
	Skipped           []string // "12 indicator objects (type not in the model)", ...
	// TAXII pulls only: the collection (taxii+https://...) and the
	// date_added of the first and last object fetched; the next pull of
	// the collection asks for what was added after the newest AddedLast.
	// (omitempty: the content digest of every other source stays what it
	// was before these fields existed.)
	TAXIICollection string `json:",omitempty"`
	TAXIIAddedFirst string `json:",omitempty"`
	TAXIIAddedLast  string `json:",omitempty"`
}

// Entity is what the source says of one entity.
type Entity struct {
	UID         string
	Label       string
	Name        string
	Aliases     []string
	Description string
	Properties  map[string]any // declared label-specific properties only
	Quote       string         // where the source names it
}

// Claim is one relationship the source asserts.
type Claim struct {
	UID        string
	Type       string
	From, To   string // entity uids
	Quote      string
	Date       string
	Citations  []string
	Properties map[string]any // declared relationship-specific properties only
}

// CheckDocument verifies a Document against the model: every label, relationship
// type and property is declared, endpoints are allowed, uids are unique and
// every claim's ends are entities of the document. Loaders report problems
// with positions before this; the writer calls Check again because it
// splices labels and types into Cypher, and only declared ones may get there.
func (m Model) CheckDocument(d Document) error {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	if STIXType(d.Source.UID) != "report" {
		add("source uid %q is not a report id", d.Source.UID)
	}
	labels := map[string]string{}
	for _, e := range d.Entities {
		n, ok := m.Node(e.Label)
		if !ok {
			add("entity %q: undeclared label %q", e.UID, e.Label)
			continue
		}
		if STIXType(e.UID) == "" {
			add("entity uid %q is not a STIX id", e.UID)
		}
		if _, dup := labels[e.UID]; dup {
			add("entity uid %q appears twice", e.UID)
		}
		labels[e.UID] = e.Label
		if strings.TrimSpace(e.Name) == "" {
			add("entity %q has no name", e.UID)
		}
		for k, v := range e.Properties {
			p, ok := n.Property(k)
			if !ok || IsCommonProperty(k) {
				add("entity %q: property %q is not declared for %s", e.UID, k, e.Label)
				continue
			}
			if err := CheckValue(p, v); err != nil {
				add("entity %q: %v", e.UID, err)
			}
		}
	}
	claims := map[string]bool{}
	for _, c := range d.Claims {
		r, ok := m.Rel(c.Type)
		if !ok {
			add("claim %q: undeclared relationship type %q", c.UID, c.Type)
			continue
		}
		if claims[c.UID] {
			add("claim uid %q appears twice", c.UID)
		}
		claims[c.UID] = true
		from, okFrom := labels[c.From]
		if !okFrom {
			from, okFrom = d.External[c.From]
		}
		to, okTo := labels[c.To]
		if !okTo {
			to, okTo = d.External[c.To]
		}
		if !okFrom || !okTo {
			add("claim %q: an end is neither an entity of this document nor in the graph", c.UID)
			continue
		}
		if !r.Allows(from, to) {
			add("claim %q: (%s)-[:%s]->(%s) is not allowed by the model", c.UID, from, c.Type, to)
		}
		for k, v := range c.Properties {
			p, ok := r.Property(k)
			if !ok || isClaimProperty(k) {
				add("claim %q: property %q is not declared for %s", c.UID, k, c.Type)
				continue
			}
			if err := CheckValue(p, v); err != nil {
				add("claim %q: %v", c.UID, err)
			}
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return fmt.Errorf("invalid document: %s", strings.Join(problems, "; "))
	}
	return nil
}

// CheckValue verifies that v has the Go type the property type stores.
func CheckValue(p Property, v any) error {
	ok := false
	switch p.Type {
	case String, Date:
		_, ok = v.(string)
	case StringList:
		_, ok = v.([]string)
	case Integer:
		_, ok = v.(int64)
	case Boolean:
		_, ok = v.(bool)
	}
	if !ok {
		return fmt.Errorf("property %q must be %s, not %T", p.Name, p.Type, v)
	}
	return nil
}

// IsCommonProperty reports whether name is a property every entity carries
// (uid, name, aliases, ...), which no label may declare again.
func IsCommonProperty(name string) bool {
	for _, p := range CommonProperties {
		if p.Name == name {
			return true
		}
	}
	return false
}

func isClaimProperty(name string) bool {
	for _, p := range ClaimProperties {
		if p.Name == name {
			return true
		}
	}
	return false
}

// TechniqueUse is one claim that a threat actor or campaign (with the nodes
// resolved to it) uses an ATT&CK technique, directly or through software
// it uses: what an ATT&CK Navigator layer shows.
type TechniqueUse struct {
	Subject      string // the subject's name (of its cluster's representative)
	SubjectLabel string // ThreatActor or Campaign
	TechniqueID  string // T1199, T1003.002
	Technique    string
	TechniqueURL string
	Tactics      []string
	Via          string // "directly", or "software: PlugX"
	Evidence     string // the claim's quote
	Source       string // the uid of the Report that makes the claim
	SourceTitle  string
	Date         string
}
