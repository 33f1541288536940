package extract

import (
	"maps"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"
)

// Rule names, as the draft reports them.
const (
	ruleActorList     = "actor-label-list"    // tracked as "A" and "B"
	ruleActorGroup    = "actor-hacking-group" // hacking group "X" (Y)
	ruleCampaignQuote = "campaign-quoted-name"
	ruleAgreement     = "agreement-name"
	ruleOrgKnown      = "organisation-gazetteer"
	ruleOrgPattern    = "organisation-head-word"
	ruleOrgApposition = "organisation-apposition"
	ruleOrgRole       = "organisation-from-role"
	rulePersonTitle   = "person-title-name"
	rulePersonAge     = "person-name-age"
	rulePersonSaid    = "person-said"
	rulePersonAppos   = "person-name-role"
	rulePersonList    = "person-charged-list"
	ruleShortForm     = "short-form"
	ruleStateKnown    = "state-gazetteer"
	ruleStateLearnt   = "state-republic-of"
	ruleDemonym       = "state-demonym"
	ruleSector        = "sector-words"
	ruleLegalAction   = "legal-action-against"
	ruleImplied       = "implied-by-agency"
	ruleOrgUnnamed    = "unnamed-victim"
	ruleActorGang     = "actor-named-gang"
	ruleAcronym       = "acronym-in-brackets"
)

const (
	capWord  = `(?:[A-Z](?:\.[A-Z])+\.?|[A-Z][\p{L}\p{N}&-]*|\d[\p{N}]*)`
	nameWord = `(?:[A-Z]\p{Ll}[\p{L}’'-]*)`
	// a person's name: two to four capitalised words, initials in between
	personName = nameWord + `(?: (?:[A-Z]\.|` + nameWord + `)){0,2} ` + nameWord
)

