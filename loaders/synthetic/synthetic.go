// Package synthetic generates a deterministic, synthetic threat-intelligence
// corpus shaped like real CTI, for benchmarks: a catalogue of hubs (a few
// prolific threat actors, popular techniques and malware, governments,
// countries, sectors) and many reports, each naming an actor, its campaign,
// long-tailed victims, members and the techniques used, with a quote on
// every claim. It writes STIX 2.1 bundles in threatkg's own export format,
// so benchmarks measure the real load path (`threatkg load`).
//
// The same size and seed always give the same files, byte for byte.
package synthetic

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/threatkg/threatkg/graph/model"
	"github.com/threatkg/threatkg/loaders"
)

// Size is one corpus size.
type Size struct {
	Name           string
	Reports        int // news stories and advisories
	Actors         int // threat actors (hubs)
	Techniques     int // ATT&CK-like techniques (hubs)
	Malware        int // malware families (hubs)
	ReportsPerFile int
}

// Sizes are the benchmark sizes: about 10k, 100k and 1M nodes, with about
// three times as many relationships (MENTIONS and claims).
var Sizes = []Size{
	{Name: "S", Reports: 350, Actors: 30, Techniques: 300, Malware: 80, ReportsPerFile: 500},
	{Name: "M", Reports: 3600, Actors: 120, Techniques: 600, Malware: 200, ReportsPerFile: 1000},
	{Name: "L", Reports: 36000, Actors: 400, Techniques: 800, Malware: 400, ReportsPerFile: 1000},
}

// SizeNamed returns the size called name (S, M or L; case-insensitive).
func SizeNamed(name string) (Size, error) {
	for _, s := range Sizes {
		if strings.EqualFold(s.Name, name) {
			return s, nil
		}
	}
	return Size{}, fmt.Errorf("unknown size %q: use S, M or L", name)
}

// Stats counts what a generated corpus holds, as the loader will write it.
type Stats struct {
	Files     []string `json:"files"`
	Reports   int      `json:"reports"`
	Entities  int      `json:"entities"`  // distinct entities
	Mentions  int      `json:"mentions"`  // MENTIONS edges
	Claims    int      `json:"claims"`    // claim relationships
	Nodes     int      `json:"nodes"`     // entities + reports
	Relations int      `json:"relations"` // mentions + claims
}

// Generate writes the corpus of a size and seed into dir (created if
// needed): core.json (the catalogue of hubs) and reports-NNNN.json. Load
// them in that order.
func Generate(dir string, size Size, seed int64) (Stats, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Stats{}, fmt.Errorf("create %s: %w", dir, err)
	}
	g := newGenerator(size, seed)
	var st Stats
	seen := map[string]bool{}
	write := func(name string, docs []model.Document) error {
		data, err := loaders.WriteSTIX(docs)
		if err != nil {
			return err
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		st.Files = append(st.Files, path)
		for _, d := range docs {
			st.Reports++
			st.Mentions += len(d.Entities)
			st.Claims += len(d.Claims)
			for _, e := range d.Entities {
				if !seen[e.UID] {
					seen[e.UID] = true
					st.Entities++
				}
			}
		}
		return nil
	}
	if err := write("core.json", []model.Document{g.core()}); err != nil {
		return Stats{}, err
	}
	var chunk []model.Document
	file := 1
	for i := range size.Reports {
		chunk = append(chunk, g.report(i))
		if len(chunk) == size.ReportsPerFile || i == size.Reports-1 {
			if err := write(fmt.Sprintf("reports-%04d.json", file), chunk); err != nil {
				return Stats{}, err
			}
			chunk, file = nil, file+1
		}
	}
	st.Nodes = st.Entities + st.Reports
	st.Relations = st.Mentions + st.Claims
	return st, nil
}

type generator struct {
	size Size
	seed int64
	rnd  *rand.Rand
	// Zipf draws: a few actors, techniques, malware, sectors and countries
	// appear in most reports; most appear rarely.
	actorZipf, techniqueZipf, malwareZipf, sectorZipf, countryZipf, repeatVictimZipf *rand.Zipf

	actors, techniques, malware, sectors, countries, governments, agreements []model.Entity
	sponsor                                                                  []int // actor -> government
}

