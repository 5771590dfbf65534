package tbco

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/extract/norm"
	"github.com/nmirf/nmirf/models"
)

var (
	// symbolRe matches concluding-observations symbols: CCPR/C/DNK/CO/6,
	// CEDAW/C/SVN/CO/5-6, E/C.12/AUS/CO/6, CRC/C/OPAC/USA/CO/1,
	// CCPR/C/USA/CO/3/Rev.1.
	symbolRe = regexp.MustCompile(`\b(?:([A-Z]{2,6})/C|E/C\.12)/(?:OP[A-Z]{1,3}/)?([A-Z]{3})/CO/\d{1,2}(?:-\d{1,2})?(?:/(?:Add|Rev|Corr)\.\d{1,2})*`)
	// oldSymbolRe matches the pre-2006 form CCPR/CO/81/NAM.
	oldSymbolRe = regexp.MustCompile(`\b([A-Z]{2,6})/CO/\d{1,3}/([A-Z]{3})\b`)
	coTitleRe   = regexp.MustCompile(`(?i)concluding\s+observations`)
	titleRe     = regexp.MustCompile(`(?i)concluding\s+observations\s+on\s+the\s+.*?reports?\s+of\s+(.+)`)
	distrRe     = regexp.MustCompile(`(?i)Distr\.?:?\s*General\s+(\d{1,2}\s+[A-Za-z]+\s+\d{4})`)
	anyDateRe   = regexp.MustCompile(`\b\d{1,2}\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{4}\b`)
)

// header is what the title page says about the document.
type header struct {
	symbol, body        string
	country, countryStr string
	date                string
}

// findSymbol returns the document's own symbol: the first concluding
// observations symbol of the title page.
func findSymbol(head string) (symbol, prefix, code string) {
	m := symbolRe.FindStringSubmatchIndex(head)
	o := oldSymbolRe.FindStringSubmatchIndex(head)
	switch {
	case m != nil && (o == nil || m[0] <= o[0]):
		symbol = head[m[0]:m[1]]
		prefix, code = "CESCR", head[m[4]:m[5]]
		if m[2] >= 0 {
			prefix = head[m[2]:m[3]]
		}
	case o != nil:
		symbol, prefix, code = head[o[0]:o[1]], head[o[2]:o[3]], head[o[4]:o[5]]
	}
	return symbol, prefix, code
}

// readHeader reads symbol, body, country and date from the head of the
// document.
func readHeader(head string, opt extract.Options) (*header, error) {
	symbol, prefix, code := findSymbol(head)
	if symbol == "" {
		return nil, errors.New("no concluding observations symbol (such as CCPR/C/DNK/CO/6) on the title page")
	}
	if !coTitleRe.MatchString(head) {
		return nil, fmt.Errorf("%s: the title page does not say \"Concluding observations\"", symbol)
	}
	mech, body, ok := norm.Body(prefix)
	if !ok || mech != models.MechanismTB {
		return nil, fmt.Errorf("%s: %q is not a treaty body", symbol, prefix)
	}
	h := &header{symbol: symbol, body: body}
	if m := titleRe.FindStringSubmatch(head); m != nil {
		name := strings.TrimSpace(strings.Split(m[1], "\n")[0])
		h.countryStr = models.CleanText(strings.TrimRight(name, "*. "))
	}
	if iso3, ok := norm.Country(code); ok {
		h.country = iso3
	} else if iso3, ok := norm.Country(h.countryStr); ok {
		h.country = iso3
	} else if iso3, ok := norm.Country(opt.Country); ok {
		h.country = iso3
	} else {
		return nil, fmt.Errorf("%s: cannot tell the State party: neither the code %q nor the title names a known State, and no country was given", symbol, code)
	}
	if h.countryStr == "" {
		h.countryStr = norm.CountryName(h.country)
	}
	raw := ""
	if m := distrRe.FindStringSubmatch(head); m != nil {
		raw = m[1]
	} else {
		raw = anyDateRe.FindString(head)
	}
	if raw != "" {
		if d, err := norm.Date(raw); err == nil {
			h.date = d
		}
	}
	return h, nil
}
