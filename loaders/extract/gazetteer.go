package extract

import (
	"bufio"
	_ "embed"
	"slices"
	"strings"
)

// The shipped gazetteers are plain TSV files, embedded so that extraction
// needs no network and no files at run time. They are general lists (states,
// well-known agencies, companies and outlets, sectors, ATT&CK's threat-actor
// names), never names taken from one article. The threat actors come from
// the generated catalogue (catalogue.go).
var (
	//go:embed countries.tsv
	countriesTSV string
	//go:embed orgs.tsv
	orgsTSV string
	//go:embed sectors.tsv
	sectorsTSV string
)

// state is a country or bloc: a Government when it acts, a Country when it
// is a place.
type state struct {
	name     string
	iso2     string
	names    []string // name and other names
	demonyms []string
	invented bool // learnt from the text ("the Republic of X")
}

type knownOrg struct {
	name   string
	names  []string
	kind   string
	parent string // an organisation's or a state's name
}

type sectorEntry struct {
	name  string
	words []string
}

// ActorNames is one threat actor's name and aliases, from the shipped list
// or from a graph.
type ActorNames struct {
	Name    string
	Aliases []string
}

type gazetteer struct {
	states  []*state
	orgs    []*knownOrg
	sectors []sectorEntry
	actors  []ActorNames
}

func tsvRows(data string) [][]string {
	var rows [][]string
	sc := bufio.NewScanner(strings.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		rows = append(rows, strings.Split(line, "\t"))
	}
	return rows
}

func splitBar(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "|")
}

func field(row []string, i int) string {
	if i < len(row) {
		return strings.TrimSpace(row[i])
	}
	return ""
}

// shippedGazetteer parses the embedded lists and adds the generated
// catalogue's threat actors, countries and sectors.
func shippedGazetteer() *gazetteer {
	g := &gazetteer{}
	for _, r := range tsvRows(countriesTSV) {
		s := &state{name: field(r, 0), iso2: field(r, 1)}
		s.names = append([]string{s.name}, splitBar(field(r, 2))...)
		s.demonyms = splitBar(field(r, 3))
		g.states = append(g.states, s)
	}
	// The world's countries (world-countries, generated): those the list
	// above lacks, and the demonyms and names it lacks.
	cat := loadCatalogue()
	byISO := map[string]*state{}
	for _, st := range g.states {
		if st.iso2 != "" {
			byISO[st.iso2] = st
		}
	}
	for _, c := range cat.countries {
		st := byISO[c.iso2]
		if st == nil {
			st = &state{name: c.name, iso2: c.iso2, names: []string{c.name}}
			g.states = append(g.states, st)
			byISO[c.iso2] = st
		}
		for _, n := range c.other {
			if !slices.Contains(st.names, n) && len(n) > 3 {
				st.names = append(st.names, n)
			}
		}
		for _, d := range c.demonyms {
			if !slices.Contains(st.demonyms, d) {
				st.demonyms = append(st.demonyms, d)
			}
		}
	}
	for _, r := range tsvRows(orgsTSV) {
		o := &knownOrg{name: field(r, 0), kind: field(r, 2), parent: field(r, 3)}
		o.names = append([]string{o.name}, splitBar(field(r, 1))...)
		g.orgs = append(g.orgs, o)
	}
	for _, r := range tsvRows(sectorsTSV) {
		g.sectors = append(g.sectors, sectorEntry{name: field(r, 0), words: splitBar(field(r, 1))})
	}
	// and the sectors of STIX's vocabulary and MISP (generated), for the
	// words the list above lacks
	have := map[string]bool{}
	for _, s := range g.sectors {
		for _, w := range s.words {
			have[w] = true
		}
	}
	for _, s := range cat.sectors {
		var words []string
		for _, w := range s.words {
			if !have[w] {
				have[w] = true
				words = append(words, w)
			}
		}
		if len(words) > 0 {
			g.sectors = append(g.sectors, sectorEntry{name: s.name, words: words})
		}
	}
	for _, e := range loadCatalogue().entries {
		if e.label == labelActor {
			g.actors = append(g.actors, ActorNames{Name: e.name, Aliases: e.aliases})
		}
	}
	return g
}

func (g *gazetteer) stateNamed(name string) *state {
	for _, s := range g.states {
		for _, n := range s.names {
			if n == name {
				return s
			}
		}
	}
	return nil
}

func (g *gazetteer) orgNamed(name string) *knownOrg {
	for _, o := range g.orgs {
		for _, n := range o.names {
			if n == name {
				return o
			}
		}
	}
	return nil
}
