// Command gengazetteer writes the extractor's catalogue gazetteers,
// loaders/extract/catalogue/*.tsv, from the field's catalogues that
// testdata/catalogues and testdata/stix/attack hold:
//
//   - MITRE ATT&CK Enterprise v18.1: groups and their aliases, software
//     (malware and tools, with x_mitre_aliases), campaigns, techniques by
//     name and id, and the security vendors its references cite;
//   - the MISP galaxies: threat actors (synonyms, sponsor country),
//     Microsoft activity groups, malware families (malpedia, ransomware,
//     RAT, tool, backdoor, stealer, botnet, exploit kit), intelligence
//     agencies, sectors, regions;
//   - world-countries (mledoze/countries): countries, their other names,
//     demonyms, capitals and regions;
//   - STIX 2.1's industry-sector vocabulary;
//   - SCOWL's English word list, to mark catalogue names that are also
//     ordinary words (they count only with context).
//
// Run it from the repository's root after updating a catalogue:
//
//	go run ./scripts/gengazetteer
//
// TestGeneratedFilesAreCurrent fails when the checked-in files differ from
// what it writes.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"github.com/threatkg/threatkg/graph/model"
)

// reGenericKind: words for a kind of software or actor, no name of one.
var reGenericKind = regexp.MustCompile(`(?i)^(?:(?:the )?(?:malware|backdoor|ransomware|rat|trojan|loader|stealer|infostealer|botnet|worm|wiper|keylogger|dropper|downloader|spyware|adware|rootkit|exploit kit|apt|apt group|hackers?|group|team|unknown|generic|agent|bot|crypter|miner|cryptominer|coinminer|webshell|web shell|implant)s?)$`)

// OutDir is where the generated files go, relative to the root.
const OutDir = "loaders/extract/catalogue"

func main() {
	root := flag.String("root", ".", "the repository's root")
	flag.Parse()
	files, err := Generate(*root)
	if err != nil {
		log.Fatal(err)
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(*root, OutDir, name), data, 0o644); err != nil {
			log.Fatal(err)
		}
	}
}

