package model

import "testing"

// The ids OASIS's python-stix2 (3.0.2) gives these observables: threatkg's
// uid of an observable is STIX's deterministic id.
func TestObservableUIDIsSTIXs(t *testing.T) {
	const empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	for _, tc := range []struct {
		label string
		props map[string]any
		want  string
	}{
		{LabelIPv4, map[string]any{"value": "198.51.100.3"}, "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4"},
		{LabelIPv4, map[string]any{"value": "10.0.0.0/8"}, "ipv4-addr--86428b07-0841-50f5-884f-260544a6ebee"},
		{LabelIPv6, map[string]any{"value": "2001:db8::1"}, "ipv6-addr--6469e3a9-b053-5e34-a025-9396ae051d26"},
		{LabelDomain, map[string]any{"value": "example.com"}, "domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7"},
		{LabelDomain, map[string]any{"value": "bücher.example"}, "domain-name--dbf3aff2-b3cd-57d2-9616-0ddfde9d01ad"},
		{LabelURL, map[string]any{"value": "http://example.com/a?b=1&c=<x>"}, "url--60c47e12-d63b-5499-bac8-cc00f3767251"},
		{LabelEmail, map[string]any{"value": "John@example.com"}, "email-addr--29aec70d-e3ca-5f46-8052-1e184aa54c12"},
		{LabelFile, map[string]any{"sha256": empty}, "file--22f8ff52-8f62-5f03-a53a-6f50f54fd74c"},
		// MD5 is the hash STIX prefers for the id.
		{LabelFile, map[string]any{"md5": "d41d8cd98f00b204e9800998ecf8427e", "sha256": empty, "file_name": "empty.txt"}, "file--e0bd38d4-aa9a-5e4a-89f0-baea3484613e"},
	} {
		n, _ := Declared.Node(tc.label)
		if got := ObservableUID(n, tc.props); got != tc.want {
			t.Errorf("%s %v: uid %s, want %s", tc.label, tc.props, got, tc.want)
		}
	}
}

func TestObservableValues(t *testing.T) {
	for _, tc := range []struct {
		raw, label, prop, want string
	}{
		{"198.51.100[.]3", LabelIPv4, "value", "198.51.100.3"},
		{" 10.1.2.3/8 ", LabelIPv4, "value", "10.0.0.0/8"},
		{"10.1.2.3/32", LabelIPv4, "value", "10.1.2.3"},
		{"2001:DB8:0:0::1", LabelIPv6, "value", "2001:db8::1"},
		{"Evil-Example[.]COM.", LabelDomain, "value", "evil-example.com"},
		{"evil(dot)example(dot)com", LabelDomain, "value", "evil.example.com"},
		{"hxxps://Evil.Example.COM/Path?Q=A", LabelURL, "value", "https://evil.example.com/Path?Q=A"},
		{"hXXp[:]//example[.]com/x", LabelURL, "value", "http://example.com/x"},
		{"Admin[@]Example[.]Com", LabelEmail, "value", "Admin@example.com"},
		{"D41D8CD98F00B204E9800998ECF8427E", LabelFile, "md5", "d41d8cd98f00b204e9800998ecf8427e"},
	} {
		got, err := ObservableValue(tc.label, tc.prop, tc.raw)
		if err != nil || got != tc.want {
			t.Errorf("ObservableValue(%s, %q) = %q, %v; want %q", tc.label, tc.raw, got, err, tc.want)
		}
		o, err := ParseObservable(tc.raw)
		if err != nil || o.Label != tc.label || o.Property != tc.prop || o.Value != tc.want {
			t.Errorf("ParseObservable(%q) = %+v, %v; want %s %s %q", tc.raw, o, err, tc.label, tc.prop, tc.want)
		}
	}
	for _, tc := range []struct{ label, prop, raw string }{
		{LabelIPv4, "value", "1.2.3"},
		{LabelIPv4, "value", "2001:db8::1"},
		{LabelIPv6, "value", "1.2.3.4"},
		{LabelDomain, "value", "not a domain"},
		{LabelDomain, "value", "localhost"},
		{LabelURL, "value", "example.com/path"},
		{LabelEmail, "value", "@example.com"},
		{LabelFile, "md5", "d41d8cd98f00b204"},
		{LabelFile, "sha256", "zz1d8cd98f00b204e9800998ecf8427e"},
	} {
		if v, err := ObservableValue(tc.label, tc.prop, tc.raw); err == nil {
			t.Errorf("ObservableValue(%s, %q) = %q, want an error", tc.label, tc.raw, v)
		}
	}
	// Names normalise 1.2.3.4 and 12.3.4 alike; values do not.
	a, _ := ObservableValue(LabelIPv4, "value", "1.2.3.4")
	if b, err := ObservableValue(LabelIPv4, "value", "12.3.4"); err == nil || a == b {
		t.Errorf("1.2.3.4 and 12.3.4: %q, %q, %v", a, b, err)
	}
	if _, err := ParseObservable("APT10"); err == nil {
		t.Error("APT10 parsed as an observable")
	}
}

func TestOnlyNamedLabelsAreResolved(t *testing.T) {
	for _, n := range Declared.Nodes {
		want := n.STIXType != "indicator" && n.Identity != ByValue
		if n.Resolved() != want {
			t.Errorf("%s: Resolved() = %v", n.Label, n.Resolved())
		}
		if n.Identity == ByValue {
			if _, ok := n.Property("value"); !ok && n.Label != LabelFile {
				t.Errorf("observable %s has no value property", n.Label)
			}
		}
	}
}
