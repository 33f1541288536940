package loaders

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/threatkg/threatkg/graph/model"
)

// A MISP event (MISP's JSON export, {"Event": {...}}) is a source: a Report
// of kind misp-event. Its attributes and objects that hold an address, a
// domain, a URL, an e-mail address or a file's hashes become observables;
// those MISP flags for detection (to_ids) also become an Indicator whose
// STIX pattern compares them. The event's galaxy clusters (and
// misp-galaxy tags) name the actors, malware and tools it is about: each
// indicator INDICATES them, and each observable that is no indicator is
// RELATED_TO them. An attribute's own galaxy tags tie it alone.

// MISPAttributeRule says what one MISP attribute type holds: the parts of
// its value ("domain|ip" holds a domain and an address), each an
// observable or ignored. The registry drives the reader, docs/misp.md and
// the tests.
type MISPAttributeRule struct {
	Type  string
	Parts []string // per part of the value (split on '|'): ip, domain, url, email, md5, sha1, sha256, sha512, filename, port
}

// MISPAttributes are the attribute types threatkg reads (MISP's
// describeTypes names them); others are skipped and counted.
var MISPAttributes = []MISPAttributeRule{
	{"ip-src", []string{"ip"}}, {"ip-dst", []string{"ip"}}, {"ip-src|port", []string{"ip", "port"}}, {"ip-dst|port", []string{"ip", "port"}},
	{"domain", []string{"domain"}}, {"hostname", []string{"domain"}}, {"domain|ip", []string{"domain", "ip"}}, {"hostname|port", []string{"domain", "port"}},
	{"url", []string{"url"}},
	{"email", []string{"email"}}, {"email-src", []string{"email"}}, {"email-dst", []string{"email"}},
	{"md5", []string{"md5"}}, {"sha1", []string{"sha1"}}, {"sha256", []string{"sha256"}}, {"sha512", []string{"sha512"}},
	{"filename", []string{"filename"}},
	{"filename|md5", []string{"filename", "md5"}}, {"filename|sha1", []string{"filename", "sha1"}},
	{"filename|sha256", []string{"filename", "sha256"}}, {"filename|sha512", []string{"filename", "sha512"}},
}

func mispAttributeRule(typ string) (MISPAttributeRule, bool) {
	for _, r := range MISPAttributes {
		if r.Type == typ {
			return r, true
		}
	}
	return MISPAttributeRule{}, false
}

type mispEvent struct {
	UUID      string                `json:"uuid"`
	Info      string                `json:"info"`
	Date      string                `json:"date"`
	Timestamp string                `json:"timestamp"`
	Orgc      struct{ Name string } `json:"Orgc"`
	Attribute []mispAttribute       `json:"Attribute"`
	Object    []mispObject          `json:"Object"`
	Tag       []mispTag             `json:"Tag"`
	Galaxy    []mispGalaxy          `json:"Galaxy"`
}

type mispAttribute struct {
	UUID      string       `json:"uuid"`
	Type      string       `json:"type"`
	Relation  string       `json:"object_relation"`
	Value     string       `json:"value"`
	ToIDs     any          `json:"to_ids"` // true, or "1" in older exports
	Comment   string       `json:"comment"`
	Timestamp string       `json:"timestamp"`
	FirstSeen string       `json:"first_seen"`
	Tag       []mispTag    `json:"Tag"`
	Galaxy    []mispGalaxy `json:"Galaxy"`
}

type mispObject struct {
	UUID      string          `json:"uuid"`
	Name      string          `json:"name"`
	Comment   string          `json:"comment"`
	Attribute []mispAttribute `json:"Attribute"`
}

type mispTag struct {
	Name string `json:"name"`
}

type mispGalaxy struct {
	Type          string          `json:"type"`
	GalaxyCluster []galaxyCluster `json:"GalaxyCluster"`
}

func (a mispAttribute) detection() bool {
	switch v := a.ToIDs.(type) {
	case bool:
		return v
	case string:
		b, _ := strconv.ParseBool(v)
		return b
	case float64:
		return v != 0
	}
	return false
}

