package loaders

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/google/uuid"

	"github.com/threatkg/threatkg/graph/model"
)

// threatkg's own STIX properties: the names they had as top-level custom
// properties, which the import still reads; the export now puts them in
// threatkg's property extension (stix_extensions.go).
const (
	xSource     = "x_threatkg_source"     // on a relationship: the uid of the report (source) that makes the claim
	xDate       = "x_threatkg_date"       // on a relationship: the claim's date as the source gives it
	xProperties = "x_threatkg_properties" // the model's properties STIX has no place for
	xKind       = "x_threatkg_kind"       // on a report: article, stix-bundle, ...
	xPublisher  = "x_threatkg_publisher"  // on a report
	xURL        = "x_threatkg_url"        // on a report
	xQuotes     = "x_threatkg_quotes"     // on a report: entity uid -> the quote where the source names it
	xAliases    = "x_threatkg_aliases"    // on a STIX type without aliases
)

// exportNamespace derives the export's bundle id from its content.
var exportNamespace = uuid.MustParse("a3c1f1d2-5b7e-4c9a-8e61-2f0d9b4c7e10")

// WriteSTIX turns documents (one per source, as graph.Documents reads them)
// into a STIX 2.1 bundle: an object per entity, a relationship per claim
// (x_threatkg_source names its source), and a report per source whose
// object_refs are the entities it mentions and the claims it makes. Output
// is deterministic: objects sorted, timestamps derived from source dates.
func WriteSTIX(docs []model.Document) ([]byte, error) {
	entities := map[string]model.Entity{}
	firstSeen := map[string]string{} // entity uid -> earliest source date
	var objects []map[string]any
	var claims []map[string]any
	var reportIDs []string
	for _, d := range docs {
		reportIDs = append(reportIDs, d.Source.UID)
		ts := timestamp(d.Source.Date)
		refs := []string{}
		quotes := map[string]string{}
		for _, e := range d.Entities {
			if _, seen := entities[e.UID]; !seen {
				entities[e.UID] = e
			}
			if prev, ok := firstSeen[e.UID]; !ok || ts < prev {
				firstSeen[e.UID] = ts
			}
			refs = append(refs, e.UID)
			quotes[e.UID] = e.Quote
		}
		for _, c := range d.Claims {
			rel := map[string]any{
				"type": "relationship", "spec_version": "2.1", "id": c.UID, "created": ts, "modified": ts,
				"relationship_type": stixRelationshipTypeFrom(c.Type, model.STIXType(c.From)), "source_ref": c.From, "target_ref": c.To,
				"description": c.Quote, xSource: d.Source.UID,
			}
			if c.Date != "" {
				rel[xDate] = c.Date
			}
			if len(c.Properties) > 0 {
				rel[xProperties] = c.Properties
			}
			if refs := externalRefs(c.Citations); len(refs) > 0 {
				rel["external_references"] = refs
			}
			claims = append(claims, rel)
			refs = append(refs, c.UID)
		}
		sort.Strings(refs)
		if len(refs) == 0 {
			continue // a report must refer to something
		}
		report := map[string]any{
			"type": "report", "spec_version": "2.1", "id": d.Source.UID, "created": ts, "modified": ts,
			"name": d.Source.Title, "published": ts, "object_refs": refs,
			xKind: d.Source.Kind, xQuotes: quotes,
		}
		if d.Source.Publisher != "" {
			report[xPublisher] = d.Source.Publisher
		}
		if d.Source.URL != "" {
			report[xURL] = d.Source.URL
		}
		objects = append(objects, report)
	}
	for uid, e := range entities {
		o, err := stixEntity(e, firstSeen[uid])
		if err != nil {
			return nil, err
		}
		objects = append(objects, o)
	}
	objects = append(objects, claims...)
	// threatkg's own properties and types, declared by extension
	// definitions (stix_extensions.go).
	used := map[string]bool{}
	for _, o := range objects {
		useExtensions(o, used)
	}
	objects = append(objects, definitionObjects(used)...)
	sort.Slice(objects, func(i, j int) bool { return objects[i]["id"].(string) < objects[j]["id"].(string) })
	sort.Strings(reportIDs)
	bundle := map[string]any{
		"type":    "bundle",
		"id":      "bundle--" + uuid.NewSHA1(exportNamespace, []byte(strings.Join(reportIDs, "\n"))).String(),
		"objects": objects,
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(bundle); err != nil {
		return nil, fmt.Errorf("encode STIX bundle: %w", err)
	}
	return b.Bytes(), nil
}

// stixEntity writes one entity as the STIX object of its label.
func stixEntity(e model.Entity, created string) (map[string]any, error) {
	typ := model.STIXType(e.UID)
	if typ == "" {
		return nil, fmt.Errorf("entity %q has no STIX id (%s)", e.Name, e.UID)
	}
	node, _ := model.Declared.Node(e.Label)
	if node.Identity == model.ByValue {
		return stixObservable(e, typ), nil
	}
	o := map[string]any{"type": typ, "spec_version": "2.1", "id": e.UID, "created": created, "modified": created, "name": e.Name}
	if e.Description != "" {
		o["description"] = e.Description
	}
	extra := map[string]any{}
	for k, v := range e.Properties {
		extra[k] = v
	}
	take := func(k string) (any, bool) {
		v, ok := extra[k]
		delete(extra, k)
		return v, ok
	}
	// takeDate is take for a date: a STIX timestamp is a full date, so a
	// vaguer one (2006, 2006-05) also stays in x_threatkg_properties, which
	// the import prefers, and the round trip keeps its precision.
	takeDate := func(k string) (string, bool) {
		v, ok := extra[k].(string)
		if ok && len(v) == len("2006-01-02") {
			delete(extra, k)
		}
		return v, ok
	}
	aliases := len(e.Aliases) > 0
	switch e.Label {
	case model.LabelThreatActor, model.LabelCampaign, model.LabelMalware, model.LabelTool, model.LabelTechnique:
		if aliases {
			o["aliases"] = e.Aliases
		}
		if id, ok := take("external_id"); ok {
			ref := map[string]any{"source_name": "mitre-attack", "external_id": id}
			if url, ok := take("url"); ok {
				ref["url"] = url
			}
			o["external_references"] = []any{ref}
		}
	}
	switch e.Label {
	case model.LabelVulnerability:
		if id, ok := take("external_id"); ok {
			ref := map[string]any{"source_name": "cve", "external_id": id}
			if url, ok := take("url"); ok {
				ref["url"] = url
			}
			o["external_references"] = []any{ref}
		}
	case model.LabelMalware:
		o["is_family"] = true
	case model.LabelTechnique:
		if v, ok := take("tactics"); ok {
			var phases []any
			for _, t := range v.([]string) {
				phases = append(phases, map[string]any{"kill_chain_name": "mitre-attack", "phase_name": t})
			}
			o["kill_chain_phases"] = phases
		}
	case model.LabelPerson:
		o["identity_class"] = "individual"
	case model.LabelOrganization:
		o["identity_class"] = "organization"
	case model.LabelGovernment:
		o["identity_class"] = "organization"
		o["sectors"] = []string{"government-national"}
	case model.LabelSector:
		o["identity_class"] = "class"
	case model.LabelRegion:
		// STIX's region vocabulary is lower case and hyphenated ("middle-east")
		o["region"] = strings.ToLower(strings.Join(strings.Fields(e.Name), "-"))
	case model.LabelCountry:
		country := e.Name
		if v, ok := take("iso2"); ok {
			country = v.(string)
		}
		o["country"] = country
	}
	// The properties the model maps to STIX's own (Property.STIX).
	for _, p := range node.Properties {
		switch {
		case p.STIX == "":
		case p.Type == model.Date:
			if v, ok := takeDate(p.Name); ok {
				o[p.STIX] = timestamp(v)
			}
		default:
			if v, ok := take(p.Name); ok {
				o[p.STIX] = v
			}
		}
	}
	if e.Label == model.LabelIndicator {
		// Required by STIX 2.1; a source that gave none (a MISP attribute)
		// has its pattern in STIX's language, valid since it was published.
		if _, ok := o["pattern_type"]; !ok {
			o["pattern_type"] = "stix"
		}
		if _, ok := o["valid_from"]; !ok {
			o["valid_from"] = created
		}
	}
	switch e.Label {
	case model.LabelPerson, model.LabelOrganization, model.LabelGovernment, model.LabelSector, model.LabelCountry, model.LabelRegion, model.LabelAgreement, model.LabelLegalAction, model.LabelVulnerability, model.LabelIndicator:
		// These STIX types have no aliases property.
		if aliases {
			o[xAliases] = e.Aliases
		}
	}
	if len(extra) > 0 {
		o[xProperties] = extra
	}
	return o, nil
}

// stixObservable writes an observable as a STIX cyber-observable: its
// value (or a file's hashes and name) and nothing else, so that its id is
// STIX's deterministic id of what it holds. (What sources say of it is in
// the reports' quotes and the claims.)
func stixObservable(e model.Entity, typ string) map[string]any {
	o := map[string]any{"type": typ, "spec_version": "2.1", "id": e.UID}
	if e.Label != model.LabelFile {
		o["value"] = e.Properties["value"]
		return o
	}
	h := map[string]any{}
	for _, k := range model.HashKinds {
		if v, ok := e.Properties[k.Property]; ok {
			h[k.STIX] = v
		}
	}
	if len(h) > 0 {
		o["hashes"] = h
	}
	if v, ok := e.Properties["file_name"]; ok {
		o["name"] = v
	}
	return o
}

// stixRelationshipTypeFrom is stixRelationshipType for a claim from an
// object of STIX type from: STIX has malware "exploit" a vulnerability, and
// actors, campaigns and tools "target" it.
func stixRelationshipTypeFrom(t, from string) string {
	if t == model.RelExploits && from != "malware" {
		return "targets"
	}
	return stixRelationshipType(t)
}

// stixRelationshipType names a model relationship type in STIX: the spec's
// own name where there is one, else the lower-case, hyphenated type (STIX
// relationship types are an open vocabulary).
func stixRelationshipType(t string) string {
	rt, ok := model.Declared.Rel(t)
	if !ok {
		rt = model.RelType{Type: t}
	}
	return rt.STIXName()
}

// timestamp turns a model date (YYYY, YYYY-MM, YYYY-MM-DD) into a STIX one.
func timestamp(date string) string {
	switch len(date) {
	case 4:
		date += "-01-01"
	case 7:
		date += "-01"
	case 10:
	default:
		date = "1970-01-01"
	}
	return date + "T00:00:00.000Z"
}

// externalRefs turns citations ("name: description <url>", as the import
// writes them) back into STIX external references.
func externalRefs(citations []string) []any {
	var out []any
	for _, c := range citations {
		ref := map[string]any{}
		if i := strings.LastIndex(c, " <"); i >= 0 && strings.HasSuffix(c, ">") {
			ref["url"] = c[i+2 : len(c)-1]
			c = c[:i]
		} else if strings.HasPrefix(c, "<") && strings.HasSuffix(c, ">") {
			ref["url"] = c[1 : len(c)-1]
			c = ""
		}
		name, desc, found := strings.Cut(c, ": ")
		if !found {
			name, desc = c, ""
		}
		if name == "" {
			name = "citation"
		}
		ref["source_name"] = name
		if desc != "" {
			ref["description"] = desc
		} else if ref["url"] == nil {
			ref["description"] = name
		}
		out = append(out, ref)
	}
	return out
}
