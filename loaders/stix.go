package loaders

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	segjson "github.com/segmentio/encoding/json"

	"github.com/threatkg/threatkg/graph/model"
)

// MaxSTIXSize bounds a STIX file: MITRE's whole Enterprise ATT&CK bundle is
// about 45 MB.
const MaxSTIXSize = 256 << 20

// LooksLikeJSON reports whether a file should be read as STIX: a .json name,
// or content that starts with '{'.
func LooksLikeJSON(name string, head []byte) bool {
	if strings.EqualFold(filepath.Ext(name), ".json") {
		return true
	}
	trimmed := bytes.TrimLeft(head, " \t\r\n\ufeff")
	return len(trimmed) > 0 && trimmed[0] == '{'
}

// STIXResult is what a STIX file holds, as model rows.
type STIXResult struct {
	// Documents: the bundle first (every entity and claim), then one per
	// STIX report object (its object_refs become MENTIONS).
	Documents []model.Document
	// Skipped counts what was left out and why, e.g.
	// "12 indicator objects: type not in threatkg's model".
	Skipped []string
	// Unresolved are references to objects not in the file; each must
	// already be in the graph, or the load is refused (with these problems).
	Unresolved map[string][]Problem
}

// stixObject holds the STIX 2.1 properties threatkg reads.
type stixObject struct {
	Type             string        `json:"type"`
	ID               string        `json:"id"`
	SpecVersion      string        `json:"spec_version"`
	Created          string        `json:"created"`
	Modified         string        `json:"modified"`
	CreatedByRef     string        `json:"created_by_ref"`
	Name             string        `json:"name"`
	Description      string        `json:"description"`
	Aliases          []string      `json:"aliases"`
	Revoked          bool          `json:"revoked"`
	ExternalRefs     []externalRef `json:"external_references"`
	KillChainPhases  []killChain   `json:"kill_chain_phases"`
	IdentityClass    string        `json:"identity_class"`
	Sectors          []string      `json:"sectors"`
	Country          string        `json:"country"`
	Region           string        `json:"region"`
	Latitude         *float64      `json:"latitude"`
	Longitude        *float64      `json:"longitude"`
	RelationshipType string        `json:"relationship_type"`
	SourceRef        string        `json:"source_ref"`
	TargetRef        string        `json:"target_ref"`
	StartTime        string        `json:"start_time"`
	ObjectRefs       []string      `json:"object_refs"`
	Published        string        `json:"published"`
	FirstSeen        string        `json:"first_seen"`
	LastSeen         string        `json:"last_seen"`
	IsFamily         *bool         `json:"is_family"`
	Objects          []any         `json:"objects"` // a bundle inside a bundle is refused
	MitreAliases     []string      `json:"x_mitre_aliases"`
	MitreDeprecated  bool          `json:"x_mitre_deprecated"`
	MitreSubtech     bool          `json:"x_mitre_is_subtechnique"`
	MitrePlatforms   []string      `json:"x_mitre_platforms"`
	MitreSpecVersion string        `json:"x_mitre_attack_spec_version"`
	MitreVersion     string        `json:"x_mitre_version"`
	// Indicators and cyber-observables (stix_observables.go). Typed any:
	// custom objects may use these names for other types, which must not
	// make a bundle unreadable; validate checks them on the types that
	// define them.
	Value          any `json:"value"`
	Hashes         any `json:"hashes"`
	Pattern        any `json:"pattern"`
	PatternType    any `json:"pattern_type"`
	ValidFrom      any `json:"valid_from"`
	ValidUntil     any `json:"valid_until"`
	IndicatorTypes any `json:"indicator_types"`
	ResolvesToRefs any `json:"resolves_to_refs"`
	// threatkg's own custom properties (see stix_export.go).
	XProperties map[string]any    `json:"x_threatkg_properties"`
	XAliases    []string          `json:"x_threatkg_aliases"`
	XSource     string            `json:"x_threatkg_source"`
	XDate       string            `json:"x_threatkg_date"`
	XKind       string            `json:"x_threatkg_kind"`
	XPublisher  string            `json:"x_threatkg_publisher"`
	XURL        string            `json:"x_threatkg_url"`
	XQuotes     map[string]string `json:"x_threatkg_quotes"`
	// STIX 2.1 extensions, threatkg's property extension among them
	// (readExtension).
	Extensions map[string]any `json:"extensions"`
}

// decodeExact unmarshals a STIX object, taking only properties whose names
// match exactly: encoding/json matches names case-insensitively, but STIX
// property names are case-sensitive ("CreAted" is not "created").
// segmentio/encoding's parser (well kept, API-compatible with
// encoding/json, several times faster on large bundles) can match names
// exactly, in one pass.
func decodeExact(raw []byte, o *stixObject) error {
	if _, err := segjson.Parse(raw, o, segjson.DontMatchCaseInsensitiveStructFields); err != nil {
		return err
	}
	return o.readExtension()
}

