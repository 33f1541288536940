package extract

import (
	"regexp"
	"slices"
	"sort"
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

// attackTrigger is the first attack verb of a sentence: "hacking" as in
// "a hacking team" is an adjective, not an attack.
func (x *extractor) attackTrigger(sent string) []int {
	if !hasAny(sent, attackWords...) {
		return nil
	}
	for _, loc := range reAttack.FindAllStringIndex(sent, -1) {
		if reNotAnAttack.MatchString(sent[loc[0]:]) {
			continue
		}
		return loc
	}
	return nil
}

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
	s := x.sents[i]
	sent := x.text[s.start:s.end]
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

// relate applies the relation rules to sentence i.
func (x *extractor) relate(i int) {
	s := x.sents[i]
	sent := x.text[s.start:s.end]
	abs := func(loc []int) span { return span{s.start + loc[0], s.start + loc[1]} }
	main := x.main
	limit := s.end
	if loc := findIf(reClauseEnd, sent, ", according", ", said", "reported", ";"); loc != nil {
		limit = s.start + loc[0]
	}
	generic := func(end int) bool {
		return reGeneric.MatchString(x.text[s.start:end])
	}
	x.relateSoftware(i, limit, generic)

	// AFFILIATED_WITH: "Zhu and Zhang collaborated with APT10".
	for _, loc := range findAllIf(reAffiliation, sent, "leader of", "head of", "founder of", "administrator of", "ringleader of", "boss of", "collaborated", "worked", "member", "belong", "affairs", "through", "working for", "works for", "employee", "associated", "affiliated", "operative") {
		t := abs(loc)
		subjects := ents(x.before(i, t.start, labelPerson))
		if len(subjects) == 0 && generic(t.start) {
			subjects = x.defendants(i)
		}
		objects := x.after(i, t.end, s.end, labelActor, labelOrg)
		if len(objects) == 0 {
			continue
		}
		for _, sub := range subjects {
			x.addRel(relAffiliated, sub, objects[0].ent, x.evidence(i, t, objects[0].span), ruleRelAffiliated, 0.7)
		}
	}

	// ATTRIBUTED_TO: "the group acted on behalf of X", "China's state-sponsored APT10".
	for _, loc := range findAllIf(reOnBehalf, sent, "behalf", "sponsored by", "backed by", "directed by", "direction of", "service of", "acting for", "acted for", "working for", "tasked by", "attributed", "controlled by", "operated by", "run by", "unit of", "part of", "linked to", "tied to") {
		t := abs(loc)
		subjects := ents(x.before(i, t.start, labelActor, labelCampaign))
		if len(subjects) == 0 && main != nil && (generic(t.start) || reGenericEvent.MatchString(x.text[s.start:t.start])) {
			subjects = []*entity{main}
		}
		objects := x.after(i, t.end, s.end, labelGovernment, labelOrg)
		if len(objects) == 0 {
			continue
		}
		targets := []*entity{objects[0].ent}
		// "X, a service of the Government of Y": Y too
		for _, m := range x.allAfter(i, objects[0].end, s.end, labelGovernment) {
			if reServiceOf.MatchString(x.text[objects[0].end:m.start]) || objects[0].ent.label == labelOrg {
				targets = append(targets, m.ent)
				break
			}
		}
		for _, sub := range subjects {
			for _, to := range targets {
				x.addRel(relAttributed, sub, to, x.evidence(i, t, objects[0].span), ruleRelAttributed, 0.7)
			}
		}
	}
	for k, m := range x.perSent[i] {
		// "the Chinese group APT40", "Iranian threat actor TA453", "the
		// China-based APT41": the actor's country
		if m.ent.label == labelCountry && k+1 < len(x.perSent[i]) {
			next := x.perSent[i][k+1]
			gap := x.text[m.end:next.start]
			if next.ent.label == labelActor && (reNationalityGap.MatchString(gap) || m.ent.st != nil && slices.Contains(m.ent.st.demonyms, x.text[m.start:m.end]) && reActorKind.MatchString(gap)) {
				x.addRel(relAttributed, next.ent, m.ent, span{m.start, next.end}, ruleRelNationality, 0.7)
			}
			continue
		}
		if m.ent.label != labelGovernment {
			continue
		}
		rest := x.text[m.end:s.end]
		if loc := reSponsored.FindStringIndex(rest); loc != nil && k+1 < len(x.perSent[i]) {
			next := x.perSent[i][k+1]
			if next.ent.label == labelActor && reActorNoun.MatchString(x.text[m.end+loc[1]:next.start]) {
				x.addRel(relAttributed, next.ent, m.ent, span{m.start, next.end}, ruleRelSponsored, 0.8)
			}
		}
	}

	// CONDUCTED: "Zhang and Tan participated in a 'Video Game Conspiracy'".
	for _, loc := range findAllIf(reParticipate, sent, "participat", "conducted", "carried out", "launched", "ran ", "behind", "responsible for") {
		t := abs(loc)
		objects := x.after(i, t.end, s.end, labelCampaign)
		if len(objects) == 0 || objects[0].start-t.end > 40 {
			continue
		}
		subjects := ents(x.before(i, t.start, labelPerson, labelActor))
		if len(subjects) == 0 && generic(t.start) {
			subjects = x.defendants(i)
		}
		for _, sub := range subjects {
			x.addRel(relConducted, sub, objects[0].ent, x.evidence(i, t, objects[0].span), ruleRelConducted, 0.7)
		}
	}

	// TARGETED: "the defendants hacked X", "intrusions affecting ... in A, B".
	if loc := x.pre[i].attack; loc != nil {
		x.attackAt[i] = true
		t := abs(loc)
		subjects := ents(x.before(i, t.start, labelActor, labelCampaign, labelPerson))
		if len(subjects) == 0 && main != nil && (generic(t.start) || !strings.Contains(x.text[s.start:t.start], " ")) {
			subjects = []*entity{main}
		}
		if len(subjects) == 0 && main != nil && generic(s.end) {
			subjects = []*entity{main}
		}
		for _, obj := range x.allAfter(i, t.end, limit, labelOrg, labelSector, labelCountry) {
			if obj.ent.label == labelCountry && reCompanyCue.MatchString(x.text[obj.end:s.end]) {
				continue // "Unitronics, an Israeli company": where the company is, not a victim
			}
			if obj.ent.label == labelOrg && (obj.ent.kind == "agency" || obj.ent.kind == "intelligence" || obj.ent.kind == "news-outlet" || obj.ent.kind == "court") {
				continue
			}
			for _, sub := range subjects {
				x.addRel(relTargeted, sub, obj.ent, x.evidence(i, t, obj.span), ruleRelTargeted, 0.6)
			}
		}
	}

	// VIOLATED: "the APT10 hack violates the 2015 Cyber Agreement".
	for _, loc := range findAllIf(reViolation, sent, "violat", "breach", "contraven") {
		t := abs(loc)
		objects := x.after(i, t.end, s.end, labelAgreement)
		if len(objects) == 0 {
			continue
		}
		var subjects []*entity
		for _, m := range x.perSent[i] {
			if m.end <= t.start && hasLabel(m.ent, []string{labelActor, labelGovernment, labelCampaign}) {
				subjects = append(subjects, m.ent)
			}
		}
		if len(subjects) == 0 && main != nil && generic(t.start) {
			subjects = []*entity{main}
		}
		for _, sub := range subjects {
			x.addRel(relViolated, sub, objects[0].ent, x.evidence(i, t, objects[0].span), ruleRelViolated, 0.75)
		}
	}

	// PARTY_TO: "the Agreement made between the U.S. and China", "which X signed".
	for k, m := range x.perSent[i] {
		if m.ent.label != labelAgreement {
			continue
		}
		rest := x.text[m.end:s.end]
		if loc := reBetween.FindStringIndex(rest); loc != nil {
			for _, p := range x.after(i, m.end+loc[1], s.end, labelGovernment, labelCountry) {
				x.addRel(relPartyTo, x.asGovernment(p.ent), m.ent, x.evidence(i, m.span, p.span), ruleRelPartyTo, 0.75)
			}
		}
		if k+1 < len(x.perSent[i]) {
			next := x.perSent[i][k+1]
			gap := x.text[m.end:next.start]
			if (next.ent.label == labelGovernment || next.ent.label == labelCountry) && reSigned.MatchString(strings.TrimLeft(gap, ", ")) && strings.HasPrefix(x.text[next.end:s.end], " signed") {
				x.addRel(relPartyTo, x.asGovernment(next.ent), m.ent, x.evidence(i, m.span, next.span), ruleRelPartyTo, 0.7)
			}
		}
	}

	// CONDEMNED: "Leaders from A, B and C are expected to speak out",
	// "We condemn the Government of X" (a verb: its subject condemns);
	// "“Russia's behaviour is irresponsible,” said X" (a judgement: the
	// speaker condemns the state it names).
	for _, loc := range findAllIf(reCondemn, sent, condemnWords...) {
		t := abs(loc)
		quoted := x.inQuote(i, t.start)
		judgement := reJudgement.MatchString(sent[loc[0]:loc[1]])
		var subjects []*entity
		if !judgement {
			subjects = ents(x.before(i, t.start, labelGovernment, labelPerson, labelOrg))
		}
		if quoted {
			// inside a quote, only a government named in it speaks for itself
			var govs []*entity
			for _, sub := range subjects {
				if sub.label == labelGovernment {
					govs = append(govs, sub)
				}
			}
			subjects = govs
			if len(subjects) == 0 {
				subjects = x.speakers[s.para]
			}
		}
		if len(subjects) == 0 {
			continue
		}
		var object *entity
		if judgement {
			// the state or actor the judgement is about: "Russia's
			// behaviour is irresponsible"
			for _, m := range x.perSent[i] {
				if (m.ent.label == labelGovernment || m.ent.label == labelActor) && !slices.Contains(subjects, m.ent) &&
					(m.ent == x.accusedState() || rePossessiveAfter.MatchString(x.text[m.end:s.end])) {
					object = m.ent
					break
				}
			}
		} else {
			// the first state or actor after the verb that is not a victim
			// ("... campaign by Russia against Germany")
			clauseEnd := s.end
			if loc := reClauseBreak.FindStringIndex(x.text[t.end:s.end]); loc != nil {
				clauseEnd = t.end + loc[0]
			}
			for _, m := range x.allAfter(i, t.end, clauseEnd, labelGovernment, labelActor) {
				if !reVictimBefore.MatchString(tail(x.text[s.start:m.start], 14)) && !slices.Contains(subjects, m.ent) {
					object = m.ent
					break
				}
			}
		}
		status := "made"
		if reExpected.MatchString(x.text[s.start:t.start]) {
			status = "expected"
		}
		// without an object in the sentence, the accused state, known once
		// every sentence is read
		x.condemnations = append(x.condemnations, condemnation{subjects: subjects, object: object, evidence: x.evidence(i, t), status: status})
	}

	x.relateOrganisations(i)
	x.relateLocations(i)

	// ANNOUNCED: "Rosenstein announced charges against ...".
	if loc := findIf(reAnnounced, sent, "announc"); loc != nil {
		t := abs(loc)
		subs := x.before(i, t.start, labelPerson, labelOrg, labelGovernment)
		for _, a := range x.actionsIn(i) {
			if a.first > t.start {
				for _, sub := range subs {
					x.addRel(relAnnounced, sub.ent, a, x.evidence(i, sub.span, t), ruleRelAnnounced, 0.7)
				}
			}
		}
	}
	// REPORTED and DISCOVERED.
	if loc := findIf(reReported, sent, "reported"); loc != nil {
		for _, m := range x.perSent[i] {
			if m.ent.kind == "news-outlet" {
				for _, o := range x.perSent[i] {
					if hasLabel(o.ent, []string{labelCampaign, labelLegalAction, labelActor}) {
						x.addRel(relReported, m.ent, o.ent, x.evidence(i, m.span, o.span), ruleRelReported, 0.6)
					}
				}
			}
		}
	}
	if loc := findIf(reDiscovered, sent, "discover"); loc != nil {
		t := abs(loc)
		for _, sub := range x.before(i, t.start, labelOrg, labelPerson) {
			for _, o := range x.allAfter(i, t.end, s.end, labelCampaign, labelActor) {
				x.addRel(relDiscovered, sub.ent, o.ent, x.evidence(i, sub.span, o.span), ruleRelDiscovered, 0.6)
			}
		}
	}

	// BROUGHT_BY: "OFAC sanctioned X": the sanctioning agency or government.
	if loc := findIf(reSanctionedVerb, sent, "sanctioned", "designated"); loc != nil {
		t := abs(loc)
		subs := x.before(i, t.start, labelOrg, labelGovernment)
		for _, a := range x.actionsIn(i) {
			if a.props["kind"] == "sanction" && a.first >= t.start {
				for _, sub := range subs {
					x.addRel(relBroughtBy, a, sub.ent, x.evidence(i, sub.span, t), ruleRelBrought, 0.65)
				}
			}
		}
	}
	// BROUGHT_BY: "the Justice Department unsealed an indictment".
	if loc := findIf(reBrings, sent, "unsealed", "filed", "brought", "returned", "issued"); loc != nil {
		t := abs(loc)
		subs := x.before(i, t.start, labelOrg, labelGovernment)
		for _, a := range x.actionsIn(i) {
			if a.first > t.start && len(subs) > 0 {
				x.addRel(relBroughtBy, a, subs[len(subs)-1].ent, x.evidence(i, subs[len(subs)-1].span, t), ruleRelBrought, 0.6)
			}
		}
	}
	// BROUGHT_BY: the agency named in the sentence of the charges.
	for _, a := range x.actionsIn(i) {
		for _, m := range x.perSent[i] {
			if m.ent.label == labelOrg && (m.ent.kind == "agency" || m.ent.kind == "court") && strings.Contains(sent, "according to") {
				x.addRel(relBroughtBy, a, m.ent, x.evidence(i, m.span), ruleRelBrought, 0.6)
			}
		}
	}
}

type condemnation struct {
	subjects []*entity
	object   *entity // nil: the accused state
	evidence span
	status   string
}

// addCondemnations adds the condemnations found, in text order, once the
// accused state is known.
func (x *extractor) addCondemnations() {
	for _, c := range x.condemnations {
		object := c.object
		if object == nil {
			object = x.accusedState()
		}
		for _, sub := range c.subjects {
			if sub == object {
				continue
			}
			if r := x.addRel(relCondemned, sub, object, c.evidence, ruleRelCondemned, 0.65); r != nil && r.props == nil {
				r.props = map[string]any{"status": c.status}
			}
		}
	}
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

// relateOrganisations: who works where, and which organisation is part of
// which.
func (x *extractor) relateOrganisations(i int) {
	s := x.sents[i]
	ms := x.perSent[i]
	for k, m := range ms {
		// organisation structure between neighbours
		if k+1 < len(ms) {
			n := ms[k+1]
			gap := x.text[m.end:n.start]
			a, b := m.ent, n.ent
			if (a.label == labelOrg || a.label == labelGovernment) && b.label == labelOrg {
				switch {
				case rePossessive.MatchString(gap), reAdjacent.MatchString(gap) && a.label == labelOrg:
					x.addRel(relPartOf, b, a, span{m.start, n.end}, ruleRelPartOf, 0.7)
				}
			}
			if a.label == labelOrg && (b.label == labelOrg || b.label == labelGovernment) {
				if reOfThe.MatchString(gap) || reServiceOf.MatchString(gap) {
					x.addRel(relPartOf, a, b, span{m.start, n.end}, ruleRelPartOf, 0.7)
				}
				if reFrontOf.MatchString(gap) {
					x.addRel(relAffiliated, a, b, span{m.start, n.end}, ruleRelFrontOf, 0.65)
				}
			}
			if (a.label == labelOrg || a.label == labelGovernment) && reIncluding.MatchString(gap) {
				from := n.start
				if n.ent == a && k+2 < len(ms) && rePossessive.MatchString(x.text[n.end:ms[k+2].start]) {
					from = ms[k+2].start // "Microsoft, including Microsoft's X"
				}
				for _, c := range x.after(i, from, s.end, labelOrg) {
					x.addRel(relPartOf, c.ent, a, span{m.start, c.end}, ruleRelPartOf, 0.65)
				}
			}
		}
		if m.ent.label != labelPerson {
			continue
		}
		p := m.ent
		// "ORG Secretary NAME"
		if k > 0 {
			o := ms[k-1]
			if (o.ent.label == labelOrg || o.ent.label == labelGovernment) && reTitleGap.MatchString(x.text[o.end:m.start]) {
				x.addRel(relWorksFor, p, o.ent, span{o.start, m.end}, ruleRelWorksFor, 0.8)
				continue
			}
		}
		// "NAME of the ORG", "NAME, ROLE at ORG", "NAME, ORG": the last of a possessive chain
		rest := x.text[m.end:s.end]
		if loc := reDistrictOf.FindStringSubmatchIndex(rest); loc != nil && isUSAttorney(p) {
			x.usAttorneyOffice(i, p, span{m.start, m.end + loc[1]}, rest[loc[2]:loc[3]])
			continue
		}
		next := -1
		for j := k + 1; j < len(ms); j++ {
			if ms[j].ent.label == labelOrg || ms[j].ent.label == labelPerson {
				next = j
				break
			}
		}
		if next >= 0 {
			o := ms[next]
			gap := x.text[m.end:o.start]
			ok := reRoleOf.MatchString(gap) || gap == ", " || reRoleAt.MatchString(gap)
			if ok && o.ent.label == labelOrg {
				target := o
				for j := next + 1; j < len(ms); j++ {
					if rePossessive.MatchString(x.text[target.end:ms[j].start]) && ms[j].ent.label == labelOrg {
						target = ms[j]
						continue
					}
					break
				}
				x.addRel(relWorksFor, p, target.ent, span{m.start, target.end}, ruleRelWorksFor, 0.75)
				continue
			}
		}
		// a role that names its organisation
		for _, role := range p.roles {
			if !isUSAttorney(p) {
			} else if loc := reUSAttorney.FindStringSubmatchIndex(x.text[s.start:s.end]); loc != nil {
				x.usAttorneyOffice(i, p, span{s.start + loc[0], s.start + loc[1]}, x.text[s.start+loc[2]:s.start+loc[3]])
				continue
			}
			for _, ro := range roleOrgs {
				if ro.re.MatchString(role) && !strings.Contains(role, "U.S. Attorney") {
					o := x.g.orgNamed(ro.org)
					org := x.entity(labelOrg, o.name, m.span, ruleOrgRole, 0.6)
					if org.kind == "" {
						org.kind, org.parent = o.kind, o.parent
						org.rule = ruleOrgRole
						org.evidence = x.roleSpan(i, m, role)
					}
					org.count++
					x.ensureParent(org)
					x.addRel(relWorksFor, p, org, x.roleSpan(i, m, role), ruleRelRoleOrg, 0.6)
					break
				}
			}
		}
		// "ORG spokesman and ..., NAME"
		for j := k - 1; j >= 0; j-- {
			o := ms[j]
			if o.ent.label == labelOrg && reOrgRoleComma.MatchString(x.text[o.end:m.start]) {
				x.addRel(relWorksFor, p, o.ent, span{o.start, m.end}, ruleRelWorksFor, 0.7)
				break
			}
		}
	}
	// prosecutors: "X of the District of Y is prosecuting the case"
	if findIf(reProsecuting, x.text[s.start:s.end], "prosecut") != nil {
		count := map[*entity]int{}
		var order []*entity
		for _, m := range ms {
			if m.ent.label != labelPerson {
				continue
			}
			for _, r := range x.relOrder {
				if r.typ == relWorksFor && r.from == m.ent {
					if count[r.to] == 0 {
						order = append(order, r.to)
					}
					count[r.to]++
				}
			}
		}
		sort.SliceStable(order, func(a, b int) bool { return count[order[a]] > count[order[b]] })
		if len(order) > 0 {
			for _, a := range x.order {
				if a.label == labelLegalAction && a.props["kind"] != "sanction" {
					x.addRel(relBroughtBy, a, order[0], s.span, ruleRelBrought, 0.55)
				}
			}
		}
	}
}

func isUSAttorney(p *entity) bool {
	for _, role := range p.roles {
		if strings.Contains(role, "U.S. Attorney") {
			return true
		}
	}
	return false
}

// usAttorneyOffice: a U.S. Attorney "for the District of X" works for the
// U.S. Attorney's Office for that district, part of the Justice Department.
func (x *extractor) usAttorneyOffice(i int, p *entity, ev span, district string) {
	name := "U.S. Attorney's Office for the " + district
	org := x.entity(labelOrg, name, ev, ruleOrgRole, 0.65)
	org.kind, org.parent = "agency", "U.S. Department of Justice"
	org.addAlias(district)
	org.count++
	x.ensureParent(org)
	x.addRel(relWorksFor, p, org, ev, ruleRelRoleOrg, 0.65)
}

// roleSpan is the person's mention with the title before it.
func (x *extractor) roleSpan(i int, m mention, role string) span {
	start := m.start - len(role) - 1
	if start >= x.sents[i].start && x.text[start:m.start-1] == role {
		return span{start, m.end}
	}
	return m.span
}

// relateLocations: "X, a PRC company", "registered in Y", "nationals of Y".
func (x *extractor) relateLocations(i int) {
	s := x.sents[i]
	ms := x.perSent[i]
	for k, m := range ms {
		if m.ent.label != labelCountry && !(m.ent.label == labelGovernment && m.ent.st != nil) {
			continue
		}
		before := x.text[s.start:m.start]
		after := x.text[m.end:s.end]
		// "X, a Malaysian company", "a front company registered in Y"
		if org := x.orgBefore(i, k); org != nil {
			gap := x.text[org.end:m.start]
			if reCompanyOf.MatchString(gap) && reCompanyCue.MatchString(after) ||
				reLocatedAt.MatchString(tail(before, 60)) && reApposGap.MatchString(strings.TrimSuffix(gap, reLocatedAt.FindString(tail(before, 60)))) {
				x.addRel(relLocatedIn, org.ent, x.asCountry(m.ent), span{org.start, m.end}, ruleRelLocated, 0.7)
			}
		}
		// "nationals of the PRC", "both Malaysian nationals and residents"
		nat := reNationals.FindStringIndex(after)
		natBefore := reNationalsOf.MatchString(tail(before, 40))
		if natBefore || (nat != nil && nat[0] <= 1) {
			people := ents(x.before(i, m.start, labelPerson))
			if len(people) == 0 {
				people = x.defendants(i)
			}
			for _, p := range people {
				x.addRel(relLocatedIn, p, x.asCountry(m.ent), x.evidence(i, m.span), ruleRelNational, 0.6)
			}
		}
	}
}

// stateInName is the state an agency's name names ("Royal Malaysia
// Police", "U.S. District Court", "Norwegian Police Security Service").
func (x *extractor) stateInName(name string) *state {
	for _, w := range strings.Fields(name) {
		if st := x.stateOf[w]; st != nil {
			return st
		}
	}
	for _, st := range x.g.states {
		for _, n := range st.names {
			if strings.Contains(n, " ") && strings.Contains(name, n) {
				return st
			}
		}
	}
	return nil
}

func (x *extractor) orgBefore(i, k int) *mention {
	for j := k - 1; j >= 0; j-- {
		if x.perSent[i][j].ent.label == labelOrg {
			return &x.perSent[i][j]
		}
	}
	return nil
}

func (x *extractor) asCountry(e *entity) *entity {
	if e.label == labelCountry || e.st == nil {
		return e
	}
	c := x.entity(labelCountry, e.st.name, e.evidence, ruleStateKnown, e.confidence)
	c.st = e.st
	if e.st.iso2 != "" {
		c.props["iso2"] = e.st.iso2
	}
	if c.count == 0 {
		c.count = 1
	}
	return c
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

// defendantsAreTheActor: where the text says its defendants (or their
// intrusions) are a threat actor, everyone a legal action of the text
// charges is AFFILIATED_WITH that actor.
func (x *extractor) defendantsAreTheActor() {
	var charged []*entity
	seen := map[*entity]bool{}
	for _, e := range x.order {
		if e.label == labelLegalAction {
			for _, p := range e.charged {
				if p.label == labelPerson && !seen[p] {
					seen[p] = true
					charged = append(charged, p)
				}
			}
		}
	}
	if len(charged) == 0 {
		return
	}
	for i, s := range x.sents {
		sent := x.text[s.start:s.end]
		if !hasAny(sent, "efendant", "ackers", "onspirator", "ntrusions", "ctors", "EFENDANT", "CTORS") {
			continue
		}
		loc := reDefendantsActor.FindStringIndex(sent)
		if loc == nil {
			loc = reIncludingActors.FindStringIndex(sent)
		}
		if loc == nil {
			continue
		}
		var actor *mention
		for k, m := range x.perSent[i] {
			if m.ent.label == labelActor && m.start >= s.start+loc[0] {
				actor = &x.perSent[i][k]
				break
			}
		}
		if actor == nil {
			continue
		}
		for _, p := range charged {
			x.addRel(relAffiliated, p, actor.ent, x.evidence(i, span{s.start + loc[0], actor.end}), ruleRelDefendantsActor, 0.65)
		}
		return // the first such sentence says it
	}
}

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
