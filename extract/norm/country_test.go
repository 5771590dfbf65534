package norm

import (
	"encoding/csv"
	"os"
	"strings"
	"testing"
)

func TestCountry(t *testing.T) {
	tests := []struct {
		name string
		want string // "" when the name must not resolve
	}{
		{"Bolivia (Plurinational State of)", "BOL"},
		{"Bolivia(Plurinational State of)", "BOL"},
		{"Plurinational State of Bolivia", "BOL"},
		{"Venezuela (Bolivarian Republic of)", "VEN"},
		{"Venezuela, Bolivarian Republic of", "VEN"},
		{"Bolivarian Republic of Venezuela", "VEN"},
		{"Iran (Islamic Republic of)", "IRN"},
		{"Islamic Republic of Iran", "IRN"},
		{"The former Yugoslav Republic of Macedonia", "MKD"},
		{"the former Yugoslav Republic of Macedonia", "MKD"},
		{"Macedonia", "MKD"},
		{"Macedonia FYR", "MKD"},
		{"North Macedonia", "MKD"},
		{"Côte d'Ivoire", "CIV"},
		{"Côte d’Ivoire", "CIV"},
		{"Cote d'Ivoire", "CIV"},
		{"COTE D'IVOIRE", "CIV"},
		{"Ivory Coast", "CIV"},
		{"Libyan Arab Jamahiriya", "LBY"},
		{"Libya", "LBY"},
		{"Syrian Arab Republic", "SYR"},
		{"Syria", "SYR"},
		{"Democratic People's Republic of Korea", "PRK"},
		{"Democratic People’s Republic of Korea", "PRK"},
		{"Korea, Democratic People's Republic of", "PRK"},
		{"DPR Korea", "PRK"},
		{"Republic of Korea", "KOR"},
		{"Korea, Republic of", "KOR"},
		{"Lao People's Democratic Republic", "LAO"},
		{"Lao People’s Democratic Republic", "LAO"},
		{"Laos", "LAO"},
		{"Republic of Moldova", "MDA"},
		{"Moldova", "MDA"},
		{"United Republic of Tanzania", "TZA"},
		{"Tanzania", "TZA"},
		{"Micronesia (Federated States of)", "FSM"},
		{"Micronesia", "FSM"},
		{"Holy See", "VAT"},
		{"State of Palestine", "PSE"},
		{"Palestine", "PSE"},
		{"Swaziland", "SWZ"},
		{"Eswatini", "SWZ"},
		{"Czech Republic", "CZE"},
		{"Czechia", "CZE"},
		{"Turkey", "TUR"},
		{"Türkiye", "TUR"},
		{"Cape Verde", "CPV"},
		{"Cabo Verde", "CPV"},
		{"Burma", "MMR"},
		{"Myanmar", "MMR"},
		{"Timor-Leste", "TLS"},
		{"Timor Leste", "TLS"},
		{"United Kingdom of Great Britain and Northern Ireland", "GBR"},
		{"the United Kingdom of Great Britain and Northern Ireland", "GBR"},
		{"United Kingdom", "GBR"},
		{"United States of America", "USA"},
		{"United States", "USA"},
		{"Russian Federation", "RUS"},
		{"the Russian Federation", "RUS"},
		{"  RUSSIAN   FEDERATION ", "RUS"},
		{"Democratic Republic of the Congo", "COD"},
		{"Democratic Republic of Congo", "COD"},
		{"Congo, The Democratic Republic of the", "COD"},
		{"Congo (the Democratic Republic of the)", "COD"},
		{"Republic of Congo", "COG"},
		{"Congo", "COG"},
		{"Gambia (the)", "GMB"},
		{"The Gambia", "GMB"},
		{"Antigua & Barbuda", "ATG"},
		{"St Kitts & Nevis", "KNA"},
		{"St. Lucia", "LCA"},
		{"St Vincent & the Grenadines", "VCT"},
		{"São Tomé and Príncipe", "STP"},
		{"Sao Tome & Principe", "STP"},
		{"Guinea Bissau", "GNB"},
		{"Guinea-Bissau", "GNB"},
		{"Guinea", "GIN"},
		{"Equatorial Guinea", "GNQ"},
		{"Papua New Guinea", "PNG"},
		{"Niger", "NER"},
		{"Nigeria", "NGA"},
		{"Dominica", "DMA"},
		{"Dominican Republic", "DOM"},
		{"Viet Nam", "VNM"},
		{"Vietnam", "VNM"},
		{"Kosovo", "XKX"},
		{"Curaçao", "CUW"},
		{"Åland Islands", "ALA"},
		{"Réunion", "REU"},
		{"China, Hong Kong Special Administrative Region", "HKG"},
		// codes, written as codes are
		{"GBR", "GBR"},
		{"GB", "GBR"},
		{"UK", "GBR"},
		{"USA", "USA"},
		{"CIV", "CIV"},
		{"XKX", "XKX"},
		{"NA", "NAM"},
		// misspellings found in UPR Working Group reports
		{"Lichtenstein", "LIE"},
		{"Holly See", "VAT"},
		{"New Zeeland", "NZL"},
		{"United Sates", "USA"},
		{"United States of Americas", "USA"},
		{"Libya Arab Jamahiriya", "LBY"},
		{"Democratic People.s Republic of Korea", "PRK"},
		{"Islamic Republic Iran", "IRN"},
		{"United Kingdom of the Great Britain and Northern Ireland", "GBR"},
		{"Columbia", "COL"},
		// not countries
		{"", ""},
		{"   ", ""},
		{"European Union", ""},
		{"EU", ""},
		{"Asia", ""},
		{"Africa", ""},
		{"Americas", ""},
		{"Europe", ""},
		{"Western Europe", ""},
		{"Latin America and the Caribbean", ""},
		{"Sub-Saharan Africa", ""},
		{"World", ""},
		{"(Unknown)", ""},
		{"NGOs", ""},
		{"CEDAW", ""},
		{"OP-CAT", ""},
		{"ZZZ", ""},
		{"na", ""},
		{"and", ""},
		{"Channel Islands", ""},
	}
	for _, tt := range tests {
		got, ok := Country(tt.name)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("Country(%q) = %q, %v; want %q", tt.name, got, ok, tt.want)
		}
	}
}

func TestCountryKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Bolivia (Plurinational State of)", "plurinational state of bolivia"},
		{"Korea, Republic of", "republic of korea"},
		{"Côte d’Ivoire", "cote divoire"},
		{"  The  Bahamas ", "bahamas"},
		{"Antigua & Barbuda", "antigua and barbuda"},
		{"Antigua&Barbuda", "antigua and barbuda"},
		{"St Kitts & Nevis", "saint kitts and nevis"},
		{"Türkiye", "turkiye"},
		{"Falkland Islands (Malvinas)", "falkland islands malvinas"},
		{"GBR", "#GBR"},
		{"Gbr", "gbr"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := countryKey(tt.in); got != tt.want {
			t.Errorf("countryKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCountryTable(t *testing.T) {
	if len(indexConflicts) > 0 {
		t.Errorf("names resolving to two countries: %v", indexConflicts)
	}
	if n := len(countries); n != 250 {
		t.Errorf("table has %d countries, want 249 ISO 3166-1 plus XKX", n)
	}
	seen := map[string]bool{}
	for _, c := range countries {
		for _, code := range []string{c.iso3, c.iso2, c.m49} {
			if seen[code] {
				t.Errorf("code %s appears twice", code)
			}
			seen[code] = true
		}
		if got, ok := Country(c.name); !ok || got != c.iso3 {
			t.Errorf("Country(%q) = %q, %v; want its own code %s", c.name, got, ok, c.iso3)
		}
		for _, a := range c.aliases {
			if got, ok := Country(a); !ok || got != c.iso3 {
				t.Errorf("Country(%q) = %q, %v; want %s", a, got, ok, c.iso3)
			}
		}
	}
	for iso3 := range extraAliases {
		if CountryName(iso3) == "" {
			t.Errorf("alias for unknown code %s", iso3)
		}
	}
	for _, tt := range []struct{ iso3, name string }{
		{"GBR", "United Kingdom of Great Britain and Northern Ireland"},
		{"bol", "Bolivia (Plurinational State of)"},
		{"CIV", "Côte d'Ivoire"},
		{"TWN", "Taiwan"},
		{"XKX", "Kosovo"},
		{"ZZZ", ""},
	} {
		if got := CountryName(tt.iso3); got != tt.name {
			t.Errorf("CountryName(%q) = %q, want %q", tt.iso3, got, tt.name)
		}
	}
	if n := len(Countries()); n != 250 {
		t.Errorf("Countries() has %d codes, want 250", n)
	}
}

func TestCountryFromSlug(t *testing.T) {
	tests := []struct{ slug, want string }{
		{"antiguaandbarbuda2011.txt", "ATG"},
		{"unitedkingdom2008.txt", "GBR"},
		{"unitedkingdom", "GBR"},
		{"/data/upr-wg-reports/democraticrepublicofthecongo2009.txt", "COD"},
		{"democraticpeoplesrepublicofkorea2009.txt", "PRK"},
		{"laopeoplesdemocraticrepublic2010.txt", "LAO"},
		{"cotedivoire2009.txt", "CIV"},
		{"guinea-bissau2010.txt", "GNB"},
		{"saintvincentandthegrenadines2011.txt", "VCT"},
		{"korea2008.txt", "KOR"},
		{"republicofkorea2012.txt", "KOR"},
		{"kyrgysztan2010.txt", "KGZ"}, // a typo in the real file name
		{"russia2009.txt", "RUS"},
		{"niger2011.txt", "NER"},
		{"nigeria2009.txt", "NGA"},
		{"and2011.txt", ""}, // codes are not slugs
		{"europe2010.txt", ""},
		{"2011.txt", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got, ok := CountryFromSlug(tt.slug)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("CountryFromSlug(%q) = %q, %v; want %q", tt.slug, got, ok, tt.want)
		}
	}
}

// TestCountryFromM49 checks every area of the UN SDG Global Database cut in
// testdata: a country code gives the country its name also resolves to,
// and a region code gives nothing and its name resolves to no country.
func TestCountryFromM49(t *testing.T) {
	f, err := os.Open("testdata/m49-geo-areas.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// Micronesia is both a UN region (057) and what UPR Info calls the
	// Federated States of Micronesia.
	sharedName := map[string]bool{"Micronesia": true}
	var countriesSeen, regions int
	var bad []string
	for _, r := range rows[1:] {
		code, name := r[0], r[1]
		iso3, isCountry := CountryFromM49(code)
		byName, named := Country(name)
		switch {
		case isCountry:
			countriesSeen++
			if !named || byName != iso3 {
				bad = append(bad, code+" "+name+" → "+iso3+" by code, "+byName+" by name")
			}
		default:
			regions++
			if named && !sharedName[name] {
				bad = append(bad, code+" "+name+" is a region but resolves to "+byName)
			}
		}
	}
	if len(bad) > 0 {
		t.Errorf("%d geo areas wrong:\n%s", len(bad), strings.Join(bad, "\n"))
	}
	if countriesSeen != 249 || regions != 48 {
		t.Errorf("got %d countries and %d regions, want 249 and 48", countriesSeen, regions)
	}
	for _, tt := range []struct{ code, want string }{
		{"4", "AFG"}, {"004", "AFG"}, {" 826 ", "GBR"}, {"412", "XKX"}, {"158", "TWN"},
		{"1", ""}, {"142", ""}, {"830", ""}, {"", ""}, {"0", ""}, {"abc", ""},
	} {
		if got, ok := CountryFromM49(tt.code); got != tt.want || ok != (tt.want != "") {
			t.Errorf("CountryFromM49(%q) = %q, %v; want %q", tt.code, got, ok, tt.want)
		}
	}
}

func TestWithinOneEdit(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"kyrgyzstan", "kyrgysztan", true},
		{"liechtenstein", "lichtenstein", true},
		{"holysee", "hollysee", true},
		{"newzealand", "newzeeland", true},
		{"abc", "abc", true},
		{"austria", "australia", false},
		{"abcd", "badc", false},
		{"abc", "abcde", false},
	}
	for _, tt := range tests {
		if got := withinOneEdit(tt.a, tt.b); got != tt.want {
			t.Errorf("withinOneEdit(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestCountryKeyAllocs(t *testing.T) {
	names := []string{"Bolivia (Plurinational State of)", "United Kingdom of Great Britain and Northern Ireland", "Côte d’Ivoire"}
	for _, n := range names {
		if a := testing.AllocsPerRun(100, func() { countryKey(n) }); a > 1 {
			t.Errorf("countryKey(%q) allocates %v times, want at most 1", n, a)
		}
	}
}

func BenchmarkCountry(b *testing.B) {
	names := []string{"France", "Bolivia (Plurinational State of)", "United Kingdom of Great Britain and Northern Ireland", "Côte d’Ivoire", "St Kitts & Nevis", "GBR"}
	for i := 0; b.Loop(); i++ {
		Country(names[i%len(names)])
	}
}