const (
	nCountries   = 60
	nSectors     = 30
	nAgreements  = 3
	repeatShare  = 0.15 // share of victims drawn from a pool of repeat victims
	victimsMin   = 10
	victimsMax   = 30
	membersMin   = 4
	membersMax   = 12
	techniquesIn = 5 // per report
)

func newGenerator(size Size, seed int64) *generator {
	rnd := rand.New(rand.NewSource(seed))
	g := &generator{size: size, seed: seed, rnd: rnd}
	g.actorZipf = rand.NewZipf(rnd, 1.2, 1, uint64(size.Actors-1))
	g.techniqueZipf = rand.NewZipf(rnd, 1.1, 1, uint64(size.Techniques-1))
	g.malwareZipf = rand.NewZipf(rnd, 1.2, 1, uint64(size.Malware-1))
	g.sectorZipf = rand.NewZipf(rnd, 1.1, 1, nSectors-1)
	g.countryZipf = rand.NewZipf(rnd, 1.1, 1, nCountries-1)
	g.repeatVictimZipf = rand.NewZipf(rnd, 1.1, 1, uint64(max(size.Reports/4, 2)-1))

	for i := range nCountries {
		name := word(i*7919+11, 2) + "ia"
		g.countries = append(g.countries, entity(model.LabelCountry, name, map[string]any{"iso2": iso2(i)}))
		g.governments = append(g.governments, entity(model.LabelGovernment, "Government of "+name, nil))
	}
	for i := range nSectors {
		g.sectors = append(g.sectors, entity(model.LabelSector, sectorNames[i%len(sectorNames)]+suffixIf(i, len(sectorNames)), nil))
	}
	for i := range size.Actors {
		name := adjectives[i%len(adjectives)] + " " + animals[(i/len(adjectives))%len(animals)] + suffixIf(i, len(adjectives)*len(animals))
		g.actors = append(g.actors, entity(model.LabelThreatActor, name, nil))
		g.sponsor = append(g.sponsor, int(g.countryZipf.Uint64()))
	}
	for i := range size.Techniques {
		id := fmt.Sprintf("T%04d", 1000+i)
		name := verbs[i%len(verbs)] + " " + objects[(i/len(verbs))%len(objects)] + suffixIf(i, len(verbs)*len(objects))
		g.techniques = append(g.techniques, entity(model.LabelTechnique, name, map[string]any{
			"external_id": id, "tactics": []string{tactics[i%len(tactics)]}, "is_subtechnique": false}))
	}
	for i := range size.Malware {
		g.malware = append(g.malware, entity(model.LabelMalware, capital(word(i*104729+7, 2))+"Rat", nil))
	}
	for i := range nAgreements {
		g.agreements = append(g.agreements, entity(model.LabelAgreement, fmt.Sprintf("Accord on Cyber Conduct %d", 2015+i), nil))
	}
	return g
}

// core is the catalogue: every hub and how the hubs relate.
func (g *generator) core() model.Document {
	d := newDoc(model.Source{UID: model.ReportUID(fmt.Sprintf("synthetic %s %d catalogue", g.size.Name, g.seed)),
		Kind: "article", Title: fmt.Sprintf("Synthetic CTI catalogue (size %s, seed %d)", g.size.Name, g.seed),
		Publisher: "threatkg bench", Date: "2015-01-01"})
	for _, list := range [][]model.Entity{g.countries, g.governments, g.sectors, g.actors, g.techniques, g.malware, g.agreements} {
		for _, e := range list {
			d.mention(e)
		}
	}
	for i, gov := range g.governments {
		d.claim(model.RelGoverns, gov, g.countries[i], gov.Name+" governs "+g.countries[i].Name+".")
	}
	for _, a := range g.agreements {
		for k := range 2 {
			gov := g.governments[k]
			d.claim(model.RelPartyTo, gov, a, gov.Name+" is a party to the "+a.Name+".")
		}
	}
	for i, a := range g.actors {
		gov := g.governments[g.sponsor[i]]
		d.claim(model.RelAttributedTo, a, gov, a.Name+" acts on behalf of the "+gov.Name+".")
		for range 8 { // each actor's usual toolkit: hub techniques and malware
			t := g.techniques[g.techniqueZipf.Uint64()]
			d.claim(model.RelUses, a, t, a.Name+" uses "+t.Name+".")
		}
		m := g.malware[g.malwareZipf.Uint64()]
		d.claim(model.RelUses, a, m, a.Name+" deploys "+m.Name+".")
	}
	for _, m := range g.malware {
		for range 4 {
			t := g.techniques[g.techniqueZipf.Uint64()]
			d.claim(model.RelUses, m, t, m.Name+" implements "+t.Name+".")
		}
	}
	return d.Document
}