// stixFieldNames are the JSON names stixObject reads.
var stixFieldNames = func() map[string]bool {
	names := map[string]bool{}
	t := reflect.TypeOf(stixObject{})
	for i := 0; i < t.NumField(); i++ {
		if name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); name != "" && name != "-" {
			names[name] = true
		}
	}
	return names
}()

type externalRef struct {
	SourceName  string `json:"source_name"`
	ExternalID  string `json:"external_id"`
	URL         string `json:"url"`
	Description string `json:"description"`
}

type killChain struct {
	KillChainName string `json:"kill_chain_name"`
	PhaseName     string `json:"phase_name"`
}

// sdoTypes are the STIX 2.1 domain and relationship object types: they need
// spec_version, created and modified.
var sdoTypes = map[string]bool{
	"attack-pattern": true, "campaign": true, "course-of-action": true, "grouping": true, "identity": true,
	"incident": true, "indicator": true, "infrastructure": true, "intrusion-set": true, "location": true,
	"malware": true, "malware-analysis": true, "note": true, "observed-data": true, "opinion": true,
	"report": true, "threat-actor": true, "tool": true, "vulnerability": true, "relationship": true, "sighting": true,
}

var (
	stixTypePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,248}[a-z0-9]$`)
	stixTimestamp   = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$`)
)

type placedObject struct {
	obj  stixObject
	line int
	col  int
}

// ReadSTIX reads a STIX 2.1 bundle (or a single STIX object) from data; name
// is the file name or URL, for messages. It validates everything it reads
// (JSON syntax, required properties, id shapes, timestamps, references) and
// returns every problem with its line and column as an *InputError.
func ReadSTIX(name string, data []byte, m model.Model) (STIXResult, error) {
	return readSTIX(name, data, m, nil)
}

// Feed says where a bundle of fetched objects came from: a TAXII pull.
type Feed struct {
	Collection            string // taxii+https://host/api-root/collections/ID/
	Title                 string // the collection's title
	AddedFirst, AddedLast string // date_added of the first and last object fetched
}

// ReadSTIXFeed reads the bundle made of one pull of a TAXII collection. Its
// Report is keyed by the collection and the bundle's id (derived from what
// was fetched), never by an x-mitre-collection object among the objects:
// each incremental pull is a source of its own, which a later pull must
// not replace.
func ReadSTIXFeed(name string, data []byte, m model.Model, feed Feed) (STIXResult, error) {
	return readSTIX(name, data, m, &feed)
}

func readSTIX(name string, data []byte, m model.Model, feed *Feed) (STIXResult, error) {
	ps := &problems{file: name}
	if len(data) > MaxSTIXSize {
		ps.at(0, 0, "larger than %d MiB; threatkg reads at most that much of one file", MaxSTIXSize>>20)
		return STIXResult{}, ps.err()
	}
	if !utf8.Valid(data) {
		line, col := invalidUTF8Position(data)
		ps.at(line, col, "not valid UTF-8; STIX is UTF-8 JSON")
		return STIXResult{}, ps.err()
	}
	if !segjson.Valid(data) {
		// Only now decode the whole file, for encoding/json's message and
		// position of the first error.
		var decoded any
		if err := json.Unmarshal(data, &decoded); err != nil {
			line, col := jsonErrorPosition(data, err)
			ps.at(line, col, "invalid JSON: %s", strings.TrimPrefix(err.Error(), "json: "))
			return STIXResult{}, ps.err()
		}
	}
	if body := bytes.TrimLeft(data, " \t\r\n"); len(body) == 0 || body[0] != '{' {
		ps.at(1, 1, "not a STIX bundle or object: the file must hold one JSON object")
		return STIXResult{}, ps.err()
	}
	// The top level's type, id and spec_version, without decoding the
	// objects (placeObjects decodes them one by one).
	var head struct {
		Type        json.RawMessage `json:"type"`
		ID          json.RawMessage `json:"id"`
		SpecVersion json.RawMessage `json:"spec_version"`
	}
	if _, err := segjson.Parse(data, &head, segjson.DontMatchCaseInsensitiveStructFields); err != nil {
		ps.at(1, 1, "invalid JSON: %v", err)
		return STIXResult{}, ps.err()
	}
	top := map[string]any{}
	for key, raw := range map[string]json.RawMessage{"type": head.Type, "id": head.ID, "spec_version": head.SpecVersion} {
		var v any
		if len(raw) > 0 && json.Unmarshal(raw, &v) == nil {
			top[key] = v
		}
	}
	var objects []placedObject
	bundleID := ""
	if top["type"] == "bundle" {
		bundleID, _ = top["id"].(string)
		if t := stixIDType(bundleID); t != "bundle" {
			ps.at(1, 1, "bundle id %q is not of the form bundle--<uuid>", bundleID)
		}
		if sv, ok := top["spec_version"]; ok && sv != "2.0" && sv != "2.1" {
			ps.at(1, 1, "bundle spec_version %v: threatkg reads STIX 2.1", sv)
		}
		if sv, _ := top["spec_version"].(string); sv == "2.0" {
			ps.at(1, 1, "this is a STIX 2.0 bundle (spec_version 2.0); threatkg reads STIX 2.1: convert it first")
		}
		objects = placeObjects(data, ps)
	} else {
		var o stixObject
		if err := decodeExact(data, &o); err != nil {
			ps.at(1, 1, "%s", typeErrorMessage(err))
		} else {
			objects = []placedObject{{obj: o, line: 1, col: 1}}
		}
	}
	if err := ps.err(); err != nil {
		return STIXResult{}, err
	}
	r := &stixReader{ps: ps, model: m, name: name, byID: map[string]*placedObject{}, skip: map[string]int{}, feed: feed}
	return r.read(objects, bundleID, data)
}

