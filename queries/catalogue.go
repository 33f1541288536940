package queries

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/threatkg/threatkg/graph/model"
)

//go:embed *.cypher graph/*.cypher
var files embed.FS

// ParamType is the type of a query parameter.
type ParamType string

// Parameter types a query may declare.
const (
	TypeString  ParamType = "string"
	TypeInteger ParamType = "integer"
	TypeBoolean ParamType = "boolean"
	// TypeObservable is an IP address, domain, URL, e-mail address or file
	// hash, defanged or not: it reaches the query normalised as the graph
	// stores it (model.ParseObservable), so a lookup by value is an exact
	// index seek.
	TypeObservable ParamType = "observable"
)

// Param is one declared parameter of a query.
type Param struct {
	Name        string    `json:"name"`
	Type        ParamType `json:"type"`
	Required    bool      `json:"required"`
	Default     any       `json:"default"` // nil: null when not given
	Description string    `json:"description"`
}

// Query is one canned query: its header and its Cypher, exactly as the file
// holds it (runnable in Neo4j Browser after :param).
type Query struct {
	Name        string   `json:"name"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Params      []Param  `json:"params"`
	Columns     []string `json:"columns"`
	Cypher      string   `json:"-"`
	File        string   `json:"file"`
	// Visual is the graph form of the query (nodes, relationships, paths
	// for Browser's graph view), from graph/NAME.cypher; it takes the same
	// parameters.
	Visual string `json:"-"`
}

// Header lines look like:
//
//	// @name actors-victims
//	// @description Every way a threat actor ... links to something targeted.
//	// @param actor string optional Name or alias of one actor; every actor when null.
//	// @param max_hops integer default=6 Longest path to look for (at most 15).
//	// @columns actor, victim, victim_type, via, evidence, sources
var (
	headerLine = regexp.MustCompile(`^//\s*@(\w+)\s*(.*)$`)
	paramLine  = regexp.MustCompile(`^(\w+)\s+(string|integer|boolean|observable)\s+(required|optional|default=\S+)\s+(.+)$`)
)

// Parse reads a query file.
func Parse(name string, src string) (Query, error) {
	q := Query{File: name, Cypher: src}
	for i, line := range strings.Split(src, "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "//") {
			continue
		}
		m := headerLine.FindStringSubmatch(line)
		if m == nil {
			if q.Title == "" && q.Name == "" {
				q.Title = strings.TrimSpace(strings.TrimPrefix(line, "//"))
			}
			continue
		}
		key, value := m[1], strings.TrimSpace(m[2])
		switch key {
		case "name":
			q.Name = value
		case "description":
			q.Description = value
		case "columns":
			for _, c := range strings.Split(value, ",") {
				q.Columns = append(q.Columns, strings.TrimSpace(c))
			}
		case "param":
			p, err := parseParam(value)
			if err != nil {
				return Query{}, fmt.Errorf("%s:%d: %w", name, i+1, err)
			}
			q.Params = append(q.Params, p)
		default:
			return Query{}, fmt.Errorf("%s:%d: unknown header @%s", name, i+1, key)
		}
	}
	switch {
	case q.Name == "":
		return Query{}, fmt.Errorf("%s: no @name header", name)
	case q.Description == "":
		return Query{}, fmt.Errorf("%s: no @description header", name)
	case len(q.Columns) == 0:
		return Query{}, fmt.Errorf("%s: no @columns header", name)
	}
	for _, p := range q.Params {
		if !strings.Contains(src, "$"+p.Name) {
			return Query{}, fmt.Errorf("%s: parameter %s is declared but the query never uses $%s", name, p.Name, p.Name)
		}
	}
	return q, nil
}

func parseParam(s string) (Param, error) {
	m := paramLine.FindStringSubmatch(s)
	if m == nil {
		return Param{}, fmt.Errorf("@param %q: want NAME TYPE required|optional|default=VALUE DESCRIPTION", s)
	}
	p := Param{Name: m[1], Type: ParamType(m[2]), Description: m[4]}
	switch {
	case m[3] == "required":
		p.Required = true
	case strings.HasPrefix(m[3], "default="):
		v, err := convert(p, strings.TrimPrefix(m[3], "default="))
		if err != nil {
			return Param{}, fmt.Errorf("@param %s: bad default: %w", p.Name, err)
		}
		p.Default = v
	}
	return p, nil
}

var (
	loadOnce  sync.Once
	catalogue []Query
	loadErr   error
)

// All returns the catalogue, sorted by name. The files are embedded, so an
// error here is a bug caught by the tests.
func All() ([]Query, error) {
	loadOnce.Do(func() {
		entries, err := fs.ReadDir(files, ".")
		if err != nil {
			loadErr = err
			return
		}
		for _, e := range entries {
			if e.IsDir() {
				continue
			}
			data, err := files.ReadFile(e.Name())
			if err != nil {
				loadErr = err
				return
			}
			q, err := Parse(e.Name(), string(data))
			if err != nil {
				loadErr = err
				return
			}
			if want := strings.TrimSuffix(e.Name(), path.Ext(e.Name())); q.Name != want {
				loadErr = fmt.Errorf("%s: @name %q must match the file name", e.Name(), q.Name)
				return
			}
			visual, err := files.ReadFile("graph/" + e.Name())
			if err != nil {
				loadErr = fmt.Errorf("%s has no graph form graph/%s", e.Name(), e.Name())
				return
			}
			if err := q.checkVisual(string(visual)); err != nil {
				loadErr = fmt.Errorf("graph/%s: %w", e.Name(), err)
				return
			}
			q.Visual = string(visual)
			catalogue = append(catalogue, q)
		}
		sort.Slice(catalogue, func(i, j int) bool { return catalogue[i].Name < catalogue[j].Name })
	})
	return catalogue, loadErr
}