// LooksLikeMISPEvent reports whether a JSON document is a MISP event: an
// object whose top-level key is "Event", or an event itself (an "info",
// a "uuid" and its "Attribute" or "Object" lists), and no STIX "objects".
func LooksLikeMISPEvent(data []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return false
	}
	seen := map[string]bool{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return false
		}
		key, _ := t.(string)
		switch key {
		case "objects", "spec_version", "values":
			return false // STIX, or a galaxy
		case "Event":
			return true
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return false
		}
		seen[key] = true
		if seen["info"] && seen["uuid"] && (seen["Attribute"] || seen["Object"]) {
			return true
		}
	}
	return false
}

// ReadMISPEvent reads a MISP event as one source.
func ReadMISPEvent(name string, data []byte, m model.Model) (model.Document, error) {
	ps := &problems{file: name}
	var wrapped struct {
		Event *mispEvent `json:"Event"`
	}
	if err := json.Unmarshal(data, &wrapped); err != nil {
		line, col := jsonErrorPosition(data, err)
		ps.at(line, col, "MISP event: %s", typeErrorMessage(err))
		return model.Document{}, ps.err()
	}
	ev := wrapped.Event
	if ev == nil {
		ev = &mispEvent{}
		if err := json.Unmarshal(data, ev); err != nil {
			line, col := jsonErrorPosition(data, err)
			ps.at(line, col, "MISP event: %s", typeErrorMessage(err))
			return model.Document{}, ps.err()
		}
	}
	if model.STIXType("report--"+ev.UUID) == "" {
		ps.at(1, 1, "MISP event: 'uuid' %q is not a UUID; a MISP event export always has one", ev.UUID)
		return model.Document{}, ps.err()
	}
	if !IsDate(ev.Date) {
		ps.at(1, 1, "MISP event %s: 'date' %q is not a date (YYYY-MM-DD)", ev.UUID, ev.Date)
		return model.Document{}, ps.err()
	}
	sum := sha256.Sum256(data)
	r := &mispReader{galaxyReader: galaxyReader{doc: model.Document{Source: model.Source{
		UID: model.ReportUID("misp-event:" + ev.UUID), Kind: "misp-event", Title: cmp.Or(strings.TrimSpace(ev.Info), "MISP event "+ev.UUID),
		Publisher: ev.Orgc.Name, Date: ev.Date, File: filepath.Base(name), TextSHA256: hex.EncodeToString(sum[:]),
	}}, seen: map[string]int{}, skip: map[string]int{}}, model: m, event: ev}

	tied := r.galaxies(ev.Galaxy, ev.Tag)
	for _, a := range ev.Attribute {
		r.unit(a.UUID, a.Type, []mispAttribute{a}, a.Comment, append(tied, r.galaxies(a.Galaxy, a.Tag)...))
	}
	for _, o := range ev.Object {
		var own []string
		for _, a := range o.Attribute {
			own = append(own, r.galaxies(a.Galaxy, a.Tag)...)
		}
		r.unit(o.UUID, o.Name, o.Attribute, o.Comment, append(tied, own...))
	}
	return r.finish(m)
}

type mispReader struct {
	galaxyReader
	model model.Model
	event *mispEvent
}