var (
	reQuotedList     = regexp.MustCompile(`(?:track(?:ed|s)?(?: [a-z]+){0,3} (?:as|under|using)|threat labels?|known as|dubbed|called|a\.k\.a\.|aka|also known as|named)(?: the)?(?: threat labels?)? ((?:[“"][^”"]{2,40}[”"](?:,? (?:and|or) |, | )?)+)`)
	reQuotedItem     = regexp.MustCompile(`[“"]([^”"]{2,40}?)[,.]?[”"]`)
	reHackingGroup   = regexp.MustCompile(`(?:hacking|threat|cyber ?espionage|APT|intrusion|state-sponsored) (?:group|actor|outfit|crew) [“"]([^”"]{2,60})[”"](?: \(([A-Za-z0-9 .-]{2,30})\))?`)
	reAPT            = regexp.MustCompile(`(?i)\bAPT ?\d{1,3}\b`)
	reQuotedCamp     = regexp.MustCompile(`[“"]((?:[A-Z][\p{L}-]* ){1,5}(?:Conspiracy|Campaign|Operation))[,.]?[”"]`)
	reOperation      = regexp.MustCompile(`\bOperation (?:[A-Z][\p{L}-]+)(?: [A-Z][\p{L}-]+)?`)
	reAgreement      = regexp.MustCompile(`\b(?:(?:19|20)\d\d )?(?:` + capWord + ` ){0,5}(?:Agreement|Accords?|Treaty|Charter|Convention|Commitments|Pact|Memorandum of Understanding|Declaration)(?: (?:on|of|for|in|against) (?:the )?(?:` + capWord + `)(?: (?:` + capWord + `|on|of|for|in|and))*` + capWord + `?)?`)
	reOrgHeadFirst   = regexp.MustCompile(`\b(?:` + capWord + `(?:’s|'s)? ){0,4}(?:Department|Ministry|Office|Bureau|Center|Centre|Institute|University|Council|Division|Section|Directorate|Agency|Commission|Committee|Court|Service|Chambers|School|College|Bank|Academy|Administration) (?:of|for|on) (?:the )?` + capWord + `(?: (?:` + capWord + `|and|of(?: the)?|for(?: the)?|&))*`)
	reOrgHeadLast    = regexp.MustCompile(`\b(?:` + capWord + `)(?: (?:` + capWord + `|of|and|&))* (?:Institute|University|College|Council|Division|Section|Directorate|Agency|Commission|Committee|Police|Court|Service|Party|Corporation|Corp\.|Inc\.|Co\., Ltd\.|Co\.,? Ltd|Ltd\.|LLC|GmbH|JSC|PJSC|OJSC|PLC|S\.A\.|B\.V\.|Company|Technology|Technologies|Logistics|Shipping|Health|Bank|Security|Systems|Labs|Networks|Field Office|Office|Department|Ministry|Bureau|Center|Centre|Team|Unit|Mall|Holdings|Solutions|Industries|Airlines|Foundation|Association|Society|Group|Joint Venture|Venture|Entertainment|Pictures|Studios|Energy|Airways|Motors|Pharmaceuticals|Laboratories|Hospital|Clinic|Commission|Exchange|Trust|Fund|Partners|Capital|Software|Electronics|Telecom|Communications)\b`)
	reApposOrg       = regexp.MustCompile(`\b((?:` + capWord + `)(?: (?:` + capWord + `|and|of|&)){0,7}), (?:a|an) (?:[\p{L}-]+ ){0,3}(?:company|front company|firm|hospital network|network|university|institute|contractor|bank|shipping company|organization|organisation|startup|provider|manufacturer|business)\b`)
	reTitle          = regexp.MustCompile(`\b(?:(?:U\.S\.|FBI|Acting|Deputy|Assistant|Associate|Special|Principal|Chief|Senior|Former|Vice|Foreign|Prime|Homeland Security|State|Defense) )*(?:Attorney General|Secretary of State|Secretary of Homeland Security|Secretary of Defense|Secretary of the Treasury|Secretary|Attorneys|Attorney|Deputy Director|Director|Agent in Charge|Assistant Director in Charge|Director in Charge|President|Prime Minister|Minister|Ambassador|Senator|Sen\.|Representative|Rep\.|Chancellor|Judge|Commissioner|Spokesman|Spokeswoman|Spokesperson|Chairman|Chairwoman|General|Gen\.|Admiral|Colonel|Dr\.|Mr\.|Ms\.|Mrs\.|Special Agent) (` + personName + `)\b`)
	reNameAge        = regexp.MustCompile(`\b(` + personName + `)(?: \([^)]{1,20}\))?, (\d{2}),`)
	reSaidName       = regexp.MustCompile(`\b(?:said|says|according to|added|told [A-Z][\p{L} ]{0,30}) (` + personName + `)\b`)
	reNameSaid       = regexp.MustCompile(`\b(` + personName + `)(?:,[^,]{3,120},)? (?:said|says|added|told|stated|wrote)\b`)
	reNameRole       = regexp.MustCompile(`\b(` + personName + `), (?:a |an |the )?((?:[\p{Ll}][\p{L}-]*|[A-Z][\p{L}.-]*)(?: [\p{L}.’'-]+){0,6}?) (?:at|of|for|with) (?:the )?[A-Z]`)
	reRoleComma      = regexp.MustCompile(`\b(?:spokesman|spokeswoman|spokesperson|official|director|adviser|advisor|analyst|researcher|President)(?: [\p{L}.’'-]+){0,8}, (` + personName + `),`)
	reStateLearnt    = regexp.MustCompile(`\b(?:Republic|Kingdom|Federation|State|Government|Emirate|Principality) of ([A-Z]\p{Ll}+(?: [A-Z]\p{Ll}+)?)\b`)
	reGovernmentsOf  = regexp.MustCompile(`\b[Gg]overnments? of ([A-Z]\p{Ll}+(?: [A-Z]\p{Ll}+)?)((?:,? (?:and )?[A-Z]\p{Ll}+(?: [A-Z]\p{Ll}+)?)*)`)
	reAgainst        = regexp.MustCompile(`\b([Ee]xpected )?([Cc]harges|CHARGES|[Ii]ndictments?|INDICTMENTS?|[Cc]riminal complaint|[Cc]omplaint|[Ss]anctions|SANCTIONS)(?: [a-z]+){0,7}? against `)
	reIndictCharge   = regexp.MustCompile(`\b(indictments?|complaint),? (?:that )?(?:charged|charges|charging|names|named|accuses|accused|identifies|identified) `)
	reLocative       = regexp.MustCompile(`(?:\b(?:in|across|throughout|outside|inside|within|around|nationals of|residents of|citizens of|registered in|based in|headquartered in|fugitives in)(?: the)?|and|,) $`)
	reCountryCue     = regexp.MustCompile(`^ (?:front )?(?:company|firm|corporation|business|nationals?|citizens?|residents?)\b`)
	reCompanyCue     = regexp.MustCompile(`^ (?:front )?(?:company|firm|corporation|business)\b`)
	reGovCue         = regexp.MustCompile(`^(?:’s|'s)? ?(?:(?:[A-Z][a-z]+ )?(?:Minister|President|Chancellor|Ambassador|Secretary)|government|authorities|officials|leaders|state|intelligence|ministry|regime|administration)\b`)
	reApposOrgAfter  = regexp.MustCompile(`\b(?:company|firm|contractor|business), ((?:` + capWord + `)(?: (?:` + capWord + `|and|of|&)){1,6})\b`)
	reSanctionedVerb = regexp.MustCompile(`\b(?:also |today |has |have )?(?:sanctioned|designated) `)
	reAndName        = regexp.MustCompile(`^ and (` + personName + `)\b`)
	reUnnamedVictim  = regexp.MustCompile(`\b(?:[Vv]ictims?(?: of [\p{L} ]{1,30})? included|network of|networks of|systems of|computers of) (?:a|an) ((?:[\p{Ll}-]+ ){0,3}(?:institution|bank|company|firm|hospital|university|organization|organisation|contractor|provider|manufacturer|charity)(?: dedicated to(?: [\p{Ll}-]+){1,4})?)`)
	reAcronymAfter   = regexp.MustCompile(`^ \([“"]?([A-Z][A-Za-z0-9]*(?: [A-Z0-9][A-Za-z0-9]*){0,3})[”"]?\)`)
	reDateFull       = regexp.MustCompile(`\b(January|February|March|April|May|June|July|August|September|October|November|December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?) (\d{1,2}),? ((?:19|20)\d\d)\b`)
	reDateISO        = regexp.MustCompile(`\b((?:19|20)\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\b`)
	reDateDMY        = regexp.MustCompile(`\b(\d{1,2}) (January|February|March|April|May|June|July|August|September|October|November|December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?),? ((?:19|20)\d\d)\b`)
	reMonthYear      = regexp.MustCompile(`\b(January|February|March|April|May|June|July|August|September|October|November|December) ((?:19|20)\d\d)\b`)
)

