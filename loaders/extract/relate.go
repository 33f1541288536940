package extract

import (
	"regexp"
	"slices"
	"strings"
)

// Relation rule names.
const (
	ruleRelAffiliated      = "affiliation-verb"
	ruleRelAttributed      = "on-behalf-of"
	ruleRelSponsored       = "state-sponsored-actor"
	ruleRelConducted       = "participated-in-campaign"
	ruleRelTargeted        = "attack-verb"
	ruleRelViolated        = "violates-agreement"
	ruleRelPartyTo         = "agreement-between"
	ruleRelCondemned       = "condemnation-verb"
	ruleRelWorksFor        = "title-at-organisation"
	ruleRelRoleOrg         = "role-implies-organisation"
	ruleRelPartOf          = "organisation-structure"
	ruleRelParent          = "agency-gazetteer-parent"
	ruleRelSectorOf        = "organisation-in-sector"
	ruleRelFrontOf         = "front-company-of"
	ruleRelStateAgency     = "agency-named-after-state"
	ruleRelLocated         = "located-in"
	ruleRelNational        = "nationals-of"
	ruleRelCharged         = "charged-in"
	ruleRelBrought         = "brought-by"
	ruleRelAnnounced       = "announced"
	ruleRelGoverns         = "government-of-country"
	ruleRelReported        = "reported-by"
	ruleRelDiscovered      = "discovered-by"
	ruleRelNationality     = "actor-nationality"
	ruleRelDefendantsActor = "defendants-are-the-actor"
)