// placeObjects decodes the bundle's objects one by one, keeping where each
// starts in the file.
func placeObjects(data []byte, ps *problems) []placedObject {
	dec := json.NewDecoder(bytes.NewReader(data))
	if _, err := dec.Token(); err != nil { // {
		return nil
	}
	var out []placedObject
	pos := &cursor{data: data, line: 1, col: 1}
	for dec.More() {
		keyTok, err := dec.Token()
		if err != nil {
			return out
		}
		key, _ := keyTok.(string)
		if key != "objects" {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return out
			}
			continue
		}
		if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
			line, col := pos.at(int(dec.InputOffset()))
			ps.at(line, col, "bundle 'objects' must be a list")
			return out
		}
		for dec.More() {
			start := int(dec.InputOffset())
			for start < len(data) && (data[start] == ',' || data[start] == ' ' || data[start] == '\n' || data[start] == '\r' || data[start] == '\t') {
				start++
			}
			line, col := pos.at(start)
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				ps.at(line, col, "%v", err)
				return out
			}
			var o stixObject
			if err := decodeExact(raw, &o); err != nil {
				ps.at(line, col, "%s", typeErrorMessage(err))
				continue
			}
			out = append(out, placedObject{obj: o, line: line, col: col})
		}
		if _, err := dec.Token(); err != nil { // ]
			return out
		}
	}
	return out
}

type stixReader struct {
	ps    *problems
	model model.Model
	name  string
	byID  map[string]*placedObject
	skip  map[string]int // reason -> count
	// labels of the objects that became entities, by STIX id and by
	// entity uid (which differ for observables: see entityUID)
	labels map[string]string
	// uids maps the STIX id of an observable to its entity uid, STIX's
	// deterministic id of its normalised value, when the two differ.
	uids map[string]string
	feed *Feed // a TAXII pull's bundle; nil for a file
}

// entityUID is the uid of the entity a STIX id names.
func (r *stixReader) entityUID(id string) string { return cmp.Or(r.uids[id], id) }

func (r *stixReader) skipped(format string, args ...any) { r.skip[fmt.Sprintf(format, args...)]++ }