// wordSet is a set of words written as one comma-separated list (line
// breaks count as spaces).
func wordSet(list string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Split(strings.Join(strings.Fields(list), " "), ",") {
		if w = strings.TrimSpace(w); w != "" {
			m[w] = true
		}
	}
	return m
}

// notNameWords are capitalised words that start sentences or titles, never
// a person's name.
var notNameWords = wordSet(`
The, A, An, In, On, At, For, According, Today, This, These, That, Those, It, He, She, They, We, Department,
Office, Ministry, Bureau, Agency, Court, District, Attorney, General, Secretary, Director, Justice, State,
Security, National, Federal, United, States, Republic, Government, Police, Cyber, Division, Section, Center,
Centre, Council, Institute, Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday, January, February,
March, April, May, June, July, August, September, October, November, December, Sept, Also, But, And, Or, If,
As, By, From, With, Between, Despite, Some, All, Both, Two, Three, Four, Five, Seven, Leaders, Victims,
Sanctions, Charges, Indictment, Press, Release, Immediate, Assistant, Deputy, Acting, Special, Agent, Trial,
Senior, Chief, President, Minister, Prime, Field, Washington, Internet, Computer, Network, Technology, Group,
Team, Unit, Campaign, Conspiracy, Operation, Mall, Health, Regional, Shipping, Threat, Intelligence,
Defendants, Defendant, Hacking, Hackers, Homeland, Commerce, Treasury, Defense, White, House, Times, Post,
Regrettably, However, Shortly, Numerous, Multilateral, International, Join, Despite the, Cybersecurity, Area,
Our, Their, His, Her`)

// compiledGazetteer is the shipped gazetteer and its indexes, built once
// per process: a text only adds to copies of what it changes (the states
// it introduces, a graph's actors).
type compiledGazetteer struct {
	g          *gazetteer
	actorOf    map[string]*ActorNames
	stateOf    map[string]*state
	stateRE    *dict
	orgOf      map[string]*knownOrg
	orgRE      *dict
	sectorOf   map[string]string
	sectorDict *dict
}

var baseGazetteer = sync.OnceValue(func() *compiledGazetteer {
	x := &extractor{g: shippedGazetteer()}
	x.compile()
	return &compiledGazetteer{g: x.g, actorOf: x.actorOf, stateOf: x.stateOf, stateRE: x.stateRE, orgOf: x.orgOf, orgRE: x.orgRE,
		sectorOf: x.sectorOf, sectorDict: x.sectorDict}
})

