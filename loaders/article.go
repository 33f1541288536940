package loaders

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	// go.yaml.in/yaml/v3 is the YAML organisation's maintained continuation
	// of gopkg.in/yaml.v3. Its Node API keeps the line and column of every
	// value, which every validation message needs.
	"go.yaml.in/yaml/v3"

	"github.com/threatkg/threatkg/graph/model"
)

// ArticleFormat is the value of the `format` field of an annotation file.
const ArticleFormat = "threatkg-article/1"

// AnnotationsFile is the annotation file's name inside an article folder.
const AnnotationsFile = "annotations.yaml"

// MaxNameLength bounds names, aliases and ids: a name of thousands of
// characters is an attack or an accident, never an entity.
const MaxNameLength = 300

// MaxFileSize bounds what a loader reads of one file: inputs come from
// strangers, and a huge file must fail fast, not exhaust memory.
const MaxFileSize = 16 << 20

// ArticlePath resolves an article argument (a folder holding
// annotations.yaml, or the YAML file itself) to the YAML file's path.
// ok is false when path is neither.
func ArticlePath(path string) (yamlPath string, ok bool) {
	st, err := os.Stat(path)
	if err != nil {
		return "", false
	}
	if st.IsDir() {
		p := filepath.Join(path, AnnotationsFile)
		if _, err := os.Stat(p); err == nil {
			return p, true
		}
		return "", false
	}
	ext := strings.ToLower(filepath.Ext(path))
	return path, ext == ".yaml" || ext == ".yml"
}

// ReadArticle reads and validates an annotated article: the YAML file at
// yamlPath and the text it names. It returns the article as model rows, or an
// *InputError listing every problem with its position.
func ReadArticle(yamlPath string, m model.Model) (model.Document, error) {
	data, err := readLimited(yamlPath)
	if err != nil {
		ps := &problems{file: yamlPath}
		ps.at(0, 0, "%v", err)
		return model.Document{}, ps.err()
	}
	dir := filepath.Dir(yamlPath)
	return ParseArticle(yamlPath, data, func(name string) ([]byte, error) { return readLimited(filepath.Join(dir, name)) }, m)
}

// ParseArticle reads and validates annotations held in memory (data, named
// name in problems), whose text readText returns by its file name: e.g. a
// draft of 'threatkg extract', validated exactly as a file is.
func ParseArticle(name string, data []byte, readText func(name string) ([]byte, error), m model.Model) (model.Document, error) {
	ps := &problems{file: name}
	if !utf8.Valid(data) {
		line, col := invalidUTF8Position(data)
		ps.at(line, col, "not valid UTF-8; save the file as UTF-8")
		return model.Document{}, ps.err()
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		line, msg := yamlErrorPosition(err)
		ps.at(line, 0, "invalid YAML: %s", msg)
		return model.Document{}, ps.err()
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		ps.at(0, 0, "empty file; an annotation file starts with 'format: %s'", ArticleFormat)
		return model.Document{}, ps.err()
	}
	r := &articleReader{ps: ps, model: m, readText: readText}
	doc := r.read(root.Content[0])
	if err := ps.err(); err != nil {
		return model.Document{}, err
	}
	// The reader checked everything with positions; this is the model's own
	// check of the rows, which must agree.
	if err := m.CheckDocument(doc); err != nil {
		return model.Document{}, fmt.Errorf("%s: %w", name, err)
	}
	return doc, nil
}

type articleReader struct {
	ps       *problems
	model    model.Model
	readText func(name string) ([]byte, error) // the text, by its file name
	text     string                            // the article text, once read
}

// Field sets of each mapping, for unknown-field errors.
var (
	topFields      = []string{"format", "source", "entities", "relations"}
	sourceFields   = []string{"title", "publisher", "date", "url", "key", "text"}
	entityFields   = []string{"id", "type", "name", "aliases", "description", "uid", "properties", "evidence", "confidence"}
	relationFields = []string{"type", "from", "to", "evidence", "date", "properties", "confidence"}
)

type localEntity struct {
	row  model.Entity
	node *yaml.Node // the entity's mapping, for positions
}

