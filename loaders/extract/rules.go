package extract

import (
	"fmt"
	"sort"
	"strings"
)

// Rule is one declared extraction rule. The registry drives the names
// the draft reports, the per-rule precision --eval and --eval-corpus print
// (in registry order), the rule table of docs/extraction.md (generated,
// TestRuleDocIsCurrent) and the check that every rule has a rule test
// (TestEveryRuleHasARuleTest).
type Rule struct {
	Name   string
	Domain string   // actors, software, people, organisations, places, legal, campaigns, relations: ...
	Emits  []string // the labels or relationship types it produces
	Cues   string   // what it looks for
	Source string   // the catalogue or pattern it draws on
	// Example is a text the rule fires on (a rule test runs it).
	Example string
}

// Domains, in the order the docs list them.
var Domains = []string{"actors", "software", "techniques", "vulnerabilities", "campaigns", "people", "organisations", "places", "sectors", "legal",
	"relations: attribution", "relations: use", "relations: targeting", "relations: legal", "relations: people and organisations", "relations: places"}

// Registry lists every rule.
var Registry = []Rule{
	// actors
	{Name: ruleCatalogue[labelActor], Domain: "actors", Emits: []string{labelActor}, Cues: "a name or alias of a catalogue's threat actor, as written (any case for distinctive names of five letters or more)", Source: "ATT&CK groups; MISP threat-actor and microsoft-activity-group galaxies", Example: "The activity is attributed to Kimsuky."},
	{Name: ruleActorCue, Domain: "actors", Emits: []string{labelActor}, Cues: "a catalogue actor name that is an ordinary word, next to group, actor, APT, gang or quoted", Source: "as catalogue-actor; SCOWL marks the ordinary words", Example: "Researchers blamed the Silence actors for the heists."},
	{Name: ruleActorScheme, Domain: "actors", Emits: []string{labelActor}, Cues: "vendors' naming schemes: APT, TA, UNC, FIN, Storm-, DEV-, TAG-, UAC- numbers; … Panda/Bear/Kitten/Chollima/Spider; … Typhoon/Blizzard/Sandstorm/Sleet/Tempest; BRONZE/IRON/COBALT … names; Earth …", Source: "vendors' published naming conventions", Example: "Proofpoint tracks the actor as TA9102."},
	{Name: ruleActorList, Domain: "actors", Emits: []string{labelActor}, Cues: "tracked as “A,” “B” and “C”; known as, dubbed, called: the first name, the others its aliases", Source: "pattern", Example: `The group, known as “Red Lantern,” stole data.`},
	{Name: ruleActorGroup, Domain: "actors", Emits: []string{labelActor}, Cues: "hacking group “X” (Y): an actor and its acronym", Source: "pattern", Example: `The hacking group “Advanced Persistent Threat 10” (APT10) stole data.`},
	{Name: ruleActorGang, Domain: "actors", Emits: []string{labelActor}, Cues: "an actor named before what it is: the X ransomware gang", Source: "pattern", Example: "He led the Quartzlock ransomware gang."},
	{Name: ruleGraphKnown, Domain: "actors", Emits: []string{labelActor, labelMalware, labelTool, labelCampaign}, Cues: "a name or alias of an entity the configured graph holds", Source: "the graph (threat actors, malware, tools, campaigns)", Example: "The actor deployed Quillfeather on the servers."},
	// software and techniques
	{Name: ruleCatalogue[labelMalware], Domain: "software", Emits: []string{labelMalware}, Cues: "a name or alias of a catalogue's malware family", Source: "ATT&CK malware; MISP malpedia, ransomware, rat, backdoor, stealer, botnet, exploit-kit galaxies", Example: "The intruders installed PlugX on the servers."},
	{Name: ruleCatalogue[labelTool], Domain: "software", Emits: []string{labelTool}, Cues: "a name or alias of a catalogue's tool", Source: "ATT&CK tools; MISP tool galaxy", Example: "They dumped credentials with Mimikatz."},
	{Name: ruleSoftwareCue, Domain: "software", Emits: []string{labelMalware, labelTool}, Cues: "a catalogue software name that is an ordinary word, next to malware, backdoor, ransomware, RAT, loader, stealer, family …, quoted, or named so elsewhere in the text", Source: "as catalogue-malware; SCOWL marks the ordinary words", Example: "The actor deployed the Ares malware."},
	{Name: ruleCatalogue[labelTechnique], Domain: "techniques", Emits: []string{labelTechnique}, Cues: "an ATT&CK technique's name in its title case (names of one word are ordinary words, left out)", Source: "ATT&CK techniques", Example: "The malware used Exfiltration Over Web Service."},
	{Name: ruleTechniqueID, Domain: "techniques", Emits: []string{labelTechnique}, Cues: "an ATT&CK technique id (T1566, T1003.001)", Source: "ATT&CK techniques", Example: "The actor used T1566.001 in the first stage."},
	{Name: ruleCVE, Domain: "vulnerabilities", Emits: []string{labelVuln}, Cues: "a CVE id (CVE-2019-19781)", Source: "the CVE id format", Example: "The attackers exploited CVE-2019-19781."},
	// campaigns
	{Name: ruleCatalogue[labelCampaign], Domain: "campaigns", Emits: []string{labelCampaign}, Cues: "an ATT&CK campaign's name", Source: "ATT&CK campaigns", Example: "The SolarWinds Compromise began in 2019."},
	{Name: ruleCampaignQuote, Domain: "campaigns", Emits: []string{labelCampaign}, Cues: "a quoted “… Conspiracy/Campaign/Operation”, Operation X", Source: "pattern", Example: `They joined a “Video Game Conspiracy” in 2014.`},
	{Name: ruleAgreement, Domain: "campaigns", Emits: []string{labelAgreement}, Cues: "accords, treaties, charters, commitments (same-year variants merged)", Source: "pattern", Example: "This violates the 2015 Cyber Agreement between the two states."},
	// people
	{Name: rulePersonTitle, Domain: "people", Emits: []string{labelPerson}, Cues: "a title then a name; the title becomes the role", Source: "pattern", Example: "Deputy Attorney General Rod Rosenstein spoke."},
	{Name: rulePersonAge, Domain: "people", Emits: []string{labelPerson}, Cues: "a defendant's name and age: NAME, 35,", Source: "pattern", Example: "Zhang Haoran, 35, was charged."},
	{Name: rulePersonSaid, Domain: "people", Emits: []string{labelPerson}, Cues: "speakers: said NAME, NAME said", Source: "pattern", Example: "“It is serious,” said Bonnie Glaser."},
	{Name: rulePersonAppos, Domain: "people", Emits: []string{labelPerson}, Cues: "NAME, ROLE at ORG; spokesman NAME,", Source: "pattern", Example: "Bonnie Glaser, a senior adviser at the Center for Strategic and International Studies, agreed."},
	{Name: rulePersonList, Domain: "people", Emits: []string{labelPerson}, Cues: "the people a charge, a sanction or an affiliation names", Source: "pattern", Example: "Deputy Attorney General Rod Rosenstein announced charges against Zhu Hua and Zhang Shilong."},
	{Name: ruleShortForm, Domain: "people", Emits: []string{labelPerson, labelOrg, labelActor}, Cues: "later mentions by one name or an acronym", Source: "the text's own names", Example: "Deputy Attorney General Rod Rosenstein spoke. Later, Rosenstein said more."},
	// organisations
	{Name: ruleOrgKnown, Domain: "organisations", Emits: []string{labelOrg}, Cues: "well-known agencies, companies and outlets, with their parent", Source: "orgs.tsv", Example: "The FBI investigated."},
	{Name: ruleCatalogue[labelOrg], Domain: "organisations", Emits: []string{labelOrg}, Cues: "a security vendor ATT&CK cites, or an intelligence agency", Source: "ATT&CK's reference names; MISP intelligence-agencies galaxy", Example: "Researchers at Volexity saw the campaign."},
	{Name: ruleOrgPattern, Domain: "organisations", Emits: []string{labelOrg}, Cues: "a capitalised name ending or starting with a head word (Ministry of …, … Bureau, … Inc., … LLC, … GmbH); not one the text writes in lower case nearby", Source: "pattern", Example: "Acme Widgets LLC was hacked."},
	{Name: ruleOrgCue, Domain: "organisations", Emits: []string{labelOrg}, Cues: "what CTI prose says of an organisation: researchers at X, security firm X, X researchers, X's threat intelligence team, X discovered or has observed", Source: "pattern", Example: "Researchers at Quillbyte found the backdoor."},
	{Name: ruleOrgApposition, Domain: "organisations", Emits: []string{labelOrg}, Cues: "X, a front company; a front company, X", Source: "pattern", Example: "Huaying Haitai, a front company, employed them."},
	{Name: ruleOrgUnnamed, Domain: "organisations", Emits: []string{labelOrg}, Cues: "a victim the text does not name", Source: "pattern", Example: "Victims of the hack included a regional bank."},
	{Name: ruleAcronym, Domain: "organisations", Emits: []string{labelOrg, labelActor}, Cues: "X (ACRONYM): the bracket is an alias", Source: "pattern", Example: "The Chengdu 404 Network Technology (“Chengdu 404”) paid them."},
	{Name: ruleImplied, Domain: "organisations", Emits: []string{labelOrg, labelGovernment}, Cues: "the parent an agency implies (FBI: the Department of Justice, the United States)", Source: "orgs.tsv", Example: "The FBI investigated."},
	{Name: ruleOrgRole, Domain: "organisations", Emits: []string{labelOrg}, Cues: "the office a post names (Attorney General: the Justice Department)", Source: "pattern", Example: "Deputy Attorney General Rod Rosenstein spoke."},
	// places
	{Name: ruleStateKnown, Domain: "places", Emits: []string{labelCountry, labelGovernment}, Cues: "a state: a Government when it acts (said, condemned, sanctioned, leaders from, between X and Y), else a Country", Source: "countries.tsv and world-countries", Example: "Hackers in Vietnam were blamed."},
	{Name: ruleDemonym, Domain: "places", Emits: []string{labelCountry, labelGovernment}, Cues: "a demonym: the Country (Chinese hackers), the Government with a government word (Chinese authorities)", Source: "world-countries' demonyms", Example: "Iranian hackers stole data."},
	{Name: ruleStateLearnt, Domain: "places", Emits: []string{labelCountry, labelGovernment}, Cues: "a state the text introduces (the Republic of Karvonia) and its demonym", Source: "pattern", Example: "Three nationals of the Republic of Velmora were charged."},
	{Name: ruleRegion, Domain: "places", Emits: []string{labelRegion}, Cues: "a region of the world", Source: "MISP region galaxy (UN M49), world-countries, STIX region-ov", Example: "The group targets firms in the Middle East."},
	// sectors
	{Name: ruleSector, Domain: "sectors", Emits: []string{labelSector}, Cues: "sector words with a head noun (companies, industry, sector) or in a list; the phrase is kept as an alias", Source: "sectors.tsv; STIX industry-sector-ov; MISP sector galaxy", Example: "The group went after banking and finance companies."},
	// legal
	{Name: ruleLegalAction, Domain: "legal", Emits: []string{labelLegalAction}, Cues: "charges against, an indictment that charged or names, a complaint, sanctions against, OFAC sanctioned X", Source: "pattern", Example: "The Justice Department announced charges against Zhu Hua."},
	// relations
	{Name: ruleRelAttributed, Domain: "relations: attribution", Emits: []string{relAttributed}, Cues: "on behalf of, sponsored by, attributed to, is part of, linked to", Source: "pattern", Example: "APT77 acted on behalf of the Government of Russia."},
	{Name: ruleRelSponsored, Domain: "relations: attribution", Emits: []string{relAttributed}, Cues: "China’s state-sponsored APT10", Source: "pattern", Example: "Russia's state-sponsored APT28 was named."},
	{Name: ruleRelNationality, Domain: "relations: attribution", Emits: []string{relAttributed}, Cues: "the Chinese group APT40, Iranian threat actor X, the China-based X", Source: "pattern", Example: "The Chinese group APT40 was named."},
	{Name: ruleRelAffiliated, Domain: "relations: attribution", Emits: []string{relAffiliated}, Cues: "collaborated with, members of, the leader of, worked through", Source: "pattern", Example: "Zhu Hua and Zhang Shilong were members of APT10."},
	{Name: ruleRelDefendantsActor, Domain: "relations: attribution", Emits: []string{relAffiliated}, Cues: "the text says its defendants or their intrusions are an actor (defendants, including “APT41” actors; the intrusions, tracked using the threat labels …): everyone it charges", Source: "pattern", Example: "Five defendants, including “APT41” actors, were charged. The indictment charged Zhang Haoran, 35, and Tan Dailin, 35, with hacking."},
	{Name: ruleRelFrontOf, Domain: "relations: attribution", Emits: []string{relAffiliated}, Cues: "X, a front company of Y", Source: "pattern", Example: "Chengdu 404 Network Technology, a front company of the Ministry of State Security, paid them."},
	{Name: ruleRelConducted, Domain: "relations: attribution", Emits: []string{relConducted}, Cues: "participated in, conducted, carried out a named campaign", Source: "pattern", Example: `Zhang Haoran, 35, and Tan Dailin, 35, participated in a “Video Game Conspiracy”.`},
	{Name: ruleRelUses, Domain: "relations: use", Emits: []string{relUses}, Cues: "used, deployed, leveraged, dropped, delivered, installed, relied on …: the actor or campaign before, the software and techniques after", Source: "pattern", Example: "APT41 deployed ShadowPad and Cobalt Strike."},
	{Name: ruleRelUsedBy, Domain: "relations: use", Emits: []string{relUses}, Cues: "X, a backdoor used by Y", Source: "pattern", Example: "ShadowPad, a backdoor used by APT41, was found."},
	{Name: ruleRelExploits, Domain: "relations: use", Emits: []string{relExploits}, Cues: "exploited, exploiting, exploitation of: the actor or software before, the CVE after", Source: "pattern", Example: "APT41 exploited CVE-2019-19781."},
	{Name: ruleRelExploitsBy, Domain: "relations: use", Emits: []string{relExploits}, Cues: "CVE-X, exploited by Y", Source: "pattern", Example: "The flaw CVE-2021-26855, exploited by APT41, was patched."},
	{Name: ruleRelTargeted, Domain: "relations: targeting", Emits: []string{relTargeted}, Cues: "hacked, stole from, targeted, infiltrated, compromised, breached, victims included", Source: "pattern", Example: "APT41 hacked Acme Widgets LLC."},
	{Name: ruleRelViolated, Domain: "relations: legal", Emits: []string{relViolated}, Cues: "violates, a violation of an agreement", Source: "pattern", Example: "APT10's hacking violates the 2015 Cyber Agreement."},
	{Name: ruleRelPartyTo, Domain: "relations: legal", Emits: []string{relPartyTo}, Cues: "an agreement made between X and Y, which X signed", Source: "pattern", Example: "This breaks the 2015 Cyber Agreement made between the United States and China."},
	{Name: ruleRelCondemned, Domain: "relations: legal", Emits: []string{relCondemned}, Cues: "condemn, denounce, call out, hold accountable; a judgement in a quote (irresponsible)", Source: "pattern", Example: "The EU condemns the campaign conducted by the Russia-controlled APT77 against Germany."},
	{Name: ruleRelCharged, Domain: "relations: legal", Emits: []string{relCharged}, Cues: "the legal action's subjects", Source: "pattern", Example: "The Justice Department announced charges against Zhu Hua."},
	{Name: ruleRelBrought, Domain: "relations: legal", Emits: []string{relBroughtBy}, Cues: "the agency that unsealed, filed or brought it, whose attorneys prosecute, or which sanctioned", Source: "pattern", Example: "The Justice Department unsealed an indictment charging Ivo Marek."},
	{Name: ruleRelAnnounced, Domain: "relations: legal", Emits: []string{relAnnounced}, Cues: "announced", Source: "pattern", Example: "The Justice Department announced charges against Zhu Hua."},
	{Name: ruleRelWorksFor, Domain: "relations: people and organisations", Emits: []string{relWorksFor}, Cues: "ORG Secretary NAME; NAME of ORG", Source: "pattern", Example: "“We act,” said Ann Bell, director general of Britain's National Crime Agency."},
	{Name: ruleRelRoleOrg, Domain: "relations: people and organisations", Emits: []string{relWorksFor}, Cues: "Attorney General: the Justice Department; U.S. Attorney for the District of X", Source: "pattern", Example: "Deputy Attorney General Rod Rosenstein spoke."},
	{Name: ruleRelPartOf, Domain: "relations: people and organisations", Emits: []string{relPartOf}, Cues: "X’s Y, Y of the X, X including Y, Y, a service of X", Source: "pattern", Example: "The department is grateful to Microsoft, including Microsoft’s Threat Intelligence Center (MSTIC) and Digital Crimes Unit (DCU)."},
	{Name: ruleRelParent, Domain: "relations: people and organisations", Emits: []string{relPartOf}, Cues: "an agency in its parent (FBI in the Justice Department)", Source: "orgs.tsv", Example: "The FBI investigated."},
	{Name: ruleRelStateAgency, Domain: "relations: people and organisations", Emits: []string{relPartOf}, Cues: "an agency named after its state (Royal Malaysia Police)", Source: "pattern", Example: "The Royal Malaysia Police made arrests."},
	{Name: ruleRelSectorOf, Domain: "relations: people and organisations", Emits: []string{relPartOf}, Cues: "an organisation of a sector (a hospital network in Healthcare)", Source: "pattern", Example: "Victims of the hack included a global banking institution, as well as various other targets in the banking and finance industries."},
	{Name: ruleRelReported, Domain: "relations: people and organisations", Emits: []string{relReported}, Cues: "an outlet reported", Source: "pattern", Example: "The Washington Post reported that APT41 hacked Acme Widgets LLC."},
	{Name: ruleRelDiscovered, Domain: "relations: people and organisations", Emits: []string{relDiscovered}, Cues: "discovered", Source: "pattern", Example: "Mandiant discovered APT41."},
	{Name: ruleRelLocated, Domain: "relations: places", Emits: []string{relLocatedIn}, Cues: "a PRC company, registered in X", Source: "pattern", Example: "Chengdu 404 Network Technology, a company registered in China, paid them."},
	{Name: ruleRelNational, Domain: "relations: places", Emits: []string{relLocatedIn}, Cues: "nationals of X, a Czech national", Source: "pattern", Example: "Britain sanctioned Ivo Marek, a Czech national who is the leader of the NightFall ransomware gang."},
	{Name: ruleRelGoverns, Domain: "relations: places", Emits: []string{relGoverns}, Cues: "a state that is both a Government and a Country in the text", Source: "pattern", Example: "Hackers in Vietnam were blamed. Vietnam denied it."},
}

// RuleNamed returns a registered rule.
func RuleNamed(name string) (Rule, bool) {
	for _, r := range Registry {
		if r.Name == name {
			return r, true
		}
	}
	return Rule{}, false
}

// ruleOrder is a rule's place in the registry (unknown rules last).
func ruleOrder(name string) int {
	for i, r := range Registry {
		if r.Name == name {
			return i
		}
	}
	return len(Registry)
}

// RuleTable is the rule table of docs/extraction.md, in Markdown,
// generated from the registry.
func RuleTable() string {
	var b strings.Builder
	rules := append([]Rule{}, Registry...)
	domainAt := map[string]int{}
	for i, d := range Domains {
		domainAt[d] = i
	}
	sort.SliceStable(rules, func(i, j int) bool { return domainAt[rules[i].Domain] < domainAt[rules[j].Domain] })
	b.WriteString("| domain | rule | emits | cues | from |\n|---|---|---|---|---|\n")
	for _, r := range rules {
		fmt.Fprintf(&b, "| %s | `%s` | %s | %s | %s |\n", r.Domain, r.Name, strings.Join(r.Emits, ", "),
			strings.ReplaceAll(r.Cues, "|", "\\|"), r.Source)
	}
	return b.String()
}