// useCompiled takes the shipped gazetteer's indexes, with copies of what
// this text may change.
func (x *extractor) useCompiled(known []KnownEntity) {
	b := baseGazetteer()
	x.g = &gazetteer{states: append([]*state{}, b.g.states...), orgs: b.g.orgs, sectors: b.g.sectors, actors: b.g.actors}
	x.stateOf, x.stateRE = maps.Clone(b.stateOf), b.stateRE
	x.orgOf, x.orgRE = b.orgOf, b.orgRE
	x.sectorOf, x.sectorDict = b.sectorOf, b.sectorDict
	x.actorOf = b.actorOf
	for _, k := range known {
		if k.Label != labelActor {
			continue
		}
		if len(x.actorOf) == len(b.actorOf) {
			x.actorOf = maps.Clone(b.actorOf)
		}
		a := &ActorNames{Name: k.Name, Aliases: k.Aliases}
		for _, n := range append([]string{a.Name}, a.Aliases...) {
			if _, dup := x.actorOf[n]; !dup && n != "" {
				x.actorOf[n] = a
			}
		}
	}
}

func (x *extractor) compile() {
	x.actorOf = map[string]*ActorNames{}
	for i := range x.g.actors {
		a := &x.g.actors[i]
		for _, n := range append([]string{a.Name}, a.Aliases...) {
			if _, dup := x.actorOf[n]; !dup && n != "" {
				x.actorOf[n] = a
			}
		}
	}
	x.stateOf = map[string]*state{}
	var stateNames []string
	for _, s := range x.g.states {
		for _, n := range append(append([]string{}, s.names...), s.demonyms...) {
			if _, dup := x.stateOf[n]; !dup && n != "" {
				x.stateOf[n] = s
				stateNames = append(stateNames, n)
			}
		}
	}
	// "The" forms of names: "the People's Republic of China" is matched as a
	// name; curly apostrophes as straight ones.
	for _, n := range append([]string{}, stateNames...) {
		if strings.Contains(n, "'") {
			curly := strings.ReplaceAll(n, "'", "’")
			x.stateOf[curly] = x.stateOf[n]
			stateNames = append(stateNames, curly)
		}
	}
	x.stateRE = alternation(stateNames)
	x.orgOf = map[string]*knownOrg{}
	var orgNames []string
	for _, o := range x.g.orgs {
		for _, n := range o.names {
			if _, dup := x.orgOf[n]; !dup {
				x.orgOf[n] = o
				orgNames = append(orgNames, n)
			}
			if strings.Contains(n, "'") {
				curly := strings.ReplaceAll(n, "'", "’")
				x.orgOf[curly] = o
				orgNames = append(orgNames, curly)
			}
		}
	}
	x.orgRE = alternation(orgNames)
	x.sectorOf = map[string]string{}
	var words []string
	for _, s := range x.g.sectors {
		for _, w := range s.words {
			x.sectorOf[w] = s.name
			words = append(words, w)
		}
	}
	x.sectorDict = newDict(words)
}

// alternation builds the matcher of a list of names.
func alternation(names []string) *dict { return newDict(names) }

// recognise finds the entities of sentence i, most specific rules first.
func (x *extractor) recognise(i int) {
	x.recogniseActorPatterns(i)
	// Names the field's catalogues know, and the shapes of names they
	// do not (vendors' naming schemes, CVE ids, technique ids).
	x.recogniseShapes(i)
	x.recogniseCatalogue(i, false)

	x.recogniseCampaigns(i)
	x.recogniseKnownOrgs(i)
	x.recognisePeople(i)
	x.recogniseOrgAppositions(i)
	x.recogniseOrgCues(i)
	x.sortMentions(i)
	x.otherNames(i)
	x.recogniseOrgPatterns(i)
	x.recogniseLearntStates(i)
	x.chargedPeople(i)
	x.recogniseStates(i)
	x.recogniseRegions(i)
	x.sortMentions(i)
	x.acronyms(i)
	x.recogniseSectors(i)
	x.recogniseLegalActions(i)
	x.recogniseCatalogue(i, true)
	x.sortMentions(i)
}

var (
	reAKA    = regexp.MustCompile(`^ \((?:a/k/a|aka|also known as|formerly(?: known as)?) ([^)]{2,120})\)`)
	reAKASep = regexp.MustCompile(`,? (?:or|and) |, `)
)

func (x *extractor) hasPerson(i int) bool {
	for _, m := range x.perSent[i] {
		if m.ent.label == labelPerson {
			return true
		}
	}
	return false
}

// mentionAt is the entity mentioned exactly at s in sentence i, if any.
func (x *extractor) mentionAt(i int, s span) *entity {
	for _, m := range x.perSent[i] {
		if m.span == s {
			return m.ent
		}
	}
	return nil
}

