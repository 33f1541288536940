package queries

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"net/url"
	"strings"
	"text/template"
)

// BrowserLink returns a Neo4j Browser URL whose editor holds the query's
// graph form, ready to run (Browser's cmd=edit URL parameter). For a query
// with parameters, the editor holds two statements: ":params {...}", which
// sets them, then the query. Browser runs only one command from a URL and
// does not keep parameters across page loads, so both travel in one link;
// a run of several statements shows their statuses, and once the parameters
// are set, running the query on its own (GraphQuery) draws the graph. The
// link carries no connection settings, which would reopen Browser's
// connection form.
func (q Query) BrowserLink(browserURL string, params map[string]any) string {
	content := q.GraphQuery()
	if len(q.Params) > 0 {
		content = q.BrowserParams(params) + ";\n" + content
	}
	v := url.Values{}
	v.Set("cmd", "edit")
	v.Set("arg", content)
	return strings.TrimRight(browserURL, "/") + "/browser/?" + v.Encode()
}

// GraphQuery is the graph form of the query without its header comments.
func (q Query) GraphQuery() string {
	return strings.TrimSpace(stripHeader(q.Visual))
}

// BrowserParams is the Browser command that sets the query's parameters:
// ":params" with a JSON object (JSON escaping keeps any value inside its
// string). Every declared parameter is set, null when not given.
func (q Query) BrowserParams(params map[string]any) string {
	values := make(map[string]any, len(q.Params))
	for _, p := range q.Params {
		values[p.Name] = params[p.Name]
	}
	b, _ := json.Marshal(values) // keys sorted; values are strings, integers, booleans, null
	return ":params " + string(b)
}

// stripHeader drops the leading comment lines (Browser would show them).
func stripHeader(src string) string {
	lines := strings.Split(src, "\n")
	i := 0
	for i < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[i]), "//") {
		i++
	}
	return strings.Join(lines[i:], "\n")
}

//go:embed guide.html.tmpl
var guideTemplate string

// Where the local server serves threatkg's Browser assets (see
// scripts/neo4j-local.sh, which packs them into the Browser's jar).
const (
	AssetsPath = "browser/threatkg"
	StyleFile  = "threatkg.grass"
	GuideFile  = "guide.html"
)

// BrowserAssets are the files a server serves under AssetsPath for
// Browser: the style (GraSS, made from the model by the caller) and the
// guide, by file name.
func BrowserAssets(style string) (map[string]string, error) {
	guide, err := Guide()
	if err != nil {
		return nil, err
	}
	return map[string]string{StyleFile: style, GuideFile: guide}, nil
}

// Guide renders the Neo4j Browser guide (a tour of the seed graph), in the
// HTML slide format Browser's :guide and :play read.
func Guide() (string, error) {
	t, err := template.New("guide").Parse(guideTemplate)
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	if err := t.Execute(&b, nil); err != nil {
		return "", err
	}
	return b.String(), nil
}