var (
	reAffiliation  = regexp.MustCompile(`\b(?:(?:the )?(?:leader|head|founder|administrator|ringleader|boss) of|collaborated with|worked with|members? of|belong(?:s|ed)? to|conduct(?:ed|ing) the affairs of|worked through|work(?:ed|s|ing) for|employees? of|associated with|affiliated with|operatives? of)\b`)
	reOnBehalf     = regexp.MustCompile(`\b(?:on behalf of|sponsored by|backed by|directed by|at the direction of|in the service of|acting for|acted for|working for|tasked by|attributed (?:[a-z ]{0,30})?to|controlled by|operated by|run by|(?:is|are|was|were) (?:almost certainly |highly likely |likely )?(?:a unit of|part of|linked to|tied to))\b`)
	reSponsored    = regexp.MustCompile(`^(?:’s|'s)?[ -](?:(?:state|government)[- ])?(?:sponsored|backed|linked|directed|affiliated|aligned|controlled|run|operated)\b`)
	reActorNoun    = regexp.MustCompile(`^[ -]?(?:[\p{L}\d-]+ ){0,6}\(?[“"]?$`)
	reParticipate  = regexp.MustCompile(`\b(?:participat(?:ed|ing|e|es) in|conducted|carried out|launched|ran|behind|responsible for)\b`)
	reAttack       = regexp.MustCompile(`\b(?:crippl(?:ed|ing)|disrupt(?:ed|ing)|sabotag(?:ed|ing)|wiped|hack(?:ed|ing|s)?(?: (?:into|their way into))?|st(?:ole|eal|ealing) (?:[a-z ]{0,40} )?from|target(?:ed|ing|s)?|infiltrat(?:ed|ing|ion of)|compromis(?:ed|ing|e)|breach(?:ed|ing)|attacks? on|attacked|intrusions? (?:into|affecting|against|targeting|at)|affecting|spied on|victims? (?:of [^,]{1,40} )?included)\b`)
	reViolation    = regexp.MustCompile(`\b(?:violat(?:es|ed|e|ing)|violations? of|breach(?:es|ed)? of|in breach of|contraven(?:es|ed|e))\b`)
	reBetween      = regexp.MustCompile(`^(?: (?:made|signed|reached|concluded|agreed))? between `)
	reSigned       = regexp.MustCompile(`\b(?:which|that) $`)
	reCondemn      = regexp.MustCompile(`(?i)\b(?:irresponsibly|recklessly|reckless|unacceptable|unconscionable|condemn(?:s|ed|ing)?|denounc(?:e|es|ed|ing)|call(?:s|ed|ing)? out|speak(?:s|ing)? out|spoke out|hold\b[^.]{0,40}\baccountable|held\b[^.]{0,40}\baccountable|shameful|irresponsible|very real threat|rebuk(?:e|ed|es)|criticiz(?:e|ed|es)|criticis(?:e|ed|es))\b`)
	reExpected     = regexp.MustCompile(`\b(?:expected to|slated to|set to|plans? to|planned to|are to)\b`)
	reGeneric      = regexp.MustCompile(`(?i)\b(?:they|the (?:two |three |four |five |six |seven )?defendants|the hackers|the group|the intrusions|the actors|these actors|the attackers|the conspirators|computer hackers|the hacking group|the conspiracy|the campaign|the operation|the scheme)\b`)
	reClauseEnd    = regexp.MustCompile(`, (?:according to|said|the [A-Z][\p{L} ]+ reported)|;| reported\b`)
	reSaid         = regexp.MustCompile(`\b(?:said|says|added|saying|stated|told|wrote)\b`)
	reStatement    = regexp.MustCompile(`\b(?:released|issued) a (?:joint )?statement\b`)
	rePronounSaid  = regexp.MustCompile(`(?i)\b(?:he|she|they|the statement|the release) (?:added|said|continued)\b`)
	reProsecuting  = regexp.MustCompile(`\b(?:(?:is|are) prosecuting (?:this|the) case|(?:is|are) (?:being )?prosecuted by)\b`)
	reLocatedAt    = regexp.MustCompile(`\b(?:registered|based|headquartered|located|incorporated) in (?:the )?$`)
	reNationals    = regexp.MustCompile(`\b(?:nationals?|residents?|citizens?)\b`)
	reCompanyOf    = regexp.MustCompile(`^[”"]?\)?,? (?:a|an) (?:[\p{L}-]+ )?$`)
	reUSAttorney   = regexp.MustCompile(`U\.S\. Attorneys? (?:[A-Z][\p{L}.]* ){0,3}(?:(?:and )?(?:[A-Z][\p{L}.]* ){1,4})?(?:for|of) the ((?:(?:Northern|Southern|Eastern|Western|Central|Middle) )?District of [A-Z][\p{L}]+(?: [A-Z][\p{L}]+)?)`)
	reDistrictOf   = regexp.MustCompile(`^,? (?:[\p{L}.’' ]{0,40} )?(?:for|of) the ((?:(?:Northern|Southern|Eastern|Western|Central|Middle) )?District of [A-Z][\p{L}]+(?: [A-Z][\p{L}]+)?)`)
	reIncluding    = regexp.MustCompile(`^,? including (?:its |the |their )?$`)
	reServiceOf    = regexp.MustCompile(`^, (?:a|an|the) (?:service|unit|division|part|agency|branch|arm|department|subsidiary) of (?:the )?$`)
	reFrontOf      = regexp.MustCompile(`^, (?:a|an|the) (?:front company|front|cover company|cover) (?:of|for) (?:the )?$`)
	reOfThe        = regexp.MustCompile(`^ of (?:the )?$`)
	rePossessive   = regexp.MustCompile(`^(?:’s|'s) $`)
	reAdjacent     = regexp.MustCompile(`^ $`)
	reTitleGap     = regexp.MustCompile(`^ (?:[A-Z][a-z]+ )?(?:(?:Acting|Deputy|Assistant|Associate|Special|Principal|Chief|Senior|Vice) )*(?:Secretary|Director|Deputy Director|Spokesman|Spokeswoman|Chief|Commissioner|Special Agent in Charge|Agent|Administrator|Chairman|Head|Minister) $`)
	reRoleOf       = regexp.MustCompile(`^(?:,)? (?:of|at|for|with) (?:the )?$`)
	reOrgRoleComma = regexp.MustCompile(`^ (?:spokesman|spokeswoman|spokesperson|official|director|adviser|advisor|analyst|researcher|head|chief)(?: [\p{L}.’'-]+){0,8}, $`)
	reRoleAt       = regexp.MustCompile(`^, (?:a |an |the )?[^,;“”]{2,80}? (?:at|of|for|with) (?:the )?(?:[\p{L}]+(?:’s|'s) )?$`)
	reApposGap     = regexp.MustCompile(`^, (?:a|an) [\p{L} -]{0,40}$`)
	reNationalsOf  = regexp.MustCompile(`\b(?:nationals?|residents?|citizens?) of (?:the )?$`)
	reAnnounced    = regexp.MustCompile(`\bannounc(?:ed|es|ing)\b`)
	reReported     = regexp.MustCompile(`\breported\b`)
	reDiscovered   = regexp.MustCompile(`\bdiscover(?:ed|y|s)\b`)
)