// galaxies are the entities the clusters and misp-galaxy tags name (uids),
// of the galaxies the registries (Galaxies, EventGalaxies) map; a
// cluster's synonyms are its aliases.
func (r *mispReader) galaxies(gs []mispGalaxy, tags []mispTag) []string {
	var out []string
	named := map[string]bool{}
	add := func(typ, value, description, tag string, aliases []string) {
		rule, ok := galaxyRule(typ)
		for _, g := range EventGalaxies {
			if g.Type == typ {
				rule, ok = g, true
			}
		}
		if !ok {
			r.skip["galaxy clusters of types threatkg does not read ("+typ+")"]++
			return
		}
		node, _ := r.model.Node(rule.Label)
		e := model.Entity{UID: model.EntityUID(node, value), Label: rule.Label, Name: value, Aliases: aliases,
			Description: description, Quote: tag}
		r.addEntity(e)
		named[typ+"\x00"+value] = true
		out = append(out, e.UID)
	}
	for _, g := range gs {
		for _, c := range g.GalaxyCluster {
			if v := strings.TrimSpace(c.Value); v != "" {
				add(cmp.Or(g.Type, str(c.Meta["type"])), v, c.Description, fmt.Sprintf("misp-galaxy:%s=%q", g.Type, v), synonyms(c))
			}
		}
	}
	for _, t := range tags {
		rest, ok := strings.CutPrefix(t.Name, "misp-galaxy:")
		if !ok {
			continue
		}
		typ, quoted, ok := strings.Cut(rest, "=")
		value, err := strconv.Unquote(quoted)
		if !ok || err != nil || strings.TrimSpace(value) == "" || named[typ+"\x00"+value] {
			continue
		}
		add(typ, strings.TrimSpace(value), "", t.Name, nil)
	}
	return out
}

// unit reads one attribute, or one object's attributes, as observables; an
// Indicator when MISP flags any of them for detection.
func (r *mispReader) unit(uuid, what string, attrs []mispAttribute, comment string, tied []string) {
	var obs []model.Entity
	var resolves [][2]string
	file := map[string]any{} // a file object's hashes and name are one File
	detect := false
	when := ""
	for _, a := range attrs {
		kinds := []string{}
		values := []string{a.Value}
		if rule, ok := mispAttributeRule(a.Type); ok {
			kinds = rule.Parts
			if len(kinds) > 1 {
				values = strings.SplitN(a.Value, "|", len(kinds))
			}
		} else {
			r.skip["MISP attributes of types that hold no observable threatkg keeps ("+a.Type+")"]++
			continue
		}
		if len(values) != len(kinds) {
			r.skip["MISP attributes whose value lacks a part its type names"]++
			continue
		}
		detect = detect || a.detection()
		when = cmp.Or(when, a.FirstSeen, unixTime(a.Timestamp))
		var domain, ip string
		for i, kind := range kinds {
			v := strings.TrimSpace(values[i])
			switch kind {
			case "port":
				continue
			case "filename":
				file["file_name"] = v
				continue
			case "md5", "sha1", "sha256", "sha512":
				h, err := model.ObservableValue(model.LabelFile, kind, v)
				if err != nil {
					r.skip["MISP attributes whose value is not valid ("+a.Type+")"]++
					continue
				}
				file[kind] = h
				continue
			}
			e, ok := r.observable(kind, v)
			if !ok {
				r.skip["MISP attributes whose value is not valid ("+a.Type+")"]++
				continue
			}
			obs = append(obs, e)
			switch kind {
			case "domain":
				domain = e.UID
			case "ip":
				ip = e.UID
			}
		}
		if domain != "" && ip != "" {
			resolves = append(resolves, [2]string{domain, ip})
		}
	}
	if len(file) > 0 {
		node, _ := r.model.Node(model.LabelFile)
		obs = append(obs, observable(node, file, ""))
	}
	if len(obs) == 0 {
		return
	}
	// A domain and an address in one object (domain-ip) or attribute
	// (domain|ip): the domain resolves to it.
	if what == "domain-ip" && len(resolves) == 0 {
		var d, a []string
		for _, e := range obs {
			switch e.Label {
			case model.LabelDomain:
				d = append(d, e.UID)
			case model.LabelIPv4, model.LabelIPv6:
				a = append(a, e.UID)
			}
		}
		for _, x := range d {
			for _, y := range a {
				resolves = append(resolves, [2]string{x, y})
			}
		}
	}
	source := fmt.Sprintf("MISP event %q, %s", r.doc.Source.Title, what)
	for i := range obs {
		obs[i].Quote = fmt.Sprintf("%s: %s", source, obs[i].Name)
		r.addEntity(obs[i])
	}
	for _, p := range resolves {
		r.addClaim(model.RelResolvesTo, p[0], p[1], source+": "+r.nameOf(p[0])+" resolves to "+r.nameOf(p[1]), nil)
	}
	if !detect {
		for _, o := range obs {
			for _, to := range tied {
				r.addClaim(model.RelRelatedTo, o.UID, to, fmt.Sprintf("%s %s, in an event tagged %s", source, o.Name, r.tagOf(to)), nil)
			}
		}
		return
	}
	ind := r.indicator(uuid, what, obs, comment, when)
	for _, o := range obs {
		r.addClaim(model.RelBasedOn, ind.UID, o.UID, ind.Properties["pattern"].(string), nil)
	}
	for _, to := range tied {
		r.addClaim(model.RelIndicates, ind.UID, to, fmt.Sprintf("%s (for detection) %s, in an event tagged %s", source, ind.Name, r.tagOf(to)), nil)
	}
}

