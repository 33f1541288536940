package extract

import "testing"

func TestCountryAndRegionNames(t *testing.T) {
	tests := []struct {
		in, name, iso2 string
		ok             bool
	}{
		{"CN", "China", "CN", true},
		{"cn", "China", "CN", true},
		{"China", "China", "CN", true},
		{"Iran (Islamic Republic of)", "Iran", "IR", true},
		{"Korea (Democratic People's Republic of)", "North Korea", "KP", true},
		{"Korea (Republic of)", "South Korea", "KR", true},
		{"Russian Federation", "Russia", "RU", true},
		{"The Philippines", "Philippines", "PH", true},
		{"Narnia", "", "", false},
		{"Europe", "", "", false}, // a region, not a country
		{"ZZ", "", "", false},
	}
	for _, tt := range tests {
		name, iso2, ok := CountryName(tt.in)
		if name != tt.name || iso2 != tt.iso2 || ok != tt.ok {
			t.Errorf("CountryName(%q) = %q, %q, %v; want %q, %q, %v", tt.in, name, iso2, ok, tt.name, tt.iso2, tt.ok)
		}
	}
	for in, want := range map[string]string{"Middle East": "Middle East", "the middle east": "Middle East", "Europe": "Europe", "China": ""} {
		if got, ok := RegionName(in); got != want || ok != (want != "") {
			t.Errorf("RegionName(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}