var (
	reNationalityGap = regexp.MustCompile(`^-(?:based|linked|nexus|affiliated|aligned) (?:(?:threat |hacking |cyber ?espionage |state-sponsored |APT )?(?:group|actor|gang|crew|hackers|adversary) )?$`)
	reActorKind      = regexp.MustCompile(`^ (?:(?:state-sponsored|state-backed|nation-state|threat|hacking|cyber ?espionage|espionage|APT|advanced persistent threat) )*(?:group|actor|gang|crew|hackers|adversary|APT)s?,? (?:called |dubbed |known as |tracked as )?[“"]?$`)
)

var (
	attackWords  = []string{"crippl", "disrupt", "sabotag", "wiped", "hack", "stole", "steal", "target", "infiltrat", "compromis", "breach", "attack", "intrusion", "affecting", "spied", "ictim"}
	condemnWords = []string{"ondemn", "enounc", "call", "Call", "speak", "spoke", "accountable", "shameful", "irresponsibl", "threat", "rebuk", "critici", "reckless", "unacceptable", "unconscionable"}
)

var reNotAnAttack = regexp.MustCompile(`^(?:hacking|targeting|attack) (?:team|group|unit|crew|operations?|campaigns?|efforts?|tools?|infrastructure|activit(?:y|ies)|conspiracy|schemes?|techniques?|methods?)\b`)

// findIf runs re on s only if s contains one of the words (a cheap test
// that spares most sentences a regexp run).
func findIf(re *regexp.Regexp, s string, words ...string) []int {
	if !hasAny(s, words...) {
		return nil
	}
	return re.FindStringIndex(s)
}

func findAllIf(re *regexp.Regexp, s string, words ...string) [][]int {
	if !hasAny(s, words...) {
		return nil
	}
	return re.FindAllStringIndex(s, -1)
}

// roleOrgs: posts that name their organisation (United States usage).
var roleOrgs = []struct {
	re  *regexp.Regexp
	org string
}{
	{regexp.MustCompile(`\b(?:Deputy |Assistant |Associate )?Attorney General\b`), "U.S. Department of Justice"},
	{regexp.MustCompile(`\bSecretary of State\b`), "U.S. Department of State"},
	{regexp.MustCompile(`\b(?:Secretary of Homeland Security|Homeland Security Secretary)\b`), "U.S. Department of Homeland Security"},
	{regexp.MustCompile(`\b(?:Secretary of Defense|Defense Secretary)\b`), "U.S. Department of Defense"},
	{regexp.MustCompile(`\b(?:Secretary of the Treasury|Treasury Secretary)\b`), "U.S. Department of the Treasury"},
	{regexp.MustCompile(`\bFBI (?:Deputy )?Director\b`), "Federal Bureau of Investigation"},
}

type relKey struct {
	typ      string
	from, to *entity
}

func (x *extractor) addRel(typ string, from, to *entity, ev span, rule string, conf float64) *relation {
	if from == nil || to == nil || from == to {
		return nil
	}
	x.fire(rule)
	rt, ok := x.model.Rel(typ)
	if !ok || !rt.Allows(from.label, to.label) {
		return nil
	}
	key := relKey{typ, from, to}
	if r, ok := x.rels[key]; ok {
		if conf > r.confidence {
			r.confidence = conf
		}
		return r
	}
	r := &relation{typ: typ, from: from, to: to, evidence: trimSpan(x.text, ev), rule: rule, confidence: conf}
	if typ == relAttributed && to.label == labelGovernment && x.attributedGov == nil {
		x.attributedGov = to
	}
	x.rels[key] = r
	x.relOrder = append(x.relOrder, r)
	return r
}

// evidence is the sentence, or for a long one the part from the first to
// the last of the given spans.
func (x *extractor) evidence(i int, parts ...span) span {
	s := x.sents[i].span
	if s.end-s.start <= 300 || len(parts) == 0 {
		return s
	}
	out := parts[0]
	for _, p := range parts[1:] {
		out.start = min(out.start, p.start)
		out.end = max(out.end, p.end)
	}
	return out
}

func hasLabel(e *entity, labels []string) bool { return slices.Contains(labels, e.label) }