func (r *mispReader) observable(kind, v string) (model.Entity, bool) {
	label := map[string]string{"domain": model.LabelDomain, "url": model.LabelURL, "email": model.LabelEmail}[kind]
	if kind == "ip" {
		o, err := model.ParseObservable(v)
		if err != nil || o.Label != model.LabelIPv4 && o.Label != model.LabelIPv6 {
			return model.Entity{}, false
		}
		label = o.Label
	}
	value, err := model.ObservableValue(label, "value", v)
	if err != nil {
		return model.Entity{}, false
	}
	node, _ := r.model.Node(label)
	return observable(node, map[string]any{"value": value}, ""), true
}

// indicator is the Indicator of a unit MISP flags for detection: its id
// is the attribute's (or object's) MISP uuid, its pattern STIX's for the
// observables (all of them: MISP's objects describe one thing).
func (r *mispReader) indicator(uuid, what string, obs []model.Entity, comment, when string) model.Entity {
	var parts []string
	for _, o := range obs {
		parts = append(parts, stixComparison(o))
	}
	pattern := strings.Join(parts, " AND ")
	node, _ := r.model.Node(model.LabelIndicator)
	uid := "indicator--" + uuid
	if model.STIXType(uid) != "indicator" {
		uid = model.EntityUID(node, r.event.UUID+" "+pattern)
	}
	names := make([]string, len(obs))
	for i, o := range obs {
		names[i] = o.Name
	}
	props := map[string]any{"pattern": pattern, "pattern_type": "stix", "indicator_types": []string{"malicious-activity"}}
	if ts, err := time.Parse(time.RFC3339Nano, when); err == nil {
		props["valid_from"] = ts.UTC().Format("2006-01-02T15:04:05Z")
	}
	e := model.Entity{UID: uid, Label: model.LabelIndicator, Name: what + " " + strings.Join(names, " "), Description: strings.TrimSpace(comment),
		Quote: fmt.Sprintf("MISP event %q, %s (for detection)", r.doc.Source.Title, what), Properties: props}
	r.addEntity(e)
	return e
}

// stixComparison is the STIX pattern of one observable.
func stixComparison(o model.Entity) string {
	esc := strings.NewReplacer(`\`, `\\`, `'`, `\'`)
	node, _ := model.Declared.Node(o.Label)
	if o.Label != model.LabelFile {
		return fmt.Sprintf("[%s:value = '%s']", node.STIXType, esc.Replace(str(o.Properties["value"])))
	}
	var cmps []string
	for _, h := range model.HashKinds {
		if v := str(o.Properties[h.Property]); v != "" {
			cmps = append(cmps, fmt.Sprintf("file:hashes.'%s' = '%s'", h.STIX, v))
		}
	}
	if v := str(o.Properties["file_name"]); v != "" {
		cmps = append(cmps, fmt.Sprintf("file:name = '%s'", esc.Replace(v)))
	}
	return "[" + strings.Join(cmps, " AND ") + "]"
}

func (r *mispReader) nameOf(uid string) string { return r.doc.Entities[r.seen[uid]].Name }

func (r *mispReader) tagOf(uid string) string { return r.doc.Entities[r.seen[uid]].Quote }

// unixTime turns MISP's timestamp (seconds since 1970, as text) into RFC 3339.
func unixTime(s string) string {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return ""
	}
	return time.Unix(n, 0).UTC().Format(time.RFC3339)
}
