package loaders

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/threatkg/threatkg/graph/model"
	"github.com/threatkg/threatkg/loaders/extract"
)

// GalaxyRule says which label the clusters of one MISP galaxy type become.
// The registry (Galaxies) drives the reader, docs/misp.md and the tests.
type GalaxyRule struct {
	Type  string // the galaxy's "type" (its file name in MISP/misp-galaxy's clusters/)
	Label string
	Why   string
}

// Galaxies are the MISP galaxy types threatkg reads. A galaxy of another
// type is refused with this list.
var Galaxies = []GalaxyRule{
	{"threat-actor", model.LabelThreatActor, "adversary groups (MISP's own catalogue)"},
	{"microsoft-activity-group", model.LabelThreatActor, "Microsoft's names for the groups it tracks (Typhoon, Blizzard, ...)"},
	{"malpedia", model.LabelMalware, "malware families as Malpedia lists them"},
	{"ransomware", model.LabelMalware, "ransomware families"},
	{"rat", model.LabelMalware, "remote access trojans"},
	{"backdoor", model.LabelMalware, "backdoors"},
	{"stealer", model.LabelMalware, "information stealers"},
	{"botnet", model.LabelMalware, "botnets' malware"},
	{"exploit-kit", model.LabelTool, "exploit kits: software sold to attackers, not a family of implants"},
	{"tool", model.LabelTool, "software attackers use (MISP's list also names some malware; its galaxy calls them tools)"},
}

// EventGalaxies are the galaxies whose clusters MISP events are tagged with
// that threatkg reads beyond Galaxies: MISP's mirrors of ATT&CK's groups
// and software, the commonest tags of events (their cluster files are
// ATT&CK's own data, which threatkg loads as STIX).
var EventGalaxies = []GalaxyRule{
	{"mitre-intrusion-set", model.LabelThreatActor, "ATT&CK's groups, as MISP's galaxy mirrors them"},
	{"mitre-malware", model.LabelMalware, "ATT&CK's malware, as MISP's galaxy mirrors it"},
	{"mitre-tool", model.LabelTool, "ATT&CK's tools, as MISP's galaxy mirrors them"},
}

// galaxyRule returns the rule of a galaxy type.
func galaxyRule(typ string) (GalaxyRule, bool) {
	for _, r := range Galaxies {
		if r.Type == typ {
			return r, true
		}
	}
	return GalaxyRule{}, false
}

// LooksLikeGalaxy reports whether a JSON document is a MISP galaxy cluster
// file: an object with a "uuid" and then a list of "values" (MISP writes
// the keys in order), and no STIX "objects" or "type": "bundle". It reads
// the top-level keys only up to the first big one, so a STIX bundle of
// hundreds of megabytes costs nothing.
func LooksLikeGalaxy(data []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return false
	}
	uuid := false
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return false
		}
		switch key, _ := t.(string); key {
		case "objects", "spec_version", "id":
			return false // STIX
		case "values":
			t, err := dec.Token()
			return err == nil && t == json.Delim('[') && uuid
		default:
			var v json.RawMessage
			if err := dec.Decode(&v); err != nil {
				return false
			}
			switch key {
			case "uuid":
				uuid = true
			case "type":
				if string(v) == `"bundle"` {
					return false
				}
			}
		}
	}
	return false
}

type galaxyCluster struct {
	Value       string         `json:"value"`
	UUID        string         `json:"uuid"`
	Description string         `json:"description"`
	Meta        map[string]any `json:"meta"`
}