func (r *stixReader) read(objects []placedObject, bundleID string, data []byte) (STIXResult, error) {
	// 1. Validate every object; index them by id.
	for i := range objects {
		p := &objects[i]
		r.validate(p)
		if p.obj.ID != "" {
			if prev, dup := r.byID[p.obj.ID]; dup && prev.obj.Modified == p.obj.Modified {
				r.ps.at(p.line, p.col, "object %s appears twice (first at line %d)", p.obj.ID, prev.line)
				continue
			}
			// Several versions of one object: the newest wins (STIX versioning).
			if prev, dup := r.byID[p.obj.ID]; !dup || p.obj.Modified > prev.obj.Modified {
				r.byID[p.obj.ID] = p
			}
		}
	}
	if err := r.ps.err(); err != nil {
		return STIXResult{}, err
	}

	// 2. Entities.
	r.labels, r.uids = map[string]string{}, map[string]string{}
	bundle := model.Document{Source: r.source(objects, bundleID, data), External: map[string]string{}}
	entityAt := map[string]int{} // entity uid -> its index in bundle.Entities
	var reports []*placedObject
	for _, id := range sortedKeys(r.byID) {
		p := r.byID[id]
		o := p.obj
		switch {
		case o.Type == "relationship":
			continue
		case o.Type == "report":
			reports = append(reports, p)
			continue
		case isThreatkgDefinition(o.ID):
			continue // threatkg's extension definitions: read as what they declare
		case o.Revoked:
			r.skipped("%s objects: revoked", o.Type)
			continue
		case o.MitreDeprecated:
			r.skipped("%s objects: deprecated (x_mitre_deprecated)", o.Type)
			continue
		}
		e, ok := r.entity(o)
		if !ok {
			continue
		}
		r.labels[o.ID], r.labels[e.UID] = e.Label, e.Label
		if e.UID != o.ID {
			r.uids[o.ID] = e.UID
		}
		if _, dup := entityAt[e.UID]; dup {
			continue // two objects of one observable value: one entity
		}
		entityAt[e.UID] = len(bundle.Entities)
		bundle.Entities = append(bundle.Entities, e)
	}

	// 3. Claims.
	unresolved := map[string][]Problem{}
	attributed := map[string][]model.Claim{} // report id -> its claims
	stated := map[[3]string]bool{}           // type, from, to of the claims relationships state
	for _, id := range sortedKeys(r.byID) {
		p := r.byID[id]
		o := p.obj
		if o.Type != "relationship" {
			continue
		}
		if o.Revoked || o.MitreDeprecated {
			r.skipped("relationships: revoked or deprecated")
			continue
		}
		relType, ok := r.model.RelOfSTIX(o.RelationshipType)
		if !ok {
			r.skipped("%s relationships: type not in threatkg's model", o.RelationshipType)
			continue
		}
		ends := [2]string{o.SourceRef, o.TargetRef}
		labels := [2]string{}
		usable := true
		for i, ref := range ends {
			if l, ok := r.labels[ref]; ok {
				labels[i] = l
				continue
			}
			target, inFile := r.byID[ref]
			switch {
			case !inFile:
				unresolved[ref] = append(unresolved[ref], Problem{File: r.name, Line: p.line, Col: p.col,
					Msg: fmt.Sprintf("relationship %s refers to %s, which is neither in this file nor in the graph", o.ID, ref)})
				labels[i] = "" // resolved against the graph later
			case target.obj.Revoked || target.obj.MitreDeprecated:
				r.skipped("relationships to revoked or deprecated objects")
				usable = false
			default:
				r.skipped("%s relationships: an end is a %s, which threatkg does not map", o.RelationshipType, target.obj.Type)
				usable = false
			}
		}
		if !usable {
			continue
		}
		// STIX says an actor, campaign or tool "targets" a vulnerability
		// (and malware "exploits" it): both are EXPLOITS here.
		if relType == model.RelTargeted && (labels[1] == model.LabelVulnerability || labels[1] == "" && stixIDType(o.TargetRef) == "vulnerability") {
			relType = model.RelExploits
		}
		rt, _ := r.model.Rel(relType)
		if labels[0] != "" && labels[1] != "" && !rt.Allows(labels[0], labels[1]) {
			r.skipped("%s relationships from %s to %s: not in threatkg's model", o.RelationshipType, labels[0], labels[1])
			continue
		}
		quote := strings.TrimSpace(o.Description)
		if quote == "" {
			quote = fmt.Sprintf("STIX %s relationship %s", o.RelationshipType, o.ID)
		}
		claim := model.Claim{
			UID: o.ID, Type: relType, From: r.entityUID(o.SourceRef), To: r.entityUID(o.TargetRef),
			Quote: quote, Date: datePart(o.StartTime), Citations: citations(o.ExternalRefs),
		}
		if o.XDate != "" && IsDate(o.XDate) {
			claim.Date = o.XDate
		}
		claim.Properties = r.properties(p, "relationship", func(name string) (model.Property, bool) {
			for _, prop := range rt.Properties {
				if prop.Name == name {
					return prop, true
				}
			}
			return model.Property{}, false
		}, o.XProperties)
		stated[[3]string{claim.Type, claim.From, claim.To}] = true
		// A claim that names its source report (threatkg's export) belongs
		// to that report, so provenance survives export and import.
		if src, ok := r.byID[o.XSource]; ok && src.obj.Type == "report" {
			attributed[o.XSource] = append(attributed[o.XSource], claim)
			continue
		}
		bundle.Claims = append(bundle.Claims, claim)
	}

	// Claims the objects themselves make: an indicator's pattern, a
	// domain's resolves_to_refs (where no relationship states them).
	r.derivedClaims(&bundle, entityAt, stated)

	// 4. Reports: each is a source of its own that mentions its objects.
	byUID := map[string]model.Entity{}
	for _, e := range bundle.Entities {
		byUID[e.UID] = e
	}
	var reportDocs []model.Document
	inThreatkgReport := map[string]bool{}
	for _, p := range reports {
		o := p.obj
		doc := model.Document{Source: model.Source{
			UID: o.ID, Kind: "stix-report", Title: o.Name, Publisher: r.creatorName(o.CreatedByRef),
			Date: datePart(o.Published), STIXID: o.ID, File: bundle.Source.File, TextSHA256: bundle.Source.TextSHA256,
			URL: o.XURL,
		}, Claims: attributed[o.ID], External: map[string]string{}}
		if o.XKind != "" { // written by threatkg's export: the report is one of its sources
			doc.Source.Kind, doc.Source.Publisher, doc.Source.STIXID = o.XKind, o.XPublisher, ""
		}
		mentioned := map[string]bool{}
		for _, ref := range o.ObjectRefs {
			if e, ok := byUID[r.entityUID(ref)]; ok {
				if mentioned[e.UID] {
					continue
				}
				if q := cmp.Or(o.XQuotes[ref], o.XQuotes[e.UID]); q != "" {
					e.Quote = q
				}
				doc.Entities = append(doc.Entities, e)
				mentioned[e.UID] = true
				if o.XKind != "" {
					inThreatkgReport[e.UID] = true
				}
			} else if _, inFile := r.byID[ref]; !inFile {
				unresolved[ref] = append(unresolved[ref], Problem{File: r.name, Line: p.line, Col: p.col,
					Msg: fmt.Sprintf("report %s refers to %s, which is neither in this file nor in the graph", o.ID, ref)})
			}
		}
		for _, c := range doc.Claims {
			for _, end := range []string{c.From, c.To} {
				if label, ok := r.labels[end]; ok && !mentioned[end] {
					doc.External[end] = label
				}
			}
		}
		reportDocs = append(reportDocs, doc)
	}
	// Entities that threatkg's own reports mention belong to those reports;
	// the bundle itself is a source only of what is left.
	if len(inThreatkgReport) > 0 {
		kept := bundle.Entities[:0]
		for _, e := range bundle.Entities {
			if !inThreatkgReport[e.UID] {
				kept = append(kept, e)
			}
		}
		bundle.Entities = kept
		for _, c := range bundle.Claims {
			for _, end := range []string{c.From, c.To} {
				if label, ok := r.labels[end]; ok && inThreatkgReport[end] {
					bundle.External[end] = label
				}
			}
		}
	}
	var docs []model.Document
	if len(bundle.Entities) > 0 || len(bundle.Claims) > 0 || len(reportDocs) == 0 {
		docs = append(docs, bundle)
	}
	docs = append(docs, reportDocs...)

	var skipped []string
	for reason, n := range r.skip {
		skipped = append(skipped, fmt.Sprintf("%d %s", n, reason))
	}
	sort.Strings(skipped)
	docs[0].Source.Skipped = skipped
	if err := r.ps.err(); err != nil { // problems found while mapping
		return STIXResult{}, err
	}
	return STIXResult{Documents: docs, Skipped: skipped, Unresolved: unresolved}, nil
}

