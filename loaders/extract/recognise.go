package extract

import (
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
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
	reOrgHeadLast    = regexp.MustCompile(`\b(?:` + capWord + `)(?: (?:` + capWord + `|of|and|&))* (?:Institute|University|College|Council|Division|Section|Directorate|Agency|Commission|Committee|Police|Court|Service|Party|Corporation|Corp\.|Inc\.|Ltd\.|LLC|Company|Technology|Technologies|Logistics|Shipping|Health|Bank|Security|Systems|Labs|Networks|Field Office|Office|Department|Ministry|Bureau|Center|Centre|Team|Unit|Mall|Holdings|Solutions|Industries|Airlines|Foundation|Association|Society|Group|Joint Venture|Venture|Entertainment|Pictures|Studios|Energy|Airways|Motors|Pharmaceuticals|Laboratories|Hospital|Clinic|Commission|Exchange|Trust|Fund|Partners|Capital|Software|Electronics|Telecom|Communications)\b`)
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

// notNameWords are capitalised words that start sentences or titles, never
// a person's name.
var notNameWords = map[string]bool{
	"The": true, "A": true, "An": true, "In": true, "On": true, "At": true, "For": true, "According": true, "Today": true,
	"This": true, "These": true, "That": true, "Those": true, "It": true, "He": true, "She": true, "They": true, "We": true,
	"Department": true, "Office": true, "Ministry": true, "Bureau": true, "Agency": true, "Court": true, "District": true,
	"Attorney": true, "General": true, "Secretary": true, "Director": true, "Justice": true, "State": true, "Security": true,
	"National": true, "Federal": true, "United": true, "States": true, "Republic": true, "Government": true, "Police": true,
	"Cyber": true, "Division": true, "Section": true, "Center": true, "Centre": true, "Council": true, "Institute": true,
	"Monday": true, "Tuesday": true, "Wednesday": true, "Thursday": true, "Friday": true, "Saturday": true, "Sunday": true,
	"January": true, "February": true, "March": true, "April": true, "May": true, "June": true, "July": true, "August": true,
	"September": true, "October": true, "November": true, "December": true, "Sept": true, "Also": true, "But": true,
	"And": true, "Or": true, "If": true, "As": true, "By": true, "From": true, "With": true, "Between": true, "Despite": true,
	"Some": true, "All": true, "Both": true, "Two": true, "Three": true, "Four": true, "Five": true, "Seven": true,
	"Leaders": true, "Victims": true, "Sanctions": true, "Charges": true, "Indictment": true, "Press": true, "Release": true,
	"Immediate": true, "Assistant": true, "Deputy": true, "Acting": true, "Special": true, "Agent": true, "Trial": true,
	"Senior": true, "Chief": true, "President": true, "Minister": true, "Prime": true, "Field": true, "Washington": true,
	"Internet": true, "Computer": true, "Network": true, "Technology": true, "Group": true, "Team": true, "Unit": true,
	"Campaign": true, "Conspiracy": true, "Operation": true, "Mall": true, "Health": true, "Regional": true, "Shipping": true,
	"Threat": true, "Intelligence": true, "Defendants": true, "Defendant": true, "Hacking": true, "Hackers": true,
	"Homeland": true, "Commerce": true, "Treasury": true, "Defense": true, "White": true, "House": true, "Times": true, "Post": true,
	"Regrettably": true, "However": true, "Shortly": true, "Numerous": true, "Multilateral": true, "International": true,
	"Join": true, "Despite the": true, "Cybersecurity": true, "Area": true, "Our": true, "Their": true, "His": true, "Her": true,
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
	s := x.sents[i]
	sent := x.text[s.start:s.end]
	at := func(a, b int) span { return span{s.start + a, s.start + b} }

	// Threat actors named in a list of labels: one actor, the first name
	// its name, the others its aliases.
	if hasAny(sent, `“`, `"`) && hasAny(sent, "track", "label", "known as", "dubbed", "called", "a.k.a", "aka", "named") {
		for _, m := range reQuotedList.FindAllStringSubmatchIndex(sent, -1) {
			// "named “Invoice”", "a file called “OK”": a quoted name is an
			// actor's only when the text says it names one (tracked as,
			// threat labels, or an actor word just before the cue)
			if cue := sent[m[0]:m[2]]; !hasAny(cue, "track", "label", "a.k.a", "aka", "also known") &&
				!reActorCue.MatchString(sent[max(0, m[0]-60):m[0]]) {
				continue
			}
			list := sent[m[2]:m[3]]
			items := reQuotedItem.FindAllStringSubmatchIndex(list, -1)
			var names []span
			for _, it := range items {
				name := strings.TrimSpace(list[it[2]:it[3]])
				if name == "" || !startsUpperOrDigit(name) || !looksLikeLabel(name) {
					continue
				}
				names = append(names, at(m[2]+it[2], m[2]+it[2]+len(name)))
			}
			if len(names) == 0 {
				continue
			}
			first := x.text[names[0].start:names[0].end]
			if reQuotedCamp.MatchString("“" + first + "”") {
				continue
			}
			e := x.actorEntity(first, at(m[0], m[1]), ruleActorList, 0.85)
			for _, n := range names {
				x.mention(i, n, e)
				e.addAlias(x.text[n.start:n.end])
			}
		}
	}
	if hasAny(sent, "known as", "tracked as", "dubbed", "calls itself", "called") {
		for _, m := range reKnownAs.FindAllStringSubmatchIndex(sent, -1) {
			name := sent[m[2]:m[3]]
			if !looksLikeLabel(name) || x.stateOf[name] != nil || x.orgOf[name] != nil {
				continue
			}
			e := x.actorEntity(name, at(m[0], m[1]), ruleActorList, 0.75)
			x.mention(i, at(m[2], m[3]), e)
		}
	}
	if hasAny(sent, " gang", " group", " crew", " collective", " outfit") {
		for _, m := range reGangName.FindAllStringSubmatchIndex(sent, -1) {
			name := sent[m[2]:m[3]]
			if x.stateOf[name] != nil || x.orgOf[name] != nil || notNameWords[name] || x.overlaps(i, at(m[2], m[3])) {
				continue
			}
			e := x.actorEntity(name, at(m[2], m[1]), ruleActorGang, 0.7)
			x.mention(i, at(m[2], m[3]), e)
		}
	}
	if hasAny(sent, "group", "actor", "outfit", "crew") {
		for _, m := range reHackingGroup.FindAllStringSubmatchIndex(sent, -1) {
			name := sent[m[2]:m[3]]
			short := ""
			if m[4] >= 0 {
				short = sent[m[4]:m[5]]
			}
			canonical := name
			if short != "" && len(short) < len(name) {
				canonical = short
			}
			e := x.actorEntity(canonical, at(m[0], m[1]), ruleActorGroup, 0.85)
			x.mention(i, at(m[2], m[3]), e)
			e.addAlias(name)
			if short != "" {
				x.mention(i, at(m[4], m[5]), e)
				e.addAlias(short)
			}
		}
	}
	// Names the field's catalogues know, and the shapes of names they
	// do not (vendors' naming schemes, CVE ids, technique ids).
	x.recogniseShapes(i)
	x.recogniseCatalogue(i, false)

	// Campaigns with a name of their own.
	if hasAny(sent, "Conspiracy", "Campaign", "Operation") {
		for _, m := range reQuotedCamp.FindAllStringSubmatchIndex(sent, -1) {
			e := x.entity(labelCampaign, sent[m[2]:m[3]], at(m[0], m[1]), ruleCampaignQuote, 0.75)
			x.mention(i, at(m[2], m[3]), e)
		}
	}
	if hasAny(sent, "Operation ") {
		for _, m := range reOperation.FindAllStringIndex(sent, -1) {
			e := x.entity(labelCampaign, sent[m[0]:m[1]], at(m[0], m[1]), ruleCampaignQuote, 0.6)
			x.mention(i, at(m[0], m[1]), e)
		}
	}

	// Agreements.
	if hasAny(sent, "Agreement", "Accord", "Treaty", "Charter", "Convention", "Commitments", "Pact", "Memorandum", "Declaration") {
		for _, m := range reAgreement.FindAllStringIndex(sent, -1) {
			name := strings.TrimSuffix(strings.TrimSpace(sent[m[0]:m[1]]), ".")
			name = strings.TrimPrefix(name, "The ")
			if !strings.ContainsAny(name[:1], "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") || strings.Count(name, " ") == 0 {
				continue
			}
			e := x.agreementEntity(name, at(m[0], m[1]))
			x.mention(i, at(m[0], m[0]+len(name)+strings.Index(sent[m[0]:m[1]], name)), e)
		}
	}

	// Organisations the gazetteer knows.
	for _, m := range x.orgRE.FindAllStringSubmatchIndex(sent, -1) {
		o := x.orgOf[sent[m[2]:m[3]]]
		e := x.entity(labelOrg, o.name, at(m[2], m[3]), ruleOrgKnown, 0.9)
		e.kind, e.parent = o.kind, o.parent
		x.mention(i, at(m[2], m[3]), e)
	}

	// People: a title then a name; "ORG TITLE NAME" keeps ORG for WORKS_FOR.
	{
		for _, m := range x.pre[i].title {
			name := sent[m[2]:m[3]]
			if !x.plausibleName(name) {
				continue
			}
			e := x.personEntity(name, at(m[0], m[3]), rulePersonTitle, 0.9)
			role := strings.TrimSpace(sent[m[0]:m[2]])
			if !strings.HasSuffix(role, ".") {
				e.addRole(singularTitle(role))
			}
			x.mention(i, at(m[2], m[3]), e)
			// "Assistant U.S. Attorneys A and B": B holds the same post
			if n := reAndName.FindStringSubmatchIndex(sent[m[3]:]); n != nil {
				name2 := sent[m[3]+n[2] : m[3]+n[3]]
				if x.plausibleName(name2) && !x.overlaps(i, at(m[3]+n[2], m[3]+n[3])) {
					p2 := x.personEntity(name2, at(m[0], m[3]+n[3]), rulePersonTitle, 0.8)
					if !strings.HasSuffix(role, ".") {
						p2.addRole(singularTitle(role))
					}
					x.mention(i, at(m[3]+n[2], m[3]+n[3]), p2)
				}
			}
		}
	}
	if hasAny(sent, "members of", "member of", "collaborated with", "worked with", "conspired with", "associated with") {
		for _, m := range reSubjectNames.FindAllStringSubmatchIndex(sent, -1) {
			for _, n := range reNameInList.FindAllStringIndex(sent[m[2]:m[3]], -1) {
				sp := at(m[2]+n[0], m[2]+n[1])
				name := x.text[sp.start:sp.end]
				if x.overlaps(i, sp) || !x.plausibleName(name) {
					continue
				}
				e := x.personEntity(name, sp, rulePersonList, 0.7)
				x.mention(i, sp, e)
			}
		}
	}
	if hasAgeComma(sent) {
		for _, m := range reNameAge.FindAllStringSubmatchIndex(sent, -1) {
			name := sent[m[2]:m[3]]
			if !x.plausibleName(name) {
				continue
			}
			e := x.personEntity(name, at(m[2], m[5]), rulePersonAge, 0.85)
			x.mention(i, at(m[2], m[3]), e)
		}
	}
	for k, re := range personPatterns {
		for _, m := range x.pre[i].person[k] {
			name := sent[m[2]:m[3]]
			if !x.plausibleName(name) {
				continue
			}
			if x.overlaps(i, at(m[2], m[3])) {
				if re == reNameRole {
					if p := x.mentionAt(i, at(m[2], m[3])); p != nil && p.label == labelPerson {
						p.addRole(sent[m[4]:m[5]])
					}
				}
				continue
			}
			rule := rulePersonSaid
			if re == reNameRole || re == reRoleComma {
				rule = rulePersonAppos
			}
			e := x.personEntity(name, at(m[0], m[1]), rule, 0.75)
			if re == reNameRole {
				e.addRole(sent[m[4]:m[5]])
			}
			x.mention(i, at(m[2], m[3]), e)
		}
	}

	// Organisations by head word or apposition ("X, a front company").
	if hasAny(sent, ", a ", ", an ") {
		for _, m := range reApposOrg.FindAllStringSubmatchIndex(sent, -1) {
			if e := x.orgCandidate(i, at(m[2], m[3]), ruleOrgApposition, 0.7); e != nil && e.rule == ruleOrgApposition {
				e.evidence = at(m[2], m[1])
			}
		}
	}
	if hasAny(sent, "company, ", "firm, ", "contractor, ", "business, ") {
		for _, m := range reApposOrgAfter.FindAllStringSubmatchIndex(sent, -1) {
			if e := x.orgCandidate(i, at(m[2], m[3]), ruleOrgApposition, 0.65); e != nil && e.rule == ruleOrgApposition {
				e.evidence = at(m[0], m[3])
			}
		}
	}
	x.recogniseOrgCues(i)
	x.sortMentions(i)
	x.otherNames(i)
	if hasAny(sent, " of a", "ictim") {
		for _, m := range reUnnamedVictim.FindAllStringSubmatchIndex(sent, -1) {
			name := sent[m[2]:m[3]]
			name = strings.ToUpper(name[:1]) + name[1:]
			e := x.entity(labelOrg, name, at(m[2], m[3]), ruleOrgUnnamed, 0.5)
			e.kind = "victim"
			x.mention(i, at(m[2], m[3]), e)
		}
	}
	for _, found := range x.pre[i].orgHead {
		for _, m := range found {
			x.orgCandidate(i, at(m[0], m[1]), ruleOrgPattern, 0.7)
		}
	}

	// States the text introduces ("the Republic of Karvonia").
	if hasAny(sent, "Republic of", "Kingdom of", "Federation of", "State of", "Government of", "Emirate of", "Principality of") {
		for _, m := range reStateLearnt.FindAllStringSubmatchIndex(sent, -1) {
			name := sent[m[2]:m[3]]
			if x.stateOf[name] != nil || notNameWords[name] {
				continue
			}
			x.learnState(name)
		}
	}
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

// otherNames: "Chosun Expo Joint Venture (a/k/a Korea Expo Joint Venture
// or “KEJV”)": the bracketed names are aliases.
func (x *extractor) otherNames(i int) {
	if !hasAny(x.text[x.sents[i].start:x.sents[i].end], "a/k/a", "aka ", "also known as", "formerly") {
		return
	}
	for _, m := range append([]mention{}, x.perSent[i]...) {
		if m.ent.label != labelOrg && m.ent.label != labelActor {
			continue
		}
		rest := x.text[m.end:x.sents[i].end]
		loc := reAKA.FindStringSubmatchIndex(rest)
		if loc == nil {
			continue
		}
		inner := rest[loc[2]:loc[3]]
		off := m.end + loc[2]
		for _, part := range reAKASep.Split(inner, -1) {
			name := strings.Trim(part, "“”\" ")
			if name == "" || !startsUpperOrDigit(name) {
				continue
			}
			k := strings.Index(x.text[off:off+len(inner)], name)
			if k < 0 {
				continue
			}
			sp := span{off + k, off + k + len(name)}
			if x.mention(i, sp, m.ent) {
				m.ent.addAlias(name)
			}
		}
	}
}

var (
	reAKA    = regexp.MustCompile(`^ \((?:a/k/a|aka|also known as|formerly(?: known as)?) ([^)]{2,120})\)`)
	reAKASep = regexp.MustCompile(`,? (?:or|and) |, `)
)

// acronyms: "Chengdu 404 Network Technology (“Chengdu 404”)", "Digital
// Crimes Unit (DCU)": the bracketed form is an alias.
func (x *extractor) acronyms(i int) {
	for _, m := range append([]mention{}, x.perSent[i]...) {
		if m.ent.label != labelOrg && m.ent.label != labelActor {
			continue
		}
		loc := reAcronymAfter.FindStringSubmatchIndex(x.text[m.end:x.sents[i].end])
		if loc == nil {
			continue
		}
		sp := span{m.end + loc[2], m.end + loc[3]}
		if x.mention(i, sp, m.ent) {
			m.ent.addAlias(x.text[sp.start:sp.end])
			x.fire(ruleAcronym)
		}
	}
}

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
}

func (x *extractor) precompute() {
	x.pre = make([]sentencePre, len(x.sents))
	x.hitsAt = make([][]catHit, len(x.sents))
	x.hitsDone = make([]bool, len(x.sents))
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
		x.hitsAt[i], x.hitsDone[i] = x.findCatalogueHits(i), true
		p.legal = x.legalHits(i)
		p.sectors = x.sectorDict.FindAllStringSubmatchIndex(asciiLower(sent), -1)
		p.attack = x.attackTrigger(sent)
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
	reOrgHeadLastGate  = regexp.MustCompile(`(?:[A-Z][\p{L}\p{N}&-]*\.?|\d\p{N}*| of| and| &) (?:Institute|University|College|Council|Division|Section|Directorate|Agency|Commission|Committee|Police|Court|Service|Party|Corporation|Corp\.|Inc\.|Ltd\.|LLC|Company|Technology|Technologies|Logistics|Shipping|Health|Bank|Security|Systems|Labs|Networks|Field Office|Office|Department|Ministry|Bureau|Center|Centre|Team|Unit|Mall|Holdings|Solutions|Industries|Airlines|Foundation|Association|Society|Group|Joint Venture|Venture|Entertainment|Pictures|Studios|Energy|Airways|Motors|Pharmaceuticals|Laboratories|Hospital|Clinic|Commission|Exchange|Trust|Fund|Partners|Capital|Software|Electronics|Telecom|Communications)\b`)
	reOrgHeadFirstGate = regexp.MustCompile(`\b(?:Department|Ministry|Office|Bureau|Center|Centre|Institute|University|Council|Division|Section|Directorate|Agency|Commission|Committee|Court|Service|Chambers|School|College|Bank|Academy|Administration) (?:of|for|on) `)
	reNameCommaGate    = regexp.MustCompile(`\p{Ll}, |, [A-Z]`)
)

var orgHeadWords = []string{"Department", "Ministry", "Office", "Bureau", "Center", "Centre", "Institute", "University", "College",
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

// hasAgeComma: ", 35," as after a defendant's name.
func hasAgeComma(s string) bool {
	for i := 0; i+4 < len(s); i++ {
		if s[i] == ',' && s[i+1] == ' ' && s[i+2] >= '0' && s[i+2] <= '9' && s[i+3] >= '0' && s[i+3] <= '9' && i+4 < len(s) && s[i+4] == ',' {
			return true
		}
	}
	return false
}

func startsUpperOrDigit(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r) || unicode.IsDigit(r)
}

// looksLikeLabel: a threat label is one to four words, each capitalised or
// with a digit.
func looksLikeLabel(s string) bool {
	words := strings.Fields(s)
	if len(words) == 0 || len(words) > 4 {
		return false
	}
	for _, w := range words {
		if !startsUpperOrDigit(w) {
			return false
		}
	}
	return true
}

// actorEntity finds the actor a name belongs to: a gazetteer actor (by any
// of its names) or one named so far in the text.
func (x *extractor) actorEntity(name string, evidence span, rule string, conf float64) *entity {
	norm := strings.ToUpper(strings.ReplaceAll(name, " ", ""))
	if reAPT.MatchString(name) && len(norm) <= 6 {
		name = norm
	}
	if a := x.actorOf[name]; a != nil {
		for _, n := range append([]string{a.Name}, a.Aliases...) {
			if e := x.lookup(labelActor, n); e != nil {
				return e
			}
		}
	}
	return x.entity(labelActor, name, evidence, rule, conf)
}

// agreementEntity merges agreements of the same year that share a word
// ("the 2015 Cyber Agreement", "the 2015 Cyber Commitments").
func (x *extractor) agreementEntity(name string, evidence span) *entity {
	fields := strings.Fields(name)
	if len(fields) >= 3 && len(fields[0]) == 4 && unicode.IsDigit(rune(fields[0][0])) {
		for _, e := range x.agreements {
			ef := strings.Fields(e.name)
			if len(ef) >= 3 && ef[0] == fields[0] && ef[1] == fields[1] {
				e.addAlias(name)
				return e
			}
		}
	}
	return x.entity(labelAgreement, name, evidence, ruleAgreement, 0.8)
}

// personEntity finds a person by name, merging forms of one name ("Michael
// R. Pompeo", "Mike Pompeo": same surname, same initial).
func (x *extractor) personEntity(name string, evidence span, rule string, conf float64) *entity {
	words := strings.Fields(name)
	last := words[len(words)-1]
	for _, e := range x.byLast[last] {
		ew := strings.Fields(e.name)
		if len(ew) > 1 && ew[len(ew)-1] == last && ew[0][0] == words[0][0] && ew[0] != words[0] {
			e.addAlias(name)
			return e
		}
	}
	return x.entity(labelPerson, name, evidence, rule, conf)
}

// plausibleName rejects capitalised words that are not a person's name.
func (x *extractor) plausibleName(name string) bool {
	words := strings.Fields(name)
	if len(words) < 2 {
		return false
	}
	for _, w := range words {
		if len(w) == 2 && w[1] == '.' {
			continue // an initial
		}
		if notNameWords[strings.TrimSuffix(w, ".")] || x.stateOf[w] != nil || x.orgOf[w] != nil ||
			strings.HasSuffix(w, "’s") || strings.HasSuffix(w, "'s") {
			return false
		}
	}
	if x.actorOf[name] != nil || x.orgOf[name] != nil || x.stateOf[name] != nil {
		return false
	}
	return true
}

// orgCandidate records an organisation found by pattern: the part of the
// match no earlier rule claimed, without leading articles or trailing
// connectors.
func (x *extractor) orgCandidate(i int, s span, rule string, conf float64) *entity {
	// cut at the first earlier mention inside the candidate
	for _, m := range x.perSent[i] {
		if m.start > s.start && m.start < s.end {
			s.end = m.start
		}
		if m.start <= s.start && m.end > s.start {
			if m.end >= s.end {
				return nil
			}
			s.start = m.end
		}
	}
	str := x.text[s.start:s.end]
	for {
		trimmed := strings.TrimSpace(str)
		for _, p := range []string{"The ", "the ", "’s ", "'s ", "of ", "and ", ", "} {
			trimmed = strings.TrimPrefix(trimmed, p)
		}
		for _, suf := range []string{" of the", " of", " and", " for the", " for", " the", "’s", "'s", ",", " &"} {
			trimmed = strings.TrimSuffix(trimmed, suf)
		}
		// "Ministry of Trade Secretary [Elena Vorn]": the title is not the name
		if k := strings.LastIndex(trimmed, " "); k > 0 && titleTail[trimmed[k+1:]] {
			trimmed = trimmed[:k]
		}
		if trimmed == str {
			break
		}
		off := strings.Index(str, trimmed)
		s.start += off
		s.end = s.start + len(trimmed)
		str = trimmed
	}
	// "Park Jin Hyok and Chosun Expo Joint Venture": a known name and
	// another; keep the other
	if k := strings.Index(str, " and "); k > 0 {
		head := str[:k]
		if x.lookup(labelPerson, head) != nil || x.lookup(labelOrg, head) != nil || x.lookup(labelGovernment, head) != nil {
			s.start += k + len(" and ")
			str = x.text[s.start:s.end]
		}
	}
	if str == "" || !startsUpperOrDigit(str) || (!strings.Contains(str, " ") && rule != ruleOrgApposition) {
		return nil
	}
	// a sentence's first word ("According", "The") does not start a name
	// unless it is a head word ("Department of ...")
	if first := strings.Fields(str)[0]; notNameWords[first] && !orgHeadStart[first] {
		return nil
	}
	if x.stateOf[str] != nil || x.actorOf[str] != nil || !reOrgHead.MatchString(str) && rule != ruleOrgApposition {
		return nil
	}
	// "Front Company" in a headline is the common noun the body writes
	// "front company": not a name
	if x.commonNoun(str, s.start) {
		return nil
	}
	e := x.entity(labelOrg, str, s, rule, conf)
	if e.kind == "" {
		e.kind = orgKind(str)
	}
	x.mention(i, s, e)
	return e
}

// titleTail: titles that follow an organisation's name before a person's.
var titleTail = map[string]bool{"Secretary": true, "Director": true, "Minister": true, "Spokesman": true, "Spokeswoman": true,
	"Spokesperson": true, "Chief": true, "Commissioner": true, "Deputy": true, "Chairman": true, "Chairwoman": true, "Head": true,
	"Administrator": true, "Assistant": true, "Acting": true}

// singularTitle: "Assistant U.S. Attorneys" before two names is each one's
// "Assistant U.S. Attorney".
func singularTitle(role string) string {
	if strings.HasSuffix(role, "s") && !strings.HasSuffix(role, "ss") {
		return strings.TrimSuffix(role, "s")
	}
	return role
}

// commonNoun reports whether the text writes name in lower case nearby:
// then a capitalised form is a headline's, not a name.
func (x *extractor) commonNoun(name string, pos int) bool {
	lower := strings.ToLower(name)
	if lower == name {
		return false
	}
	if v, ok := x.common[name]; ok {
		return v
	}
	v := strings.Contains(x.window(pos, 64<<10), lower)
	x.common[name] = v
	return v
}

// window is the text within n bytes of pos (on rune boundaries).
func (x *extractor) window(pos, n int) string {
	lo, hi := max(0, pos-n), min(len(x.text), pos+n)
	for lo > 0 && !utf8.RuneStart(x.text[lo]) {
		lo--
	}
	for hi < len(x.text) && !utf8.RuneStart(x.text[hi]) {
		hi++
	}
	return x.text[lo:hi]
}

// orgHeadStart: head words an organisation's name may start with.
var (
	reAgencyHead     = regexp.MustCompile(`\b(Department|Ministry|Agency|Bureau|Office|Division|Section|Directorate|Police|Service|Chambers|Commission|Council)\b`)
	reUniversityHead = regexp.MustCompile(`\b(University|College|School|Institute)\b`)
	reStateListGap   = regexp.MustCompile(`^(?:,? (?:and|or) |, )(?:the )?$`)
	reSectorSep      = regexp.MustCompile(`(?:,| and|, and|,? or) `)
)

var reOrgHead = regexp.MustCompile(`\b(?:Venture|Entertainment|Pictures|Studios|Energy|Airways|Motors|Pharmaceuticals|Laboratories|Hospital|Clinic|Exchange|Trust|Fund|Partners|Capital|Software|Electronics|Telecom|Communications|Academy|Administration|Department|Ministry|Office|Bureau|Center|Centre|Institute|University|College|School|Council|Division|Section|Directorate|Agency|Commission|Committee|Court|Service|Chambers|Police|Party|Corporation|Corp\.|Inc\.|Ltd\.|LLC|Company|Technology|Technologies|Logistics|Shipping|Health|Bank|Security|Systems|Labs|Networks|Team|Unit|Mall|Holdings|Solutions|Industries|Airlines|Foundation|Association|Society|Group)\b`)

var orgHeadStart = map[string]bool{
	"Department": true, "Ministry": true, "Office": true, "Bureau": true, "Center": true, "Centre": true, "Institute": true,
	"University": true, "Council": true, "Division": true, "Agency": true, "Commission": true, "Committee": true, "Court": true,
	"National": true, "Federal": true, "State": true, "Security": true, "Cyber": true, "Attorney": true, "District": true,
	"United": true, "Royal": true, "Justice": true, "Washington": true, "Network": true, "Technology": true, "Threat": true,
	"Intelligence": true, "Homeland": true, "Regional": true, "White": true, "General": true, "International": true,
}

func orgKind(name string) string {
	switch {
	case reAgencyHead.MatchString(name):
		return "agency"
	case strings.Contains(name, "Court"):
		return "court"
	case reUniversityHead.MatchString(name):
		return "university"
	default:
		return "company"
	}
}

// capitals stand for their government only as the subject of a verb
// ("Moscow denied") or the object of a condemnation ("condemned Beijing").
var (
	capitals = map[string]bool{"Beijing": true, "Moscow": true, "Kremlin": true, "Tehran": true, "Pyongyang": true, "London": true,
		"Tokyo": true, "Berlin": true, "Paris": true, "Canberra": true, "Ottawa": true, "Kyiv": true, "Kiev": true}
	reCapitalActs   = regexp.MustCompile(`^(?:’s|'s)? (?:has |have |had |is |was |will |would |must |also )?(?:said|says|denied|denies|rejected|dismissed|responded|condemned|blamed|accused|warned|called|urged|sponsored|directed|backed|sanctioned|imposed|indicted|charged|expelled|summoned|announced|attributed|signed|agreed|joined|government|authorities|officials|regime)\b`)
	reCapitalObject = regexp.MustCompile(`\b(?:condemned|condemn|blamed|blame|accused|accuse|urged|urge|warned|warn|called on|sanctioned|against|by|to) (?:the )?$`)
)

var (
	reHyphenTail    = regexp.MustCompile(`^-\p{Ll}+`)
	reBetweenStates = regexp.MustCompile(`\b(?:between|[Ll]eaders (?:from|of)|[Oo]fficials (?:from|of)|[Mm]inisters (?:from|of)|[Gg]overnments (?:from|of)|[Aa]llies,? including) (?:the )?$`)
	reGovWord       = regexp.MustCompile(`^ (?:government|authorities|regime|state)\b`)
)

// maxLearntStates bounds the states one text may introduce.
const maxLearntStates = 20

// learnState adds a state the text introduces, with the demonyms English
// usually forms from it (Karvonia: Karvonian).
func (x *extractor) learnState(name string) {
	if x.learnt >= maxLearntStates {
		return
	}
	x.learnt++
	s := &state{name: name, names: []string{name}, invented: true}
	switch {
	case strings.HasSuffix(name, "ia"):
		s.demonyms = []string{name + "n"}
	case strings.HasSuffix(name, "a"):
		s.demonyms = []string{name + "n"}
	default:
		s.demonyms = []string{name + "ian", name + "ese", name + "i"}
	}
	x.g.states = append(x.g.states, s)
	x.stateOf[name] = s
	for _, d := range s.demonyms {
		x.stateOf[d] = s
	}
	var names []string
	for n := range x.stateOf {
		names = append(names, n)
	}
	x.stateRE = alternation(names)
}

// recogniseStates finds states: a Country where the text uses one as a
// place ("in Malaysia", "nationals of the PRC", and the rest of a list that
// starts so), else a Government ("the Government of Malaysia", "Chinese
// authorities", "between the U.S. and China"). A demonym alone ("Chinese
// hackers") names no entity.
func (x *extractor) recogniseStates(i int) {
	s := x.sents[i]
	sent := x.text[s.start:s.end]
	type hit struct {
		span
		st      *state
		demonym bool
		label   string
	}
	var hits []hit
	for _, m := range x.stateRE.FindAllStringSubmatchIndex(sent, -1) {
		name := sent[m[2]:m[3]]
		st := x.stateOf[name]
		h := hit{span: span{s.start + m[2], s.start + m[3]}, st: st}
		for _, d := range st.demonyms {
			if d == name && !slices.Contains(st.names, name) {
				h.demonym = true
			}
		}
		hits = append(hits, h)
	}
	prevLabel := ""
	prevEnd := -1
	for k := range hits {
		h := &hits[k]
		before := x.text[s.start:h.start]
		after := x.text[h.end:s.end]
		// "the Republic of X", "the People's Republic of China (PRC)": one mention
		full := h.span
		for _, p := range []string{"Republic of ", "Government of ", "government of ", "State of ", "Kingdom of "} {
			if strings.HasSuffix(before, p) {
				full.start -= len(p)
				if p == "Republic of " || p == "State of " || p == "Kingdom of " {
					before = x.text[s.start:full.start] // "nationals of the Republic of X": X is the place
				}
			}
		}
		if capitals[x.text[h.start:h.end]] && !reCapitalActs.MatchString(after) && !reCapitalObject.MatchString(tail(before, 30)) {
			prevLabel = ""
			continue // "the Tokyo Olympics": a city, not a government
		}
		switch {
		case reCountryCue.MatchString(after) && (!h.demonym || x.hasPerson(i) || reCompanyCue.MatchString(after)):
			h.label = labelCountry
		case h.demonym && reGovCue.MatchString(strings.TrimLeft(after, " ")):
			h.label = labelGovernment
		case h.demonym:
			h.label = labelCountry // "Russian hackers": where they are from
		case strings.HasSuffix(before, "Government of ") || strings.HasSuffix(before, "government of ") || strings.HasSuffix(before, "governments of ") || reGovCue.MatchString(strings.TrimLeft(after, " ")) && !strings.HasPrefix(strings.TrimLeft(after, " "), "state"):
			h.label = labelGovernment
		case strings.HasPrefix(after, " states") || strings.HasPrefix(after, " state "):
			h.label = labelCountry
		case reLocative.MatchString(tail(before, 40)) && !(strings.HasSuffix(before, "and ") || strings.HasSuffix(before, ", ")):
			h.label = labelCountry
		case prevLabel != "" && prevEnd >= 0 && reStateListGap.MatchString(x.text[prevEnd:h.start]):
			h.label = prevLabel
		case h.st.iso2 == "" && h.st.invented == false:
			h.label = labelGovernment // a bloc
		case reCapitalActs.MatchString(after) || reCapitalObject.MatchString(tail(before, 30)) || reBetweenStates.MatchString(tail(before, 30)):
			h.label = labelGovernment // the state acts, or is acted on as a party
		default:
			h.label = labelCountry
		}
		prevLabel, prevEnd = h.label, h.end
		if h.label == "" {
			prevLabel = ""
			continue
		}
		fresh := x.lookup(h.label, h.st.name) == nil
		e := x.entity(h.label, h.st.name, full, ruleStateKnown, 0.85)
		if fresh && h.st.invented {
			e.rule = ruleStateLearnt
			e.confidence = 0.7
		}
		if fresh && h.demonym {
			e.rule = ruleDemonym
		}
		if h.demonym {
			x.fire(ruleDemonym)
		}
		if h.st.invented {
			x.fire(ruleStateLearnt)
		}
		e.st = h.st
		if h.label == labelCountry && h.st.iso2 != "" {
			e.props["iso2"] = h.st.iso2
		}
		x.mention(i, full, e)
		surface := x.text[full.start:full.end]
		// "Russian-speaking", "Iranian-linked": the compound names the place too
		if loc := reHyphenTail.FindStringIndex(after); loc != nil && h.label == labelCountry {
			e.addAlias(surface + after[:loc[1]])
		}
		switch {
		case h.label == labelGovernment && h.demonym:
			// "the Chinese government": the phrase names it
			if loc := reGovWord.FindStringIndex(after); loc != nil {
				e.addAlias(surface + after[:loc[1]])
			}
		case surface != h.st.name:
			e.addAlias(surface)
		}
	}
}

func (x *extractor) recogniseSectors(i int) {
	s := x.sents[i]
	sent := x.text[s.start:s.end]
	lower := asciiLower(sent)
	hits := x.pre[i].sectors
	for k := 0; k < len(hits); {
		// a chain of sector words: "banking and finance", "healthcare and maritime"
		j := k + 1
		for j < len(hits) && reSectorChainGap.MatchString(lower[hits[j-1][1]:hits[j][0]]) {
			j++
		}
		chain := hits[k:j]
		k = j
		first, last := chain[0][0], chain[len(chain)-1][1]
		head := reSectorHead.FindStringIndex(lower[last:])
		listed := reSectorList.MatchString(lower[:first])
		for _, h := range chain {
			word := lower[h[0]:h[1]]
			if head == nil && !listed && !institutionPlurals[word] && !(len(chain) == 1 && x.sectorAlone(word, lower[last:])) {
				continue
			}
			ev := span{s.start + first, s.start + last}
			if head != nil {
				ev.end += head[1]
			}
			e := x.entity(labelSector, x.sectorOf[word], ev, ruleSector, 0.7)
			if x.mention(i, span{s.start + h[0], s.start + h[1]}, e) {
				// how the text names the sector: "banking", "financial
				// institutions", "maritime and defense organizations"
				e.addAlias(x.text[s.start+h[0] : s.start+h[1]])
				if head != nil && h[1] == last {
					e.addAlias(x.text[s.start+h[0] : ev.end])
				}
				if ev.end-ev.start <= 80 {
					e.addAlias(x.text[ev.start:ev.end])
				}
			}
		}
	}
}

var (
	reSectorChainGap   = regexp.MustCompile(`^(?:,| and|, and|,? or) $`)
	reSectorHead       = regexp.MustCompile(`^(?: and similar)? (?:industry|industries|sectors?|companies|company|providers|manufacturers|firms|organizations|organisations|institutions|networks?|entities|targets)\b`)
	reSectorList       = regexp.MustCompile(`(?:industries|sectors) (?:like|such as|including) (?:[a-z -]+,? )*$`)
	institutionPlurals = map[string]bool{"universities": true, "hospitals": true, "think tanks": true, "banks": true, "water utilities": true, "power grids": true}
)

// sectorAlone: an industry's own name used as a noun, with no head noun
// after it ("attacks on banking.", "in healthcare and retail"): the word is
// the sector's name, and no lower-case word follows it (as in "banking
// trojan", where it qualifies the next word).
func (x *extractor) sectorAlone(word, after string) bool {
	// industries named by their activity (banking, manufacturing) or a
	// compound (healthcare, e-commerce) are used bare as nouns; other
	// sector names (government, software) are ordinary nouns in prose
	if !strings.EqualFold(word, x.sectorOf[word]) || len(word) < 5 ||
		!(strings.HasSuffix(word, "ing") || strings.HasSuffix(word, "care") || strings.HasSuffix(word, "commerce")) {
		return false
	}
	return reSectorAloneAfter.MatchString(after)
}

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

// legalHits finds the cues of legal actions in sentence i.
func (x *extractor) legalHits(i int) []legalHit {
	s := x.sents[i]
	sent := x.text[s.start:s.end]
	type found = legalHit
	var hits []found
	for _, m := range findAllSubmatchIf(reAgainst, sent, "harge", "HARGE", "ndictment", "NDICTMENT", "omplaint", "anction", "ANCTION") {
		hits = append(hits, found{kind: strings.ToLower(sent[m[4]:m[5]]), expected: m[2] >= 0 || strings.Contains(sent, "expected"), at: s.start + m[1]})
	}
	for _, m := range findAllSubmatchIf(reIndictCharge, sent, "ndictment", "omplaint") {
		hits = append(hits, found{kind: strings.ToLower(sent[m[2]:m[3]]), at: s.start + m[1]})
	}
	for _, m := range findAllSubmatchIf(reSanctionedVerb, sent, "sanctioned", "designated") {
		hits = append(hits, found{kind: "sanctions", at: s.start + m[1]})
	}
	return hits
}

// chargedPeople records the people the legal actions of sentence i name,
// before states are read ("Dmitry Khoroshev, a Russian national": the
// demonym describes a person named in the sentence).
func (x *extractor) chargedPeople(i int) {
	x.hits = x.pre[i].legal
	for _, h := range x.hits {
		x.chargedNames(i, h.at)
	}
	x.sortMentions(i)
}

func (x *extractor) recogniseLegalActions(i int) {
	s := x.sents[i]
	x.sortMentions(i)
	for _, h := range x.hits { // found by chargedPeople for this sentence
		x.chargedNames(i, h.at)
		x.sortMentions(i)
		subjects := x.listAfter(i, h.at, labelPerson, labelActor, labelOrg, labelGovernment)
		if len(subjects) == 0 {
			continue
		}
		var names []string
		for _, sub := range subjects {
			names = append(names, sub.ent.name)
		}
		var kindName, kind string
		switch {
		case strings.HasPrefix(h.kind, "indictment"):
			kindName, kind = "Indictment", "indictment"
		case strings.HasPrefix(h.kind, "sanction"):
			kindName, kind = "Sanctions", "sanction"
		case strings.Contains(h.kind, "complaint"):
			kindName, kind = "Complaint", "complaint"
		default:
			kindName, kind = "Charges", "charge"
		}
		if h.expected {
			kindName = "Expected " + strings.ToLower(kindName)
		}
		name := kindName + " against " + joinNames(names)
		last := subjects[len(subjects)-1]
		ev := trimSpan(x.text, span{s.start, last.end})
		e := x.entity(labelLegalAction, name, ev, ruleLegalAction, 0.75)
		if e.count == 0 {
			e.first = h.at
		}
		e.props["kind"] = kind
		if h.expected {
			e.props["status"] = "expected"
		}
		for _, sub := range subjects {
			if !slices.Contains(e.charged, sub.ent) {
				e.charged = append(e.charged, sub.ent)
			}
		}
		e.count++
		if !slices.Contains(x.actionsBySent[i], e) {
			x.actionsBySent[i] = append(x.actionsBySent[i], e)
		}
	}
}

func joinNames(names []string) string {
	switch len(names) {
	case 1:
		return names[0]
	case 2:
		return names[0] + " and " + names[1]
	default:
		return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
	}
}

// listAfter returns the mentions of the given labels that start at pos (after
// spaces) and continue as a list ("A, 35, and B (…), 39"); nil if the first
// mention after pos is not one of them.
func (x *extractor) listAfter(i, pos int, labels ...string) []mention {
	var out []mention
	cur := pos
	for _, m := range x.perSent[i] {
		if m.start < cur {
			continue
		}
		gap := x.text[cur:m.start]
		if !reListGap.MatchString(gap) || !slices.Contains(labels, m.ent.label) {
			break
		}
		out = append(out, m)
		cur = m.end
	}
	return out
}

// chargedNames records the people a charge names ("charges against Zhu Hua
// and Zhang Shilong", "charged Zhang Haoran (张浩然), 35, and Tan Dailin").
func (x *extractor) chargedNames(i, pos int) {
	end := x.sents[i].end
	for first := true; pos < end; first = false {
		m := reNextName.FindStringSubmatchIndex(x.text[pos:min(end, pos+200)])
		if m == nil {
			// "an indictment charging Khoroshev": one name of a known person
			if w := reNextWord.FindStringSubmatchIndex(x.text[pos:min(end, pos+60)]); w != nil {
				word := x.text[pos+w[2] : pos+w[3]]
				if people := x.byLast[word]; len(people) == 1 {
					sp := span{pos + w[2], pos + w[3]}
					if !x.overlaps(i, sp) {
						x.mention(i, sp, people[0])
					}
				}
			}
			return
		}
		if first && m[2] != 0 && strings.TrimSpace(x.text[pos:pos+m[2]]) != "" {
			return
		}
		name := x.text[pos+m[2] : pos+m[3]]
		sp := span{pos + m[2], pos + m[3]}
		if x.overlaps(i, sp) {
			pos = sp.end
			continue
		}
		if !x.plausibleName(name) {
			return
		}
		e := x.personEntity(name, sp, rulePersonList, 0.75)
		x.mention(i, sp, e)
		pos = sp.end
	}
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
	s := x.sents[i]
	sent := x.text[s.start:s.end]
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

// date is the article's date: a dateline (a line holding only a date) or
// else the latest full date the text mentions.
func (x *extractor) date() string {
	best := ""
	head := x.text
	if len(head) > 64<<10 {
		head = head[:64<<10] // a dateline and the dates of the story are near the start
	}
	for _, m := range reDateDMY.FindAllStringSubmatch(head, 200) {
		if d := isoDate(m[2], m[1], m[3]); d > best {
			best = d
		}
	}
	for _, m := range reDateFull.FindAllStringSubmatch(head, 200) {
		d := isoDate(m[1], m[2], m[3])
		if d == "" {
			continue
		}
		if d > best {
			best = d
		}
	}
	for _, m := range reDateISO.FindAllStringSubmatch(head, 200) {
		if d := m[1] + "-" + m[2] + "-" + m[3]; d > best && loaderDate(d) {
			best = d
		}
	}
	for _, line := range strings.SplitN(head, "\n", 41)[:min(40, strings.Count(head, "\n")+1)] {
		line = strings.TrimSpace(line)
		if m := reDateISO.FindStringSubmatch(line); m != nil && len(line) < len(m[0])+15 {
			if d := m[1] + "-" + m[2] + "-" + m[3]; loaderDate(d) {
				return d
			}
		}
		if m := reDateFull.FindStringSubmatch(line); m != nil && len(line) < len(m[0])+15 {
			if d := isoDate(m[1], m[2], m[3]); d != "" {
				return d
			}
		}
		if m := reDateDMY.FindStringSubmatch(line); m != nil && len(line) < len(m[0])+15 {
			if d := isoDate(m[2], m[1], m[3]); d != "" {
				return d
			}
		}
	}
	if best == "" {
		// no full date: the latest month ("July 2021")
		for _, m := range reMonthYear.FindAllStringSubmatch(head, 200) {
			if d := m[2] + "-" + months[m[1]]; d > best {
				best = d
			}
		}
	}
	return best
}

// loaderDate reports whether an ISO date is a real day (2021-02-30 is not).
func loaderDate(d string) bool {
	_, err := time.Parse("2006-01-02", d)
	return err == nil
}

var months = map[string]string{
	"January": "01", "February": "02", "March": "03", "April": "04", "May": "05", "June": "06", "July": "07",
	"August": "08", "September": "09", "October": "10", "November": "11", "December": "12",
	"Jan": "01", "Feb": "02", "Mar": "03", "Apr": "04", "Jun": "06", "Jul": "07", "Aug": "08", "Sep": "09", "Sept": "09",
	"Oct": "10", "Nov": "11", "Dec": "12",
}

func isoDate(month, day, year string) string {
	mm := months[strings.TrimSuffix(month, ".")]
	if mm == "" {
		return ""
	}
	if len(day) == 1 {
		day = "0" + day
	}
	return year + "-" + mm + "-" + day
}

// monthYear is the "Month YYYY" date a sentence names, as YYYY-MM.
func monthYear(sent string) string {
	if m := reMonthYear.FindStringSubmatch(sent); m != nil {
		return m[2] + "-" + months[m[1]]
	}
	return ""
}

// reKnownAs: "the group, known as CyberAv3ngers": an actor named without
// quotes, a distinctive word (a digit or an inner capital) or two or three
// capitalised words.
var reKnownAs = regexp.MustCompile(`\b(?:group|actor|hackers|team|crew|collective|gang)(?: [a-z]+){0,2},? (?:known|tracked|dubbed|referred to|calls itself|called)(?: as)? ((?:[A-Z][\p{L}\d]*[\p{Lu}\d][\p{L}\d]*|[A-Z][\p{L}\d]+(?: [A-Z][\p{L}\d]+){1,2}))`)

// reGangName: "the LockBit ransomware gang": an actor named before what it
// is.
var reGangName = regexp.MustCompile(`\b([A-Z][\p{L}\d]*(?: [A-Z][\p{L}\d]*)?) (?:ransomware|hacking|cybercrime|cyber-espionage|espionage|extortion) (?:gang|group|crew|collective|outfit|syndicate)\b`)