// before returns the mention of the given labels nearest before pos in
// sentence i, with the mentions listed with it ("A, B and C").
func (x *extractor) before(i, pos int, labels ...string) []mention {
	ms := x.perSent[i]
	floor := x.quoteFloor(i, pos)
	k := -1
	for j := len(ms) - 1; j >= 0; j-- {
		if ms[j].start < floor {
			break
		}
		if ms[j].end <= pos && hasLabel(ms[j].ent, labels) {
			k = j
			break
		}
	}
	if k < 0 {
		return nil
	}
	out := []mention{ms[k]}
	for j := k - 1; j >= 0; j-- {
		if !hasLabel(ms[j].ent, labels) || !reListGap.MatchString(x.text[ms[j].end:out[0].start]) {
			break
		}
		out = append([]mention{ms[j]}, out...)
	}
	return out
}

// after returns the first mention of the given labels after pos (before
// limit), with the mentions listed with it.
func (x *extractor) after(i, pos, limit int, labels ...string) []mention {
	ms := x.perSent[i]
	var out []mention
	for _, m := range ms {
		if m.start < pos || m.start >= limit {
			continue
		}
		if len(out) == 0 {
			if hasLabel(m.ent, labels) {
				out = append(out, m)
			}
			continue
		}
		if m.ent == out[len(out)-1].ent {
			out[len(out)-1].end = m.end // "X (ACR)": one item
			continue
		}
		if !hasLabel(m.ent, labels) || !reListGap.MatchString(x.text[out[len(out)-1].end:m.start]) {
			break
		}
		out = append(out, m)
	}
	return out
}

// quoteFloor is where the quotation holding pos starts in sentence i (the
// sentence's start if the quote began before it, or pos is not quoted):
// the subject of a quoted verb is in the quote.
func (x *extractor) quoteFloor(i, pos int) int {
	s := x.sents[i]
	if !x.inQuote(i, pos) {
		return s.start
	}
	seg := x.text[s.start:pos]
	k := max(strings.LastIndex(seg, "“"), strings.LastIndex(seg, `"`))
	if k < 0 {
		return s.start
	}
	return s.start + k
}

func (x *extractor) allAfter(i, pos, limit int, labels ...string) []mention {
	var out []mention
	for _, m := range x.perSent[i] {
		if m.start >= pos && m.start < limit && hasLabel(m.ent, labels) {
			out = append(out, m)
		}
	}
	return out
}

// accusedState is the government the text accuses: the first one a
// threat actor is attributed to, else the one named most that no agency of
// the text belongs to.
func (x *extractor) accusedState() *entity {
	if x.attributedGov != nil {
		return x.attributedGov
	}
	return x.namedForeign
}

// defendants are the people charged in the legal action nearest sentence i
// (the last one up to it, else the first in the next three sentences).
func (x *extractor) defendants(i int) []*entity {
	last := x.lastAction[i]
	if last == nil {
		for j := i + 1; j < len(x.sents) && j <= i+3; j++ {
			if as := x.actionsBySent[j]; len(as) > 0 {
				last = as[0]
				break
			}
		}
	}
	if last == nil {
		return nil
	}
	var out []*entity
	for _, p := range last.charged {
		if p.label == labelPerson {
			out = append(out, p)
		}
	}
	return out
}

func (x *extractor) actionsIn(i int) []*entity { return x.actionsBySent[i] }

func ents(ms []mention) []*entity {
	out := make([]*entity, 0, len(ms))
	for _, m := range ms {
		out = append(out, m.ent)
	}
	return out
}

// findSpeakers records who speaks in sentence i's paragraph: the person
// next to "said", or the people who "released a statement"; "he added"
// and "the statement added" continue the previous speaker.
func (x *extractor) findSpeakers(i int) {
	s, sent := x.sentence(i)
	var found []*entity
	for _, loc := range findAllIf(reSaid, sent, "said", "says", "added", "saying", "stated", "told", "wrote") {
		pos := s.start + loc[0]
		end := s.start + loc[1]
		for _, m := range x.perSent[i] {
			if m.ent.label != labelPerson {
				continue
			}
			// "NAME said", "said NAME", "NAME, ROLE, said"
			if (m.end <= pos && pos-m.end <= 130 && !strings.ContainsAny(x.text[m.end:pos], "“”\"")) || (m.start >= end && m.start-end <= 60) {
				found = append(found, m.ent)
				break
			}
		}
	}
	if loc := findIf(reStatement, sent, "statement"); loc != nil {
		for _, m := range x.before(i, s.start+loc[0], labelPerson) {
			found = append(found, m.ent)
		}
	}
	if len(found) == 0 && findIf(rePronounSaid, sent, "added", "said", "continued") != nil {
		for p := x.sents[i].para - 1; p >= 0 && p >= x.sents[i].para-4; p-- {
			if sp := x.speakers[p]; len(sp) > 0 {
				found = sp
				break
			}
		}
	}
	if len(found) > 0 {
		x.speakers[s.para] = append(x.speakers[s.para], found...)
	}
}

