package loaders

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/threatkg/threatkg/graph/model"
	"github.com/threatkg/threatkg/loaders/taxii"
)

// DefaultKeepInMemory bounds the input an Opener keeps in memory between
// validation and loading. The documents of the files beyond it are spooled,
// after validation, to a temporary file in encoding/gob (some 20 times
// faster to read back than parsing the STIX again), and read back one file
// at a time to load them: memory stays bounded by the largest file.
const DefaultKeepInMemory = 48 << 20

// Opener opens sources: files, folders' files, gzip files and http(s) URLs.
type Opener struct {
	UserAgent    string       // sent with downloads
	KeepInMemory int          // bytes of input kept between validation and loading; 0: DefaultKeepInMemory, <0: none
	HTTP         *http.Client // nil: http.DefaultClient
}

// Source is one validated input: its documents (nil when they are spooled,
// see Documents), what it contains, and the references its claims make to
// entities it does not contain.
type Source struct {
	Name       string
	docs       []model.Document
	spool      string // the gob file holding docs when they are not kept
	size       int
	Rows       int               // entities and claims
	Labels     map[string]string // entity uid -> label, of this source's entities
	Unresolved map[string][]Problem
	External   map[string]string // resolved references: uid -> label
	Skipped    []string          // what the source holds that threatkg's model does not
}

// Kept says whether the source's documents are held in memory.
func (s *Source) Kept() bool { return s.docs != nil }

func init() {
	// The concrete types model properties hold, for gob's interface values.
	gob.Register([]string{})
	gob.Register([]any{})
	gob.Register(map[string]any{})
}

// spoolDocs writes the documents to a temporary gob file (mode 0600: the
// sources may be confidential) and drops them.
func (s *Source) spoolDocs() error {
	f, err := os.CreateTemp("", "threatkg-spool-*.gob")
	if err != nil {
		return fmt.Errorf("spool %s: %w", s.Name, err)
	}
	w := bufio.NewWriter(f)
	err = gob.NewEncoder(w).Encode(s.docs)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("spool %s: %w", s.Name, err)
	}
	s.spool, s.docs = f.Name(), nil
	return nil
}

// Release removes the sources' spool files; call it when they are loaded.
func Release(sources []Source) {
	for i := range sources {
		if sources[i].spool != "" {
			os.Remove(sources[i].spool)
			sources[i].spool = ""
		}
	}
}

// InMemory is a source made of documents already in memory (e.g. a draft
// of extract), which needs no file.
func InMemory(name string, docs []model.Document) Source {
	s := Source{Name: name, docs: docs}
	s.count()
	return s
}

func (s *Source) count() {
	s.Labels, s.Rows = map[string]string{}, 0
	for _, d := range s.docs {
		s.Rows += len(d.Entities) + len(d.Claims)
		for _, e := range d.Entities {
			s.Labels[e.UID] = e.Label
		}
	}
}

// Documents returns the source's documents, read back from the spool if
// they were not kept (exactly what was validated, even if the file changed
// since), with its resolved references.
func (s *Source) Documents(ctx context.Context) ([]model.Document, error) {
	docs := s.docs
	if docs == nil && s.spool == "" && s.Rows > 0 {
		return nil, fmt.Errorf("read back %s: its spool was released before it was loaded", s.Name)
	}
	if docs == nil && s.spool != "" {
		f, err := os.Open(s.spool)
		if err != nil {
			return nil, fmt.Errorf("read back %s: %w", s.Name, err)
		}
		err = gob.NewDecoder(bufio.NewReader(f)).Decode(&docs)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("read back %s: %w", s.Name, err)
		}
	}
	for d := range docs {
		if len(s.External) == 0 {
			break
		}
		if docs[d].External == nil {
			docs[d].External = map[string]string{}
		}
		for uid, label := range s.External {
			docs[d].External[uid] = label
		}
	}
	return docs, nil
}

// OpenAll reads and validates every path; all problems of all files are
// returned together, as one *InputError. The documents of inputs beyond
// KeepInMemory are spooled after validation (see DefaultKeepInMemory);
// Release removes the spool files.
func (o *Opener) OpenAll(ctx context.Context, paths []string) ([]Source, error) {
	keep := o.KeepInMemory
	if keep == 0 {
		keep = DefaultKeepInMemory
	}
	var out []Source
	all := &InputError{}
	kept := 0
	for _, p := range paths {
		src, err := o.Open(ctx, p)
		var ie *InputError
		switch {
		case errors.As(err, &ie):
			all.Problems = append(all.Problems, ie.Problems...)
			continue
		case err != nil:
			return nil, err
		}
		src.count()
		kept += src.size
		if kept > keep {
			if err := src.spoolDocs(); err != nil {
				Release(out)
				return nil, err
			}
		}
		out = append(out, src)
	}
	if len(all.Problems) > 0 {
		Release(out)
		return nil, all
	}
	return out, nil
}

// IsURL says whether a source is given as an http(s) URL.
func IsURL(p string) bool { return strings.HasPrefix(p, "http://") || strings.HasPrefix(p, "https://") }

