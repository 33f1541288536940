// Package model is threatkg's one declared graph model: labels, their key and
// properties, relationship types and the endpoint labels each allows. The
// schema, MERGE statements, input validation, docs/model.md and the Browser
// style are all derived from it. It imports no Neo4j code, so loaders can
// validate against it.
package model

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// PropertyType is the type of a declared property, as the loaders must
// provide it and as it is stored in Neo4j.
type PropertyType string

// The property types the model uses.
const (
	String     PropertyType = "string"
	StringList PropertyType = "string[]"
	Date       PropertyType = "date" // stored as an ISO 8601 string (YYYY, YYYY-MM or YYYY-MM-DD): sources are often vague
	Integer    PropertyType = "integer"
	Boolean    PropertyType = "boolean"
)

// Property is one declared property of a label or relationship type.
type Property struct {
	Name        string
	Type        PropertyType
	Description string
	// STIX is the STIX 2.1 (or ATT&CK x_mitre_) property that carries it,
	// where STIX has one that holds the value as it is (a Date as a
	// timestamp): STIX import reads it from there and export writes it
	// there. Empty: x_threatkg_properties carries it.
	STIX string
}

// NodeType declares one entity label. Every entity node also carries the
// base label EntityLabel and is identified by its uid.
type NodeType struct {
	Label string
	// STIXType is the STIX 2.1 object type whose id shape the uid takes
	// ("threat-actor--<uuid>"), so that STIX import and export map 1:1.
	STIXType string
	// STIXImport are other STIX types that import as this label
	// (threat-actor as well as intrusion-set). A STIX type several labels
	// share (identity, location) is decided per object.
	STIXImport  []string
	Description string
	// Properties beyond the common ones (uid, name, aliases, description).
	Properties []Property
	// Color is the Neo4j Browser fill colour for this label; Diameter its
	// node size in pixels (more central labels are larger).
	Color    string
	Diameter int
	// Identity says what makes two entities of this label one: a name
	// (the default), a value (observables) or a producer's STIX id
	// (indicators).
	Identity Identity
}

// Identity is what identifies an entity of a label.
type Identity int

const (
	// ByName: the uid derives from the label and the normalised name, and
	// entity resolution links nodes that share a normalised name or alias.
	ByName Identity = iota
	// ByValue: a STIX cyber-observable (an IP address, a domain, a file's
	// hash). Its uid is STIX's deterministic id of its normalised value
	// (ObservableUID), so one value is one node whichever source names it;
	// it is never resolved by name (1.2.3.4 and 12.3.4 normalise alike as
	// names).
	ByValue
	// ByID: a STIX indicator, identified by the id its producer gave it; two
	// indicators are never merged by their names.
	ByID
)

// Resolved reports whether entity resolution compares this label's names.
func (n NodeType) Resolved() bool { return n.Identity == ByName }

// RelType declares one relationship type and the endpoint labels it allows.
type RelType struct {
	Type        string
	Description string
	From, To    []string
	Properties  []Property
	// STIX are the STIX relationship types that import as this type; the
	// first is the one export writes. Empty: the type in lower case and
	// hyphenated, both ways (STIX relationship types are an open vocabulary).
	STIX []string
}

// Allows reports whether the model allows (from)-[t]->(to).
func (r RelType) Allows(from, to string) bool {
	return slices.Contains(r.From, from) && slices.Contains(r.To, to)
}

// Model is the whole declared graph model.
type Model struct {
	Nodes []NodeType
	Rels  []RelType
}

// Labels and names shared by every part of threatkg. Only the model spells
// labels; everything else asks the model.
const (
	EntityLabel = "Entity" // base label of every entity node; key: uid
	ReportLabel = "Report" // a source document; key: uid
	KeyProperty = "uid"
	// MentionsType links a Report to every entity it names; it carries what
	// that source says of the entity (name, aliases, properties, quote).
	MentionsType = "MENTIONS"
	// ReportedType: a news outlet or publisher reported an event.
	ReportedType = "REPORTED"
	// SameAsType links two nodes that entity resolution found to be one
	// entity; NotSameAsType records that a user undid such a link, so that
	// later loads do not make it again. Neither is a source's claim.
	SameAsType    = "SAME_AS"
	NotSameAsType = "NOT_SAME_AS"
)