func readGz(path string, v any) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if v == nil {
		return nil
	}
	if b, ok := v.(*[]byte); ok {
		*b, err = io.ReadAll(zr)
		return err
	}
	if err := json.NewDecoder(zr).Decode(v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// entry is one catalogue entity: a name, other names, the ids that
// catalogues give it, and for actors and agencies a country.
type entry struct {
	kind    string // actor, malware, tool, campaign
	name    string
	aliases []string
	ids     []string
	country string
	attack  map[string]bool // names ATT&CK itself gives it
}

func (e *entry) names() []string { return append([]string{e.name}, e.aliases...) }

func norm(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

func (e *entry) add(names ...string) {
	have := map[string]bool{}
	for _, n := range e.names() {
		have[norm(n)] = true
	}
	for _, n := range names {
		n = strings.Join(strings.Fields(n), " ")
		if !usableName(n) || have[norm(n)] {
			continue
		}
		have[norm(n)] = true
		e.aliases = append(e.aliases, n)
	}
}

// usableName drops what is no name in prose: AV signature names
// ("Trojan.Heur.JP.juW@ayZZvMb"), one or two characters, and very long
// descriptions.
func usableName(n string) bool {
	if len([]rune(n)) < 3 || len(n) > 60 || strings.ContainsAny(n, "@\t|:/\\") {
		return false
	}
	if strings.Count(n, ".") >= 2 && !strings.Contains(n, " ") {
		return false
	}
	for _, r := range n {
		if unicode.IsLetter(r) && r > unicode.MaxLatin1 && !unicode.Is(unicode.Latin, r) {
			return false // names in other scripts: the extractor reads English
		}
	}
	return true
}

type stixObject struct {
	Type         string   `json:"type"`
	Name         string   `json:"name"`
	Aliases      []string `json:"aliases"`
	MitreAliases []string `json:"x_mitre_aliases"`
	Platforms    []string `json:"x_mitre_platforms"`
	Revoked      bool     `json:"revoked"`
	Deprecated   bool     `json:"x_mitre_deprecated"`
	Refs         []struct {
		Source string `json:"source_name"`
		ID     string `json:"external_id"`
	} `json:"external_references"`
}

func (o stixObject) attackID() string {
	for _, r := range o.Refs {
		if r.Source == "mitre-attack" {
			return r.ID
		}
	}
	return ""
}

type galaxy struct {
	Values []struct {
		Value string `json:"value"`
		UUID  string `json:"uuid"`
		Meta  struct {
			Synonyms []string        `json:"synonyms"`
			Country  json.RawMessage `json:"country"`
			Sponsor  string          `json:"cfr-suspected-state-sponsor"`
			Type     []string        `json:"type"`
		} `json:"meta"`
	} `json:"values"`
}

// Generate returns the generated files by name.
func Generate(root string) (map[string][]byte, error) {
	var words []byte
	if err := readGz(filepath.Join(root, "testdata/catalogues/scowl/words.txt.gz"), &words); err != nil {
		return nil, err
	}
	dictionary := map[string]bool{}
	for _, w := range strings.Fields(string(words)) {
		dictionary[w] = true
	}
	var bundle struct {
		Objects []stixObject `json:"objects"`
	}
	if err := readGz(filepath.Join(root, "testdata/stix/attack/enterprise-attack-subset.json.gz"), &bundle); err != nil {
		return nil, err
	}
	gal := func(name string) (galaxy, error) {
		var g galaxy
		err := readGz(filepath.Join(root, "testdata/catalogues/misp-galaxy", name+".json.gz"), &g)
		return g, err
	}

	var countries []country
	if err := readGz(filepath.Join(root, "testdata/catalogues/world-countries/countries.json.gz"), &countries); err != nil {
		return nil, err
	}
	iso := map[string]string{} // common name, lower case -> ISO alpha-2
	for _, c := range countries {
		iso[strings.ToLower(c.Name.Common)] = c.CCA2
		iso[strings.ToLower(c.Name.Official)] = c.CCA2
	}
	countryCode := func(raw json.RawMessage, sponsor string) string {
		var s string
		if json.Unmarshal(raw, &s) == nil && len(s) == 2 {
			return strings.ToUpper(s)
		}
		return iso[strings.ToLower(sponsor)]
	}

	// --- actors, software, campaigns, techniques: ATT&CK first ---------
	var entries []*entry
	byName := map[string]map[string]*entry{} // kind -> norm name -> entry
	index := func(e *entry) {
		if byName[e.kind] == nil {
			byName[e.kind] = map[string]*entry{}
		}
		for _, n := range e.names() {
			if _, taken := byName[e.kind][norm(n)]; !taken {
				byName[e.kind][norm(n)] = e
			}
		}
	}
	var techniques [][2]string
	kindOf := map[string]string{"intrusion-set": "actor", "malware": "malware", "tool": "tool", "campaign": "campaign"}
	for _, o := range bundle.Objects {
		if o.Revoked || o.Deprecated {
			continue
		}
		if o.Type == "attack-pattern" {
			if id := o.attackID(); id != "" {
				techniques = append(techniques, [2]string{id, o.Name})
			}
			continue
		}
		kind, ok := kindOf[o.Type]
		if !ok || !usableName(o.Name) {
			continue
		}
		e := &entry{kind: kind, name: o.Name, attack: map[string]bool{}}
		e.add(o.Aliases...)
		e.add(o.MitreAliases...)
		for _, n := range e.names() {
			e.attack[norm(n)] = true
		}
		if id := o.attackID(); id != "" {
			e.ids = append(e.ids, "attack:"+id)
		}
		entries = append(entries, e)
		index(e)
	}
	places := map[string]bool{}
	for _, c := range countries {
		for _, n := range append([]string{c.Name.Common, c.Name.Official, c.Region, c.Subregion}, c.Capital...) {
			places[norm(n)] = true
		}
		for _, d := range c.Demonyms {
			places[norm(d.M)], places[norm(d.F)] = true, true
		}
		for _, l := range c.Languages {
			places[norm(l)] = true // "Korean", "Farsi": a language names no software
		}
	}
	// MISP: a cluster joins the entry of its kind that has one of its
	// names, else it is a new entry.
	software := func(name string) string {
		if byName["tool"][norm(name)] != nil {
			return "tool"
		}
		return "malware"
	}
	mispKinds := []struct{ file, kind string }{
		{"threat-actor", "actor"}, {"microsoft-activity-group", "actor"},
		{"malpedia", "malware"}, {"ransomware", "malware"}, {"rat", "malware"}, {"backdoor", "malware"},
		{"stealer", "malware"}, {"botnet", "malware"}, {"exploit-kit", "malware"}, {"tool", "tool"},
	}
	for _, mk := range mispKinds {
		g, err := gal(mk.file)
		if err != nil {
			return nil, err
		}
		for _, v := range g.Values {
			if !usableName(v.Value) || places[norm(v.Value)] {
				continue
			}
			names := append([]string{v.Value}, v.Meta.Synonyms...)
			// "Conti Ransomware": the family is also called "Conti"; but
			// "Turla RAT" and "Winnti (ELF)" are not called "Turla" or
			// "Winnti", which name their groups
			for _, n := range names {
				var bases []string
				for _, suf := range []string{" Ransomware", " ransomware", " RAT", " Botnet", " botnet", " Stealer", " Exploit Kit"} {
					if base := strings.TrimSuffix(n, suf); base != n && len(base) >= 3 {
						bases = append(bases, base)
					}
				}
				if k := strings.Index(n, " ("); k > 0 {
					bases = append(bases, n[:k])
				}
				for _, b := range bases {
					if mk.kind == "actor" || byName["actor"][norm(b)] == nil {
						names = append(names, b)
					}
				}
			}
			kind := mk.kind
			if kind == "tool" && len(v.Meta.Type) > 0 {
				kind = "malware" // MISP's tool galaxy types its malware (Backdoor, Banking, RAT)
			}
			var e *entry
			for _, k := range []string{kind, "malware", "tool"} {
				if k != kind && kind == "actor" {
					break
				}
				for _, n := range names {
					if hit := byName[k][norm(n)]; hit != nil {
						e = hit
						break
					}
				}
				if e != nil {
					break
				}
			}
			if e == nil {
				if kind != "actor" {
					kind = software(v.Value)
				}
				name := strings.Join(strings.Fields(names[0]), " ")
				// "Ares (Python)", "LockBit (ELF)": the family's name is
				// "Ares", unless another entry has it
				if k := strings.Index(name, " ("); k > 0 && byName[kind][norm(name[:k])] == nil && (kind == "actor" || byName["actor"][norm(name[:k])] == nil) {
					name = name[:k]
				}
				e = &entry{kind: kind, name: name}
				entries = append(entries, e)
			}
			e.add(names...)
			e.ids = append(e.ids, "misp:"+v.UUID)
			if e.country == "" && e.kind == "actor" {
				e.country = countryCode(v.Meta.Country, v.Meta.Sponsor)
			}
			index(e)
		}
	}
	// MISP's synonyms hold some words that name no one entity: a kind of
	// software ("Trojan"), a place or nationality ("Russian"), and, for
	// actors, some of the group's malware (menuPass: "ChChes").
	for _, e := range entries {
		var kept []string
		for _, a := range e.aliases {
			if places[norm(a)] || reGenericKind.MatchString(a) {
				continue
			}
			if e.kind == "actor" && !e.attack[norm(a)] && (byName["malware"][norm(a)] != nil || byName["tool"][norm(a)] != nil) {
				continue
			}
			kept = append(kept, a)
		}
		e.aliases = kept
	}
	// A name of two entries of a kind belongs to the first (ATT&CK's).
	owner := map[string]*entry{}
	for _, e := range entries {
		key := e.kind
		if key == "tool" {
			key = "malware"
		}
		var kept []string
		for i, n := range e.names() {
			k := key + "\x00" + norm(n)
			if o, taken := owner[k]; taken && o != e {
				continue // another entry's name: an alias of the first only
			}
			owner[k] = e
			if i > 0 {
				kept = append(kept, n)
			}
		}
		e.aliases = kept
	}

	out := map[string][]byte{}
	common := func(e *entry) []string {
		var c []string
		for _, n := range e.names() {
			if isCommon(n, dictionary) {
				c = append(c, n)
			}
		}
		return c
	}
	// plain: names of several ordinary words ("Cobalt Strike"), which
	// match only as the catalogue writes them
	plain := func(e *entry) []string {
		var c []string
		for _, n := range e.names() {
			if !strings.Contains(n, " ") {
				continue
			}
			all := true
			for _, w := range strings.Fields(n) {
				if !dictionary[strings.ToLower(w)] {
					all = false
				}
			}
			if all {
				c = append(c, n)
			}
		}
		return c
	}
	var actorRows, softwareRows, campaignRows []string
	for _, e := range entries {
		row := []string{e.name, strings.Join(e.aliases, "|"), strings.Join(e.ids, "|")}
		switch e.kind {
		case "actor":
			actorRows = append(actorRows, strings.Join(append(row, e.country, strings.Join(common(e), "|"), strings.Join(plain(e), "|")), "\t"))
		case "malware", "tool":
			label := model.LabelMalware
			if e.kind == "tool" {
				label = model.LabelTool
			}
			softwareRows = append(softwareRows, strings.Join(append([]string{label}, append(row, strings.Join(common(e), "|"), strings.Join(plain(e), "|"))...), "\t"))
		case "campaign":
			campaignRows = append(campaignRows, strings.Join(row, "\t"))
		}
	}
	out["actors.tsv"] = tsv("Threat actors: name, aliases, catalogue ids, sponsor country (ISO 3166-1 alpha-2), names that are ordinary English words, names made of ordinary words.\n"+
		"# From MITRE ATT&CK v18.1 intrusion sets, then the MISP threat-actor and microsoft-activity-group galaxies.", actorRows)
	out["software.tsv"] = tsv("Software: label, name, aliases, catalogue ids, names that are ordinary English words, names made of ordinary words.\n"+
		"# From MITRE ATT&CK v18.1 malware and tools, then the MISP malpedia, ransomware, rat, backdoor, stealer, botnet, exploit-kit and tool galaxies.", softwareRows)
	out["campaigns.tsv"] = tsv("Campaigns: name, aliases, catalogue ids. From MITRE ATT&CK v18.1.", campaignRows)
	var techRows []string
	for _, t := range techniques {
		techRows = append(techRows, t[0]+"\t"+t[1])
	}
	out["techniques.tsv"] = tsv("Techniques: ATT&CK id, name. From MITRE ATT&CK v18.1.", techRows)

	// --- agencies, vendors ------------------------------------------------
	agencies, err := gal("intelligence-agencies")
	if err != nil {
		return nil, err
	}
	var agencyRows []string
	for _, v := range agencies.Values {
		name := strings.Join(strings.Fields(v.Value), " ")
		if !usableName(name) {
			continue
		}
		e := &entry{name: name}
		// "National Intelligence Service (Albania)": the bracket is the country
		if k := strings.Index(name, " ("); k > 0 {
			e.name = name[:k]
		}
		var syn []string
		for _, s := range v.Meta.Synonyms {
			if usableName(s) {
				syn = append(syn, s)
			}
		}
		e.add(syn...)
		agencyRows = append(agencyRows, strings.Join([]string{e.name, strings.Join(e.aliases, "|"), "misp:" + v.UUID, countryCode(v.Meta.Country, "")}, "\t"))
	}
	out["agencies.tsv"] = tsv("Intelligence agencies: name, aliases, catalogue id, country. From the MISP intelligence-agencies galaxy.", agencyRows)
	out["vendors.tsv"] = tsv("Security vendors and technology companies that ATT&CK v18.1 cites as sources: name.\n"+
		"# A vendor is a leading run of one to three words that starts at least "+fmt.Sprint(minVendorCitations)+" distinct reference names.", vendors(bundle.Objects, dictionary, byName))

	// --- places and sectors -----------------------------------------------
	var countryRows []string
	regions := map[string]bool{}
	for _, c := range countries {
		if c.CCA2 == "" {
			continue
		}
		other := []string{c.Name.Official}
		for _, a := range c.AltSpellings {
			if a != c.CCA2 || a == "US" || a == "UK" {
				other = append(other, a)
			}
		}
		var demonyms []string
		if d := c.Demonyms["eng"]; d.M != "" {
			demonyms = append(demonyms, d.M)
			if d.F != d.M {
				demonyms = append(demonyms, d.F)
			}
		}
		capital := ""
		if len(c.Capital) > 0 {
			capital = c.Capital[0]
		}
		var keep []string
		for _, o := range other {
			if o != c.Name.Common && usableName(o) || o == "US" || o == "UK" {
				keep = append(keep, o)
			}
		}
		countryRows = append(countryRows, strings.Join([]string{c.CCA2, c.Name.Common, strings.Join(dedupe(keep), "|"), strings.Join(demonyms, "|"), capital, c.Region, c.Subregion}, "\t"))
		for _, r := range []string{c.Region, c.Subregion} {
			if r != "" {
				regions[r] = true
			}
		}
	}
	sort.Strings(countryRows)
	out["countries.tsv"] = tsv("Countries: ISO 3166-1 alpha-2, common name, other names, demonyms, capital, region, subregion. From world-countries (mledoze/countries).", countryRows)
	regionGal, err := gal("region")
	if err != nil {
		return nil, err
	}
	for _, v := range regionGal.Values {
		// "150 - Europe": UN M49 code, then the name
		if _, name, ok := strings.Cut(v.Value, " - "); ok {
			regions[name] = true
			// "Latin America and the Caribbean": also "Latin America"
			if head, _, ok := strings.Cut(name, " and the "); ok {
				regions[head] = true
			}
		}
	}
	for _, r := range stixRegions {
		words := strings.Fields(strings.ReplaceAll(r, "-", " "))
		for i, w := range words {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
		if len(words) <= 2 { // "latin-america-caribbean" is a code, not prose
			regions[strings.Join(words, " ")] = true
		}
	}
	delete(regions, "World")
	var regionRows []string
	for r := range regions {
		regionRows = append(regionRows, r+"\t"+regionAdjective(r))
	}
	sort.Strings(regionRows)
	out["regions.tsv"] = tsv("Regions: name, adjective. From the MISP region galaxy (UN M49), world-countries' regions and subregions, and STIX 2.1's region-ov vocabulary.", regionRows)
	sectorGal, err := gal("sector")
	if err != nil {
		return nil, err
	}
	var wordRows []string
	for _, w := range strings.Fields(string(words)) {
		if len(w) >= 2 {
			wordRows = append(wordRows, w)
		}
	}
	sort.Strings(wordRows)
	out["words.tsv"] = tsv("Ordinary English words: SCOWL's lower-case entries (Debian wamerican). A capitalised phrase made only of them is a heading or a product, not a name.", dedupe(wordRows))
	out["sectors.tsv"] = tsv("Sectors: name, then the lower-case words that name it in text (| separated).\n"+
		"# From STIX 2.1's industry-sector-ov vocabulary and the MISP sector galaxy, with each name's parts and plural.", sectors(sectorGal))
	return out, nil
}

type country struct {
	Name struct {
		Common   string `json:"common"`
		Official string `json:"official"`
	} `json:"name"`
	CCA2         string            `json:"cca2"`
	AltSpellings []string          `json:"altSpellings"`
	Capital      []string          `json:"capital"`
	Region       string            `json:"region"`
	Languages    map[string]string `json:"languages"`
	Subregion    string            `json:"subregion"`
	Demonyms     map[string]struct {
		F string `json:"f"`
		M string `json:"m"`
	} `json:"demonyms"`
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// isCommon reports whether a name is also an ordinary English word (one
// word that SCOWL lists in lower case), or a command's name.
func isCommon(name string, dictionary map[string]bool) bool {
	if strings.Contains(name, " ") {
		return false
	}
	// a name the catalogue writes in lower case is a command's or a
	// file's in prose ("cmd", "net", "at"), an ordinary word there
	return dictionary[strings.ToLower(name)] || name == strings.ToLower(name)
}

// minVendorCitations: a vendor is cited by ATT&CK at least this many times
// under distinct reference names, which separates the report publishers
// from one-off titles.
const minVendorCitations = 10

var (
	reVendorWord  = regexp.MustCompile(`^[\p{L}\p{N}][\p{L}\p{N}&.-]*$`)
	reAllCaps     = regexp.MustCompile(`^[A-Z]{3,}$`)
	reSectorParts = regexp.MustCompile(` - |, |/`) // "Government, Administration", "IT - Security"
)

var reYearOrDate = regexp.MustCompile(`^(?:\d{4}|January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b`)

func vendors(objects []stixObject, dictionary map[string]bool, byName map[string]map[string]*entry) []string {
	names := map[string]bool{}
	platforms := map[string]bool{}
	for _, o := range objects {
		for _, p := range o.Platforms {
			platforms[p] = true
		}
		for _, r := range o.Refs {
			names[r.Source] = true
		}
	}
	count := map[string]int{}
	for n := range names {
		words := strings.Fields(n)
		for k := 1; k <= 3 && k <= len(words); k++ {
			if reYearOrDate.MatchString(words[k-1]) {
				break
			}
			count[strings.Join(words[:k], " ")]++
		}
	}
	known := func(s string) bool {
		for _, kind := range []string{"actor", "malware", "tool", "campaign"} {
			if byName[kind][norm(s)] != nil {
				return true
			}
		}
		return false
	}
	var out []string
	for p, n := range count {
		if n < minVendorCitations {
			continue
		}
		r := []rune(p)
		if !unicode.IsUpper(r[0]) || known(p) || isCommon(p, dictionary) || strings.ContainsAny(p, "_()") {
			continue
		}
		words := strings.Fields(p)
		if platforms[p] || !reVendorWord.MatchString(words[len(words)-1]) {
			continue // a platform (Linux) or a run that ends in punctuation
		}
		if len(words) > 1 && (known(words[len(words)-1]) || reAllCaps.MatchString(words[len(words)-1])) {
			continue // "Secureworks IRON", "GitHub Sliver": a vendor, then a naming scheme or a tool
		}
		if dictionary[strings.ToLower(words[len(words)-1])] && len(words) > 1 && !unicode.IsUpper([]rune(words[len(words)-1])[0]) {
			continue // "Microsoft threat": the run goes on into a title
		}
		// "Palo" is only ever the start of "Palo Alto"
		part := false
		for q, m := range count {
			if strings.HasPrefix(q, p+" ") && m*10 >= n*9 {
				part = true
			}
		}
		if !part {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

// regionAdjective forms a region's adjective as English does ("Europe":
// European, "Asia": Asian, "Middle East": Middle Eastern); empty where the
// last word takes none of these endings.
func regionAdjective(name string) string {
	words := strings.Fields(name)
	last := words[len(words)-1]
	switch {
	case last == "East" || last == "West" || last == "North" || last == "South":
		words[len(words)-1] = last + "ern"
	case strings.HasSuffix(last, "a"):
		words[len(words)-1] = last + "n"
	case strings.HasSuffix(last, "e"):
		words[len(words)-1] = last + "an"
	default:
		return ""
	}
	return strings.Join(words, " ")
}

// stixRegions is STIX 2.1's region-ov vocabulary (section 10.11).
var stixRegions = []string{"africa", "eastern-africa", "middle-africa", "northern-africa", "southern-africa", "western-africa",
	"americas", "latin-america-caribbean", "south-america", "caribbean", "central-america", "northern-america", "asia",
	"central-asia", "eastern-asia", "southern-asia", "south-eastern-asia", "western-asia", "europe", "eastern-europe",
	"northern-europe", "southern-europe", "western-europe", "middle-east", "oceania", "antarctica", "australia-new-zealand",
	"melanesia", "micronesia", "polynesia"}

// stixSectors is STIX 2.1's industry-sector-ov vocabulary (section 10.12).
var stixSectors = []string{"agriculture", "aerospace", "automotive", "chemical", "commercial", "communications", "construction",
	"defense", "education", "energy", "entertainment", "financial-services", "government", "government-emergency-services",
	"government-local", "government-national", "government-public-services", "government-regional", "healthcare",
	"hospitality-leisure", "infrastructure", "infrastructure-dams", "infrastructure-nuclear", "infrastructure-water",
	"insurance", "manufacturing", "mining", "non-profit", "pharmaceuticals", "retail", "technology", "telecommunications",
	"transportation", "utilities"}

func sectors(g galaxy) []string {
	type sector struct {
		name  string
		words []string
	}
	var list []sector
	seen := map[string]bool{}
	addSector := func(name string, parts []string) {
		if seen[strings.ToLower(name)] {
			return
		}
		seen[strings.ToLower(name)] = true
		var words []string
		for _, p := range parts {
			p = strings.ToLower(strings.TrimSpace(p))
			if len(p) < 3 || p == "other" || p == "unknown" || p == "country" || p == "multi-sector" {
				continue
			}
			words = append(words, p)
			if !strings.HasSuffix(p, "s") && !strings.HasSuffix(p, "ing") && !strings.HasSuffix(p, "y") && !strings.HasSuffix(p, "al") && !strings.HasSuffix(p, "ive") && !strings.HasSuffix(p, "ion") {
				words = append(words, p+"s")
			}
		}
		if len(words) > 0 {
			list = append(list, sector{name, dedupe(words)})
		}
	}
	for _, s := range stixSectors {
		parts := strings.Split(s, "-")
		name := strings.ToUpper(s[:1]) + strings.ReplaceAll(s[1:], "-", " ")
		words := []string{strings.ReplaceAll(s, "-", " ")}
		if parts[0] == "government" || parts[0] == "infrastructure" {
			if len(parts) > 1 {
				words = append(words, parts[1]+" "+parts[0])
			}
		} else if len(parts) > 1 {
			words = append(words, parts[0]) // "financial services": also "financial"
		}
		addSector(name, words)
	}
	for _, v := range g.Values {
		name := v.Value
		parts := reSectorParts.Split(name, -1)
		addSector(name, append([]string{name}, parts...))
	}
	var rows []string
	for _, s := range list {
		rows = append(rows, s.name+"\t"+strings.Join(s.words, "|"))
	}
	return rows
}

func tsv(header string, rows []string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# %s\n# Generated by scripts/gengazetteer; do not edit.\n", header)
	for _, r := range rows {
		b.WriteString(r)
		b.WriteByte('\n')
	}
	return b.Bytes()
}