// hasAny reports whether s contains one of the words: a cheap test that
// spares a regexp run on most sentences.
func hasAny(s string, words ...string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

var personPatterns = []*regexp.Regexp{reSaidName, reNameSaid, reRoleComma, reNameRole}

// sentencePre holds what the costliest patterns find in a sentence. They
// depend on the sentence alone, so precompute finds them for all
// sentences at once, on every core, before the rules run in order.
type sentencePre struct {
	legal   []legalHit
	sectors [][]int
	attack  []int
	title   [][]int
	person  [4][][]int
	orgHead [2][][]int
	orgCues [3][][]int
	rel     [][][]int // relPatterns' matches
	states  [][]int   // the shipped states' names
}

func (x *extractor) precompute() {
	x.pre = make([]sentencePre, len(x.sents))
	x.hitsAt = make([][]catHit, len(x.sents))
	work := func(i int) {
		s := x.sents[i]
		sent := x.text[s.start:s.end]
		p := &x.pre[i]
		if hasAny(sent, titleWords...) {
			p.title = reTitle.FindAllStringSubmatchIndex(sent, -1)
		}
		for k, re := range personPatterns {
			if !hasAny(sent, personCueWords[re]...) {
				continue
			}
			if (re == reNameRole || re == reRoleComma) && !reNameCommaGate.MatchString(sent) {
				continue // no capitalised word beside a comma: neither pattern can match
			}
			p.person[k] = re.FindAllStringSubmatchIndex(sent, -1)
		}
		if hasAny(sent, orgHeadWords...) {
			if hasAny(sent, " of ", " for ", " on ") && reOrgHeadFirstGate.MatchString(sent) {
				p.orgHead[0] = reOrgHeadFirst.FindAllStringIndex(sent, -1)
			}
			if reOrgHeadLastGate.MatchString(sent) {
				p.orgHead[1] = reOrgHeadLast.FindAllStringIndex(sent, -1)
			}
		}
		x.hitsAt[i] = x.findCatalogueHits(i)
		p.legal = x.legalHits(i)
		p.sectors = x.sectorDict.FindAllStringSubmatchIndex(asciiLower(sent), -1)
		p.attack = x.attackTrigger(sent)
		x.precomputeRelations(i, sent)
		p.states = x.stateRE.FindAllStringSubmatchIndex(sent, -1)
		if hasAny(sent, orgCueWords...) {
			for k, re := range orgCuePatterns {
				p.orgCues[k] = re.FindAllStringSubmatchIndex(sent, -1)
			}
		}
	}
	parallel(len(x.sents), work)
}

// parallel runs work(0..n-1) on every core, in chunks.
func parallel(n int, work func(int)) {
	workers := runtime.GOMAXPROCS(0)
	if workers < 2 || n < 64 {
		for i := 0; i < n; i++ {
			work(i)
		}
		return
	}
	const chunk = 32
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				lo := int(next.Add(chunk)) - chunk
				if lo >= n {
					return
				}
				for i := lo; i < min(lo+chunk, n); i++ {
					work(i)
				}
			}
		}()
	}
	wg.Wait()
}

// Cheap necessary conditions of the costly patterns, tested first.
var (
	reOrgHeadLastGate  = regexp.MustCompile(`(?:[A-Z][\p{L}\p{N}&-]*\.?|\d\p{N}*| of| and| &) (?:GmbH|JSC|PJSC|OJSC|PLC|S\.A\.|B\.V\.|Co\., Ltd\.|Co\.|Institute|University|College|Council|Division|Section|Directorate|Agency|Commission|Committee|Police|Court|Service|Party|Corporation|Corp\.|Inc\.|Ltd\.|LLC|Company|Technology|Technologies|Logistics|Shipping|Health|Bank|Security|Systems|Labs|Networks|Field Office|Office|Department|Ministry|Bureau|Center|Centre|Team|Unit|Mall|Holdings|Solutions|Industries|Airlines|Foundation|Association|Society|Group|Joint Venture|Venture|Entertainment|Pictures|Studios|Energy|Airways|Motors|Pharmaceuticals|Laboratories|Hospital|Clinic|Commission|Exchange|Trust|Fund|Partners|Capital|Software|Electronics|Telecom|Communications)\b`)
	reOrgHeadFirstGate = regexp.MustCompile(`\b(?:Department|Ministry|Office|Bureau|Center|Centre|Institute|University|Council|Division|Section|Directorate|Agency|Commission|Committee|Court|Service|Chambers|School|College|Bank|Academy|Administration) (?:of|for|on) `)
	reNameCommaGate    = regexp.MustCompile(`\p{Ll}, |, [A-Z]`)
)

