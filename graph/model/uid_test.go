package model

import (
	"math/rand"
	"regexp"
	"strings"
	"testing"
)

// stixIDPattern is the STIX 2.1 identifier (type--UUID; the OASIS schema
// allows upper-case hex digits), as a regular expression: the reference
// STIXType must agree with.
var stixIDPattern = regexp.MustCompile(`^([a-z0-9][a-z0-9-]*[a-z0-9])--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

func TestSTIXTypeAgreesWithThePattern(t *testing.T) {
	const id = "0a7d02d8-3c56-5e0f-9b2a-a0e6a8a9343f"
	cases := []string{
		"intrusion-set--" + id, "x-threatkg-agreement--" + id, "a1--" + id, "ab--" + strings.ToUpper(id),
		"a--" + id, "-a--" + id, "a---" + id, "Intrusion-set--" + id, "intrusion_set--" + id, "a--b--" + id,
		"intrusion-set-" + id, "intrusion-set--" + id[:35], "intrusion-set--" + id + "0", "intrusion-set--g" + id[1:],
		"intrusion-set--" + strings.ReplaceAll(id, "-", "x"), "", "--" + id, "ab--" + id[:8] + "x" + id[9:],
	}
	rnd := rand.New(rand.NewSource(1))
	alphabet := "ab-0fF9g_-"
	for range 20000 { // random mutations of a valid id
		b := []byte("ab-c--" + id)
		for range 1 + rnd.Intn(3) {
			b[rnd.Intn(len(b))] = alphabet[rnd.Intn(len(alphabet))]
		}
		cases = append(cases, string(b))
	}
	for _, s := range cases {
		want := ""
		if m := stixIDPattern.FindStringSubmatch(s); m != nil {
			want = m[1]
		}
		if got := STIXType(s); got != want {
			t.Errorf("STIXType(%q) = %q, the pattern says %q", s, got, want)
		}
	}
}
