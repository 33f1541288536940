package model

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/netip"
	"net/url"
	"regexp"
	"sort"
	"strings"

	"github.com/google/uuid"
)

// scoNamespace is the UUIDv5 namespace STIX 2.1 (section 2.9) gives for the
// deterministic ids of cyber-observable objects.
var scoNamespace = uuid.MustParse("00abedb4-aa42-466c-9c01-fed23315a9b7")

// HashKinds are the file hashes threatkg keeps, in STIX's order of
// preference for a file's id (MD5, SHA-1, SHA-256, SHA-512): the STIX
// hash name, the File property and the length of its hex digest.
var HashKinds = []struct {
	STIX, Property string
	HexLen         int
}{
	{"MD5", "md5", 32}, {"SHA-1", "sha1", 40}, {"SHA-256", "sha256", 64}, {"SHA-512", "sha512", 128},
}

// HashProperty is the File property of a STIX hash name ("SHA-256",
// "SHA256" and "sha-256" alike), or "" for a hash threatkg does not keep
// (SSDEEP, TLSH).
func HashProperty(stixName string) string {
	n := strings.ToUpper(strings.Trim(stixName, "'\""))
	for _, h := range HashKinds {
		if n == h.STIX || n == strings.ReplaceAll(h.STIX, "-", "") {
			return h.Property
		}
	}
	return ""
}

// refangs undo the usual ways reports defang an indicator so that nobody
// clicks it: hxxp://, example[.]com, 1.2.3[.]4, user[@]example.com,
// [:]//, (dot). The list follows the forms CTI vendors publish (and
// ioc-fanger's catalogue); each is matched case-insensitively.
var refangs = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`(?i)^h(xx|\*\*|XX)p(s?)(\[?:\]?|\[:\])?//`), "http$2://"},
	{regexp.MustCompile(`(?i)^(https?|ftp)\[:\]//`), "$1://"},
	{regexp.MustCompile(`(?i)^(https?|ftp)\[://\]`), "$1://"},
	{regexp.MustCompile(`(?i)^fxp://`), "ftp://"},
	{regexp.MustCompile(`(?i)\s*[\[\(\{]\s*(\.|dot)\s*[\]\)\}]\s*`), "."},
	{regexp.MustCompile(`(?i)\s*[\[\(\{]\s*(@|at)\s*[\]\)\}]\s*`), "@"},
	{regexp.MustCompile(`\[:\]`), ":"},
	{regexp.MustCompile(`\\\.`), "."},
}

// Refang turns a defanged indicator back into its value: hxxp:// becomes
// http://, example[.]com example.com. Values that are not defanged are
// returned trimmed and otherwise unchanged.
func Refang(s string) string {
	s = strings.TrimSpace(s)
	for _, r := range refangs {
		s = r.re.ReplaceAllString(s, r.with)
	}
	return s
}

var (
	hexDigits = regexp.MustCompile(`^[0-9a-fA-F]+$`)
	// domainName: dot-separated labels of letters (any script: IDNs), digits,
	// hyphens inside and underscores (DNS allows them in names; malware
	// infrastructure uses them).
	domainName = regexp.MustCompile(`^[\p{L}\p{N}_](?:[\p{L}\p{N}_-]{0,61}[\p{L}\p{N}_])?(?:\.[\p{L}\p{N}_](?:[\p{L}\p{N}_-]{0,61}[\p{L}\p{N}_])?)+$`)
)

