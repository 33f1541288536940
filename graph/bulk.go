package graph

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/threatkg/threatkg/graph/model"
)

// The bulk path: a first load into an empty database through
// `neo4j-admin database import full`, the server's offline importer, which
// writes store files directly and is several times faster than any
// transaction (docs/design.md). ImportWriter turns documents into the CSV
// files the importer reads, from the same rows as the transactional path
// (the same uids, properties, provenance and derived entity properties);
// FinishBulk then creates the schema and runs resolution over the
// imported graph.

// ImportArrayDelimiter separates the elements of a list in a CSV field:
// U+001F (the ASCII unit separator), which no name, alias or citation
// holds; the importer's default, ";", is common in text. The importer also
// splits the labels column on it.
const ImportArrayDelimiter = '\x1f'

// ImportArgsFile is the importer's argument file in the import directory
// (`neo4j-admin database import full @import.args`, run in that directory).
const ImportArgsFile = "import.args"

// ImportWriter writes documents as the importer's CSV files in one
// directory: relationships as the documents come, entity nodes at Close,
// once every source's mention of them is known. Each source may appear
// once.
type ImportWriter struct {
	dir      string
	now      time.Time
	files    map[string]*importFile // by file name
	order    []string               // file names, in the order created
	entities map[string]*bulkEntity
	sources  map[string]string // source uid → its title, to report a repeat
	nodes    int64
	rels     int64
}

// bulkEntity is what the sources say of one entity: its mentions (without
// their quotes, which only MENTIONS carry), sorted by source at Close.
type bulkEntity struct {
	label    string
	mentions []bulkMention
}

type bulkMention struct {
	src string
	e   model.Entity
}

// importFile is one CSV data file with its header file; multiline is set
// once a field holds a line break (the importer must be told).
type importFile struct {
	name, header string
	kind         string // "nodes" or "relationships"
	group        string // the importer's labels (A:B) or type
	columns      []importColumn
	f            *os.File
	w            *bufio.Writer
	multiline    bool
	rows         int64
}

type importColumn struct {
	name string // header name (with :ID(...) etc.)
	prop string // property the value comes from; "" for the fixed columns
}

// NewImportWriter makes dir (which must not exist or be empty) and writes
// into it; now is the loaded_at of every Report.
func NewImportWriter(dir string, now time.Time) (*ImportWriter, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("bulk: make the import directory: %w", err)
	}
	if entries, err := os.ReadDir(dir); err != nil {
		return nil, fmt.Errorf("bulk: read the import directory: %w", err)
	} else if len(entries) > 0 {
		return nil, fmt.Errorf("bulk: the import directory %s is not empty; give an empty or new one", dir)
	}
	return &ImportWriter{dir: dir, now: now, files: map[string]*importFile{}, entities: map[string]*bulkEntity{}, sources: map[string]string{}}, nil
}

// importType is the importer's header type of a declared property type.
func importType(t model.PropertyType) string {
	switch t {
	case model.StringList:
		return "string[]"
	case model.Integer:
		return "long"
	case model.Boolean:
		return "boolean"
	}
	return "string"
}

func propColumns(props []model.Property) []importColumn {
	out := make([]importColumn, 0, len(props))
	for _, p := range props {
		if p.Name == model.KeyProperty {
			continue
		}
		out = append(out, importColumn{name: p.Name + ":" + importType(p.Type), prop: p.Name})
	}
	return out
}

// file returns the named data file, created with its header on first use.
func (w *ImportWriter) file(name, kind, group string, columns []importColumn) (*importFile, error) {
	if f := w.files[name]; f != nil {
		return f, nil
	}
	header := make([]string, len(columns))
	for i, c := range columns {
		header[i] = c.name
	}
	f := &importFile{name: name + ".csv", header: name + ".header.csv", kind: kind, group: group, columns: columns}
	if err := os.WriteFile(filepath.Join(w.dir, f.header), []byte(strings.Join(header, ",")+"\n"), 0o644); err != nil {
		return nil, fmt.Errorf("bulk: %w", err)
	}
	var err error
	if f.f, err = os.Create(filepath.Join(w.dir, f.name)); err != nil {
		return nil, fmt.Errorf("bulk: %w", err)
	}
	f.w = bufio.NewWriterSize(f.f, 1<<20)
	w.files[name] = f
	w.order = append(w.order, name)
	return f, nil
}

// write writes one row: the fixed values first, then the properties by
// column.
func (f *importFile) write(fixed []string, props map[string]any) error {
	fields := make([]string, 0, len(f.columns))
	for _, v := range fixed {
		fields = append(fields, quoteField(v))
	}
	for _, c := range f.columns[len(fixed):] {
		s, err := importField(props[c.prop])
		if err != nil {
			return fmt.Errorf("bulk: %s property %q: %w", f.group, c.prop, err)
		}
		fields = append(fields, s)
	}
	line := strings.Join(fields, ",")
	if strings.ContainsAny(line, "\r\n") {
		f.multiline = true
	}
	f.rows++
	_, err := f.w.WriteString(line + "\n")
	return err
}