// validate checks the properties STIX 2.1 requires of an object.
func (r *stixReader) validate(p *placedObject) {
	o := p.obj
	at := func(format string, args ...any) {
		what := o.ID
		if what == "" {
			what = "object"
		}
		r.ps.at(p.line, p.col, "%s: %s", what, fmt.Sprintf(format, args...))
	}
	if o.Type == "" {
		at("missing required property 'type'")
		return
	}
	if !stixTypePattern.MatchString(o.Type) {
		at("type %q is not a STIX type name", o.Type)
		return
	}
	if o.Type == "bundle" || o.Objects != nil {
		at("a bundle cannot be an object of a bundle")
		return
	}
	if o.ID == "" {
		at("missing required property 'id'")
	} else if t := stixIDType(o.ID); t != o.Type {
		at("id %q must be %s--<uuid>", o.ID, o.Type)
	}
	if !sdoTypes[o.Type] {
		if o.SpecVersion != "" && o.SpecVersion != "2.1" {
			at("spec_version %q: threatkg reads STIX 2.1", o.SpecVersion)
		}
		r.validateObservable(o, at)
		return // custom, marking and other cyber-observable objects: skipped later
	}
	switch {
	case o.SpecVersion == "":
		at("missing required property 'spec_version' (\"2.1\")")
	case o.SpecVersion != "2.1":
		at("spec_version %q: threatkg reads STIX 2.1", o.SpecVersion)
	}
	created, okC := r.timestamp(p, "created", o.Created, true)
	modified, okM := r.timestamp(p, "modified", o.Modified, true)
	if okC && okM && modified.Before(created) {
		at("'modified' (%s) is earlier than 'created' (%s); it must be later or equal", o.Modified, o.Created)
	}
	need := func(prop, value string) {
		if strings.TrimSpace(value) == "" {
			at("missing required property '%s'", prop)
		}
	}
	switch o.Type {
	case "attack-pattern", "campaign", "identity", "intrusion-set", "threat-actor", "tool", "report":
		need("name", o.Name)
	case "malware":
		if o.IsFamily == nil {
			at("missing required property 'is_family'")
		} else if *o.IsFamily {
			need("name", o.Name)
		}
	case "location":
		if o.Region == "" && o.Country == "" && (o.Latitude == nil || o.Longitude == nil) {
			at("a location needs 'region', 'country', or 'latitude' and 'longitude'")
		}
	case "relationship":
		need("relationship_type", o.RelationshipType)
		for _, ref := range []struct{ prop, v string }{{"source_ref", o.SourceRef}, {"target_ref", o.TargetRef}} {
			if ref.v == "" {
				at("missing required property '%s'", ref.prop)
			} else if stixIDType(ref.v) == "" {
				at("%s %q is not a STIX id", ref.prop, ref.v)
			}
		}
	}
	if o.Type == "indicator" {
		r.validateIndicator(p, at)
	}
	if o.Type == "report" {
		if _, ok := r.timestamp(p, "published", o.Published, true); !ok {
			return
		}
		if len(o.ObjectRefs) == 0 {
			at("a report needs at least one object_refs entry")
		}
	}
	for _, ts := range []struct{ prop, v string }{{"first_seen", o.FirstSeen}, {"last_seen", o.LastSeen}, {"start_time", o.StartTime}} {
		r.timestamp(p, ts.prop, ts.v, false)
	}
}

