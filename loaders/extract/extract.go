// Package extract turns a plain-text article into a draft of annotations
// (entities and relations of the declared model, each with the verbatim
// quote that supports it and a confidence) for an analyst to review and
// load. It is deterministic, offline and explainable: every entity and
// relation comes from a named rule (gazetteer, pattern) applied to one
// sentence, and the draft says which.
//
// It does not import the Neo4j driver; the caller may pass threat-actor
// names read from a graph (Options.Actors).
package extract

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/threatkg/threatkg/graph/model"
)

// Labels and relationship types the rules produce. Each one is checked
// against the declared model at run time (TestRulesUseTheDeclaredModel) and
// every relation against the model's allowed endpoints before it is emitted.
const (
	labelActor       = model.LabelThreatActor
	labelPerson      = model.LabelPerson
	labelOrg         = model.LabelOrganization
	labelGovernment  = model.LabelGovernment
	labelCountry     = model.LabelCountry
	labelRegion      = model.LabelRegion
	labelSector      = model.LabelSector
	labelCampaign    = model.LabelCampaign
	labelAgreement   = model.LabelAgreement
	labelLegalAction = model.LabelLegalAction
	labelMalware     = model.LabelMalware
	labelTool        = model.LabelTool
	labelTechnique   = model.LabelTechnique
	labelVuln        = model.LabelVulnerability

	relAffiliated = model.RelAffiliatedWith
	relAttributed = model.RelAttributedTo
	relConducted  = model.RelConducted
	relTargeted   = model.RelTargeted
	relCharged    = model.RelChargedIn
	relBroughtBy  = model.RelBroughtBy
	relCondemned  = model.RelCondemned
	relViolated   = model.RelViolated
	relPartyTo    = model.RelPartyTo
	relWorksFor   = model.RelWorksFor
	relPartOf     = model.RelPartOf
	relLocatedIn  = model.RelLocatedIn
	relGoverns    = model.RelGoverns
	relAnnounced  = model.RelAnnounced
	relReported   = model.ReportedType
	relDiscovered = model.RelDiscovered
	relUses       = model.RelUses
	relExploits   = model.RelExploits
)

// ActorLabel is the label whose names and aliases Options.Actors takes
// from a graph.
const ActorLabel = labelActor

// KnownLabels are the labels whose entities a configured graph adds to the
// catalogue (Options.Known): what a report names and a catalogue may lack.
var KnownLabels = []string{labelActor, labelMalware, labelTool, labelCampaign}

// Options tunes an extraction.
type Options struct {
	// Actors adds threat-actor names to the catalogue, as Known entities
	// of the ThreatActor label do.
	Actors []ActorNames
	// Known adds any entities of the model (a graph's malware, tools,
	// campaigns, actors) whose names and aliases should be recognised.
	Known []KnownEntity

	// cat is the catalogue with Known and Actors added, when a caller that
	// extracts many texts with the same options (EvaluateCorpus) built it
	// once; nil: Extract builds it.
	cat *catalogue
}

// withCatalogue returns opts with their catalogue built, for many
// extractions with the same options.
func (opts Options) withCatalogue() Options {
	if opts.cat == nil {
		opts.cat = loadCatalogue().withGraph(opts.knownEntities())
	}
	return opts
}

// knownEntities are Known and Actors together.
func (opts Options) knownEntities() []KnownEntity {
	known := opts.Known
	for _, a := range opts.Actors {
		known = append(known, KnownEntity{Label: labelActor, Name: a.Name, Aliases: a.Aliases})
	}
	return known
}

// Draft is an extraction's result: the article's entities and relations,
// in the annotation format's terms.
type Draft struct {
	Entities  []Entity
	Relations []Relation
	// Date is the article's date as the text gives it (a dateline, else the
	// latest full date it mentions), YYYY-MM-DD; empty if none.
	Date string
	// Title is the first line of the text.
	Title string
	// Fired lists the rules that matched anywhere in the text, sorted:
	// also those whose matches only added a mention or an alias to an
	// entity another rule found first.
	Fired []string
}

// Entity is one extracted entity.
type Entity struct {
	ID         string
	Type       string
	Name       string
	Aliases    []string
	Evidence   string
	Confidence float64
	Rule       string // which rule found it
	Properties map[string]any
}

// Relation is one extracted claim between two entities of the draft.
type Relation struct {
	Type       string
	From, To   string // entity ids
	Evidence   string
	Confidence float64
	Rule       string
	Date       string
	Properties map[string]any
}

type entity struct {
	label, name string
	aliases     []string
	evidence    span
	confidence  float64
	rule        string
	props       map[string]any
	first       int
	count       int
	kind        string // organisation kind
	parent      string // a known organisation's parent (organisation or state name)
	st          *state // for Government and Country
	charged     []*entity
	roles       []string
	x           *extractor
	cat         *catEntry // the catalogue entry it was recognised from
}

type mention struct {
	span
	ent *entity
}

type relation struct {
	typ        string
	from, to   *entity
	evidence   span
	confidence float64
	rule       string
	date       string
	props      map[string]any
}