func (r *articleReader) read(top *yaml.Node) model.Document {
	fields := r.mapping(top, "the file", topFields)
	if fields == nil {
		return model.Document{}
	}
	var doc model.Document

	if f, ok := fields["format"]; !ok {
		r.ps.at(top.Line, top.Column, "missing field 'format' (it must be %q)", ArticleFormat)
	} else if v := r.str(f, "format"); v != "" && v != ArticleFormat {
		r.ps.at(f.Line, f.Column, "format %q is not supported; this version of threatkg reads %q", v, ArticleFormat)
	}

	src, ok := fields["source"]
	if !ok {
		r.ps.at(top.Line, top.Column, "missing field 'source' (title, publisher, date, text)")
	} else {
		doc.Source = r.readSource(src)
	}

	entities := map[string]*localEntity{}
	byUID := map[string]string{}
	if list, ok := fields["entities"]; !ok {
		r.ps.at(top.Line, top.Column, "missing field 'entities'")
	} else if r.isSeq(list, "entities") {
		for _, item := range list.Content {
			id, ent := r.readEntity(item)
			if ent == nil {
				continue
			}
			if prev, dup := entities[id]; dup {
				r.ps.at(item.Line, item.Column, "duplicate entity id %q (first defined at line %d)", id, prev.node.Line)
				continue
			}
			if other, dup := byUID[ent.row.UID]; dup {
				r.ps.at(item.Line, item.Column, "entity %q names the same %s as %q (same normalised name); merge them and list the other name under aliases", id, ent.row.Label, other)
				continue
			}
			entities[id] = ent
			byUID[ent.row.UID] = id
			doc.Entities = append(doc.Entities, ent.row)
		}
	}

	if list, ok := fields["relations"]; ok && r.isSeq(list, "relations") {
		seen := map[string]int{}
		for _, item := range list.Content {
			c, ok := r.readRelation(item, entities, doc.Source.UID)
			if !ok {
				continue
			}
			if line, dup := seen[c.UID]; dup {
				r.ps.at(item.Line, item.Column, "duplicate relation %s from %q to %q (first at line %d); one relation per claim", c.Type, c.From, c.To, line)
				continue
			}
			seen[c.UID] = item.Line
			doc.Claims = append(doc.Claims, c)
		}
	}
	// Claims carry entity uids; resolve from local ids now that all are known.
	return doc
}

func (r *articleReader) readSource(n *yaml.Node) model.Source {
	fields := r.mapping(n, "source", sourceFields)
	if fields == nil {
		return model.Source{}
	}
	s := model.Source{Kind: "article"}
	s.Title = r.requiredStr(n, fields, "title", "source")
	s.Publisher = r.requiredStr(n, fields, "publisher", "source")
	if f, ok := fields["date"]; !ok {
		r.ps.at(n.Line, n.Column, "source: missing field 'date' (YYYY-MM-DD)")
	} else {
		s.Date = r.date(f, "source.date")
	}
	if f, ok := fields["url"]; ok {
		s.URL = r.str(f, "source.url")
		if u, err := url.Parse(s.URL); s.URL != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "") {
			r.ps.at(f.Line, f.Column, "source.url %q is not an http(s) URL", s.URL)
		}
	}
	textName := "article.txt"
	if f, ok := fields["text"]; ok {
		textName = r.str(f, "source.text")
		if filepath.IsAbs(textName) || strings.Contains(filepath.ToSlash(textName), "../") {
			r.ps.at(f.Line, f.Column, "source.text %q must be a file name next to the annotations", textName)
			textName = ""
		}
	}
	if textName != "" {
		data, err := r.readText(textName)
		switch {
		case err != nil:
			r.ps.at(n.Line, n.Column, "source text: %v", err)
		case !utf8.Valid(data):
			line, col := invalidUTF8Position(data)
			r.ps.at(n.Line, n.Column, "source text %s is not valid UTF-8 (line %d, column %d)", textName, line, col)
		default:
			r.text = string(data)
			sum := sha256.Sum256(data)
			s.TextSHA256 = hex.EncodeToString(sum[:])
			s.File = textName
		}
	}
	key := s.URL
	if f, ok := fields["key"]; ok {
		key = r.str(f, "source.key")
	}
	if key == "" {
		key = s.Title + "|" + s.Date
	}
	s.UID = model.ReportUID(key)
	return s
}