// UnknownQueryError says a query name is not in the catalogue.
type UnknownQueryError struct {
	Name  string
	Known []string
}

func (e *UnknownQueryError) Error() string {
	return fmt.Sprintf("no canned query %q; the catalogue has: %s", e.Name, strings.Join(e.Known, ", "))
}

// Lookup finds a query by name.
func Lookup(name string) (Query, error) {
	all, err := All()
	if err != nil {
		return Query{}, err
	}
	var names []string
	for _, q := range all {
		if q.Name == name {
			return q, nil
		}
		names = append(names, q.Name)
	}
	return Query{}, &UnknownQueryError{Name: name, Known: names}
}

// ParamError is a problem with the parameters a user gave.
type ParamError struct{ Msg string }

func (e *ParamError) Error() string { return e.Msg }

// Table lists queries as rows: name, parameters (their usage), description.
func Table(qs []Query) (columns []string, records [][]any) {
	records = make([][]any, len(qs))
	for i, q := range qs {
		ps := make([]string, len(q.Params))
		for j, p := range q.Params {
			ps[j] = p.Usage()
		}
		records[i] = []any{q.Name, strings.Join(ps, ", "), q.Description}
	}
	return []string{"name", "parameters", "description"}, records
}

// ParseParams is the one parser of --param key=value: the key is trimmed
// before anything else, so " actor=x" and "actor=y" are the same key given
// twice.
func ParseParams(kvs []string) (map[string]string, error) {
	given := map[string]string{}
	for _, kv := range kvs {
		k, v, ok := strings.Cut(kv, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return nil, &ParamError{Msg: fmt.Sprintf("--param %q: want key=value", kv)}
		}
		if _, dup := given[k]; dup {
			return nil, &ParamError{Msg: fmt.Sprintf("--param %s given twice", k)}
		}
		given[k] = v
	}
	return given, nil
}

// Known picks from values those that name one of the query's parameters:
// one set of values (a corpus's probes) for every query of the catalogue.
func (q Query) Known(values map[string]string) map[string]string {
	given := map[string]string{}
	for _, p := range q.Params {
		if v, ok := values[p.Name]; ok {
			given[p.Name] = v
		}
	}
	return given
}

// Bind turns the user's key=value strings into the query's parameters:
// every declared parameter gets a value (given, default, or null), unknown
// and missing required ones are errors that list the valid parameters.
func (q Query) Bind(given map[string]string) (map[string]any, error) {
	params := map[string]any{}
	declared := map[string]Param{}
	for _, p := range q.Params {
		declared[p.Name] = p
		params[p.Name] = p.Default
	}
	var unknown []string
	for k := range given {
		if _, ok := declared[k]; !ok {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	if len(unknown) > 0 {
		return nil, &ParamError{Msg: fmt.Sprintf("query %s has no parameter %s; %s", q.Name, strings.Join(unknown, ", "), q.paramHelp())}
	}
	for _, p := range q.Params {
		raw, ok := given[p.Name]
		if !ok {
			if p.Required {
				return nil, &ParamError{Msg: fmt.Sprintf("query %s needs --param %s=...; %s", q.Name, p.Name, q.paramHelp())}
			}
			continue
		}
		v, err := convert(p, raw)
		if err != nil {
			return nil, &ParamError{Msg: fmt.Sprintf("query %s: --param %s: %v", q.Name, p.Name, err)}
		}
		params[p.Name] = v
	}
	return params, nil
}

func (q Query) paramHelp() string {
	if len(q.Params) == 0 {
		return "it takes no parameters"
	}
	var parts []string
	for _, p := range q.Params {
		parts = append(parts, p.Usage())
	}
	return "its parameters: " + strings.Join(parts, ", ")
}

// Usage is a short form such as "actor (string, required)".
func (p Param) Usage() string {
	switch {
	case p.Required:
		return fmt.Sprintf("%s (%s, required)", p.Name, p.Type)
	case p.Default != nil:
		return fmt.Sprintf("%s (%s, default %v)", p.Name, p.Type, p.Default)
	}
	return fmt.Sprintf("%s (%s, optional)", p.Name, p.Type)
}

func convert(p Param, raw string) (any, error) {
	switch p.Type {
	case TypeInteger:
		n, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a whole number", raw)
		}
		if n < 0 { // integer parameters are counts: hops, rows
			return nil, fmt.Errorf("%d is negative; give 0 or more", n)
		}
		return n, nil
	case TypeBoolean:
		b, err := strconv.ParseBool(strings.TrimSpace(raw))
		if err != nil {
			return nil, fmt.Errorf("%q is not true or false", raw)
		}
		return b, nil
	case TypeObservable:
		o, err := model.ParseObservable(raw)
		if err != nil {
			return nil, err
		}
		return o.Value, nil
	}
	return raw, nil
}

var paramRef = regexp.MustCompile(`\$([A-Za-z_][A-Za-z0-9_]*)`)

// checkVisual verifies that the graph form names the query and uses only its
// parameters.
func (q Query) checkVisual(src string) error {
	if !strings.Contains(src, "// @name "+q.Name+"\n") {
		return fmt.Errorf("no '// @name %s' header", q.Name)
	}
	declared := map[string]bool{}
	for _, p := range q.Params {
		declared[p.Name] = true
	}
	for _, m := range paramRef.FindAllStringSubmatch(src, -1) {
		if !declared[m[1]] {
			return fmt.Errorf("uses $%s, which query %s does not declare", m[1], q.Name)
		}
	}
	return nil
}