// report is one news story or advisory: an actor's campaign, its victims
// (most new, some repeat victims), members, techniques and malware; now and
// then an indictment, a condemnation or a violated agreement.
func (g *generator) report(i int) model.Document {
	r := g.rnd
	ai := int(g.actorZipf.Uint64())
	actor := g.actors[ai]
	date := reportDate(i)
	campaign := entity(model.LabelCampaign, fmt.Sprintf("Operation %s", capital(word(i*31+5, 3))), map[string]any{"start": date})
	d := newDoc(model.Source{UID: model.ReportUID(fmt.Sprintf("synthetic %s %d report %d", g.size.Name, g.seed, i)),
		Kind: "article", Title: fmt.Sprintf("%s linked to %s", actor.Name, campaign.Name),
		Publisher: outlets[i%len(outlets)], Date: date, URL: fmt.Sprintf("https://example.org/threatkg-bench/%s/%d/%d", g.size.Name, g.seed, i)})
	d.claim(model.RelConducted, actor, campaign, fmt.Sprintf("Researchers attribute %s to %s.", campaign.Name, actor.Name))

	victims := victimsMin + r.Intn(victimsMax-victimsMin+1)
	for v := range victims {
		var victim model.Entity
		var sector, country int
		if r.Float64() < repeatShare {
			j := int(g.repeatVictimZipf.Uint64())
			victim = entity(model.LabelOrganization, capital(word(j*2654435761%1000003+3, 3))+" "+companySuffix[j%len(companySuffix)], map[string]any{"kind": "company"})
			sector, country = j%nSectors, (j/nSectors)%nCountries
		} else {
			victim = entity(model.LabelOrganization, capital(word(i*victimsMax+v+1_000_000, 4))+" "+companySuffix[(i+v)%len(companySuffix)], map[string]any{"kind": "company"})
			sector, country = int(g.sectorZipf.Uint64()), int(g.countryZipf.Uint64())
		}
		d.claim(model.RelTargeted, campaign, victim, fmt.Sprintf("%s breached the networks of %s.", campaign.Name, victim.Name))
		if r.Intn(2) == 0 {
			s := g.sectors[sector]
			d.claim(model.RelPartOf, victim, s, fmt.Sprintf("%s is a %s company.", victim.Name, strings.ToLower(s.Name)))
		}
		if r.Intn(10) < 3 {
			c := g.countries[country]
			d.claim(model.RelLocatedIn, victim, c, fmt.Sprintf("%s is based in %s.", victim.Name, c.Name))
		}
	}
	members := membersMin + r.Intn(membersMax-membersMin+1)
	var people []model.Entity
	for m := range members {
		p := entity(model.LabelPerson, firstNames[(i+m)%len(firstNames)]+" "+capital(word(i*membersMax+m+7_000_000, 3)), map[string]any{"role": "operator"})
		people = append(people, p)
		d.claim(model.RelAffiliatedWith, p, actor, fmt.Sprintf("%s is a member of %s.", p.Name, actor.Name))
	}
	for range techniquesIn {
		t := g.techniques[g.techniqueZipf.Uint64()]
		d.claim(model.RelUses, campaign, t, fmt.Sprintf("During %s the intruders used %s (%s).", campaign.Name, t.Name, t.Properties["external_id"]))
	}
	family := g.malware[g.malwareZipf.Uint64()]
	d.claim(model.RelUses, campaign, family, fmt.Sprintf("The intruders deployed %s.", family.Name))
	if r.Intn(10) < 3 {
		variant := entity(model.LabelMalware, family.Name+" "+capital(word(i+9_000_000, 2)), nil)
		d.claim(model.RelVariantOf, variant, family, fmt.Sprintf("%s is a new variant of %s.", variant.Name, family.Name))
		d.claim(model.RelUses, campaign, variant, fmt.Sprintf("The intruders also deployed %s.", variant.Name))
	}
	gov := g.governments[g.sponsor[ai]]
	switch n := r.Intn(100); {
	case n < 8: // an indictment
		legal := entity(model.LabelLegalAction, "Indictment of "+people[0].Name, map[string]any{"kind": "indictment", "date": date})
		prosecutor := g.governments[int(g.countryZipf.Uint64())]
		for _, p := range people[:2] {
			d.claim(model.RelChargedIn, p, legal, fmt.Sprintf("%s was charged with computer intrusion.", p.Name))
		}
		d.claim(model.RelBroughtBy, legal, prosecutor, fmt.Sprintf("The %s unsealed the %s.", prosecutor.Name, strings.ToLower(legal.Name)))
	case n < 13: // a condemnation
		condemner := g.governments[int(g.countryZipf.Uint64())]
		if condemner.UID != gov.UID {
			d.claim(model.RelCondemned, condemner, gov, fmt.Sprintf("The %s condemned the %s for %s.", condemner.Name, gov.Name, campaign.Name))
		}
	case n < 15: // a violated agreement
		a := g.agreements[n%nAgreements]
		d.claim(model.RelViolated, campaign, a, fmt.Sprintf("%s violates the %s.", campaign.Name, a.Name))
	}
	// An indicator of the actor's command-and-control address (drawn
	// without the random stream, so the rest of the corpus is what it was).
	ip := c2Address(i)
	ind := entity(model.LabelIndicator, fmt.Sprintf("%s C2 %s", actor.Name, ip),
		map[string]any{"pattern": fmt.Sprintf("[ipv4-addr:value = '%s']", ip), "pattern_type": "stix", "valid_from": date + "T00:00:00Z"})
	ipv4, _ := model.Declared.Node(model.LabelIPv4)
	addr := model.Entity{UID: model.ObservableUID(ipv4, map[string]any{"value": ip}), Label: model.LabelIPv4, Name: ip, Quote: ip,
		Properties: map[string]any{"value": ip}}
	d.claim(model.RelBasedOn, ind, addr, ind.Properties["pattern"].(string))
	d.claim(model.RelIndicates, ind, actor, fmt.Sprintf("%s operated a command-and-control server at %s.", actor.Name, ip))
	return d.Document
}