// Properties several labels share.
var (
	externalID  = Property{Name: "external_id", Type: String, Description: "the id other catalogues use: ATT&CK's G0045, S0013, T1199, C0001"}
	externalURL = Property{Name: "url", Type: String, Description: "the entry's page in that catalogue"}
	platforms   = Property{Name: "platforms", Type: StringList, Description: "platforms it applies to (ATT&CK), e.g. Windows", STIX: "x_mitre_platforms"}
	value       = Property{Name: "value", Type: String, Description: "the observable's normalised value (ObservableValue); looked up through an index", STIX: "value"}
	// observables are the labels a value identifies, and what an indicator's
	// pattern compares, a claim can tie to an actor.
	observables = []string{LabelIPv4, LabelIPv6, LabelDomain, LabelURL, LabelFile, LabelEmail}
	// indicated are what an indicator can indicate (STIX 2.1's indicates).
	indicated = []string{LabelThreatActor, LabelCampaign, LabelMalware, LabelTool, LabelTechnique}
)

// CommonProperties are carried by every entity node.
var CommonProperties = []Property{
	{Name: "uid", Type: String, Description: "STIX-shaped id: <stix-type>--<UUIDv5 of type and normalised name>; unique across the graph"},
	{Name: "name", Type: String, Description: "canonical name"},
	{Name: "aliases", Type: StringList, Description: "other names the sources use"},
	{Name: "description", Type: String, Description: "one or two sentences an analyst would write"},
	{Name: "keys", Type: StringList, Description: "the normalised name and aliases, which entity resolution compares (derived)"},
}

// ClaimProperties are carried by every relationship a source asserts. Each
// source's claim is its own relationship, so a claim made by two sources is
// two parallel relationships, each with its own provenance (docs/model.md).
var ClaimProperties = []Property{
	{Name: "claim", Type: String, Description: "uid of this claim: relationship--<UUIDv5 of type, endpoints and source>"},
	{Name: "source", Type: String, Description: "uid of the Report that asserts it"},
	{Name: "quote", Type: String, Description: "the source's words that support it, verbatim"},
	{Name: "date", Type: Date, Description: "when it happened, if the source says"},
	{Name: "citations", Type: StringList, Description: "the references the source cites for it (STIX external references)"},
}

