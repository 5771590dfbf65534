package norm

import (
	"strings"

	"github.com/nmirf/nmirf/models"
)

// Country returns the ISO 3166-1 alpha-3 code for a country name or code as
// written in UN documents and exports ("Bolivia (Plurinational State of)",
// "Macedonia", "Côte d'Ivoire", "UK", "GBR"). ok is false for unknown names,
// which callers must report, never drop silently. A name that is not known
// exactly is matched without its spaces and the words "of" and "the", and
// then against names one typing error away, as UN documents misspell States.
func Country(name string) (iso3 string, ok bool) {
	k := countryKey(name)
	if k == "" {
		return "", false
	}
	if iso3, ok = countryIndex[k]; ok {
		return iso3, true
	}
	if k[0] == '#' {
		return "", false // an unknown code is not a misspelt name
	}
	return nearCountry(looseIndex, looseKey(k))
}

// CountryName returns the short English name for an ISO3 code.
func CountryName(iso3 string) string { return countryNames[strings.ToUpper(iso3)] }

// Body maps a body name or code as sources write it ("CRC", "Committee on
// the Rights of the Child", "- SR on torture", "UPR") to its mechanism and
// canonical body code. ok is false when the body is unknown.
func Body(raw string) (models.Mechanism, string, bool) {
	return body(raw)
}

// Response maps a State's position as written ("Accepted", "Supported",
// "Noted", "Not supported", "Rejected", "Voluntary Pledge", "will examine")
// to the normalised values of models.
func Response(raw string) string {
	return response(raw)
}