// inQuote reports whether pos is inside a quotation of its paragraph.
func (x *extractor) inQuote(i, pos int) bool {
	seg := x.text[x.sents[i].start:pos]
	curly := x.quoteAt[i].curly + strings.Count(seg, "“") - strings.Count(seg, "”")
	straight := x.quoteAt[i].straight + strings.Count(seg, `"`)
	return curly > 0 || straight%2 == 1
}

// quoteState is the quotation marks open at a sentence's start, counted
// from its paragraph's start.
type quoteState struct{ curly, straight int }

// indexQuotes computes every sentence's quoteState in one pass.
func (x *extractor) indexQuotes() {
	x.quoteAt = make([]quoteState, len(x.sents))
	var st quoteState
	for i, s := range x.sents {
		if i == 0 || x.sents[i-1].para != s.para {
			st = quoteState{}
		}
		x.quoteAt[i] = st
		// what lies between this sentence's start and the next one's
		end := len(x.text)
		if i+1 < len(x.sents) {
			end = x.sents[i+1].start
		}
		seg := x.text[s.start:end]
		st.curly += strings.Count(seg, "“") - strings.Count(seg, "”")
		st.straight += strings.Count(seg, `"`)
	}
}

// clause is what the relation rules of a sentence share: the sentence,
// where its main clause ends ("..., according to X" is not the object),
// the actor the text names most, and the test for a generic subject
// ("they", "the group").
type clause struct {
	i     int
	s     sentence
	sent  string
	main  *entity
	limit int
	x     *extractor
}

func (c clause) abs(loc []int) span { return span{c.s.start + loc[0], c.s.start + loc[1]} }

func (c clause) generic(end int) bool { return reGeneric.MatchString(c.x.text[c.s.start:end]) }

// relate applies the relation rules to sentence i, by family (the
// relate*.go files).
func (x *extractor) relate(i int) {
	s := x.sents[i]
	c := clause{i: i, s: s, sent: x.text[s.start:s.end], main: x.main, limit: s.end, x: x}
	if loc := findIf(reClauseEnd, c.sent, ", according", ", said", "reported", ";"); loc != nil {
		c.limit = s.start + loc[0]
	}
	x.relateSoftware(i, c.limit, c.generic)

	x.relateAffiliation(c)
	x.relateAttribution(c)
	x.relateConducted(c)
	x.relateTargeted(c)
	x.relateAgreements(c)
	x.relateCondemned(c)
	x.relateOrganisations(i)
	x.relateLocations(i)

	x.relateLegal(c)
}

type condemnation struct {
	subjects []*entity
	object   *entity // nil: the accused state
	evidence span
	status   string
}

// asGovernment turns a Country entity into the Government of the same state
// (parties to agreements are governments).
func (x *extractor) asGovernment(e *entity) *entity {
	if e.label != labelCountry || e.st == nil {
		return e
	}
	g := x.entity(labelGovernment, e.st.name, e.evidence, ruleStateKnown, e.confidence)
	g.st = e.st
	if g.count == 0 {
		g.count = 1
	}
	return g
}

// documentRelations: what follows from the whole draft: charged people,
// agencies' parents, governments of countries, organisations' sectors.
// reDefendantsActor: a sentence that says the charged people are an
// actor: "defendants, including “APT41” actors", "the intrusions, which
// researchers have tracked using the threat labels “APT41” ...", "the
// hackers, known as APT10".
var (
	reDefendantsActor = regexp.MustCompile(`(?i)\b(?:defendants?|hackers|conspirators|intrusions|actors)\b[^.;]{0,80}?\b(?:including|tracked|threat labels?|known as|dubbed|called|members of|part of)\b`)
	reIncludingActors = regexp.MustCompile(`(?i)\bincluding [“"]?[^”"]{2,40}[”"]? (?:actors|hackers|members)\b`)
)

