package loaders

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/threatkg/threatkg/graph/model"
)

// Indicators and cyber-observables in STIX 2.1: an observable's uid is
// STIX's deterministic id of its normalised value (model.ObservableUID),
// whatever id its producer gave it, so the same address from two feeds is
// one node; an indicator's STIX pattern gives its observables (BASED_ON).

func str(v any) string {
	s, _ := v.(string)
	return s
}

func strs(v any) []string {
	list, _ := v.([]any)
	var out []string
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// hashes are a file's hashes by STIX hash name.
func hashes(o stixObject) map[string]any {
	h, _ := o.Hashes.(map[string]any)
	return h
}

// validateIndicator checks what STIX 2.1 requires of an indicator.
func (r *stixReader) validateIndicator(p *placedObject, at func(string, ...any)) {
	o := p.obj
	for _, f := range []struct {
		prop string
		v    any
	}{{"pattern", o.Pattern}, {"pattern_type", o.PatternType}, {"valid_from", o.ValidFrom}} {
		if s, ok := f.v.(string); !ok || strings.TrimSpace(s) == "" {
			if f.v == nil {
				at("missing required property '%s'", f.prop)
			} else {
				at("'%s' must be text", f.prop)
			}
		}
	}
	for _, f := range []struct {
		prop string
		v    any
	}{{"valid_from", o.ValidFrom}, {"valid_until", o.ValidUntil}} {
		if s, ok := f.v.(string); ok {
			r.timestamp(p, f.prop, s, false)
		} else if f.v != nil {
			at("'%s' must be a STIX timestamp", f.prop)
		}
	}
	if o.IndicatorTypes != nil && len(strs(o.IndicatorTypes)) != len(o.IndicatorTypes.([]any)) {
		at("'indicator_types' must be a list of text")
	}
}

// validateObservable checks the value of a cyber-observable of a type the
// model declares: an invalid address or hash is invalid input, refused
// with its position like any other.
func (r *stixReader) validateObservable(o stixObject, at func(string, ...any)) {
	label, _, ok := r.model.LabelOfSTIX(o.Type)
	if !ok {
		return
	}
	if n, _ := r.model.Node(label); n.Identity != model.ByValue {
		return
	}
	if label == model.LabelFile {
		h, isMap := o.Hashes.(map[string]any)
		if o.Hashes != nil && !isMap {
			at("'hashes' must be an object of hash name to value")
		}
		for _, kind := range sortedKeys(h) {
			v, isStr := h[kind].(string)
			if !isStr {
				at("hash %q must be text", kind)
				continue
			}
			if prop := model.HashProperty(kind); prop != "" {
				if _, err := model.ObservableValue(label, prop, v); err != nil {
					at("%v", err)
				}
			}
		}
		if len(h) == 0 && strings.TrimSpace(o.Name) == "" {
			at("a file needs 'hashes' or 'name'")
		}
		return
	}
	v, isStr := o.Value.(string)
	if !isStr {
		at("missing required property 'value' (text)")
		return
	}
	if _, err := model.ObservableValue(label, "value", v); err != nil {
		at("%v", err)
	}
}

// observableEntity is the entity of a cyber-observable object.
func (r *stixReader) observableEntity(o stixObject, node model.NodeType) (model.Entity, bool) {
	props := map[string]any{}
	if node.Label == model.LabelFile {
		h := hashes(o)
		for _, kind := range sortedKeys(h) {
			prop := model.HashProperty(kind)
			if prop == "" {
				continue
			}
			if v, err := model.ObservableValue(node.Label, prop, str(h[kind])); err == nil {
				props[prop] = v
			}
		}
		if name := strings.TrimSpace(o.Name); name != "" {
			props["file_name"] = name
		}
		if len(props) == 0 {
			r.skipped("file objects: no MD5, SHA-1, SHA-256 or SHA-512 hash and no name")
			return model.Entity{}, false
		}
	} else {
		v, err := model.ObservableValue(node.Label, "value", str(o.Value))
		if err != nil { // validate reported it
			return model.Entity{}, false
		}
		props["value"] = v
	}
	return observable(node, props, fmt.Sprintf("STIX %s %s", o.Type, observableName(node, props))), true
}

// observable is the entity of an observable with these properties (value,
// or a file's hashes and name); quote says where the source names it.
func observable(node model.NodeType, props map[string]any, quote string) model.Entity {
	return model.Entity{UID: model.ObservableUID(node, props), Label: node.Label, Name: observableName(node, props),
		Properties: props, Quote: quote}
}

// observableName is what an observable is called: its value; a file's
// name, else its SHA-256, SHA-1, MD5 or SHA-512 hash.
func observableName(node model.NodeType, props map[string]any) string {
	if node.Label != model.LabelFile {
		return str(props["value"])
	}
	for _, p := range []string{"file_name", "sha256", "sha1", "md5", "sha512"} {
		if v := str(props[p]); v != "" {
			return v
		}
	}
	return ""
}

// patternComparison is one equality comparison of a STIX pattern:
// [ipv4-addr:value = '198.51.100.3'], file:hashes.'SHA-256' = '...'.
var patternComparison = regexp.MustCompile(`([a-z0-9][a-z0-9-]*[a-z0-9]):([A-Za-z0-9_.'-]+)\s*=\s*'((?:[^'\\]|\\.)*)'`)

// patternObservables are the observables an indicator's STIX pattern
// compares for equality, one per comparison (a file by one hash): the
// comparisons with other operators (LIKE, MATCHES, !=) match no single
// value and give none, nor do object paths other than a value or a kept
// hash. skipped counts the comparisons whose value is not valid.
func patternObservables(m model.Model, pattern string) (out []model.Entity, skipped []string) {
	seen := map[string]bool{}
	for _, c := range patternComparison.FindAllStringSubmatch(pattern, -1) {
		typ, path := c[1], c[2]
		value := strings.NewReplacer(`\'`, `'`, `\\`, `\`).Replace(c[3])
		label, decided, ok := m.LabelOfSTIX(typ)
		node, _ := m.Node(label)
		if !ok || !decided || node.Identity != model.ByValue {
			continue
		}
		prop := "value"
		if label == model.LabelFile {
			kind, isHash := strings.CutPrefix(path, "hashes.")
			if prop = model.HashProperty(kind); !isHash || prop == "" {
				continue
			}
		} else if path != "value" {
			continue
		}
		v, err := model.ObservableValue(label, prop, value)
		if err != nil {
			skipped = append(skipped, fmt.Sprintf("indicator pattern comparisons: %s", err))
			continue
		}
		e := observable(node, map[string]any{prop: v}, pattern)
		if !seen[e.UID] {
			seen[e.UID] = true
			out = append(out, e)
		}
	}
	return out, skipped
}

// derivedClaims adds the claims STIX objects make by their properties: an
// indicator's STIX pattern is BASED_ON the observables it compares, and a
// domain name RESOLVES_TO its resolves_to_refs; each only where no
// relationship in the file states it (threatkg's export writes them as
// relationships, with their sources), and an indicator's pattern only when
// no relationship names any of its observables.
func (r *stixReader) derivedClaims(bundle *model.Document, entityAt map[string]int, stated map[[3]string]bool) {
	src := bundle.Source.UID
	// Indicators whose observables a relationship states (threatkg's
	// export, MISP's): their patterns are not read again.
	withObservables := map[string]bool{}
	for k := range stated {
		if k[0] == model.RelBasedOn {
			withObservables[k[1]] = true
		}
	}
	add := func(typ, from, to, quote string) {
		if stated[[3]string{typ, from, to}] {
			return
		}
		stated[[3]string{typ, from, to}] = true
		bundle.Claims = append(bundle.Claims, model.Claim{UID: model.ClaimUID(typ, from, to, src), Type: typ, From: from, To: to, Quote: quote})
	}
	for _, id := range sortedKeys(r.byID) {
		o := r.byID[id].obj
		label, ok := r.labels[id]
		if !ok {
			continue
		}
		switch label {
		case model.LabelIndicator:
			if str(o.PatternType) != "stix" || withObservables[id] {
				continue
			}
			obs, skipped := patternObservables(r.model, str(o.Pattern))
			for _, s := range skipped {
				r.skipped("%s", s)
			}
			for _, e := range obs {
				if _, have := entityAt[e.UID]; !have {
					entityAt[e.UID] = len(bundle.Entities)
					bundle.Entities = append(bundle.Entities, e)
					r.labels[e.UID] = e.Label
				}
				add(model.RelBasedOn, id, e.UID, str(o.Pattern))
			}
		case model.LabelDomain:
			for _, ref := range strs(o.ResolvesToRefs) {
				to := r.entityUID(ref)
				toLabel, inFile := r.labels[to]
				rt, _ := r.model.Rel(model.RelResolvesTo)
				if !inFile || !rt.Allows(label, toLabel) {
					r.skipped("domain-name resolves_to_refs: not to an address or domain of this file")
					continue
				}
				add(model.RelResolvesTo, r.entityUID(id), to, fmt.Sprintf("STIX domain-name %s resolves_to_refs %s", str(o.Value), ref))
			}
		}
	}
}

// sortedKeys are a map's keys in order (object ids, hash names).
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