// c2Address is report i's command-and-control address, in 198.18.0.0/15
// (RFC 2544: reserved for benchmarks); reports share some.
func c2Address(i int) string {
	n := (i * 7919) % (1 << 15)
	return fmt.Sprintf("198.%d.%d.%d", 18+n>>16, n>>8&0xff, n&0xff)
}

// doc builds a Document, mentioning each claim's ends once.
type doc struct {
	model.Document
	mentioned map[string]bool
	claimed   map[string]bool
}

func newDoc(src model.Source) *doc {
	return &doc{Document: model.Document{Source: src}, mentioned: map[string]bool{}, claimed: map[string]bool{}}
}

func (d *doc) mention(e model.Entity) {
	if !d.mentioned[e.UID] {
		d.mentioned[e.UID] = true
		d.Entities = append(d.Entities, e)
	}
}

func (d *doc) claim(typ string, from, to model.Entity, quote string) {
	d.mention(from)
	d.mention(to)
	uid := model.ClaimUID(typ, from.UID, to.UID, d.Source.UID)
	if d.claimed[uid] {
		return
	}
	d.claimed[uid] = true
	d.Claims = append(d.Claims, model.Claim{UID: uid, Type: typ, From: from.UID, To: to.UID, Quote: quote})
}

func entity(label, name string, props map[string]any) model.Entity {
	n, ok := model.Declared.Node(label)
	if !ok {
		panic("synthetic: undeclared label " + label)
	}
	return model.Entity{UID: model.EntityUID(n, name), Label: label, Name: name, Quote: name, Properties: props}
}

// word spells a number as a pronounceable word of at least n syllables:
// distinct numbers give distinct words, so generated names do not collide.
func word(x, n int) string {
	var b strings.Builder
	if x < 0 {
		x = -x
	}
	for i := 0; i < n || x > 0; i++ {
		b.WriteString(syllables[x%len(syllables)])
		x /= len(syllables)
	}
	return b.String()
}

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func suffixIf(i, n int) string {
	if i < n {
		return ""
	}
	return fmt.Sprintf(" %d", i/n+1)
}