var orgHeadWords = []string{"GmbH", "JSC", "PLC", "S.A.", "B.V.", "Co.", "Department", "Ministry", "Office", "Bureau", "Center", "Centre", "Institute", "University", "College",
	"School", "Council", "Division", "Section", "Directorate", "Agency", "Commission", "Committee", "Court", "Service", "Chambers",
	"Police", "Party", "Corp", "Inc.", "Ltd.", "LLC", "Company", "Technolog", "Logistics", "Shipping", "Health", "Bank", "Security",
	"Systems", "Labs", "Network", "Team", "Unit", "Mall", "Holdings", "Solutions", "Industries", "Airlines", "Foundation",
	"Association", "Society", "Group", "Venture", "Entertainment", "Pictures", "Studios", "Energy", "Airways", "Motors",
	"Pharmaceuticals", "Laboratories", "Hospital", "Clinic", "Exchange", "Trust", "Fund", "Partners", "Capital", "Software",
	"Electronics", "Telecom", "Communications", "Academy", "Administration"}

var personCueWords = map[*regexp.Regexp][]string{
	reSaidName:  {"said", "says", "according to", "added", "told"},
	reNameSaid:  {"said", "says", "added", "told", "stated", "wrote"},
	reRoleComma: {"spokes", "official", "director", "adviser", "advisor", "analyst", "researcher", "President"},
	reNameRole:  {" at ", " of ", " for ", " with "},
}

var titleWords = []string{"Attorney", "Secretary", "Director", "Agent", "President", "Minister", "Ambassador", "Sen.", "Rep.", "Representative", "Senator",
	"Chancellor", "Judge", "Commissioner", "Spokes", "Chair", "General", "Gen.", "Admiral", "Colonel", "Dr.", "Mr.", "Ms.", "Mrs.", "Charge"}

func findAllSubmatchIf(re *regexp.Regexp, s string, words ...string) [][]int {
	if !hasAny(s, words...) {
		return nil
	}
	return re.FindAllStringSubmatchIndex(s, -1)
}

// tail is the last n bytes of s (or all of it), for regexps anchored at
// the end of a sentence's beginning.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}

func startsUpperOrDigit(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r) || unicode.IsDigit(r)
}

// titleTail: titles that follow an organisation's name before a person's.
var titleTail = map[string]bool{"Secretary": true, "Director": true, "Minister": true, "Spokesman": true, "Spokeswoman": true,
	"Spokesperson": true, "Chief": true, "Commissioner": true, "Deputy": true, "Chairman": true, "Chairwoman": true, "Head": true,
	"Administrator": true, "Assistant": true, "Acting": true}

// orgHeadStart: head words an organisation's name may start with.
var (
	reAgencyHead     = regexp.MustCompile(`\b(Department|Ministry|Agency|Bureau|Office|Division|Section|Directorate|Police|Service|Chambers|Commission|Council)\b`)
	reUniversityHead = regexp.MustCompile(`\b(University|College|School|Institute)\b`)
	reStateListGap   = regexp.MustCompile(`^(?:,? (?:and|or) |, )(?:the )?$`)
	reSectorSep      = regexp.MustCompile(`(?:,| and|, and|,? or) `)
)

// reProductHead: head words that end products' and teams' names as well
// as companies' ("Cloud App Security", "Red Team"); an institution's head
// (Division, Office, Center, Ministry) makes a name even of ordinary words.
var reProductHead = regexp.MustCompile(`\b(?:Security|Service|Services|Software|Systems|Team|Unit|Group|Technology|Technologies|Solutions|Networks?|Labs|Health|Energy|Industries|Company|Communications|Trust|Fund|Capital|Exchange|Partners|Holdings)$`)

var reOrgHead = regexp.MustCompile(`\b(?:GmbH|JSC|PJSC|OJSC|PLC|S\.A\.|B\.V\.|Co\., Ltd\.|Co\.|Venture|Entertainment|Pictures|Studios|Energy|Airways|Motors|Pharmaceuticals|Laboratories|Hospital|Clinic|Exchange|Trust|Fund|Partners|Capital|Software|Electronics|Telecom|Communications|Academy|Administration|Department|Ministry|Office|Bureau|Center|Centre|Institute|University|College|School|Council|Division|Section|Directorate|Agency|Commission|Committee|Court|Service|Chambers|Police|Party|Corporation|Corp\.|Inc\.|Ltd\.|LLC|Company|Technology|Technologies|Logistics|Shipping|Health|Bank|Security|Systems|Labs|Networks|Team|Unit|Mall|Holdings|Solutions|Industries|Airlines|Foundation|Association|Society|Group)\b`)

