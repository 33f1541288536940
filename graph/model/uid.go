package model

import (
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

// STIXType returns the type part of a STIX id, or "" if s is not one. It
// accepts exactly what the OASIS pattern accepts (a test compares them),
// without a regular expression: loaders call it for every id of a bundle.
func STIXType(s string) string {
	const uuidLen = 36
	if len(s) < 2+2+uuidLen || s[len(s)-uuidLen-2:len(s)-uuidLen] != "--" {
		return ""
	}
	typ, id := s[:len(s)-uuidLen-2], s[len(s)-uuidLen:]
	for i := 0; i < len(typ); i++ {
		c := typ[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '-' && i > 0 && i < len(typ)-1:
		default:
			return ""
		}
	}
	for i := 0; i < uuidLen; i++ {
		c := id[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return ""
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return ""
			}
		}
	}
	return typ
}