// ObservableValue normalises the value of an observable of a label (the
// label's one value; a File's hash of kind prop): defanged forms are
// accepted; domains, hashes, and the scheme and host of a URL are lower
// case; addresses take their canonical form (netip). An error says why
// the value is not one.
func ObservableValue(label, prop, raw string) (string, error) {
	v := Refang(raw)
	if v == "" {
		return "", fmt.Errorf("empty %s", label)
	}
	switch label {
	case LabelIPv4, LabelIPv6:
		want4 := label == LabelIPv4
		if p, err := netip.ParsePrefix(v); err == nil && p.Addr().Is4() == want4 {
			if p.Bits() == p.Addr().BitLen() {
				return p.Addr().String(), nil
			}
			return p.Masked().String(), nil
		}
		if a, err := netip.ParseAddr(v); err == nil && a.Is4() == want4 && a.Zone() == "" {
			return a.String(), nil
		}
		if want4 {
			return "", fmt.Errorf("%q is not an IPv4 address or CIDR block", raw)
		}
		return "", fmt.Errorf("%q is not an IPv6 address or CIDR block", raw)
	case LabelDomain:
		d := strings.TrimSuffix(strings.ToLower(v), ".")
		if !domainName.MatchString(d) {
			return "", fmt.Errorf("%q is not a domain name", raw)
		}
		return d, nil
	case LabelURL:
		u, err := url.Parse(v)
		if err != nil || u.Scheme == "" || u.Host == "" && u.Opaque == "" {
			return "", fmt.Errorf("%q is not a URL (scheme://host/...)", raw)
		}
		u.Scheme, u.Host = strings.ToLower(u.Scheme), strings.ToLower(u.Host)
		return u.String(), nil
	case LabelEmail:
		local, domain, ok := strings.Cut(v, "@")
		domain = strings.TrimSuffix(strings.ToLower(domain), ".")
		if !ok || local == "" || !domainName.MatchString(domain) {
			return "", fmt.Errorf("%q is not an e-mail address", raw)
		}
		// The local part may be case-sensitive (RFC 5321, 2.4); the domain is not.
		return local + "@" + domain, nil
	case LabelFile:
		for _, h := range HashKinds {
			if h.Property == prop {
				if len(v) != h.HexLen || !hexDigits.MatchString(v) {
					return "", fmt.Errorf("%q is not a valid %s hash (%d hex digits)", raw, h.STIX, h.HexLen)
				}
				return strings.ToLower(v), nil
			}
		}
		return "", fmt.Errorf("a file has no hash %q; threatkg keeps MD5, SHA-1, SHA-256 and SHA-512", prop)
	}
	return "", fmt.Errorf("%s is not an observable label", label)
}

// Observable is one observable value as a user gives it: its label, the
// property that holds it (value, or a File's hash kind) and its normalised
// form.
type Observable struct {
	Label, Property, Value string
}

// ParseObservable recognises what a value is (an IP address, a domain, a
// URL, an e-mail address, an MD5, SHA-1, SHA-256 or SHA-512 hash),
// defanged or not, and normalises it.
func ParseObservable(raw string) (Observable, error) {
	v := Refang(raw)
	if hexDigits.MatchString(v) {
		for _, h := range HashKinds {
			if len(v) == h.HexLen {
				return Observable{LabelFile, h.Property, strings.ToLower(v)}, nil
			}
		}
	}
	var label string
	switch {
	case strings.Contains(v, "://"):
		label = LabelURL
	case strings.Contains(v, "@"):
		label = LabelEmail
	case strings.Contains(v, ":"):
		label = LabelIPv6
	default:
		label = LabelDomain
		if a, err := netip.ParseAddr(strings.Split(v, "/")[0]); err == nil && a.Is4() {
			label = LabelIPv4
		}
	}
	value, err := ObservableValue(label, "value", v)
	if err != nil {
		return Observable{}, fmt.Errorf("%q is not an IP address, domain, URL, e-mail address or MD5/SHA-1/SHA-256/SHA-512 hash", raw)
	}
	return Observable{label, "value", value}, nil
}

// ObservableUID is the STIX 2.1 deterministic id of a cyber-observable
// (section 2.9): UUIDv5, in STIX's namespace, of the RFC 8785 (JCS)
// serialisation of its id-contributing properties. For the single-valued
// observables that is {"value": ...}; for a file, the one hash STIX
// prefers (MD5, SHA-1, SHA-256, SHA-512) and its name. props holds the
// model's properties (value; md5, sha1, ...; file_name).
func ObservableUID(n NodeType, props map[string]any) string {
	contributing := map[string]any{}
	if n.Label == LabelFile {
		for _, h := range HashKinds {
			if v, _ := props[h.Property].(string); v != "" {
				contributing["hashes"] = map[string]any{h.STIX: v}
				break
			}
		}
		if v, _ := props["file_name"].(string); v != "" {
			contributing["name"] = v
		}
	} else {
		contributing["value"] = props["value"]
	}
	return n.STIXType + "--" + uuid.NewSHA1(scoNamespace, canonicalJSON(contributing)).String()
}

// canonicalJSON is RFC 8785's serialisation for what the contributing
// properties hold (objects of strings): keys sorted, no whitespace,
// strings escaped as ECMAScript's JSON.stringify does.
func canonicalJSON(v map[string]any) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys) // the keys here are ASCII: UTF-16 order is byte order
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		writeJCSString(&b, k)
		b.WriteByte(':')
		switch x := v[k].(type) {
		case map[string]any:
			b.Write(canonicalJSON(x))
		case string:
			writeJCSString(&b, x)
		default:
			enc, _ := json.Marshal(x)
			b.Write(enc)
		}
	}
	b.WriteByte('}')
	return b.Bytes()
}

// writeJCSString writes s as JSON.stringify would: only ", \ and control
// characters are escaped (Go's encoder also escapes <, >, & and U+2028).
func writeJCSString(b *bytes.Buffer, s string) {
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if r < 0x20 {
				fmt.Fprintf(b, `\u%04x`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
}