var orgHeadStart = map[string]bool{
	"Department": true, "Ministry": true, "Office": true, "Bureau": true, "Center": true, "Centre": true, "Institute": true,
	"University": true, "Council": true, "Division": true, "Agency": true, "Commission": true, "Committee": true, "Court": true,
	"National": true, "Federal": true, "State": true, "Security": true, "Cyber": true, "Attorney": true, "District": true,
	"United": true, "Royal": true, "Justice": true, "Washington": true, "Network": true, "Technology": true, "Threat": true,
	"Intelligence": true, "Homeland": true, "Regional": true, "White": true, "General": true, "International": true,
}

// capitals stand for their government only as the subject of a verb
// ("Moscow denied") or the object of a condemnation ("condemned Beijing").
var (
	capitals = map[string]bool{"Beijing": true, "Moscow": true, "Kremlin": true, "Tehran": true, "Pyongyang": true, "London": true,
		"Tokyo": true, "Berlin": true, "Paris": true, "Canberra": true, "Ottawa": true, "Kyiv": true, "Kiev": true}
	reCapitalActs   = regexp.MustCompile(`^(?:’s|'s)? (?:has |have |had |is |was |will |would |must |also |(?:is|are|was|were) (?:expected|set|due|poised|likely|about|going|ready) to )?(?:condemn|sanction|accuse|respond|denounce|call|said|says|denied|denies|rejected|dismissed|responded|condemned|blamed|accused|warned|called|urged|sponsored|directed|backed|sanctioned|imposed|indicted|charged|expelled|summoned|announced|attributed|signed|agreed|joined|government|authorities|officials|regime)\b`)
	reCapitalObject = regexp.MustCompile(`\b(?:condemned|condemn|blamed|blame|accused|accuse|urged|urge|warned|warn|called on|sanctioned|against|by|to) (?:the )?$`)
)

var (
	reHyphenTail    = regexp.MustCompile(`^-\p{Ll}+`)
	reBetweenStates = regexp.MustCompile(`\b(?:between|[Ll]eaders (?:from|of)|[Oo]fficials (?:from|of)|[Mm]inisters (?:from|of)|[Gg]overnments (?:from|of)|[Aa]llies,? including) (?:the )?$`)
	reGovWord       = regexp.MustCompile(`^ (?:government|authorities|regime|state)\b`)
)

// maxLearntStates bounds the states one text may introduce.
const maxLearntStates = 20

var (
	reSectorChainGap   = regexp.MustCompile(`^(?:,| and|, and|,? or) $`)
	reSectorHead       = regexp.MustCompile(`^(?: and similar)? (?:industry|industries|sectors?|companies|company|providers|manufacturers|firms|organizations|organisations|institutions|networks?|entities|targets)\b`)
	reSectorList       = regexp.MustCompile(`(?:industries|sectors) (?:like|such as|including) (?:[a-z -]+,? )*$`)
	institutionPlurals = map[string]bool{"universities": true, "hospitals": true, "think tanks": true, "banks": true, "water utilities": true, "power grids": true}
)

var reSectorAloneAfter = regexp.MustCompile(`^(?:$|[.,;:)!?”"]| (?:and|or)\b| [A-Z(])`)

// asciiLower lowers ASCII letters only, so that byte offsets stay those of s.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// recogniseLegalActions: "charges against A and B", "the indictment charged
// A, 35, and B, 35": a LegalAction named after its kind and its subjects
// ("Indictment against A and B"), with the subjects charged in it.
type legalHit struct {
	kind     string
	expected bool
	at       int // where its subjects start
}

var (
	reSubjectNames = regexp.MustCompile(`(?:^|[,;] |\. )(` + personName + `(?:,? (?:and )?` + personName + `)*)(?:,? who)? (?:(?:were|was|are|is|had been|have been) )?(?:members? of|collaborated with|worked with|conspired with|associated with)\b`)
	reNameInList   = regexp.MustCompile(personName)
)

var reNextWord = regexp.MustCompile(`^\s*([A-Z]\p{Ll}[\p{L}’'-]*)\b`)

var reNextName = regexp.MustCompile(`^(?:\s*\([^)]{0,40}\))?(?:,\s*\d{1,3})?(?:\s*,)?\s*(?:(?:and|or)\s+)?(?:the\s+)?(` + personName + `)`)

var reListGap = regexp.MustCompile(`^[”"]?\)?(?:\s*\([^)]{0,40}\))?(?:,\s*\d{1,3})?(?:\s*,)?\s*(?:(?:and|or|&)\s+)?(?:the\s+)?$`)

