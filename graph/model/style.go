package model

import (
	"fmt"
	"strconv"
	"strings"
)

// Style properties of what is not an entity label.
const (
	baseColor      = "#A5ABB6"
	reportColor    = "#CFD8DC"
	sameAsColor    = "#E91E63"
	mentionsColor  = "#D5D8DC"
	relationsColor = "#8E96A3"
)

// GraSS is the Neo4j Browser stylesheet (Graph Style Sheet) of the model:
// a colour, size and name caption per label, the title for reports, and
// each relationship captioned with its type. `threatkg browser style`
// prints it; the local server applies it when Browser connects.
func (m Model) GraSS() string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	// No comments: Browser's GraSS parser does not understand them.
	w("node {\n  diameter: 50px;\n  color: %s;\n  border-color: %s;\n  border-width: 2px;\n  text-color-internal: #FFFFFF;\n  font-size: 10px;\n  caption: '{name}';\n}\n", baseColor, darken(baseColor))
	w("relationship {\n  color: %s;\n  shaft-width: 2px;\n  font-size: 8px;\n  padding: 3px;\n  text-color-external: #000000;\n  text-color-internal: #FFFFFF;\n  caption: '<type>';\n}\n", relationsColor)
	for _, n := range m.Nodes {
		w("node.%s {\n  color: %s;\n  border-color: %s;\n  text-color-internal: %s;\n  diameter: %dpx;\n  caption: '{name}';\n}\n",
			n.Label, n.Color, darken(n.Color), textColor(n.Color), n.Diameter)
	}
	w("node.%s {\n  color: %s;\n  border-color: %s;\n  text-color-internal: #263238;\n  diameter: 45px;\n  caption: '{title}';\n}\n", ReportLabel, reportColor, darken(reportColor))
	for _, r := range m.Rels {
		w("relationship.%s {\n  caption: '<type>';\n}\n", r.Type)
	}
	w("relationship.%s {\n  color: %s;\n  shaft-width: 1px;\n  caption: '<type>';\n}\n", MentionsType, mentionsColor)
	w("relationship.%s {\n  color: %s;\n  shaft-width: 4px;\n  caption: '<type>';\n}\n", SameAsType, sameAsColor)
	return b.String()
}

// darken returns a colour 25% darker, for node borders.
func darken(hex string) string {
	r, g, bl := rgb(hex)
	return fmt.Sprintf("#%02X%02X%02X", r*3/4, g*3/4, bl*3/4)
}

// textColor picks black or white captions, whichever reads on the fill.
func textColor(hex string) string {
	r, g, b := rgb(hex)
	if (299*r+587*g+114*b)/1000 > 150 {
		return "#263238"
	}
	return "#FFFFFF"
}

func rgb(hex string) (int, int, int) {
	v, err := strconv.ParseUint(strings.TrimPrefix(hex, "#"), 16, 32)
	if err != nil {
		return 0xA5, 0xAB, 0xB6
	}
	return int(v >> 16 & 0xFF), int(v >> 8 & 0xFF), int(v & 0xFF)
}
