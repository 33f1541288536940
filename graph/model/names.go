package model

// The declared labels and relationship types as Go symbols: code outside
// this package names them only through these (TestNoLabelLiteralsOutsideTheModel),
// so the compiler, not a test run, catches a misspelt or removed name.
// TestSymbolsMatchTheModel keeps this list equal to Declared.

// Entity labels.
const (
	LabelThreatActor   = "ThreatActor"
	LabelPerson        = "Person"
	LabelOrganization  = "Organization"
	LabelGovernment    = "Government"
	LabelCountry       = "Country"
	LabelRegion        = "Region"
	LabelSector        = "Sector"
	LabelCampaign      = "Campaign"
	LabelMalware       = "Malware"
	LabelTool          = "Tool"
	LabelTechnique     = "Technique"
	LabelVulnerability = "Vulnerability"
	LabelAgreement     = "Agreement"
	LabelLegalAction   = "LegalAction"
	LabelIndicator     = "Indicator"
	LabelIPv4          = "IPv4Address"
	LabelIPv6          = "IPv6Address"
	LabelDomain        = "DomainName"
	LabelURL           = "URL"
	LabelFile          = "File"
	LabelEmail         = "EmailAddress"
)

// Relationship types (REPORTED is ReportedType, declared with the other
// names every part of threatkg shares).
const (
	RelAffiliatedWith = "AFFILIATED_WITH"
	RelAttributedTo   = "ATTRIBUTED_TO"
	RelConducted      = "CONDUCTED"
	RelTargeted       = "TARGETED"
	RelChargedIn      = "CHARGED_IN"
	RelBroughtBy      = "BROUGHT_BY"
	RelCondemned      = "CONDEMNED"
	RelViolated       = "VIOLATED"
	RelPartyTo        = "PARTY_TO"
	RelWorksFor       = "WORKS_FOR"
	RelPartOf         = "PART_OF"
	RelLocatedIn      = "LOCATED_IN"
	RelGoverns        = "GOVERNS"
	RelAnnounced      = "ANNOUNCED"
	RelDiscovered     = "DISCOVERED"
	RelUses           = "USES"
	RelExploits       = "EXPLOITS"
	RelSubtechniqueOf = "SUBTECHNIQUE_OF"
	RelVariantOf      = "VARIANT_OF"
	RelIndicates      = "INDICATES"
	RelBasedOn        = "BASED_ON"
	RelRelatedTo      = "RELATED_TO"
	RelResolvesTo     = "RESOLVES_TO"
)