// importField encodes a value: nothing for null (no property), strings
// always quoted (so that "" is an empty string), lists joined by
// ImportArrayDelimiter. An empty list cannot be written: threatkg stores
// none (model.Canonical), and the row builders drop them.
func importField(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case string:
		return quoteField(x), nil
	case []string:
		if len(x) == 0 {
			return "", nil
		}
		for _, s := range x {
			if strings.ContainsRune(s, ImportArrayDelimiter) || s == "" {
				return "", fmt.Errorf("a list element %q is empty or holds U+001F, which the importer cannot take; load without --bulk", s)
			}
		}
		return quoteField(strings.Join(x, string(ImportArrayDelimiter))), nil
	case bool:
		return strconv.FormatBool(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	}
	return "", fmt.Errorf("a %T value, which the model does not declare", v)
}

// quoteField quotes a CSV field as RFC 4180 does (the importer's default).
func quoteField(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// Add writes one source's Report, MENTIONS and claims, and records its
// entities. A source given twice is an error: a bulk load takes each once.
func (w *ImportWriter) Add(d model.Document) error {
	if err := model.Declared.CheckDocument(d); err != nil {
		return err
	}
	if title, dup := w.sources[d.Source.UID]; dup {
		return fmt.Errorf("bulk: the source %q (%s) is given twice; a bulk load takes each source once: load the later version afterwards, without --bulk", title, d.Source.UID)
	}
	w.sources[d.Source.UID] = d.Source.Title
	reports, err := w.file("reports", "nodes", model.ReportLabel, reportColumns)
	if err != nil {
		return err
	}
	props := reportProps(d.Source, w.now)
	props["content_sha256"] = documentDigest(d)
	if err := reports.write([]string{d.Source.UID}, props); err != nil {
		return err
	}
	w.nodes++
	mentions, err := w.file("mentions", "relationships", model.MentionsType, mentionColumns)
	if err != nil {
		return err
	}
	for _, e := range d.Entities {
		if err := mentions.write([]string{d.Source.UID, e.UID}, setOnly(mentionValues(e))); err != nil {
			return err
		}
		w.rels++
		be := w.entity(e.UID, e.Label)
		e.Quote = "" // MENTIONS has it; the entity's properties do not depend on it
		be.mentions = append(be.mentions, bulkMention{src: d.Source.UID, e: e})
	}
	for uid, label := range d.External {
		w.entity(uid, label)
	}
	return w.addClaims(d)
}

func (w *ImportWriter) entity(uid, label string) *bulkEntity {
	be := w.entities[uid]
	if be == nil {
		be = &bulkEntity{label: label}
		w.entities[uid] = be
	}
	return be
}

func (w *ImportWriter) addClaims(d model.Document) error {
	for _, cl := range d.Claims {
		f, err := w.claimFile(cl.Type)
		if err != nil {
			return err
		}
		r := newClaimRow(cl, d.Source.UID)
		if err := f.write([]string{cl.From, cl.To}, setOnly(r.Props, map[string]any{"claim": r.Claim, "source": r.Src, "quote": r.Quote, "date": r.Date, "citations": r.Citations})); err != nil {
			return err
		}
		w.rels++
	}
	return nil
}

// The columns of the Reports' and the MENTIONS' files: the key (or the
// ends), then every property their rows may carry.
var (
	reportColumns  = append([]importColumn{{name: model.KeyProperty + ":ID(" + model.ReportLabel + ")"}}, propColumns(model.ReportProperties)...)
	mentionColumns = func() []importColumn {
		cols := []importColumn{{name: ":START_ID(" + model.ReportLabel + ")"}, {name: ":END_ID(" + model.EntityLabel + ")"}}
		for _, p := range mentionProperties() {
			cols = append(cols, importColumn{name: p + ":" + importType(mentionPropertyType(p)), prop: p})
		}
		return cols
	}()
)

// claimFile is the file of one claim type: its ends, the claim
// properties, the type's own.
func (w *ImportWriter) claimFile(typ string) (*importFile, error) {
	if f := w.files["claims-"+typ]; f != nil {
		return f, nil
	}
	rt, _ := model.Declared.Rel(typ) // CheckDocument verified it
	cols := []importColumn{{name: ":START_ID(" + model.EntityLabel + ")"}, {name: ":END_ID(" + model.EntityLabel + ")"}}
	cols = append(cols, propColumns(append(append([]model.Property{}, model.ClaimProperties...), rt.Properties...))...)
	return w.file("claims-"+typ, "relationships", typ, cols)
}

// entityFile is the file of one label's entities: the uid, the common
// properties, the label's own.
func (w *ImportWriter) entityFile(label string) (*importFile, error) {
	if f := w.files["entities-"+label]; f != nil {
		return f, nil
	}
	n, _ := model.Declared.Node(label)
	cols := append([]importColumn{{name: model.KeyProperty + ":ID(" + model.EntityLabel + ")"}}, propColumns(append(append([]model.Property{}, model.CommonProperties...), n.Properties...))...)
	return w.file("entities-"+label, "nodes", model.EntityLabel+":"+label, cols)
}

// mentionPropertyType is the declared type of a MENTIONS property: a
// common entity property, or a label's.
func mentionPropertyType(name string) model.PropertyType {
	if name == "quote" {
		return model.String
	}
	for _, p := range append(append([]model.Property{}, model.CommonProperties...), model.Declared.EntityProperties()...) {
		if p.Name == name {
			return p.Type
		}
	}
	return model.String
}

// ImportFiles is what an ImportWriter wrote: the importer's arguments (in
// ImportArgsFile) and the counts.
type ImportFiles struct {
	Dir           string
	Args          []string
	Nodes         int64
	Relationships int64
}

// Close writes the entity nodes (their properties derived from every
// source's mention, as the transactional path's recompute does) and the
// importer's argument file.
func (w *ImportWriter) Close() (ImportFiles, error) {
	for _, uid := range sortedKeys(w.entities) {
		if err := w.writeEntity(uid, w.entities[uid]); err != nil {
			return ImportFiles{}, err
		}
	}
	w.entities = nil
	args := []string{"--overwrite-destination=true", "--id-type=string", "--array-delimiter=U+001F", "--normalize-types=false"}
	var multiline []string
	for _, name := range w.order {
		f := w.files[name]
		if err := f.w.Flush(); err != nil {
			return ImportFiles{}, fmt.Errorf("bulk: %w", err)
		}
		if err := f.f.Close(); err != nil {
			return ImportFiles{}, fmt.Errorf("bulk: %w", err)
		}
		if f.multiline {
			multiline = append(multiline, f.name)
		}
		args = append(args, fmt.Sprintf("--%s=%s=%s,%s", f.kind, f.group, f.header, f.name))
	}
	if len(multiline) > 0 {
		args = append(args, "--multiline-fields-format=v2", "--multiline-fields="+strings.Join(multiline, ","))
	}
	if err := os.WriteFile(filepath.Join(w.dir, ImportArgsFile), []byte(strings.Join(args, "\n")+"\n"), 0o644); err != nil {
		return ImportFiles{}, fmt.Errorf("bulk: %w", err)
	}
	return ImportFiles{Dir: w.dir, Args: args, Nodes: w.nodes, Relationships: w.rels}, nil
}

// writeEntity writes one entity node with its derived properties.
func (w *ImportWriter) writeEntity(uid string, be *bulkEntity) error {
	f, err := w.entityFile(be.label)
	if err != nil {
		return err
	}
	w.nodes++
	return f.write([]string{uid}, derivedProps(be.mentions))
}

// derivedProps are the properties the recompute statement derives from an
// entity's mentions (recomputeEntitiesCypher): sources in uid order, the
// name and each property from the first that gives one, aliases the union
// of all names and aliases but the name, keys the union of all keys. No
// mentions (an entity only claims name): no properties. Where a name
// sorts differently in Go and in Cypher (NeedsRecompute), the database
// recomputes them after the import.
func derivedProps(ms []bulkMention) map[string]any {
	if len(ms) == 0 {
		return nil
	}
	if len(ms) == 1 {
		props, _ := entityProps(ms[0].e)
		return props
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].src < ms[j].src })
	name := ms[0].e.Name
	names, keys := map[string]bool{}, map[string]bool{}
	props := map[string]any{"name": name}
	for _, m := range ms {
		for _, a := range append([]string{m.e.Name}, m.e.Aliases...) {
			names[a] = true
		}
		for _, k := range entityKeys(m.e) {
			keys[k] = true
		}
		if _, set := props["description"]; !set && m.e.Description != "" {
			props["description"] = m.e.Description
		}
		for k, v := range m.e.Properties {
			if _, set := props[k]; !set && v != nil {
				props[k] = v
			}
		}
	}
	delete(names, name)
	if aliases := sortedKeys(names); len(aliases) > 0 {
		props["aliases"] = aliases
	}
	if k := sortedKeys(keys); len(k) > 0 {
		props["keys"] = k
	}
	return props
}

// NeedsRecompute reports whether an entity's derived properties must be
// computed in the database after a bulk import: a name or alias holds a
// character outside Unicode's Basic Multilingual Plane, where Go's string
// order (by code point) and Cypher's (by UTF-16 code unit) may differ.
func NeedsRecompute(e model.Entity) bool {
	_, ok := entityProps(e)
	return !ok
}

// ImportCommand is the command that imports the files on the server's
// machine, run in the import directory.
func (f ImportFiles) ImportCommand(database string) string {
	return fmt.Sprintf("cd %s && neo4j-admin database import full %s @%s", shellQuote(f.Dir), shellQuote(database), ImportArgsFile)
}

func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=@:") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