// ReadGalaxy reads a MISP galaxy cluster file as one source: each cluster
// an entity (its value the name, meta.synonyms the aliases, its
// description), and the claims its meta makes:
//
//   - meta.country (ISO 3166-1 alpha-2) and meta.cfr-suspected-state-sponsor:
//     ATTRIBUTED_TO that country;
//   - meta.cfr-suspected-victims: TARGETED those countries (or regions);
//
// each claim citing meta.refs and quoting the galaxy's own words (the meta
// field as it is written). Countries are named as the country catalogue
// names them (so that they are the articles' Country nodes); a name the
// catalogue does not know is skipped and counted.
func ReadGalaxy(name string, data []byte, m model.Model) (model.Document, error) {
	ps := &problems{file: name}
	var g struct {
		Name    string `json:"name"`
		Type    string `json:"type"`
		UUID    string `json:"uuid"`
		Source  string `json:"source"`
		Version int    `json:"version"`
	}
	if err := json.Unmarshal(data, &g); err != nil {
		line, col := jsonErrorPosition(data, err)
		ps.at(line, col, "invalid JSON: %s", strings.TrimPrefix(err.Error(), "json: "))
		return model.Document{}, ps.err()
	}
	rule, ok := galaxyRule(g.Type)
	if !ok {
		types := make([]string, len(Galaxies))
		for i, r := range Galaxies {
			types[i] = r.Type
		}
		ps.at(1, 1, "MISP galaxy of type %q: threatkg reads the galaxies %s", g.Type, strings.Join(types, ", "))
		return model.Document{}, ps.err()
	}
	clusters, lines := galaxyValues(data, ps)
	if err := ps.err(); err != nil {
		return model.Document{}, err
	}
	node, _ := m.Node(rule.Label)
	r := &galaxyReader{doc: model.Document{Source: model.Source{
		UID: model.ReportUID("misp-galaxy:" + g.UUID), Kind: "misp-galaxy", Publisher: cmp.Or(g.Source, "MISP Project"),
		Title: fmt.Sprintf("MISP galaxy %s (version %d)", cmp.Or(g.Name, g.Type), g.Version), File: filepath.Base(name),
	}}, seen: map[string]int{}, skip: map[string]int{}}
	sum := sha256.Sum256(data)
	r.doc.Source.TextSHA256 = hex.EncodeToString(sum[:])
	for i, c := range clusters {
		if strings.TrimSpace(c.Value) == "" {
			ps.at(lines[i], 1, "cluster %d has no value (its name)", i+1)
			continue
		}
		uid := model.EntityUID(node, c.Value)
		if _, dup := r.seen[uid]; dup {
			r.skip["clusters whose name repeats an earlier one's (the first is kept)"]++
			continue
		}
		e := model.Entity{UID: uid, Label: rule.Label, Name: strings.TrimSpace(c.Value), Aliases: synonyms(c), Description: c.Description,
			Quote: cmp.Or(strings.TrimSpace(c.Description), c.Value)}
		r.addEntity(e)
		refs := strings_(c.Meta["refs"])
		if rule.Label == model.LabelThreatActor {
			r.attributions(e.UID, c, refs)
			r.victims(e.UID, c, refs)
		}
	}
	if err := ps.err(); err != nil {
		return model.Document{}, err
	}
	return r.finish(m)
}

type galaxyReader struct {
	doc    model.Document
	seen   map[string]int // entity uid -> index
	claims map[string]bool
	skip   map[string]int // reason -> count
}

// finish records what was skipped and checks the document.
func (r *galaxyReader) finish(m model.Model) (model.Document, error) {
	for reason, n := range r.skip {
		r.doc.Source.Skipped = append(r.doc.Source.Skipped, fmt.Sprintf("%d %s", n, reason))
	}
	sort.Strings(r.doc.Source.Skipped)
	if err := m.CheckDocument(r.doc); err != nil {
		return model.Document{}, err
	}
	return r.doc, nil
}

func (r *galaxyReader) addEntity(e model.Entity) {
	if _, ok := r.seen[e.UID]; ok {
		return
	}
	r.seen[e.UID] = len(r.doc.Entities)
	r.doc.Entities = append(r.doc.Entities, e)
}

func (r *galaxyReader) addClaim(typ, from, to, quote string, refs []string) {
	if r.claims == nil {
		r.claims = map[string]bool{}
	}
	uid := model.ClaimUID(typ, from, to, r.doc.Source.UID)
	if r.claims[uid] {
		return // the same claim from two fields (country and state sponsor)
	}
	r.claims[uid] = true
	r.doc.Claims = append(r.doc.Claims, model.Claim{UID: uid, Type: typ, From: from, To: to, Quote: quote, Citations: refs})
}