// Declared is threatkg's graph model. Constraints, MERGE statements, input
// validation, docs/model.md and the Browser style are all derived from it.
var Declared = Model{
	Nodes: []NodeType{
		{Label: LabelThreatActor, STIXType: "intrusion-set", STIXImport: []string{"threat-actor"}, Color: "#D64545", Diameter: 80,
			Description: "a hacking group or intrusion set (APT10, menuPass)",
			Properties: []Property{
				{Name: "first_seen", Type: Date, Description: "earliest activity the sources name", STIX: "first_seen"},
				externalID, externalURL,
			}},
		{Label: LabelPerson, STIXType: "identity", Color: "#F2A93B", Diameter: 55,
			Description: "an individual: a hacker, an official, an expert",
			Properties: []Property{
				{Name: "role", Type: String, Description: "title or role as the source gives it"},
				{Name: "nationality", Type: String, Description: "as the source gives it"},
			}},
		{Label: LabelOrganization, STIXType: "identity", Color: "#4C8BF5", Diameter: 55,
			Description: "a company, agency, institute, news outlet or group of victims",
			Properties: []Property{
				{Name: "kind", Type: String, Description: "agency, company, think-tank, news-outlet, victim-group, ..."},
				{Name: "count", Type: Integer, Description: "for a victim group: how many the source counts"},
			}},
		{Label: LabelGovernment, STIXType: "identity", Color: "#7B61FF", Diameter: 65,
			Description: "a national government or bloc acting as a party (the US government, the EU)"},
		{Label: LabelCountry, STIXType: "location", Color: "#2EAD6B", Diameter: 55,
			Description: "a country as a place",
			Properties: []Property{
				{Name: "iso2", Type: String, Description: "ISO 3166-1 alpha-2 code"},
			}},
		{Label: LabelRegion, STIXType: "location", Color: "#7FB77E", Diameter: 55,
			Description: "a region of the world as a place (Middle East, Southeast Asia)"},
		{Label: LabelSector, STIXType: "identity", Color: "#13A8A8", Diameter: 55,
			Description: "an industry sector (banking, aerospace)"},
		{Label: LabelCampaign, STIXType: "campaign", Color: "#E8618C", Diameter: 65,
			Description: "a set of intrusions over a period",
			Properties: []Property{
				{Name: "start", Type: Date, Description: "when it began", STIX: "first_seen"},
				{Name: "end", Type: Date, Description: "when it ended, if known", STIX: "last_seen"},
				externalID, externalURL,
			}},
		{Label: LabelMalware, STIXType: "malware", Color: "#A63D40", Diameter: 55,
			Description: "malicious software (a family): PlugX, RedLeaves",
			Properties:  []Property{externalID, externalURL, platforms}},
		{Label: LabelTool, STIXType: "tool", Color: "#C9A227", Diameter: 50,
			Description: "legitimate software that attackers use: Mimikatz, PsExec",
			Properties:  []Property{externalID, externalURL, platforms}},
		{Label: LabelTechnique, STIXType: "attack-pattern", Color: "#6C757D", Diameter: 45,
			Description: "an ATT&CK technique or sub-technique (T1199 Trusted Relationship)",
			Properties: []Property{
				externalID, externalURL, platforms,
				{Name: "tactics", Type: StringList, Description: "ATT&CK tactics (kill-chain phases), e.g. initial-access"},
				{Name: "is_subtechnique", Type: Boolean, Description: "true for a sub-technique (T1003.002)", STIX: "x_mitre_is_subtechnique"},
			}},
		{Label: LabelVulnerability, STIXType: "vulnerability", Color: "#E67E22", Diameter: 50,
			Description: "a software vulnerability, named by its CVE id (CVE-2019-19781)",
			Properties: []Property{
				{Name: "external_id", Type: String, Description: "the CVE id"},
				externalURL,
			}},
		{Label: LabelAgreement, STIXType: "x-threatkg-agreement", Color: "#8D6E63", Diameter: 60,
			Description: "a treaty, accord or commitment between governments",
			Properties: []Property{
				{Name: "date", Type: Date, Description: "when it was agreed"},
			}},
		{Label: LabelLegalAction, STIXType: "x-threatkg-legal-action", Color: "#5C6BC0", Diameter: 60,
			Description: "an indictment, charge, sanction or other legal step",
			Properties: []Property{
				{Name: "kind", Type: String, Description: "indictment, charge, sanction, ..."},
				{Name: "date", Type: Date, Description: "when it was brought"},
				{Name: "status", Type: String, Description: "e.g. announced, expected"},
			}},
		{Label: LabelIndicator, STIXType: "indicator", Color: "#FF7043", Diameter: 45, Identity: ByID,
			Description: "a STIX indicator: a pattern that detects activity (its observables: BASED_ON)",
			Properties: []Property{
				{Name: "pattern", Type: String, Description: "the detection pattern, e.g. [ipv4-addr:value = '198.51.100.3']", STIX: "pattern"},
				{Name: "pattern_type", Type: String, Description: "the pattern language: stix, snort, yara, sigma, ...", STIX: "pattern_type"},
				{Name: "valid_from", Type: String, Description: "when it became valid (a STIX timestamp)", STIX: "valid_from"},
				{Name: "valid_until", Type: String, Description: "when it stops being valid (a STIX timestamp)", STIX: "valid_until"},
				{Name: "indicator_types", Type: StringList, Description: "STIX's indicator-type vocabulary: malicious-activity, attribution, ...", STIX: "indicator_types"},
			}},
		{Label: LabelIPv4, STIXType: "ipv4-addr", Color: "#78909C", Diameter: 35, Identity: ByValue,
			Description: "an IPv4 address or CIDR block (STIX ipv4-addr)", Properties: []Property{value}},
		{Label: LabelIPv6, STIXType: "ipv6-addr", Color: "#607D8B", Diameter: 35, Identity: ByValue,
			Description: "an IPv6 address or CIDR block (STIX ipv6-addr)", Properties: []Property{value}},
		{Label: LabelDomain, STIXType: "domain-name", Color: "#26A69A", Diameter: 35, Identity: ByValue,
			Description: "a domain name, lower case (STIX domain-name)", Properties: []Property{value}},
		{Label: LabelURL, STIXType: "url", Color: "#9575CD", Diameter: 35, Identity: ByValue,
			Description: "a URL, scheme and host in lower case (STIX url)", Properties: []Property{value}},
		{Label: LabelFile, STIXType: "file", Color: "#A1887F", Diameter: 35, Identity: ByValue,
			Description: "a file, by its hashes (lower-case hex) and name (STIX file)",
			Properties: []Property{
				{Name: "md5", Type: String, Description: "MD5 hash, lower-case hex", STIX: "hashes.MD5"},
				{Name: "sha1", Type: String, Description: "SHA-1 hash, lower-case hex", STIX: "hashes.SHA-1"},
				{Name: "sha256", Type: String, Description: "SHA-256 hash, lower-case hex", STIX: "hashes.SHA-256"},
				{Name: "sha512", Type: String, Description: "SHA-512 hash, lower-case hex", STIX: "hashes.SHA-512"},
				{Name: "file_name", Type: String, Description: "the file's name, when a source gives one", STIX: "name"},
			}},
		{Label: LabelEmail, STIXType: "email-addr", Color: "#F06292", Diameter: 35, Identity: ByValue,
			Description: "an e-mail address, its domain in lower case (STIX email-addr)", Properties: []Property{value}},
	},
	Rels: []RelType{
		{Type: RelAffiliatedWith, Description: "is a member of, or works with, a group",
			From: []string{LabelPerson, LabelOrganization, LabelThreatActor}, To: []string{LabelThreatActor, LabelOrganization, LabelGovernment}},
		{Type: RelAttributedTo, Description: "acts on behalf of, or is sponsored by", STIX: []string{"attributed-to"},
			From: []string{LabelThreatActor, LabelCampaign, LabelPerson}, To: []string{LabelGovernment, LabelCountry, LabelOrganization, LabelThreatActor}},
		{Type: RelConducted, Description: "carried out a campaign",
			From: []string{LabelThreatActor, LabelPerson, LabelGovernment}, To: []string{LabelCampaign}},
		{Type: RelTargeted, Description: "attacked, hacked, infiltrated or stole from", STIX: []string{"targets"},
			From: []string{LabelThreatActor, LabelCampaign, LabelPerson, LabelGovernment, LabelMalware, LabelTool, LabelTechnique},
			To:   []string{LabelPerson, LabelOrganization, LabelGovernment, LabelCountry, LabelRegion, LabelSector},
			Properties: []Property{
				{Name: "objective", Type: String, Description: "what the attacker was after, as the source says"},
			}},
		{Type: RelChargedIn, Description: "is the subject of a legal action: charged, indicted, sanctioned",
			From: []string{LabelPerson, LabelThreatActor, LabelOrganization, LabelGovernment}, To: []string{LabelLegalAction}},
		{Type: RelBroughtBy, Description: "the legal action was brought by",
			From: []string{LabelLegalAction}, To: []string{LabelOrganization, LabelGovernment, LabelPerson}},
		{Type: RelCondemned, Description: "publicly condemned, denounced or called out",
			From: []string{LabelGovernment, LabelCountry, LabelOrganization, LabelPerson},
			To:   []string{LabelGovernment, LabelCountry, LabelThreatActor, LabelOrganization, LabelPerson},
			Properties: []Property{
				{Name: "status", Type: String, Description: "made, or expected when the source was written"},
			}},
		{Type: RelViolated, Description: "broke an agreement",
			From: []string{LabelThreatActor, LabelCampaign, LabelGovernment, LabelCountry}, To: []string{LabelAgreement}},
		{Type: RelPartyTo, Description: "is a party to an agreement",
			From: []string{LabelGovernment, LabelCountry}, To: []string{LabelAgreement}},
		{Type: RelWorksFor, Description: "holds a post at",
			From: []string{LabelPerson}, To: []string{LabelOrganization, LabelGovernment},
			Properties: []Property{
				{Name: "role", Type: String, Description: "the post, as the source gives it"},
			}},
		{Type: RelPartOf, Description: "is part of a larger organization, government, sector or campaign",
			From: []string{LabelOrganization, LabelGovernment, LabelCampaign}, To: []string{LabelOrganization, LabelGovernment, LabelSector, LabelCampaign}},
		{Type: RelLocatedIn, Description: "is located in, or originates from, a country or region", STIX: []string{"located-at", "originates-from"},
			From: []string{LabelOrganization, LabelGovernment, LabelPerson, LabelThreatActor, LabelCampaign, LabelMalware}, To: []string{LabelCountry, LabelRegion}},
		{Type: RelGoverns, Description: "a government governs a country",
			From: []string{LabelGovernment}, To: []string{LabelCountry}},
		{Type: RelAnnounced, Description: "made public: charges, a discovery, an agreement's terms",
			From: []string{LabelPerson, LabelOrganization, LabelGovernment}, To: []string{LabelLegalAction, LabelAgreement, LabelCampaign}},
		{Type: RelDiscovered, Description: "found an intrusion, campaign or actor",
			From: []string{LabelOrganization, LabelPerson}, To: []string{LabelCampaign, LabelThreatActor}},
		{Type: ReportedType, Description: "a news outlet or publisher reported it (the source relied on that outlet)",
			From: []string{LabelOrganization}, To: []string{LabelCampaign, LabelLegalAction, LabelThreatActor, LabelAgreement}},
		{Type: RelUses, Description: "uses software or a technique (STIX uses)", STIX: []string{"uses"},
			From: []string{LabelThreatActor, LabelCampaign, LabelMalware, LabelTool}, To: []string{LabelMalware, LabelTool, LabelTechnique}},
		{Type: RelExploits, Description: "exploits a vulnerability (STIX exploits; targets, from an actor, campaign or tool)", STIX: []string{"exploits"},
			From: []string{LabelThreatActor, LabelCampaign, LabelMalware, LabelTool}, To: []string{LabelVulnerability}},
		{Type: RelSubtechniqueOf, Description: "a sub-technique of a technique (STIX subtechnique-of)", STIX: []string{"subtechnique-of"},
			From: []string{LabelTechnique}, To: []string{LabelTechnique}},
		{Type: RelVariantOf, Description: "malware that is a variant of another (STIX variant-of)", STIX: []string{"variant-of"},
			From: []string{LabelMalware}, To: []string{LabelMalware}},
		{Type: RelIndicates, Description: "an indicator detects the activity of an actor, campaign, malware or tool (STIX indicates)", STIX: []string{"indicates"},
			From: []string{LabelIndicator}, To: indicated},
		{Type: RelBasedOn, Description: "an indicator's pattern matches this observable (from its pattern, or STIX based-on)", STIX: []string{"based-on"},
			From: []string{LabelIndicator}, To: observables},
		{Type: RelRelatedTo, Description: "a source ties an indicator or observable to an actor, campaign, software or another observable (STIX related-to)", STIX: []string{"related-to"},
			From: append([]string{LabelIndicator}, observables...), To: append(append([]string{LabelIndicator}, observables...), indicated...)},
		{Type: RelResolvesTo, Description: "a domain name resolves to an address or another domain (STIX resolves-to, resolves_to_refs)", STIX: []string{"resolves-to"},
			From: []string{LabelDomain}, To: []string{LabelIPv4, LabelIPv6, LabelDomain}},
	},
}

