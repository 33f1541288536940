package extract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Source is what a draft says of its source document.
type Source struct {
	Title     string `json:"title"`
	Publisher string `json:"publisher"`
	Date      string `json:"date"`
	URL       string `json:"url,omitempty"`
	Text      string `json:"text"` // the text file's name, next to the annotations
}

// Completed fills what the source leaves empty from the draft of the text
// at textPath: the title (else the file's name), the date, the publisher
// ("unknown"), and the text's file name.
func (s Source) Completed(d Draft, textPath string) Source {
	s.Text = filepath.Base(textPath)
	if s.Title == "" {
		s.Title = d.Title
	}
	if s.Title == "" {
		s.Title = strings.TrimSuffix(s.Text, filepath.Ext(s.Text))
	}
	if s.Publisher == "" {
		s.Publisher = "unknown"
	}
	if s.Date == "" {
		s.Date = d.Date
	}
	return s
}

// The JSON shape of a draft (documented in docs/extraction.md, tested by
// TestDraftJSONShape): these fields, in this order, and no others.
type (
	jsonDraft struct {
		Source    Source         `json:"source"`
		Entities  []jsonEntity   `json:"entities"`
		Relations []jsonRelation `json:"relations"`
	}
	jsonEntity struct {
		ID         string   `json:"id"`
		Type       string   `json:"type"`
		Name       string   `json:"name"`
		Aliases    []string `json:"aliases"`
		Evidence   string   `json:"evidence"`
		Confidence float64  `json:"confidence"`
	}
	jsonRelation struct {
		Type       string  `json:"type"`
		From       string  `json:"from"`
		To         string  `json:"to"`
		Evidence   string  `json:"evidence"`
		Confidence float64 `json:"confidence"`
	}
)

// JSON writes the draft in its JSON shape.
func (d Draft) JSON(src Source) ([]byte, error) {
	out := jsonDraft{Source: src, Entities: []jsonEntity{}, Relations: []jsonRelation{}}
	for _, e := range d.Entities {
		aliases := e.Aliases
		if aliases == nil {
			aliases = []string{}
		}
		out.Entities = append(out.Entities, jsonEntity{e.ID, e.Type, e.Name, aliases, e.Evidence, round2(e.Confidence)})
	}
	for _, r := range d.Relations {
		out.Relations = append(out.Relations, jsonRelation{r.Type, r.From, r.To, r.Evidence, round2(r.Confidence)})
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }

// YAML writes the draft as an annotation file (threatkg-article/1) that
// threatkg load reads once the text file sits next to it. Each entry's
// comment names the rule that produced it.
func (d Draft) YAML(src Source, format string) ([]byte, error) {
	root := mapping()
	root.HeadComment = fmt.Sprintf(`Draft annotations of %s, made by threatkg extract: by rules, not by a reviewer.
Check every entity and relation against the text; fix or delete what is
wrong, add what is missing, then: threatkg load <this folder>.
Each entry's comment names the rule that found it; confidence is that
rule's score (0 to 1). Format: docs/annotation-format.md.`, src.Text)
	add(root, "format", scalar(format))
	source := mapping()
	add(source, "title", quoted(src.Title))
	add(source, "publisher", quoted(src.Publisher))
	date := quoted(src.Date)
	if src.Date == "" {
		date.LineComment = "not found in the text: fill it in (YYYY-MM-DD)"
	}
	add(source, "date", date)
	if src.URL != "" {
		add(source, "url", quoted(src.URL))
	}
	add(source, "text", quoted(src.Text))
	add(root, "source", source)

	entities := &yaml.Node{Kind: yaml.SequenceNode}
	for _, e := range d.Entities {
		m := mapping()
		add(m, "id", scalar(e.ID))
		add(m, "type", scalar(e.Type))
		add(m, "name", quoted(e.Name))
		if len(e.Aliases) > 0 {
			seq := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
			for _, a := range e.Aliases {
				seq.Content = append(seq.Content, quoted(a))
			}
			add(m, "aliases", seq)
		}
		if len(e.Properties) > 0 {
			add(m, "properties", properties(e.Properties))
		}
		addEvidence(m, e.Evidence, e.Confidence, e.Rule)
		entities.Content = append(entities.Content, m)
	}
	add(root, "entities", entities)

	relations := &yaml.Node{Kind: yaml.SequenceNode}
	for _, r := range d.Relations {
		m := mapping()
		add(m, "type", scalar(r.Type))
		add(m, "from", scalar(r.From))
		add(m, "to", scalar(r.To))
		if r.Date != "" {
			add(m, "date", quoted(r.Date))
		}
		if len(r.Properties) > 0 {
			add(m, "properties", properties(r.Properties))
		}
		addEvidence(m, r.Evidence, r.Confidence, r.Rule)
		relations.Content = append(relations.Content, m)
	}
	add(root, "relations", relations)

	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// addEvidence adds an entry's quote and confidence, with the rule that
// produced it as the confidence's comment.
func addEvidence(m *yaml.Node, evidence string, confidence float64, rule string) {
	add(m, "evidence", quoted(evidence))
	conf := scalar(strconv.FormatFloat(confidence, 'f', 2, 64))
	conf.LineComment = "rule: " + rule
	add(m, "confidence", conf)
}

func mapping() *yaml.Node { return &yaml.Node{Kind: yaml.MappingNode} }

func scalar(v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Value: v} }

// quoted is a string scalar in double quotes: names and quotes hold colons,
// curly quotes and the like, and must stay strings ("2015", "NO").
func quoted(v string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Value: v, Tag: "!!str", Style: yaml.DoubleQuotedStyle}
}

func add(m *yaml.Node, key string, v *yaml.Node) { m.Content = append(m.Content, scalar(key), v) }

func properties(p map[string]any) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		switch v := p[k].(type) {
		case string:
			add(m, k, quoted(v))
		case int:
			add(m, k, scalar(strconv.Itoa(v)))
		default:
			add(m, k, quoted(fmt.Sprint(v)))
		}
	}
	return m
}