func (r *stixReader) timestamp(p *placedObject, prop, v string, required bool) (time.Time, bool) {
	if v == "" {
		if required {
			r.ps.at(p.line, p.col, "%s: missing required property '%s'", p.obj.ID, prop)
		}
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil || !stixTimestamp.MatchString(v) {
		r.ps.at(p.line, p.col, "%s: '%s' %q is not a STIX timestamp (YYYY-MM-DDThh:mm:ss[.s+]Z)", p.obj.ID, prop, v)
		return time.Time{}, false
	}
	return t, true
}

// entity maps a STIX object to an entity row; ok is false (and the reason
// counted) when the model has no place for it.
func (r *stixReader) entity(o stixObject) (model.Entity, bool) {
	label, decided, ok := r.model.LabelOfSTIX(o.Type)
	switch {
	case !ok || decided:
	case o.Type == "identity":
		label, ok = identityLabel(o), true
	case o.Type == "location" && o.Country == "" && o.Region != "":
		label, ok = model.LabelRegion, true
	case o.Type == "location":
		if o.Country == "" {
			r.skipped("location objects: no country or region")
			return model.Entity{}, false
		}
		label, ok = model.LabelCountry, true
	}
	if !ok {
		r.skipped("%s objects: type not in threatkg's model", o.Type)
		return model.Entity{}, false
	}
	node, _ := r.model.Node(label)
	if node.Identity == model.ByValue {
		return r.observableEntity(o, node)
	}
	name := strings.TrimSpace(o.Name)
	if name == "" && label == model.LabelIndicator {
		name = str(o.Pattern)
	}
	if name == "" && label == model.LabelCountry {
		name = strings.ToUpper(o.Country)
	}
	if name == "" && label == model.LabelRegion {
		name = regionName(o.Region)
	}
	if name == "" {
		r.skipped("%s objects: no name", o.Type)
		return model.Entity{}, false
	}
	e := model.Entity{
		UID: o.ID, Label: label, Name: name, Description: strings.TrimSpace(o.Description),
		Aliases: withoutName(append(append(append([]string{}, o.Aliases...), o.MitreAliases...), o.XAliases...), name),
		Quote:   entityQuote(o), Properties: map[string]any{},
	}
	set := func(prop string, v any) {
		if _, declared := node.Property(prop); declared {
			switch x := v.(type) {
			case string:
				if x == "" {
					return
				}
			case []string:
				if len(x) == 0 {
					return
				}
			}
			e.Properties[prop] = v
		}
	}
	for _, ref := range o.ExternalRefs {
		if (ref.SourceName == "mitre-attack" || ref.SourceName == "cve" && label == model.LabelVulnerability) && ref.ExternalID != "" {
			set("external_id", ref.ExternalID)
			set("url", ref.URL)
			break
		}
	}
	// The properties the model maps to STIX's own (Property.STIX).
	for _, p := range node.Properties {
		if p.STIX == "" {
			continue
		}
		v := stixPropertyValue(o, p.STIX)
		if p.Type == model.Date {
			v = datePart(v.(string))
		}
		set(p.Name, v)
	}
	switch label {
	case model.LabelTechnique:
		var tactics []string
		seen := map[string]bool{}
		for _, k := range o.KillChainPhases {
			if !seen[k.PhaseName] && k.PhaseName != "" {
				seen[k.PhaseName] = true
				tactics = append(tactics, k.PhaseName)
			}
		}
		set("tactics", tactics)
	case model.LabelCountry:
		set("iso2", strings.ToUpper(o.Country))
	case model.LabelOrganization:
		set("kind", o.IdentityClass)
	}
	// threatkg's export keeps the model's other properties here.
	for k, v := range r.properties(r.byID[o.ID], o.ID, func(name string) (model.Property, bool) {
		if p, ok := node.Property(name); ok && !model.IsCommonProperty(name) {
			return p, true
		}
		return model.Property{}, false
	}, o.XProperties) {
		e.Properties[k] = v
	}
	return e, true
}

// stixPropertyValue is the value of the STIX property a declared property
// maps to (Property.STIX); TestEveryMappedSTIXPropertyIsRead keeps it
// complete.
func stixPropertyValue(o stixObject, name string) any {
	switch name {
	case "first_seen":
		return o.FirstSeen
	case "last_seen":
		return o.LastSeen
	case "x_mitre_platforms":
		return o.MitrePlatforms
	case "x_mitre_is_subtechnique":
		return o.MitreSubtech
	case "pattern":
		return str(o.Pattern)
	case "pattern_type":
		return str(o.PatternType)
	case "valid_from":
		return str(o.ValidFrom)
	case "valid_until":
		return str(o.ValidUntil)
	case "indicator_types":
		return strs(o.IndicatorTypes)
	case "value":
		return str(o.Value)
	case "name":
		return o.Name
	}
	if kind, ok := strings.CutPrefix(name, "hashes."); ok {
		return str(hashes(o)[kind])
	}
	return nil
}

// properties reads x_threatkg_properties: each must be a declared property
// of the right type; others are reported.
func (r *stixReader) properties(p *placedObject, what string, lookup func(string) (model.Property, bool), values map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range values {
		prop, ok := lookup(k)
		if !ok {
			r.ps.at(p.line, p.col, "%s: x_threatkg_properties has %q, which the model does not declare here", what, k)
			continue
		}
		var val any
		switch prop.Type {
		case model.String, model.Date:
			val, ok = v.(string)
		case model.Boolean:
			val, ok = v.(bool)
		case model.Integer:
			var f float64
			f, ok = v.(float64)
			val = int64(f)
			ok = ok && f == float64(int64(f))
		case model.StringList:
			list, isList := v.([]any)
			var ss []string
			ok = isList
			for _, x := range list {
				s, isStr := x.(string)
				ok = ok && isStr
				ss = append(ss, s)
			}
			val = ss
		}
		if !ok {
			r.ps.at(p.line, p.col, "%s: x_threatkg_properties %q must be %s", what, k, prop.Type)
			continue
		}
		out[k] = val
	}
	return out
}

// identityLabel chooses the label of a STIX identity from its class and
// sectors.
func identityLabel(o stixObject) string {
	switch o.IdentityClass {
	case "individual":
		return model.LabelPerson
	case "class":
		return model.LabelSector
	}
	for _, s := range o.Sectors {
		if strings.HasPrefix(s, "government") {
			return model.LabelGovernment
		}
	}
	return model.LabelOrganization
}

// entityQuote is what the MENTIONS edge quotes: the description's first
// sentence (or the name), so provenance points at the object's own words.
func entityQuote(o stixObject) string {
	d := strings.TrimSpace(o.Description)
	if d == "" {
		return o.Name
	}
	if i := strings.Index(d, ". "); i > 0 && i < 400 {
		return d[:i+1]
	}
	if utf8.RuneCountInString(d) > 400 {
		return string([]rune(d)[:400]) + "…"
	}
	return d
}

func (r *stixReader) source(objects []placedObject, bundleID string, data []byte) model.Source {
	sum := sha256.Sum256(data)
	base := filepath.Base(r.name)
	s := model.Source{Kind: "stix-bundle", STIXID: bundleID, File: base, TextSHA256: hex.EncodeToString(sum[:])}
	key := bundleID
	if key == "" && len(objects) == 1 {
		key = objects[0].obj.ID
	}
	newest, creators := "", map[string]int{}
	for _, p := range objects {
		o := p.obj
		if o.Modified > newest {
			newest = o.Modified
		}
		if o.CreatedByRef != "" {
			creators[o.CreatedByRef]++
		}
		if o.Type == "x-mitre-collection" {
			s.Title = strings.TrimSpace(o.Name + " " + o.MitreVersion)
			s.ATTACKVersion = o.MitreVersion
			key = o.ID // the collection id is stable across ATT&CK releases
		}
		if semverLess(s.ATTACKSpecVersion, o.MitreSpecVersion) {
			s.ATTACKSpecVersion = o.MitreSpecVersion
		}
	}
	s.UID = model.ReportUID("stix:" + key)
	if f := r.feed; f != nil {
		s.UID = model.ReportUID("taxii:" + f.Collection + "\x00" + bundleID)
		s.Kind, s.File, s.URL = "taxii-pull", "", f.Collection
		s.TAXIICollection, s.TAXIIAddedFirst, s.TAXIIAddedLast = f.Collection, f.AddedFirst, f.AddedLast
		s.Title = fmt.Sprintf("TAXII collection %s: %d objects added %s to %s", cmp.Or(f.Title, f.Collection), len(objects),
			cmp.Or(f.AddedFirst, "?"), cmp.Or(f.AddedLast, "?"))
	}
	best := ""
	for ref, n := range creators {
		if best == "" || n > creators[best] || (n == creators[best] && ref < best) {
			best = ref
		}
	}
	s.Publisher = r.creatorName(best)
	if s.Title == "" {
		s.Title = "STIX bundle " + base
		if s.ATTACKSpecVersion != "" {
			s.Title = "MITRE ATT&CK data " + base
		}
	}
	s.Date = datePart(newest)
	if s.Date == "" {
		s.Date = time.Now().UTC().Format("2006-01-02")
	}
	return s
}

func (r *stixReader) creatorName(ref string) string {
	if p, ok := r.byID[ref]; ok {
		return p.obj.Name
	}
	return ""
}

func citations(refs []externalRef) []string {
	var out []string
	for _, ref := range refs {
		c := ref.SourceName
		if ref.Description != "" {
			c += ": " + ref.Description
		}
		if ref.URL != "" {
			c += " <" + ref.URL + ">"
		}
		out = append(out, c)
	}
	return out
}

// stixIDType is the model's reading of a STIX id: one rule for the loader
// and the writer.
func stixIDType(id string) string { return model.STIXType(id) }

func datePart(ts string) string {
	if len(ts) >= 10 && datePattern.MatchString(ts[:10]) {
		return ts[:10]
	}
	return ""
}

func semverLess(a, b string) bool {
	if b == "" {
		return false
	}
	if a == "" {
		return true
	}
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		if len(pa[i]) != len(pb[i]) {
			return len(pa[i]) < len(pb[i])
		}
		if pa[i] != pb[i] {
			return pa[i] < pb[i]
		}
	}
	return len(pa) < len(pb)
}

