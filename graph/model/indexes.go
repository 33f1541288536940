package model

import "fmt"

// IndexKind is the kind of a Neo4j index.
type IndexKind string

const (
	RangeIndex    IndexKind = "range"
	FulltextIndex IndexKind = "fulltext"
)

// Index is one index threatkg's reads and writes need. Like the constraints,
// indexes are derived from the model; queries name fulltext indexes by
// these names (NamesIndex, KeysIndex).
type Index struct {
	Name       string
	Kind       IndexKind
	Label      string // node label, or
	RelType    string // relationship type
	Properties []string
	Analyzer   string // fulltext only
	Purpose    string
}

// Names of the fulltext indexes that queries and resolution call by name.
const (
	// NamesIndex finds entities by the words of their name or an alias
	// (canned queries: a phrase query, then an exact, case-insensitive
	// comparison).
	NamesIndex = "threatkg_entity_names"
	// KeysIndex finds entities by an exact normalised key (entity
	// resolution). The keyword analyzer keeps each key whole.
	KeysIndex = "threatkg_entity_keys"
)

// Indexes lists every index the model needs, in a stable order: the two
// fulltext indexes on entities, range indexes on external ids, on
// observables' values and files' hashes, one on the TAXII collection of
// Reports, and one range
// index on the source of each claim type, through which a load finds the
// claims a source made before (instead of walking every relationship of
// the entities it mentions, which is slow for hubs such as popular
// techniques).
func (m Model) Indexes() []Index {
	out := []Index{
		{Name: NamesIndex, Kind: FulltextIndex, Label: EntityLabel, Properties: []string{"name", "aliases"},
			Analyzer: "standard-no-stop-words", Purpose: "look an entity up by name or alias (canned queries)"},
		{Name: KeysIndex, Kind: FulltextIndex, Label: EntityLabel, Properties: []string{"keys"},
			Analyzer: "keyword", Purpose: "find the entities with a normalised key (entity resolution)"},
		{Name: "threatkg_entity_external_id", Kind: RangeIndex, Label: EntityLabel, Properties: []string{"external_id"},
			Purpose: "look an entity up by ATT&CK id (T1199, G0045)"},
		{Name: "threatkg_entity_value", Kind: RangeIndex, Label: EntityLabel, Properties: []string{"value"},
			Purpose: "look an observable up by its value (an IP address, a domain, a URL, an e-mail address)"},
	}
	for _, h := range HashKinds {
		out = append(out, Index{Name: "threatkg_entity_" + h.Property, Kind: RangeIndex, Label: EntityLabel, Properties: []string{h.Property},
			Purpose: "look a file up by its " + h.STIX + " hash"})
	}
	out = append(out, []Index{
		{Name: "threatkg_report_taxii_collection", Kind: RangeIndex, Label: ReportLabel, Properties: []string{"taxii_collection"},
			Purpose: "find the pulls of a TAXII collection (where the next pull starts)"},
	}...)
	for _, r := range m.Rels {
		out = append(out, Index{Name: fmt.Sprintf("threatkg_claim_source_%s", r.Type), Kind: RangeIndex, RelType: r.Type,
			Properties: []string{"source"}, Purpose: "find a source's claims (loads replace them)"})
	}
	return out
}