type extractor struct {
	text       string
	g          *gazetteer
	model      model.Model
	sents      []sentence
	perSent    [][]mention
	ents       map[string]*entity
	order      []*entity
	rels       map[relKey]*relation
	relOrder   []*relation
	cat        *catalogue
	byEntry    map[*catEntry]*entity
	confirmed  map[*catEntry]bool
	hitsAt     [][]catHit // per sentence: the catalogue's names in it
	pre        []sentencePre
	actorOf    map[string]*ActorNames
	stateRE    *dict
	stateOf    map[string]*state
	orgRE      *dict
	orgOf      map[string]*knownOrg
	sectorDict *dict
	sectorOf   map[string]string
	// paragraph -> speakers of its quotes
	speakers map[int][]*entity
	// indexes, so that work stays linear in the text's length
	aliasIdx      map[string]*entity   // entityKey(label, alias)
	byLast        map[string][]*entity // people by last name
	agreements    []*entity
	actionsBySent map[int][]*entity
	lastAction    []*entity // per sentence: the last legal action up to it
	shortRE       *dict
	shortOf       map[string]*entity
	main          *entity // the threat actor named most
	attributedGov *entity // the first government an actor is attributed to
	namedForeign  *entity // the foreign government named most
	learnt        int
	quoteAt       []quoteState    // per sentence: quotes open at its start
	hits          []legalHit      // the legal-action cues of the sentence being read
	common        map[string]bool // commonNoun's answers
	attackAt      map[int]bool    // sentences with an attack verb
	condemnations []condemnation
	fired         map[string]bool
}

// Extract reads text and returns a draft. It never fails: text without any
// recognisable entity gives an empty draft.
func Extract(text string, opts Options) Draft {
	x := &extractor{
		text:          text,
		model:         model.Declared,
		ents:          map[string]*entity{},
		rels:          map[relKey]*relation{},
		speakers:      map[int][]*entity{},
		aliasIdx:      map[string]*entity{},
		byLast:        map[string][]*entity{},
		actionsBySent: map[int][]*entity{},
		common:        map[string]bool{},
		attackAt:      map[int]bool{},
		byEntry:       map[*catEntry]*entity{},
		confirmed:     map[*catEntry]bool{},
	}
	opts = opts.withCatalogue()
	x.cat = opts.cat
	x.useCompiled(opts.knownEntities())
	x.sents = splitSentences(text)
	x.precompute()
	x.preconfirm()
	x.perSent = make([][]mention, len(x.sents))
	for i := range x.sents {
		x.recognise(i)
	}
	x.compileShortForms()
	for i := range x.sents {
		x.shortForms(i)
	}
	x.impliedEntities()
	x.indexDocument()
	x.indexQuotes()
	for i := range x.sents {
		x.findSpeakers(i)
	}
	for i := range x.sents {
		x.relate(i)
	}
	x.documentRelations()
	return x.draft()
}

// --- entities -----------------------------------------------------------

func entityKey(label, name string) string { return label + "\x00" + model.Normalize(name) }

// entity finds or makes the entity of label and name.
func (x *extractor) entity(label, name string, evidence span, rule string, confidence float64) *entity {
	x.fire(rule)
	key := entityKey(label, name)
	if e, ok := x.ents[key]; ok {
		return e
	}
	if e, ok := x.aliasIdx[key]; ok {
		return e
	}
	e := &entity{label: label, name: name, evidence: evidence, rule: rule, confidence: confidence, first: evidence.start, props: map[string]any{}, x: x}
	x.ents[key] = e
	x.order = append(x.order, e)
	if label == labelPerson {
		w := strings.Fields(name)
		x.byLast[w[len(w)-1]] = append(x.byLast[w[len(w)-1]], e)
	}
	if label == labelAgreement {
		x.agreements = append(x.agreements, e)
	}
	return e
}

// fire records that a rule matched.
func (x *extractor) fire(rule string) {
	if x.fired == nil {
		x.fired = map[string]bool{}
	}
	x.fired[rule] = true
}

// addRole records a post a person holds, as the text gives it.
func (e *entity) addRole(role string) {
	if role == "" || slices.Contains(e.roles, role) || len(e.roles) >= 8 {
		return
	}
	e.roles = append(e.roles, role)
	if e.props["role"] == nil {
		e.props["role"] = role
	}
}

// lookup finds an entity by label and name or alias.
func (x *extractor) lookup(label, name string) *entity {
	key := entityKey(label, name)
	if e, ok := x.ents[key]; ok {
		return e
	}
	return x.aliasIdx[key]
}

func (e *entity) addAlias(a string) {
	a = strings.TrimSpace(a)
	if a == "" || model.Normalize(a) == model.Normalize(e.name) {
		return
	}
	for _, have := range e.aliases {
		if model.Normalize(have) == model.Normalize(a) {
			return
		}
	}
	e.aliases = append(e.aliases, a)
	if e.x != nil {
		key := entityKey(e.label, a)
		if _, taken := e.x.aliasIdx[key]; !taken {
			e.x.aliasIdx[key] = e
		}
	}
}