var localID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.:-]*$`)

func (r *articleReader) readEntity(n *yaml.Node) (string, *localEntity) {
	fields := r.mapping(n, "entity", entityFields)
	if fields == nil {
		return "", nil
	}
	id := r.requiredStr(n, fields, "id", "entity")
	if id != "" && !localID.MatchString(id) {
		r.ps.at(fields["id"].Line, fields["id"].Column, "entity id %q: use letters, digits and - _ . : only, no spaces", id)
		id = ""
	}
	where := fmt.Sprintf("entity %q", id)
	ent := model.Entity{}
	var nodeType model.NodeType
	if f, ok := fields["type"]; !ok {
		r.ps.at(n.Line, n.Column, "%s: missing field 'type' (one of %s)", where, strings.Join(r.model.Labels(), ", "))
	} else if label := r.str(f, "type"); label != "" {
		nt, known := r.model.Node(label)
		if !known {
			r.ps.at(f.Line, f.Column, "%s: unknown type %q; the model declares %s", where, label, strings.Join(r.model.Labels(), ", "))
		} else {
			nodeType = nt
			ent.Label = label
		}
	}
	ent.Name = r.requiredStr(n, fields, "name", where)
	if f, ok := fields["aliases"]; ok {
		ent.Aliases = r.strList(f, where+" aliases")
	}
	for _, name := range append([]string{ent.Name, id}, ent.Aliases...) {
		if l := utf8.RuneCountInString(name); l > MaxNameLength {
			r.ps.at(n.Line, n.Column, "%.60s: a name, alias or id is %d characters long; at most %d are allowed", where, l, MaxNameLength)
			return "", nil
		}
	}
	if f, ok := fields["description"]; ok {
		ent.Description = r.str(f, where+" description")
	}
	if f, ok := fields["evidence"]; !ok {
		r.ps.at(n.Line, n.Column, "%s: missing field 'evidence' (a quote from the text that names it)", where)
	} else {
		ent.Quote = r.quote(f, where)
	}
	if f, ok := fields["confidence"]; ok {
		r.confidence(f, where)
	}
	if f, ok := fields["properties"]; ok && ent.Label != "" {
		ent.Properties = r.properties(f, where, func(name string) (model.Property, bool) {
			if p, ok := nodeType.Property(name); ok && !model.IsCommonProperty(name) {
				return p, true
			}
			return model.Property{}, false
		}, declaredNames(nodeType.Properties))
	}
	if ent.Label == "" || ent.Name == "" || id == "" {
		return "", nil
	}
	ent.UID = model.EntityUID(nodeType, ent.Name)
	if f, ok := fields["uid"]; ok {
		uid := r.str(f, where+" uid")
		switch typ := model.STIXType(uid); {
		case typ == "":
			r.ps.at(f.Line, f.Column, "%s: uid %q is not a STIX id (type--uuid)", where, uid)
		case typ != nodeType.STIXType:
			r.ps.at(f.Line, f.Column, "%s: uid %q has STIX type %q, but %s uids are %q", where, uid, typ, ent.Label, nodeType.STIXType)
		default:
			ent.UID = uid
		}
	}
	ent.Aliases = withoutName(ent.Aliases, ent.Name)
	return id, &localEntity{row: ent, node: n}
}

func (r *articleReader) readRelation(n *yaml.Node, entities map[string]*localEntity, sourceUID string) (model.Claim, bool) {
	fields := r.mapping(n, "relation", relationFields)
	if fields == nil {
		return model.Claim{}, false
	}
	c := model.Claim{}
	var relType model.RelType
	typeOK := false
	if f, ok := fields["type"]; !ok {
		r.ps.at(n.Line, n.Column, "relation: missing field 'type' (one of %s)", strings.Join(r.model.RelTypes(), ", "))
	} else if t := r.str(f, "relation type"); t != "" {
		relType, typeOK = r.model.Rel(t)
		if !typeOK {
			r.ps.at(f.Line, f.Column, "unknown relation type %q; the model declares %s", t, strings.Join(r.model.RelTypes(), ", "))
		}
		c.Type = t
	}
	end := func(key string) *localEntity {
		f, ok := fields[key]
		if !ok {
			r.ps.at(n.Line, n.Column, "relation %s: missing field '%s' (an entity id)", c.Type, key)
			return nil
		}
		id := r.str(f, "relation "+key)
		if id == "" {
			return nil
		}
		e, ok := entities[id]
		if !ok {
			r.ps.at(f.Line, f.Column, "relation %s: '%s: %s' is not an entity id of this file%s", c.Type, key, id, suggest(id, entityIDs(entities)))
			return nil
		}
		return e
	}
	from, to := end("from"), end("to")
	if f, ok := fields["evidence"]; !ok {
		r.ps.at(n.Line, n.Column, "relation %s: missing field 'evidence' (the quote that supports it)", c.Type)
	} else {
		c.Quote = r.quote(f, "relation "+c.Type)
	}
	if f, ok := fields["date"]; ok {
		c.Date = r.date(f, "relation date")
	}
	if f, ok := fields["confidence"]; ok {
		r.confidence(f, "relation "+c.Type)
	}
	if f, ok := fields["properties"]; ok && typeOK {
		c.Properties = r.properties(f, "relation "+c.Type, func(name string) (model.Property, bool) {
			for _, p := range relType.Properties {
				if p.Name == name {
					return p, true
				}
			}
			return model.Property{}, false
		}, declaredNames(relType.Properties))
	}
	if !typeOK || from == nil || to == nil {
		return model.Claim{}, false
	}
	if from == to {
		r.ps.at(n.Line, n.Column, "relation %s goes from %s to itself; a claim links two different entities", c.Type, fields["from"].Value)
		return model.Claim{}, false
	}
	if !relType.Allows(from.row.Label, to.row.Label) {
		r.ps.at(n.Line, n.Column, "relation %s from %s (%s) to %s (%s) is not allowed by the model: %s goes from %s to %s",
			c.Type, fields["from"].Value, from.row.Label, fields["to"].Value, to.row.Label, c.Type,
			strings.Join(relType.From, "|"), strings.Join(relType.To, "|"))
		return model.Claim{}, false
	}
	c.From, c.To = from.row.UID, to.row.UID
	c.UID = model.ClaimUID(c.Type, c.From, c.To, sourceUID)
	return c, true
}

// mapping checks that n is a mapping whose keys are all known and unique,
// and returns its values by key; nil if n is not a mapping.
// confidence checks a draft's confidence: a number from 0 to 1. It is the
// extractor's score, for the reviewer; it is not written to the graph.
func (r *articleReader) confidence(n *yaml.Node, where string) {
	v, err := strconv.ParseFloat(n.Value, 64)
	if n.Kind != yaml.ScalarNode || err != nil || v < 0 || v > 1 {
		r.ps.at(n.Line, n.Column, "%s: confidence must be a number from 0 to 1, not %q", where, n.Value)
	}
}

func (r *articleReader) mapping(n *yaml.Node, what string, known []string) map[string]*yaml.Node {
	if n.Kind != yaml.MappingNode {
		r.ps.at(n.Line, n.Column, "%s must be a mapping of fields (%s), not %s", what, strings.Join(known, ", "), kindName(n))
		return nil
	}
	out := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			r.ps.at(k.Line, k.Column, "%s: field names must be plain words", what)
			continue
		}
		if !slices.Contains(known, k.Value) {
			r.ps.at(k.Line, k.Column, "%s: unknown field %q%s (known: %s)", what, k.Value, suggest(k.Value, known), strings.Join(known, ", "))
			continue
		}
		if _, dup := out[k.Value]; dup {
			r.ps.at(k.Line, k.Column, "%s: field %q appears twice", what, k.Value)
			continue
		}
		out[k.Value] = v
	}
	return out
}

func (r *articleReader) isSeq(n *yaml.Node, what string) bool {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return false // an empty list
	}
	if n.Kind != yaml.SequenceNode {
		r.ps.at(n.Line, n.Column, "%s must be a list (items starting with '- '), not %s", what, kindName(n))
		return false
	}
	return true
}

func (r *articleReader) requiredStr(parent *yaml.Node, fields map[string]*yaml.Node, key, where string) string {
	f, ok := fields[key]
	if !ok {
		r.ps.at(parent.Line, parent.Column, "%s: missing field '%s'", where, key)
		return ""
	}
	v := r.str(f, where+" "+key)
	if v == "" && f.Kind == yaml.ScalarNode {
		r.ps.at(f.Line, f.Column, "%s: '%s' is empty", where, key)
	}
	return v
}

func (r *articleReader) str(n *yaml.Node, what string) string {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!str" {
		r.ps.at(n.Line, n.Column, "%s must be text, not %s (put it in quotes)", what, kindName(n))
		return ""
	}
	return strings.TrimSpace(n.Value)
}

func (r *articleReader) strList(n *yaml.Node, what string) []string {
	if n.Kind != yaml.SequenceNode {
		r.ps.at(n.Line, n.Column, "%s must be a list of text, not %s", what, kindName(n))
		return nil
	}
	out := []string{}
	for _, item := range n.Content {
		if v := r.str(item, what+" item"); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// IsDate reports whether s is a date as sources give them: YYYY, YYYY-MM
// or YYYY-MM-DD. A full date must also be a day of the calendar:
// 2018-02-31 is refused (the STIX export could not write it as a
// timestamp).
func IsDate(s string) bool {
	if !datePattern.MatchString(s) {
		return false
	}
	if len(s) == len("2006-01-02") {
		_, err := time.Parse("2006-01-02", s)
		return err == nil
	}
	return true
}

var datePattern = regexp.MustCompile(`^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$`)

// date accepts YYYY, YYYY-MM or YYYY-MM-DD: sources are often vague.
func (r *articleReader) date(n *yaml.Node, what string) string {
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!str" && n.Tag != "!!timestamp" && n.Tag != "!!int") {
		r.ps.at(n.Line, n.Column, "%s must be a date (YYYY, YYYY-MM or YYYY-MM-DD), not %s", what, kindName(n))
		return ""
	}
	v := strings.TrimSpace(n.Value)
	if !IsDate(v) {
		r.ps.at(n.Line, n.Column, "%s %q is not a date (YYYY, YYYY-MM or YYYY-MM-DD, a day of the calendar)", what, v)
		return ""
	}
	return v
}

// quote checks that an evidence quote is an exact substring of the text.
func (r *articleReader) quote(n *yaml.Node, where string) string {
	q := r.str(n, where+" evidence")
	if q == "" {
		if n.Kind == yaml.ScalarNode && n.Tag == "!!str" {
			r.ps.at(n.Line, n.Column, "%s: evidence is empty", where)
		}
		return ""
	}
	if r.text == "" {
		return q // the text could not be read; that problem is reported already
	}
	if !strings.Contains(r.text, q) {
		hint := "; copy the words exactly from the text"
		if found := fuzzyFind(r.text, q); found != "" {
			hint = fmt.Sprintf("; the text has %q (quotes, apostrophes or spacing differ)", found)
		}
		r.ps.at(n.Line, n.Column, "%s: evidence is not in the article text%s", where, hint)
		return ""
	}
	return q
}

func (r *articleReader) properties(n *yaml.Node, where string, lookup func(string) (model.Property, bool), declared []string) map[string]any {
	if n.Kind != yaml.MappingNode {
		r.ps.at(n.Line, n.Column, "%s properties must be a mapping, not %s", where, kindName(n))
		return nil
	}
	out := map[string]any{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		p, ok := lookup(k.Value)
		if !ok {
			known := "none are declared"
			if len(declared) > 0 {
				known = "declared: " + strings.Join(declared, ", ")
			}
			r.ps.at(k.Line, k.Column, "%s: unknown property %q (%s)", where, k.Value, known)
			continue
		}
		if _, dup := out[p.Name]; dup {
			r.ps.at(k.Line, k.Column, "%s: property %q appears twice", where, p.Name)
			continue
		}
		what := fmt.Sprintf("%s property %q", where, p.Name)
		switch p.Type {
		case model.String:
			if s := r.str(v, what); s != "" {
				out[p.Name] = s
			}
		case model.Date:
			if s := r.date(v, what); s != "" {
				out[p.Name] = s
			}
		case model.StringList:
			out[p.Name] = r.strList(v, what)
		case model.Integer:
			i, err := strconv.ParseInt(v.Value, 10, 64)
			if v.Kind != yaml.ScalarNode || v.Tag != "!!int" || err != nil {
				r.ps.at(v.Line, v.Column, "%s must be a whole number, not %s", what, kindName(v))
				continue
			}
			out[p.Name] = i
		case model.Boolean:
			if v.Kind != yaml.ScalarNode || v.Tag != "!!bool" {
				r.ps.at(v.Line, v.Column, "%s must be true or false, not %s", what, kindName(v))
				continue
			}
			out[p.Name] = v.Value == "true"
		}
	}
	return out
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return "empty"
		case "!!int", "!!float":
			return "a number"
		case "!!bool":
			return "true/false"
		case "!!timestamp":
			return "a date"
		}
		return fmt.Sprintf("%q", n.Value)
	}
	return "something else"
}

// ReadText reads a plain-text article for extraction: UTF-8, not empty, not
// binary, at most MaxFileSize bytes. Problems are an *InputError naming the
// file and position.
func ReadText(path string) (string, error) {
	ps := &problems{file: path}
	data, err := readLimited(path)
	if err != nil {
		ps.at(0, 0, "%v", err)
		return "", ps.err()
	}
	if strings.TrimSpace(string(data)) == "" {
		ps.at(0, 0, "the file is empty; there is nothing to extract")
		return "", ps.err()
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		line := bytes.Count(data[:i], []byte("\n")) + 1
		ps.at(line, 0, "a NUL byte: this is a binary file, not text; give threatkg extract a plain-text (UTF-8) article")
		return "", ps.err()
	}
	if !utf8.Valid(data) {
		line, col := invalidUTF8Position(data)
		ps.at(line, col, "not valid UTF-8; save the article as UTF-8 text (e.g. iconv -f latin1 -t utf-8)")
		return "", ps.err()
	}
	return string(data), nil
}

func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%s does not exist", path)
		}
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("%s is larger than %d MiB; threatkg reads at most that much of one file", path, MaxFileSize>>20)
	}
	return data, nil
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

func yamlErrorPosition(err error) (int, string) {
	msg := strings.Join(strings.Fields(err.Error()), " ")
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return line, m[2]
	}
	return 0, strings.TrimPrefix(msg, "yaml: ")
}

func invalidUTF8Position(data []byte) (line, col int) {
	line, col = 1, 1
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size <= 1 {
			return line, col
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		data = data[size:]
	}
	return line, col
}

// fuzzyFind looks for q in text with quotes, apostrophes and spacing folded,
// and returns the text's own version of it ("" if not found either).
func fuzzyFind(text, q string) string {
	fold := func(s string) ([]rune, []int) {
		var out []rune
		var idx []int
		space := false
		for i, r := range s {
			switch r {
			case '“', '”', '„', '″':
				r = '"'
			case '‘', '’', '′':
				r = '\''
			case '–', '—':
				r = '-'
			}
			if r == ' ' || r == '\n' || r == '\t' || r == '\r' || r == '\u00a0' {
				if space {
					continue
				}
				space, r = true, ' '
			} else {
				space = false
			}
			out = append(out, r)
			idx = append(idx, i)
		}
		return out, idx
	}
	ft, idx := fold(text)
	fq, _ := fold(strings.TrimSpace(q))
	if len(fq) == 0 {
		return ""
	}
	pos := strings.Index(string(ft), string(fq))
	if pos < 0 {
		return ""
	}
	start := utf8.RuneCountInString(string(ft)[:pos])
	end := start + len(fq)
	byteEnd := len(text)
	if end < len(idx) {
		byteEnd = idx[end]
	}
	return strings.TrimSpace(text[idx[start]:byteEnd])
}

// suggest returns ` (did you mean "x"?)` for the closest known name.
func suggest(got string, known []string) string {
	best, bestDist := "", 3
	for _, k := range known {
		if d := editDistance(strings.ToLower(got), strings.ToLower(k)); d < bestDist {
			best, bestDist = k, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}

func entityIDs(m map[string]*localEntity) []string {
	out := make([]string, 0, len(m))
	for id := range m {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

func declaredNames(ps []model.Property) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Name
	}
	return out
}

func withoutName(aliases []string, name string) []string {
	seen := map[string]bool{model.Normalize(name): true}
	out := []string{}
	for _, a := range aliases {
		k := model.Normalize(a)
		if !seen[k] {
			seen[k] = true
			out = append(out, a)
		}
	}
	return out
}
