package model

import (
	"fmt"
	"strings"
)

var identityNames = map[Identity]string{ByName: "name", ByValue: "value", ByID: "STIX id"}

// Markdown documents the model: docs/model.md is this output (a test keeps
// them equal), and `threatkg schema describe` prints it.
func (m Model) Markdown() string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("# threatkg's graph model\n\n")
	w("Generated from `graph/model` by `threatkg schema describe`; do not edit by hand.\n")
	w("Why the model is shaped this way: [design.md](design.md).\n\n")

	w("## Nodes\n\n")
	w("Every entity node has the label `:%s` and one of the labels below, and these properties:\n\n", EntityLabel)
	w("| property | type | meaning |\n|---|---|---|\n")
	for _, p := range CommonProperties {
		w("| `%s` | %s | %s |\n", p.Name, p.Type, p.Description)
	}
	w("\n`%s` is unique (constraint `threatkg_entity_uid`).\n\n", KeyProperty)
	w("| label | uid prefix (STIX type) | identified by | colour | what it is | more properties |\n|---|---|---|---|---|---|\n")
	for _, n := range m.Nodes {
		var props []string
		for _, p := range n.Properties {
			props = append(props, fmt.Sprintf("`%s` (%s): %s", p.Name, p.Type, p.Description))
		}
		w("| `%s` | `%s--` | %s | %s | %s | %s |\n", n.Label, n.STIXType, identityNames[n.Identity], n.Color, n.Description, strings.Join(props, "; "))
	}
	w("\nIdentified by *name*: the uid derives from the label and the normalised name, and entity resolution links nodes that share a normalised name or alias (SAME_AS). ")
	w("By *value*: a cyber-observable's uid is STIX 2.1's deterministic id (UUIDv5 in STIX's namespace of its normalised value; for a file, its preferred hash and name), so a value is one node whichever source names it, and it is never resolved by name. ")
	w("By *STIX id*: an indicator keeps the id its producer gave it.\n")
	w("\nA source document is a `:%s` node (not an entity), unique by `uid`:\n\n", ReportLabel)
	w("| property | type | meaning |\n|---|---|---|\n")
	for _, p := range ReportProperties {
		w("| `%s` | %s | %s |\n", p.Name, p.Type, p.Description)
	}

	w("\n## Relationships\n\n")
	w("Every relationship between entities is one source's claim, with these properties:\n\n")
	w("| property | type | meaning |\n|---|---|---|\n")
	for _, p := range ClaimProperties {
		w("| `%s` | %s | %s |\n", p.Name, p.Type, p.Description)
	}
	w("\n| type | from | to | meaning | more properties |\n|---|---|---|---|---|\n")
	for _, r := range m.Rels {
		var props []string
		for _, p := range r.Properties {
			props = append(props, fmt.Sprintf("`%s` (%s): %s", p.Name, p.Type, p.Description))
		}
		w("| `%s` | %s | %s | %s | %s |\n", r.Type, strings.Join(r.From, ", "), strings.Join(r.To, ", "), r.Description, strings.Join(props, "; "))
	}
	w("\n`(:%s)-[:%s]->(:%s)`: the report names the entity. It carries what that source says of it: ", ReportLabel, MentionsType, EntityLabel)
	var mp []string
	for _, p := range CommonProperties {
		if p.Name != KeyProperty {
			mp = append(mp, "`"+p.Name+"`")
		}
	}
	mp = append(mp, "`quote`")
	for _, p := range m.EntityProperties() {
		mp = append(mp, "`"+p.Name+"`")
	}
	w("%s. An entity's own properties are derived from all its MENTIONS (see design.md).\n", strings.Join(mp, ", "))

	m.stixMarkdown(w)

	w("\n## Indexes\n\n")
	w("Created with the constraints, before any write (`threatkg schema apply`).\n\n")
	w("| name | kind | on | properties | for |\n|---|---|---|---|---|\n")
	for _, ix := range m.Indexes() {
		on := "`:" + ix.Label + "`"
		if ix.RelType != "" {
			on = "`[:" + ix.RelType + "]`"
		}
		kind := string(ix.Kind)
		if ix.Analyzer != "" {
			kind += " (" + ix.Analyzer + ")"
		}
		w("| `%s` | %s | %s | `%s` | %s |\n", ix.Name, kind, on, strings.Join(ix.Properties, "`, `"), ix.Purpose)
	}
	return b.String()
}

// stixMarkdown documents the STIX 2.1 mapping the model declares, which
// both the import and the export use (docs/stix.md tells the rest).
func (m Model) stixMarkdown(w func(string, ...any)) {
	w("\n## STIX 2.1\n\n")
	w("STIX import and export both follow this mapping. A STIX type several labels share is decided per object (docs/stix.md).\n\n")
	w("| label | STIX type written | also read from | properties in STIX's own |\n|---|---|---|---|\n")
	for _, n := range m.Nodes {
		var props []string
		for _, p := range n.Properties {
			if p.STIX != "" {
				props = append(props, fmt.Sprintf("`%s` as `%s`", p.Name, p.STIX))
			}
		}
		w("| `%s` | `%s` | %s | %s |\n", n.Label, n.STIXType, codeList(n.STIXImport), strings.Join(props, ", "))
	}
	w("\n| type | STIX relationship_type written | also read from |\n|---|---|---|\n")
	for _, r := range m.Rels {
		var also []string
		if len(r.STIX) > 1 {
			also = r.STIX[1:]
		}
		w("| `%s` | `%s` | %s |\n", r.Type, r.STIXName(), codeList(also))
	}
}

func codeList(items []string) string {
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = "`" + s + "`"
	}
	return strings.Join(out, ", ")
}