// indexDocument computes, once recognition is done, what the relation
// rules ask of the whole text.
func (x *extractor) indexDocument() {
	x.lastAction = make([]*entity, len(x.sents))
	var last *entity
	for i := range x.sents {
		if as := x.actionsBySent[i]; len(as) > 0 {
			last = as[len(as)-1]
		}
		x.lastAction[i] = last
	}
	for _, e := range x.order {
		if e.label == labelActor && e.count > 0 && (x.main == nil || e.count > x.main.count) {
			x.main = e
		}
	}
	home := map[*entity]bool{}
	for _, e := range x.order {
		if e.label == labelOrg && e.parent != "" && e.kind != "intelligence" {
			if st := x.g.stateNamed(e.parent); st != nil {
				home[x.ents[entityKey(labelGovernment, st.name)]] = true
			}
		}
	}
	for _, e := range x.order {
		if e.label == labelGovernment && e.count > 0 && !home[e] && e.st != nil && e.st.iso2 != "" && (x.namedForeign == nil || e.count > x.namedForeign.count) {
			x.namedForeign = e
		}
	}
}

// overlaps reports whether s overlaps a mention already found in sentence i.
func (x *extractor) overlaps(i int, s span) bool {
	for _, m := range x.perSent[i] {
		if s.start < m.end && m.start < s.end {
			return true
		}
	}
	return false
}

// mention records a mention of e at s in sentence i, unless s overlaps an
// earlier one (earlier rules win). It returns whether it was recorded.
func (x *extractor) mention(i int, s span, e *entity) bool {
	if s.end <= s.start || x.overlaps(i, s) {
		return false
	}
	x.perSent[i] = append(x.perSent[i], mention{s, e})
	e.count++
	surface := x.text[s.start:s.end]
	if e.label == labelPerson || e.label == labelOrg || e.label == labelActor || e.label == labelAgreement ||
		e.label == labelMalware || e.label == labelTool || e.label == labelCountry {
		e.addAlias(surface)
	}
	return true
}

func (x *extractor) sortMentions(i int) {
	sort.Slice(x.perSent[i], func(a, b int) bool { return x.perSent[i][a].start < x.perSent[i][b].start })
}

// --- the draft -----------------------------------------------------------

func (x *extractor) draft() Draft {
	d := Draft{Title: x.title(), Date: x.date()}
	for r := range x.fired {
		d.Fired = append(d.Fired, r)
	}
	sort.Strings(d.Fired)
	ids := map[*entity]string{}
	used := map[string]bool{}
	inRelation := map[*entity]bool{}
	for _, r := range x.relOrder {
		inRelation[r.from], inRelation[r.to] = true, true
	}
	inAttack := map[*entity]bool{}
	for i, ms := range x.perSent {
		if len(ms) > 0 && x.attackAt[i] {
			for _, m := range ms {
				inAttack[m.ent] = true
			}
		}
	}
	for _, e := range x.order {
		if e.count == 0 && e.rule != ruleImplied {
			continue
		}
		// a state named once and in no claim is context ("a meeting on
		// Iran"), not a party
		if e.label == labelGovernment && e.count < 2 && !inRelation[e] && !inAttack[e] {
			continue
		}
		id := slug(e.name)
		if id == "" {
			id = strings.ToLower(e.label)
		}
		base := id
		for n := 2; used[id]; n++ {
			id = fmt.Sprintf("%s-%d", base, n)
		}
		used[id] = true
		ids[e] = id
		var aliases []string
		for _, a := range e.aliases {
			if model.Normalize(a) != model.Normalize(e.name) {
				aliases = append(aliases, a)
			}
		}
		props := map[string]any{}
		for k, v := range e.props {
			props[k] = v
		}
		d.Entities = append(d.Entities, Entity{
			ID: id, Type: e.label, Name: e.name, Aliases: aliases,
			Evidence: x.text[e.evidence.start:e.evidence.end], Confidence: e.confidence,
			Rule: e.rule, Properties: props,
		})
	}
	for _, r := range x.relOrder {
		from, okFrom := ids[r.from]
		to, okTo := ids[r.to]
		if !okFrom || !okTo {
			continue
		}
		d.Relations = append(d.Relations, Relation{
			Type: r.typ, From: from, To: to, Evidence: x.text[r.evidence.start:r.evidence.end],
			Confidence: r.confidence, Rule: r.rule, Date: r.date, Properties: r.props,
		})
	}
	return d
}

func slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		case r == '\'' || r == '’' || r == '.':
		default:
			dash = true
		}
		if b.Len() > 60 {
			break
		}
	}
	return b.String()
}

var reNotTitle = regexp.MustCompile(`(?i)^(?:join our|subscribe|sign up|follow us|click here|advertisement|for immediate release)\b`)

// title is the text's first non-empty line, if it is short enough to be one.
func (x *extractor) title() string {
	for _, line := range strings.SplitN(x.text, "\n", 20) {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if reNotTitle.MatchString(line) {
			continue // a site's call to action above the headline
		}
		if utf8.RuneCountInString(line) > 250 {
			return ""
		}
		return line
	}
	return ""
}