// --- short forms and implied entities --------------------------------------

// compileShortForms builds, once every entity is known, the table of the
// short forms that name them: one of a person's names ("Zhu" for "Zhu
// Hua"), an organisation's or actor's alias or acronym. A form two people
// share names neither.
func (x *extractor) compileShortForms() {
	x.shortOf = map[string]*entity{}
	ambiguous := map[string]bool{}
	for _, e := range x.order {
		var forms []string
		switch e.label {
		case labelPerson:
			w := strings.Fields(e.name)
			forms = []string{e.name, w[0], w[len(w)-1]}
		case labelOrg, labelActor, labelGovernment:
			forms = append(forms, e.aliases...)
			forms = append(forms, e.name)
		}
		for _, f := range forms {
			if len(f) < 2 || notNameWords[f] {
				continue
			}
			if prev, ok := x.shortOf[f]; ok && prev != e {
				ambiguous[f] = true
			}
			x.shortOf[f] = e
		}
	}
	var forms []string
	for f := range x.shortOf {
		if ambiguous[f] {
			delete(x.shortOf, f)
			continue
		}
		forms = append(forms, f)
	}
	x.shortRE = alternation(forms)
}

// shortForms finds the short-form mentions of sentence i.
func (x *extractor) shortForms(i int) {
	if len(x.shortOf) == 0 {
		return
	}
	s, sent := x.sentence(i)
	for _, m := range x.shortRE.FindAllStringSubmatchIndex(sent, -1) {
		f := sent[m[2]:m[3]]
		e := x.shortOf[f]
		sp := span{s.start + m[2], s.start + m[3]}
		if !x.mention(i, sp, e) {
			continue
		}
		x.fire(ruleShortForm)
		if e.label == labelPerson {
			e.addAlias(f)
		}
	}
	x.sortMentions(i)
}

// impliedEntities adds what a known agency implies: its parent organisation
// or government ("FBI": the Department of Justice, the United States), when
// the text does not name it as such; and the organisation a role implies
// ("Secretary of State": the Department of State).
func (x *extractor) impliedEntities() {
	for _, e := range append([]*entity{}, x.order...) {
		if e.label != labelOrg || e.parent == "" || e.count == 0 {
			continue
		}
		x.ensureParent(e)
	}
}

func (x *extractor) ensureParent(e *entity) *entity {
	if e.parent == "" {
		return nil
	}
	if o := x.g.orgNamed(e.parent); o != nil {
		p := x.entity(labelOrg, o.name, e.evidence, ruleImplied, 0.6)
		if p.kind == "" {
			p.kind, p.parent = o.kind, o.parent
		}
		if p.count == 0 {
			p.rule = ruleImplied
		}
		x.ensureParent(p)
		return p
	}
	if st := x.g.stateNamed(e.parent); st != nil {
		p := x.entity(labelGovernment, st.name, e.evidence, ruleImplied, 0.6)
		p.st = st
		if p.count == 0 {
			p.rule = ruleImplied
		}
		return p
	}
	return nil
}

var months = map[string]string{
	"January": "01", "February": "02", "March": "03", "April": "04", "May": "05", "June": "06", "July": "07",
	"August": "08", "September": "09", "October": "10", "November": "11", "December": "12",
	"Jan": "01", "Feb": "02", "Mar": "03", "Apr": "04", "Jun": "06", "Jul": "07", "Aug": "08", "Sep": "09", "Sept": "09",
	"Oct": "10", "Nov": "11", "Dec": "12",
}

// reKnownAs: "the group, known as CyberAv3ngers": an actor named without
// quotes, a distinctive word (a digit or an inner capital) or two or three
// capitalised words.
var reKnownAs = regexp.MustCompile(`\b(?:group|actor|hackers|team|crew|collective|gang)(?: [a-z]+){0,2},? (?:known|tracked|dubbed|referred to|calls itself|called)(?: as)? ((?:[A-Z][\p{L}\d]*[\p{Lu}\d][\p{L}\d]*|[A-Z][\p{L}\d]+(?: [A-Z][\p{L}\d]+){1,2}))`)

// reGangName: "the LockBit ransomware gang": an actor named before what it
// is.
var reGangName = regexp.MustCompile(`\b([A-Z][\p{L}\d]*(?: [A-Z][\p{L}\d]*)?) (?:ransomware|hacking|cybercrime|cyber-espionage|espionage|extortion) (?:gang|group|crew|collective|outfit|syndicate)\b`)