func jsonErrorPosition(data []byte, err error) (int, int) {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		// Offset counts the bytes read, the offending one included.
		return offsetPosition(data, max(int(syn.Offset)-1, 0))
	case errors.As(err, &typ):
		return offsetPosition(data, int(typ.Offset))
	}
	return 0, 0
}

func typeErrorMessage(err error) string {
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		return fmt.Sprintf("property '%s' must be %s, not a JSON %s", typ.Field, goTypeName(typ.Type.String()), typ.Value)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

func goTypeName(t string) string {
	switch {
	case t == "string":
		return "text"
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case t == "bool" || t == "*bool":
		return "true or false"
	case strings.Contains(t, "float") || strings.Contains(t, "int"):
		return "a number"
	}
	return "an object"
}

// offsetPosition turns a byte offset into a 1-based line and column (in
// characters).
func offsetPosition(data []byte, offset int) (int, int) {
	c := &cursor{data: data, line: 1, col: 1}
	return c.at(offset)
}

// cursor converts increasing byte offsets to lines and columns in one pass
// over the data, so placing every object of a large bundle stays linear.
type cursor struct {
	data      []byte
	offset    int
	line, col int
}

func (c *cursor) at(offset int) (int, int) {
	if offset > len(c.data) {
		offset = len(c.data)
	}
	if offset < c.offset { // not expected; start again
		c.offset, c.line, c.col = 0, 1, 1
	}
	for c.offset < offset {
		r, size := utf8.DecodeRune(c.data[c.offset:])
		if r == '\n' {
			c.line, c.col = c.line+1, 1
		} else {
			c.col++
		}
		c.offset += size
	}
	return c.line, c.col
}

// regionName turns a STIX region ("south-eastern-asia") into a name
// ("South-eastern asia" would be wrong): each word capitalised.
func regionName(region string) string {
	words := strings.Fields(strings.ReplaceAll(region, "-", " "))
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(words, " ")
}
