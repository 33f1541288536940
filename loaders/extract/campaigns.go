package extract

// Campaign and agreement rules.

import (
	"strings"
	"unicode"
)

// recogniseCampaigns finds named campaigns and operations, and agreements.
func (x *extractor) recogniseCampaigns(i int) {
	s, sent := x.sentence(i)
	// Campaigns with a name of their own.
	if hasAny(sent, campaignWords...) {
		for _, m := range reQuotedCamp.FindAllStringSubmatchIndex(sent, -1) {
			e := x.entity(labelCampaign, sent[m[2]:m[3]], s.at(m[0], m[1]), ruleCampaignQuote, 0.75)
			x.mention(i, s.at(m[2], m[3]), e)
		}
	}
	if hasAny(sent, "Operation ") {
		for _, m := range reOperation.FindAllStringIndex(sent, -1) {
			e := x.entity(labelCampaign, sent[m[0]:m[1]], s.at(m[0], m[1]), ruleCampaignQuote, 0.6)
			x.mention(i, s.at(m[0], m[1]), e)
		}
	}

	// Agreements.
	if hasAny(sent, agreementWords...) {
		for _, m := range reAgreement.FindAllStringIndex(sent, -1) {
			name := strings.TrimSuffix(strings.TrimSpace(sent[m[0]:m[1]]), ".")
			name = strings.TrimPrefix(name, "The ")
			if !strings.ContainsAny(name[:1], "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") || strings.Count(name, " ") == 0 {
				continue
			}
			e := x.agreementEntity(name, s.at(m[0], m[1]))
			x.mention(i, s.at(m[0], m[0]+len(name)+strings.Index(sent[m[0]:m[1]], name)), e)
		}
	}
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

// Words that name campaigns and agreements in prose.
var (
	campaignWords  = strings.Fields("Conspiracy Campaign Operation")
	agreementWords = strings.Fields("Agreement Accord Treaty Charter Convention Commitments Pact Memorandum Declaration")
)