// Node returns the declared node type of a label.
func (m Model) Node(label string) (NodeType, bool) {
	for _, n := range m.Nodes {
		if n.Label == label {
			return n, true
		}
	}
	return NodeType{}, false
}

// Rel returns the declared relationship type of a name.
func (m Model) Rel(typ string) (RelType, bool) {
	for _, r := range m.Rels {
		if r.Type == typ {
			return r, true
		}
	}
	return RelType{}, false
}

// Labels lists the declared entity labels in declaration order.
func (m Model) Labels() []string {
	out := make([]string, len(m.Nodes))
	for i, n := range m.Nodes {
		out[i] = n.Label
	}
	return out
}

// RelTypes lists the declared relationship types between entities, in
// declaration order. (MENTIONS, from Report to Entity, is not among them.)
func (m Model) RelTypes() []string {
	out := make([]string, 0, len(m.Rels))
	for _, r := range m.Rels {
		out = append(out, r.Type)
	}
	return out
}

// Check verifies the model itself: names are plain identifiers, endpoints
// are declared labels, nothing is declared twice. A test runs it.
func (m Model) Check() error {
	var problems []string
	seen := map[string]bool{EntityLabel: true, ReportLabel: true}
	for _, n := range m.Nodes {
		if !isIdentifier(n.Label) {
			problems = append(problems, fmt.Sprintf("label %q is not a plain identifier", n.Label))
		}
		if seen[n.Label] {
			problems = append(problems, fmt.Sprintf("label %q declared twice", n.Label))
		}
		seen[n.Label] = true
		if n.STIXType == "" {
			problems = append(problems, fmt.Sprintf("label %q has no STIX type", n.Label))
		}
		if n.Color == "" || n.Diameter == 0 {
			problems = append(problems, fmt.Sprintf("label %q has no Browser colour or size", n.Label))
		}
	}
	seenRel := map[string]bool{MentionsType: true, SameAsType: true, NotSameAsType: true}
	for _, r := range m.Rels {
		if !isIdentifier(r.Type) {
			problems = append(problems, fmt.Sprintf("relationship type %q is not a plain identifier", r.Type))
		}
		if seenRel[r.Type] {
			problems = append(problems, fmt.Sprintf("relationship type %q declared twice", r.Type))
		}
		seenRel[r.Type] = true
		for _, l := range append(append([]string{}, r.From...), r.To...) {
			if _, ok := m.Node(l); !ok {
				problems = append(problems, fmt.Sprintf("relationship type %q names undeclared label %q", r.Type, l))
			}
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return fmt.Errorf("model: %s", strings.Join(problems, "; "))
	}
	return nil
}

func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z', r == '_':
		case r >= '0' && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// ReportProperties are carried by every Report node (a source document).
var ReportProperties = []Property{
	{Name: "uid", Type: String, Description: "report--<UUIDv5 of the source's URL, or of its title and date>"},
	{Name: "kind", Type: String, Description: "article, stix-bundle, stix-report, taxii-pull, ..."},
	{Name: "title", Type: String, Description: "title of the document"},
	{Name: "publisher", Type: String, Description: "who published it"},
	{Name: "date", Type: Date, Description: "publication date"},
	{Name: "url", Type: String, Description: "where it was published, if known"},
	{Name: "file", Type: String, Description: "the file it was loaded from (base name)"},
	{Name: "text_sha256", Type: String, Description: "SHA-256 of the loaded text: which version of the source"},
	{Name: "loaded_at", Type: String, Description: "when its content was last written (UTC, RFC 3339)"},
	{Name: "content_sha256", Type: String, Description: "SHA-256 of what the source says, as loaded: a re-load of the same content writes nothing"},
	{Name: "stix_id", Type: String, Description: "for a STIX bundle or report: its STIX id"},
	{Name: "attack_version", Type: String, Description: "for MITRE ATT&CK data: the ATT&CK release, when the bundle says"},
	{Name: "attack_spec_version", Type: String, Description: "for MITRE ATT&CK data: the newest ATT&CK data-model version of its objects"},
	{Name: "skipped", Type: StringList, Description: "what the loader skipped and why, counted (unknown types, revoked objects, ...)"},
	{Name: "taxii_collection", Type: String, Description: "for a TAXII pull: the collection's URL (taxii+https://host/api-root/collections/ID/)"},
	{Name: "taxii_added_first", Type: String, Description: "for a TAXII pull: date_added of the first object it fetched"},
	{Name: "taxii_added_last", Type: String, Description: "for a TAXII pull: date_added of the last object it fetched; the next pull asks for objects added after it"},
}

// Property returns the declared property of a label (common or specific).
func (n NodeType) Property(name string) (Property, bool) {
	for _, p := range CommonProperties {
		if p.Name == name {
			return p, true
		}
	}
	for _, p := range n.Properties {
		if p.Name == name {
			return p, true
		}
	}
	return Property{}, false
}

// Property returns the declared property of a relationship type (claim
// properties included).
func (r RelType) Property(name string) (Property, bool) {
	for _, p := range ClaimProperties {
		if p.Name == name {
			return p, true
		}
	}
	for _, p := range r.Properties {
		if p.Name == name {
			return p, true
		}
	}
	return Property{}, false
}

// EntityProperties lists every property any label declares beyond the
// common ones, sorted by name, so writers can carry them all with one
// statement.
func (m Model) EntityProperties() []Property {
	var lists [][]Property
	for _, n := range m.Nodes {
		lists = append(lists, n.Properties)
	}
	return uniqueProperties(lists)
}

// RelProperties lists every relationship-specific property, sorted by name.
func (m Model) RelProperties() []Property {
	var lists [][]Property
	for _, r := range m.Rels {
		lists = append(lists, r.Properties)
	}
	return uniqueProperties(lists)
}

func uniqueProperties(lists [][]Property) []Property {
	seen := map[string]bool{}
	var out []Property
	for _, list := range lists {
		for _, p := range list {
			if !seen[p.Name] {
				seen[p.Name] = true
				out = append(out, p)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// LabelOfSTIX is the label a STIX object of type t imports as; decided is
// false for a type several labels share (identity, location: the object's
// properties decide) and ok false for a type the model has no place for.
func (m Model) LabelOfSTIX(t string) (label string, decided, ok bool) {
	var labels []string
	for _, n := range m.Nodes {
		if n.STIXType == t || slices.Contains(n.STIXImport, t) {
			labels = append(labels, n.Label)
		}
	}
	if len(labels) != 1 {
		return "", false, len(labels) > 0
	}
	return labels[0], true, true
}

// RelOfSTIX is the relationship type a STIX relationship_type imports as:
// one of its STIX names, or the type in lower case and hyphenated.
func (m Model) RelOfSTIX(t string) (string, bool) {
	for _, r := range m.Rels {
		if slices.Contains(r.STIX, t) || strings.ToLower(strings.ReplaceAll(r.Type, "_", "-")) == t {
			return r.Type, true
		}
	}
	return "", false
}

// STIXName is the relationship_type export writes for the type.
func (r RelType) STIXName() string {
	if len(r.STIX) > 0 {
		return r.STIX[0]
	}
	return strings.ToLower(strings.ReplaceAll(r.Type, "_", "-"))
}
