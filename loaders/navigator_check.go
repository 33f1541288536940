package loaders

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// CheckNavigatorLayer checks a layer file against the Navigator's layer
// format 4.5 (layers/spec/v4.5/layerformat.md of mitre-attack/attack-navigator):
// required properties, their types, allowed values, and no property the
// format does not define. threatkg checks its own layers with it before
// it writes them, as it validates its STIX exports.
func CheckNavigatorLayer(data []byte) error {
	var l map[string]any
	if err := json.Unmarshal(data, &l); err != nil {
		return fmt.Errorf("not a JSON object: %w", err)
	}
	var problems []string
	bad := func(format string, a ...any) { problems = append(problems, fmt.Sprintf(format, a...)) }
	checkObject(l, "layer", map[string]string{
		"versions": "object", "name": "string!", "description": "string", "domain": "string!", "customDataURL": "string",
		"filters": "object", "sorting": "number", "layout": "object", "hideDisabled": "bool", "techniques": "array",
		"gradient": "object", "legendItems": "array", "showTacticRowBackground": "bool", "tacticRowBackground": "string",
		"selectTechniquesAcrossTactics": "bool", "selectSubtechniquesWithParent": "bool", "selectVisibleTechniques": "bool",
		"metadata": "array", "links": "array",
	}, bad)
	if d, _ := l["domain"].(string); d != "enterprise-attack" && d != "mobile-attack" && d != "ics-attack" {
		bad("domain %q", d)
	}
	if s, ok := l["sorting"].(float64); ok && (s < 0 || s > 3 || s != float64(int(s))) {
		bad("sorting %v", s)
	}
	if v, ok := l["versions"].(map[string]any); ok {
		checkObject(v, "versions", map[string]string{"attack": "string", "navigator": "string!", "layer": "string!"}, bad)
		if v["layer"] != "4.5" {
			bad("versions.layer %v, must be 4.5", v["layer"])
		}
		var major, minor int
		if n, _ := fmt.Sscanf(fmt.Sprint(v["navigator"]), "%d.%d", &major, &minor); n != 2 || major < 4 || major == 4 && minor < 9 {
			bad("versions.navigator %v, must be at least 4.9.0", v["navigator"])
		}
	}
	if lay, ok := l["layout"].(map[string]any); ok {
		checkObject(lay, "layout", map[string]string{"layout": "string", "showID": "bool", "showName": "bool", "showAggregateScores": "bool",
			"countUnscored": "bool", "aggregateFunction": "string", "expandedSubtechniques": "string"}, bad)
	}
	if g, ok := l["gradient"].(map[string]any); ok {
		checkObject(g, "gradient", map[string]string{"colors": "array!", "minValue": "number!", "maxValue": "number!"}, bad)
		if cs, _ := g["colors"].([]any); len(cs) < 2 {
			bad("gradient.colors: at least two")
		}
		if mn, _ := g["minValue"].(float64); g["maxValue"].(float64) <= mn {
			bad("gradient.maxValue must be > minValue")
		}
	}
	techniques, _ := l["techniques"].([]any)
	for i, x := range techniques {
		t, ok := x.(map[string]any)
		if !ok {
			bad("techniques[%d] is no object", i)
			continue
		}
		what := fmt.Sprintf("techniques[%d]", i)
		checkObject(t, what, map[string]string{"techniqueID": "string!", "tactic": "string", "comment": "string", "enabled": "bool",
			"score": "number", "color": "string", "metadata": "array", "links": "array", "showSubtechniques": "bool"}, bad)
		if s, _ := t["techniqueID"].(string); !techniqueIDPattern.MatchString(s) {
			bad("%s.techniqueID %q", what, s)
		}
		checkMeta(t["metadata"], what, bad)
		checkLinks(t["links"], what, bad)
	}
	checkMeta(l["metadata"], "layer", bad)
	checkLinks(l["links"], "layer", bad)
	if len(problems) > 0 {
		return fmt.Errorf("not a layer of format 4.5: %s", strings.Join(problems, "; "))
	}
	return nil
}

func checkObject(o map[string]any, what string, props map[string]string, bad func(string, ...any)) {
	for k, v := range o {
		typ, ok := props[k]
		if !ok {
			bad("%s: property %q is not in the format", what, k)
			continue
		}
		if !hasType(v, strings.TrimSuffix(typ, "!")) {
			bad("%s.%s: %T, want %s", what, k, v, typ)
		}
	}
	for k, typ := range props {
		if _, ok := o[k]; !ok && strings.HasSuffix(typ, "!") {
			bad("%s: required property %q missing", what, k)
		}
	}
}

func hasType(v any, typ string) bool {
	switch typ {
	case "string":
		_, ok := v.(string)
		return ok
	case "number":
		_, ok := v.(float64)
		return ok
	case "bool":
		_, ok := v.(bool)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "object":
		_, ok := v.(map[string]any)
		return ok
	}
	return false
}

func checkMeta(v any, what string, bad func(string, ...any)) {
	items, _ := v.([]any)
	for i, x := range items {
		m, _ := x.(map[string]any)
		if m["divider"] == true && len(m) == 1 {
			continue
		}
		checkObject(m, fmt.Sprintf("%s.metadata[%d]", what, i), map[string]string{"name": "string!", "value": "string!"}, bad)
	}
}

func checkLinks(v any, what string, bad func(string, ...any)) {
	items, _ := v.([]any)
	for i, x := range items {
		m, _ := x.(map[string]any)
		if m["divider"] == true && len(m) == 1 {
			continue
		}
		checkObject(m, fmt.Sprintf("%s.links[%d]", what, i), map[string]string{"label": "string!", "url": "string!"}, bad)
		if u, _ := m["url"].(string); !strings.Contains(u, "://") {
			bad("%s.links[%d].url %q has no protocol", what, i, u)
		}
	}
}

var techniqueIDPattern = regexp.MustCompile(`^T\d{4}(\.\d{3})?$`)