func (x *extractor) documentRelations() {
	x.addCondemnations()
	firstSentence := map[*entity]int{}
	for i := range x.sents {
		for _, a := range x.actionsBySent[i] {
			if _, seen := firstSentence[a]; !seen {
				firstSentence[a] = i
			}
		}
	}
	for _, e := range x.order {
		if e.label != labelLegalAction {
			continue
		}
		date := ""
		if i, ok := firstSentence[e]; ok {
			date = monthYear(x.text[x.sents[i].start:x.sents[i].end])
		}
		for _, p := range e.charged {
			if r := x.addRel(relCharged, p, e, e.evidence, ruleRelCharged, 0.75); r != nil && date != "" {
				r.date = date
			}
		}
	}
	x.defendantsAreTheActor()
	for _, e := range append([]*entity{}, x.order...) {
		if e.label == labelOrg && e.parent != "" && (e.count > 0 || e.rule == ruleImplied) {
			if p := x.ensureParent(e); p != nil {
				x.addRel(relPartOf, e, p, e.evidence, ruleRelParent, 0.7)
			}
		}
	}
	for _, e := range x.order {
		if e.label != labelOrg || e.parent != "" || e.count == 0 || (e.kind != "agency" && e.kind != "court") {
			continue
		}
		if st := x.stateInName(e.name); st != nil {
			g := x.ents[entityKey(labelGovernment, st.name)]
			if c := x.ents[entityKey(labelCountry, st.name)]; g == nil && c != nil {
				g = x.asGovernment(c) // "the Royal Malaysia Police": the state's
			}
			if g != nil {
				x.addRel(relPartOf, e, g, e.evidence, ruleRelStateAgency, 0.6)
			}
		}
	}
	for _, e := range x.order {
		if e.label != labelGovernment || e.st == nil {
			continue
		}
		if c, ok := x.ents[entityKey(labelCountry, e.st.name)]; ok && c.count > 0 {
			x.addRel(relGoverns, e, c, c.evidence, ruleRelGoverns, 0.7)
		}
	}
	// an organisation whose name or apposition names a sector of the draft
	var sectors []*entity
	for _, sec := range x.order {
		if sec.label == labelSector && sec.count > 0 {
			sectors = append(sectors, sec)
		}
	}
	if len(sectors) == 0 {
		return
	}
	type sectorTest struct {
		sec           *entity
		inName, appos *regexp.Regexp
	}
	var tests []sectorTest
	for _, sec := range sectors {
		for _, st := range x.g.sectors {
			if st.name != sec.name {
				continue
			}
			for _, w := range st.words {
				q := regexp.QuoteMeta(w)
				tests = append(tests, sectorTest{sec, regexp.MustCompile(`(?i)\b` + q + `\b`), regexp.MustCompile(`(?i), (?:a|an) (?:[\p{L}-]+ )?` + q + `\b`)})
			}
		}
	}
	for _, e := range x.order {
		if e.label != labelOrg || e.kind == "agency" || e.kind == "intelligence" || e.kind == "news-outlet" || e.count == 0 {
			continue
		}
		ev := x.text[e.evidence.start:e.evidence.end]
		for _, t := range tests {
			if t.inName.MatchString(e.name) || t.appos.MatchString(ev) {
				x.addRel(relPartOf, e, t.sec, e.evidence, ruleRelSectorOf, 0.55)
			}
		}
	}
}

var (
	// reJudgement: condemnation by judgement, whose subject is the speaker.
	reJudgement = regexp.MustCompile(`(?i)^(?:irresponsibly|recklessly|shameful|irresponsible|reckless|unacceptable|unconscionable|very real threat)$`)
	// reGenericEvent: "the attack was attributed to ...": the actor the
	// text names most.
	reGenericEvent    = regexp.MustCompile(`(?i)\b(?:the attacks?|the hack|the intrusions?|the breach|the campaign|the operation)\b`)
	reClauseBreak     = regexp.MustCompile(`, (?:and|but|while|as) |; `)
	rePossessiveAfter = regexp.MustCompile(`^(?:’s|'s) `)
	// reVictimBefore: a state after these words is a victim, not the accused.
	reVictimBefore = regexp.MustCompile(`\b(?:against|on|in|targeting|at|into|of) (?:the )?$`)
)

// reBrings: the verbs by which an agency brings a legal action.
var reBrings = regexp.MustCompile(`\b(?:unsealed|filed|brought|returned|issued)\b`)