// Open reads and validates one source: an article folder or its YAML file,
// a STIX 2.1 JSON file (gzip-compressed or not, recognised by its content),
// or an http(s) URL of one.
func (o *Opener) Open(ctx context.Context, p string) (Source, error) {
	notSource := func(msg string) error {
		return &InputError{Problems: []Problem{{File: p, Msg: msg}}}
	}
	if IsURL(p) {
		data, err := o.fetch(ctx, p)
		if err != nil {
			return Source{}, notSource(err.Error())
		}
		return o.jsonSource(p, data)
	}
	if yamlPath, ok := ArticlePath(p); ok {
		doc, err := ReadArticle(yamlPath, model.Declared)
		if err != nil {
			return Source{}, err
		}
		return Source{Name: p, docs: []model.Document{doc}}, nil // small (MaxFileSize): always kept
	}
	st, err := os.Stat(p)
	if err != nil || st.IsDir() {
		return Source{}, notSource("not a source threatkg reads: give an article folder (with " + AnnotationsFile +
			"), its .yaml file, a STIX 2.1 JSON file, or an http(s) URL of one")
	}
	f, err := os.Open(p)
	if err != nil {
		return Source{}, notSource(err.Error())
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxSTIXSize+1))
	if err != nil {
		return Source{}, notSource(err.Error())
	}
	if data, err = Gunzip(data); err != nil {
		return Source{}, notSource(err.Error())
	}
	if !LooksLikeJSON(strings.TrimSuffix(p, ".gz"), data[:min(len(data), 512)]) {
		return Source{}, notSource("not a source threatkg reads: neither an annotated article (.yaml) nor STIX 2.1 JSON")
	}
	return o.jsonSource(p, data)
}

// jsonSource reads a JSON source: a MISP galaxy, a MISP event or STIX.
func (o *Opener) jsonSource(name string, data []byte) (Source, error) {
	if LooksLikeMISPEvent(data) {
		doc, err := ReadMISPEvent(name, data, model.Declared)
		if err != nil {
			return Source{}, err
		}
		return Source{Name: name, docs: []model.Document{doc}, Skipped: doc.Source.Skipped, size: len(data)}, nil
	}
	if LooksLikeGalaxy(data) {
		doc, err := ReadGalaxy(name, data, model.Declared)
		if err != nil {
			return Source{}, err
		}
		return Source{Name: name, docs: []model.Document{doc}, Skipped: doc.Source.Skipped, size: len(data)}, nil
	}
	res, err := ReadSTIX(name, data, model.Declared)
	if err != nil {
		return Source{}, err
	}
	return Source{Name: name, docs: res.Documents, Unresolved: res.Unresolved, Skipped: res.Skipped, size: len(data)}, nil
}

// OpenPull validates what one TAXII pull fetched as a source named by the
// collection's URL: its objects, wrapped in a bundle (taxii.Pull.Bundle),
// read as STIX (ReadSTIXFeed).
func (o *Opener) OpenPull(f taxii.Fetched) (Source, error) {
	name := f.Key
	data, err := f.Bundle(name)
	if err != nil {
		return Source{}, &taxii.Error{URL: name, Msg: "a bad object", Err: err}
	}
	feed := Feed{Collection: name, Title: f.Collection.Title, AddedFirst: f.AddedFirst, AddedLast: f.AddedLast}
	res, err := ReadSTIXFeed(name, data, model.Declared, feed)
	if err != nil {
		return Source{}, err
	}
	src := Source{Name: name, docs: res.Documents, Unresolved: res.Unresolved, Skipped: res.Skipped, size: len(data)}
	src.count()
	return src, nil
}

// fetch downloads a STIX file, bounded in time and size.
func (o *Opener) fetch(ctx context.Context, url string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("bad URL: %w", err)
	}
	if o.UserAgent != "" {
		req.Header.Set("User-Agent", o.UserAgent)
	}
	client := o.HTTP
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("download failed: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("download failed: %s", resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxSTIXSize+1))
	if err != nil {
		return nil, fmt.Errorf("download failed: %w", err)
	}
	return Gunzip(data)
}

// Gunzip decompresses gzip data (ATT&CK releases are often shipped
// compressed), bounded like any input; other data is returned as it is.
func Gunzip(data []byte) ([]byte, error) {
	if len(data) < 2 || data[0] != 0x1f || data[1] != 0x8b {
		return data, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("not a valid gzip file: %w", err)
	}
	out, err := io.ReadAll(io.LimitReader(zr, MaxSTIXSize+1))
	if err != nil {
		return nil, fmt.Errorf("not a valid gzip file: %w", err)
	}
	return out, nil
}

// LabelLookup finds the labels of entities already in the graph, by uid;
// uids it does not know are left out of its answer.
type LabelLookup func(ctx context.Context, uids []string) (map[string]string, error)

// ResolveReferences finds the labels of the entities sources' claims refer
// to outside them: from earlier sources of the same list, else by lookup
// (the graph). References found in neither are input problems, returned
// together as one *InputError sorted by file and line.
func ResolveReferences(ctx context.Context, sources []Source, lookup LabelLookup) error {
	var missing []Problem
	for i := range sources {
		src := &sources[i]
		if len(src.Unresolved) == 0 {
			continue
		}
		src.External = map[string]string{}
		var rest []string
		for uid := range src.Unresolved {
			if label, ok := earlierLabel(sources[:i], uid); ok {
				src.External[uid] = label
			} else {
				rest = append(rest, uid)
			}
		}
		if len(rest) == 0 {
			continue
		}
		sort.Strings(rest)
		found, err := lookup(ctx, rest)
		if err != nil {
			return err
		}
		for _, uid := range rest {
			if label, ok := found[uid]; ok {
				src.External[uid] = label
			} else {
				missing = append(missing, src.Unresolved[uid]...)
			}
		}
	}
	if len(missing) == 0 {
		return nil
	}
	sort.SliceStable(missing, func(i, j int) bool {
		if missing[i].File != missing[j].File {
			return missing[i].File < missing[j].File
		}
		return missing[i].Line < missing[j].Line
	})
	return &InputError{Problems: missing}
}

func earlierLabel(earlier []Source, uid string) (string, bool) {
	for _, s := range earlier {
		if label, ok := s.Labels[uid]; ok {
			return label, true
		}
	}
	return "", false
}
