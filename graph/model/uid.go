package model

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/google/uuid"
	"golang.org/x/text/unicode/norm"
)

// namespace is threatkg's UUIDv5 namespace. It must never change: every uid
// in every graph is derived from it.
var namespace = uuid.MustParse("6f1c1d3e-8f0b-5a57-9d0e-3c2a7b41a0c5")

// Normalize folds a name for identity: Unicode NFKC, lower case, apostrophes
// and full stops dropped ("U.S." = "US", "China's" = "Chinas"), other
// punctuation and runs of space made one space. Two names that normalise
// alike name the same thing.
func Normalize(name string) string {
	name = norm.NFKC.String(name)
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r == '.' || r == '\'' || r == '’' || r == '‘' || r == '`':
			continue
		case unicode.IsLetter(r) || unicode.IsNumber(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		default:
			space = true
		}
	}
	return b.String()
}

// EntityUID is the deterministic, STIX-shaped uid of an entity:
// "<stix-type>--<UUIDv5 of label and normalised name>". The same entity
// named in two sources gets one uid, and so one node.
func EntityUID(n NodeType, name string) string {
	return n.STIXType + "--" + uuid.NewSHA1(namespace, []byte(n.Label+"\x00"+Normalize(name))).String()
}

// ClaimUID identifies one source's claim of one relationship.
func ClaimUID(relType, fromUID, toUID, sourceUID string) string {
	return "relationship--" + uuid.NewSHA1(namespace, []byte(relType+"\x00"+fromUID+"\x00"+toUID+"\x00"+sourceUID)).String()
}

// ReportUID identifies a source document by a stable key (its URL, or its
// title and date): a new version of the same document keeps its uid, so
// loading it replaces the old version's claims.
func ReportUID(key string) string {
	return "report--" + uuid.NewSHA1(namespace, []byte("report\x00"+Normalize(key))).String()
}

// stixID is the STIX 2.1 identifier: type--UUID (the OASIS schema allows
// upper-case hex digits).
var stixID = regexp.MustCompile(`^([a-z0-9][a-z0-9-]*[a-z0-9])--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// STIXType returns the type part of a STIX id, or "" if s is not one.
func STIXType(s string) string {
	m := stixID.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	return m[1]
}