func iso2(i int) string { return string(rune('A'+i/26%26)) + string(rune('A'+i%26)) }

// reportDate spreads reports over ten years from 2015.
func reportDate(i int) string {
	return time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%3650).Format(time.DateOnly)
}

var (
	syllables = func() []string {
		var out []string
		for _, c := range []string{"b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z"} {
			for _, v := range []string{"a", "e", "i", "o", "u"} {
				out = append(out, c+v)
			}
		}
		sort.Strings(out)
		return out
	}()
	adjectives    = []string{"Crimson", "Silent", "Golden", "Frozen", "Hidden", "Iron", "Velvet", "Shadow", "Copper", "Emerald", "Scarlet", "Granite", "Midnight", "Amber", "Cobalt", "Ivory", "Onyx", "Rusty", "Storm", "Wicked"}
	animals       = []string{"Panda", "Lynx", "Kitten", "Bear", "Falcon", "Viper", "Jackal", "Hornet", "Mantis", "Badger", "Heron", "Marten", "Orca", "Raven", "Spider", "Tiger", "Walrus", "Wolf", "Yak", "Zebra"}
	verbs         = []string{"Credential", "Process", "Registry", "Scheduled", "Remote", "Command", "Data", "Network", "Token", "Browser", "Email", "Cloud", "Service", "Script", "Kernel"}
	objects       = []string{"Dumping", "Injection", "Modification", "Discovery", "Execution", "Staging", "Exfiltration", "Hijacking", "Persistence", "Tunneling", "Impersonation", "Collection", "Obfuscation", "Manipulation"}
	tactics       = []string{"initial-access", "execution", "persistence", "privilege-escalation", "defense-evasion", "credential-access", "discovery", "lateral-movement", "collection", "exfiltration"}
	sectorNames   = []string{"Banking", "Aerospace", "Healthcare", "Telecommunications", "Energy", "Manufacturing", "Government Services", "Education", "Retail", "Shipping", "Biotechnology", "Insurance", "Media", "Mining", "Automotive", "Semiconductors", "Defense", "Hospitality", "Legal Services", "Agriculture", "Water Utilities", "Logistics", "Consulting", "Gaming", "Software", "Cloud Hosting", "Chemicals", "Construction", "Real Estate", "Nonprofit"}
	companySuffix = []string{"Holdings", "Analytics", "Bank", "Systems", "University", "Labs", "Logistics", "Energy", "Networks", "Pharma", "Aerospace", "Telecom"}
	firstNames    = []string{"Wei", "Li", "Chen", "Ivan", "Olga", "Sergei", "Kim", "Park", "Ali", "Reza", "Omar", "Anna", "Mark", "Yuki", "Hiro", "Lena", "Tomas", "Nadia", "Pavel", "Mei"}
	outlets       = []string{"The Daily Ledger", "Cyber Wire Weekly", "Global Security Monitor", "Department of Justice", "National Cyber Centre", "Threat Research Blog"}
)

// Probes are parameter values for the canned queries that exist in the
// corpus of a size and seed: a typical threat actor (not the largest hub),
// another one, a popular technique, and a member of the first report's
// group with a victim three hops away.
func Probes(size Size, seed int64) map[string]string {
	g := newGenerator(size, seed)
	g.core() // draws from the same random stream as Generate, in order
	d := g.report(0)
	var member, victim, actor string
	for _, c := range d.Claims {
		switch c.Type {
		case model.RelAffiliatedWith:
			if member == "" {
				member, actor = nameOf(d, c.From), nameOf(d, c.To)
			}
		case model.RelTargeted:
			if victim == "" {
				victim = nameOf(d, c.To)
			}
		}
	}
	return map[string]string{
		"actor":     actor,
		"a":         actor,
		"b":         g.actors[size.Actors/2].Name,
		"technique": g.techniques[0].Properties["external_id"].(string),
		"name":      member,
		"from":      member,
		"to":        victim,
		"value":     c2Address(0),
	}
}

func nameOf(d model.Document, uid string) string {
	for _, e := range d.Entities {
		if e.UID == uid {
			return e.Name
		}
	}
	return ""
}