// place is the Country (or Region) entity a galaxy names, as the catalogue
// names it; ok is false when the catalogue knows no such place.
func (r *galaxyReader) place(s, quote string, regions bool) (string, bool) {
	if name, iso2, ok := extract.CountryName(s); ok {
		node, _ := model.Declared.Node(model.LabelCountry)
		e := model.Entity{UID: model.EntityUID(node, name), Label: model.LabelCountry, Name: name, Quote: quote,
			Properties: map[string]any{"iso2": iso2}}
		r.addEntity(e)
		return e.UID, true
	}
	if name, ok := extract.RegionName(s); ok && regions {
		node, _ := model.Declared.Node(model.LabelRegion)
		e := model.Entity{UID: model.EntityUID(node, name), Label: model.LabelRegion, Name: name, Quote: quote}
		r.addEntity(e)
		return e.UID, true
	}
	return "", false
}

func (r *galaxyReader) attributions(actor string, c galaxyCluster, refs []string) {
	for _, field := range []string{"country", "cfr-suspected-state-sponsor"} {
		v, _ := c.Meta[field].(string)
		if v == "" || strings.EqualFold(v, "unknown") {
			continue
		}
		quote := fmt.Sprintf("%q: %q", field, v)
		if to, ok := r.place(v, quote, false); ok {
			r.addClaim(model.RelAttributedTo, actor, to, quote, refs)
		} else {
			r.skip[field+" values that name no country of the catalogue"]++
		}
	}
}

func (r *galaxyReader) victims(actor string, c galaxyCluster, refs []string) {
	for _, v := range strings_(c.Meta["cfr-suspected-victims"]) {
		quote := fmt.Sprintf("%q: [... %q ...]", "cfr-suspected-victims", v)
		if to, ok := r.place(v, quote, true); ok {
			r.addClaim(model.RelTargeted, actor, to, quote, refs)
		} else {
			r.skip["cfr-suspected-victims names that are no country or region of the catalogue"]++
		}
	}
}

// synonyms are a cluster's aliases: meta.synonyms, without its own name
// and without repeats.
func synonyms(c galaxyCluster) []string {
	var out []string
	key := model.Normalize(c.Value)
	for _, s := range strings_(c.Meta["synonyms"]) {
		s = strings.TrimSpace(s)
		if s == "" || model.Normalize(s) == key || slices.Contains(out, s) {
			continue
		}
		out = append(out, s)
	}
	return out
}

// strings_ is a meta value as a list of strings (a lone string is a list
// of one; anything else, nothing).
func strings_(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			if s, ok := x.(string); ok && s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// galaxyValues decodes the "values" array one cluster at a time, keeping
// the line where each starts, for messages.
func galaxyValues(data []byte, ps *problems) ([]galaxyCluster, []int) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if _, err := dec.Token(); err != nil { // {
		ps.at(1, 1, "invalid JSON: %v", err)
		return nil, nil
	}
	var out []galaxyCluster
	var lines []int
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			line, col := offsetPosition(data, int(dec.InputOffset()))
			ps.at(line, col, "invalid JSON: %v", err)
			return nil, nil
		}
		if key, _ := tok.(string); key != "values" {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				line, col := offsetPosition(data, int(dec.InputOffset()))
				ps.at(line, col, "invalid JSON: %v", err)
				return nil, nil
			}
			continue
		}
		if t, err := dec.Token(); err != nil || t != json.Delim('[') {
			line, col := offsetPosition(data, int(dec.InputOffset()))
			ps.at(line, col, "\"values\" must be a list of clusters")
			return nil, nil
		}
		cur := &cursor{data: data, line: 1, col: 1}
		for dec.More() {
			start := int(dec.InputOffset())
			var c galaxyCluster
			err := dec.Decode(&c)
			line, _ := cur.at(start + leadingSpace(data[start:]))
			if err != nil {
				ps.at(line, 1, "cluster %d: %s", len(out)+1, typeErrorMessage(err))
				if _, ok := err.(*json.SyntaxError); ok || err == io.ErrUnexpectedEOF {
					return nil, nil
				}
				continue
			}
			out, lines = append(out, c), append(lines, line)
		}
		dec.Token() // ]
	}
	return out, lines
}

func leadingSpace(b []byte) int {
	n := 0
	for n < len(b) && (b[n] == ' ' || b[n] == '\t' || b[n] == '\n' || b[n] == '\r' || b[n] == ',') {
		n++
	}
	return n
}
