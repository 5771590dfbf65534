package norm

import (
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"
)

type country struct {
	iso3, iso2, m49, name string
	aliases               []string // other names ISO gives
}

// extraAliases are the names sources use beyond what ISO lists: UN-style,
// historic, abbreviated and colloquial forms seen in UPR Info, OHCHR and UN
// statistics exports.
var extraAliases = map[string][]string{
	"ARE": {"UAE"},
	"BHS": {"The Bahamas"},
	"BIH": {"Bosnia"},
	"BOL": {"Plurinational Republic of Bolivia"},
	"BRN": {"Brunei"},
	"CIV": {"Ivory Coast"},
	"COD": {"Democratic Republic of Congo", "DR Congo", "DRC", "Congo DR", "Congo (Kinshasa)", "Congo-Kinshasa", "Zaire"},
	"COG": {"Republic of Congo", "Congo (Brazzaville)", "Congo-Brazzaville"},
	"CPV": {"Cape Verde"},
	"CZE": {"Czech Republic"},
	"FSM": {"Micronesia"},
	"GBR": {"UK", "Great Britain", "Britain", "United Kingdom of Great Britain"},
	"GMB": {"The Gambia"},
	"HKG": {"Hong Kong, China", "Hong Kong SAR"},
	"KOR": {"Korea", "Republic of Korea", "Korea Republic", "Korea Rep"},
	"LAO": {"Lao PDR", "Lao"},
	"LBY": {"Libyan Arab Jamahiriya"},
	"MAC": {"Macau"},
	"MKD": {"Macedonia", "The former Yugoslav Republic of Macedonia", "Former Yugoslav Republic of Macedonia",
		"Macedonia FYR", "FYR Macedonia", "FYROM", "Republic of Macedonia", "Macedonia (FYROM)"},
	"MMR": {"Burma"},
	"PRK": {"DPR Korea", "DPRK", "Korea DPR", "Korea Dem People's Rep"},
	"PSE": {"Palestine", "Occupied Palestinian Territory", "Occupied Palestinian Territories"},
	"RUS": {"Russia"},
	"SWZ": {"Swaziland"},
	"TLS": {"East Timor"},
	"TUR": {"Turkey"},
	// UN statistics publish Taiwan's series under this label and M49 code 158.
	"TWN": {"Other non-specified areas in Eastern Asia"},
	"USA": {"US", "USA", "U.S.A.", "U.S."},
	"VAT": {"Vatican", "Vatican City"},
	"VNM": {"Vietnam"},
	"XKX": {"Kosovo (under UNSC resolution 1244)", "Kosovo (UNSCR 1244)"},
}

var (
	countryNames = map[string]string{} // ISO3 → UN short name
	countryIndex = map[string]string{} // countryKey → ISO3
	slugIndex    = map[string]string{} // countryKey without spaces → ISO3
	looseIndex   = map[string]string{} // looseKey → ISO3
	m49Index     = map[string]string{} // M49 code without leading zeros → ISO3
	// indexConflicts lists names that would resolve to two countries; the
	// tests require it to be empty.
	indexConflicts []string
)

func init() {
	for _, c := range countries {
		countryNames[c.iso3] = c.name
		m49Index[strings.TrimLeft(c.m49, "0")] = c.iso3
		names := append([]string{c.iso3, c.iso2, c.name}, c.aliases...)
		names = append(names, extraAliases[c.iso3]...)
		names = append(names, frEsNames[c.iso3]...)
		for _, n := range names {
			addKey(countryIndex, countryKey(n), c.iso3)
			if len(n) > 3 { // codes are not slugs: "and" is Andorra's code
				addKey(slugIndex, strings.ReplaceAll(countryKey(n), " ", ""), c.iso3)
				addKey(looseIndex, looseKey(countryKey(n)), c.iso3)
			}
		}
	}
}

func addKey(idx map[string]string, k, iso3 string) {
	if k == "" {
		return
	}
	if old, ok := idx[k]; ok && old != iso3 {
		indexConflicts = append(indexConflicts, k+": "+old+" / "+iso3)
		return
	}
	idx[k] = iso3
}

// Countries returns the ISO3 codes known, in table order.
func Countries() []string {
	out := make([]string, len(countries))
	for i, c := range countries {
		out[i] = c.iso3
	}
	return out
}

// CountryFromM49 returns the ISO3 code for a UN M49 area code ("4", "004",
// "826"). Region and group codes (1 World, 142 Asia, 830 Channel Islands)
// are not countries and give ok false.
func CountryFromM49(code string) (string, bool) {
	code = strings.TrimLeft(strings.TrimSpace(code), "0")
	iso3, ok := m49Index[code]
	return iso3, ok
}

// CountryFromSlug resolves a country name written in lower case without
// spaces, as in the Working Group report file names "antiguaandbarbuda2011.txt"
// and "unitedkingdom2008.txt". A directory, extension and trailing year are
// ignored. File names carry typos ("kyrgysztan"), so when no name matches
// exactly a single name one edit away (a transposition counts as one) is
// accepted, as Country does.
func CountryFromSlug(slug string) (string, bool) {
	s := filepath.Base(strings.TrimSpace(slug))
	if ext := filepath.Ext(s); ext != "" && !strings.ContainsAny(ext[1:], "0123456789") {
		s = strings.TrimSuffix(s, ext)
	}
	s = strings.TrimRight(s, "0123456789_-. ")
	return nearCountry(slugIndex, strings.ReplaceAll(countryKey(s), " ", ""))
}

// looseKey drops the spaces and the words "of" and "the" from a country
// key, which UN documents add and leave out at will ("Islamic Republic Iran",
// "United Kingdom of the Great Britain and Northern Ireland").
func looseKey(k string) string {
	var b strings.Builder
	b.Grow(len(k))
	for w := range strings.FieldsSeq(k) {
		if w != "of" && w != "the" {
			b.WriteString(w)
		}
	}
	return b.String()
}

// nearCountry resolves a key that missed the main index in idx, exactly or,
// for keys of seven letters or more, one edit away from a single country's
// name. UN documents misspell States ("Lichtenstein", "Holly See", "United
// Sates") and such a name is still that State.
func nearCountry(idx map[string]string, k string) (string, bool) {
	if k == "" {
		return "", false
	}
	if iso3, ok := idx[k]; ok {
		return iso3, true
	}
	if len(k) < 7 {
		return "", false
	}
	found := ""
	for name, iso3 := range idx {
		if len(name) < 7 || abs(len(name)-len(k)) > 1 || !withinOneEdit(name, k) {
			continue
		}
		if found != "" && found != iso3 {
			return "", false // ambiguous
		}
		found = iso3
	}
	return found, found != ""
}

// withinOneEdit reports whether a and b differ by at most one insertion,
// deletion, substitution or transposition of adjacent bytes.
func withinOneEdit(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if i == len(a) {
		return len(b)-len(a) <= 1
	}
	if len(a) == len(b) {
		if a[i+1:] == b[i+1:] {
			return true // substitution
		}
		return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
	}
	return a[i:] == b[i+1:] // insertion
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// countryKey normalises a country name for lookup: codes written in capitals
// become "#CODE" so that "NA" (Namibia) never meets the word "na"; names are
// lower-cased, accents folded, apostrophes dropped, "&" read as "and", "St"
// as "Saint", punctuation turned to single spaces, a leading "the" removed,
// and the UN's inverted forms "Bolivia (Plurinational State of)" and
// "Korea, Republic of" turned into "plurinational state of bolivia" and
// "republic of korea".
func countryKey(name string) string {
	s := strings.TrimSpace(name)
	if isCode(s) {
		return "#" + s
	}
	head, tail := s, ""
	if strings.HasSuffix(s, ")") {
		if i := strings.LastIndexByte(s, '('); i > 0 {
			inner := s[i+1 : len(s)-1]
			if invertedPart(inner) {
				head, tail = inner, s[:i]
			}
		}
	} else if i := strings.LastIndexByte(s, ','); i > 0 && invertedPart(s[i+1:]) {
		head, tail = s[i+1:], s[:i]
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	writeKey(&b, head)
	writeKey(&b, tail)
	k := strings.TrimPrefix(b.String(), "the ")
	if strings.HasPrefix(k, "st ") {
		k = "saint " + k[3:]
	}
	if strings.Contains(k, " st ") {
		k = strings.ReplaceAll(k, " st ", " saint ")
	}
	return k
}

// invertedPart tells the trailing part of an inverted UN name: "Plurinational
// State of", "The Democratic Republic of the", or a bare "the" as in ISO's
// "Gambia (the)".
func invertedPart(p string) bool {
	p = strings.TrimSpace(p)
	return strings.EqualFold(p, "the") || hasSuffixFold(p, " of") || hasSuffixFold(p, " of the")
}

func hasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix)
}

// isCode reports whether s is two or three ASCII capitals.
func isCode(s string) bool {
	if len(s) < 2 || len(s) > 3 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// writeKey appends the normalised words of s to b, separated from what b
// holds by one space.
func writeKey(b *strings.Builder, s string) {
	sep := b.Len() > 0
	for _, r := range s {
		switch {
		case r == '\'' || r == '’' || r == '‘' || r == '`' || r == '´' || r == 'ʼ':
			continue // "Côte d’Ivoire" and "Cote dIvoire" must meet
		case r == '&':
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString("and")
			sep = true
			continue
		case r < utf8.RuneSelf && ('a' <= r && r <= 'z' || '0' <= r && r <= '9'):
		case r < utf8.RuneSelf && 'A' <= r && r <= 'Z':
			r += 'a' - 'A'
		case r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			r = unicode.ToLower(r)
		default:
			sep = true
			continue
		}
		if sep && b.Len() > 0 {
			b.WriteByte(' ')
		}
		sep = false
		writeFolded(b, r)
	}
}

// writeFolded writes r with the accents of Latin-script country names
// folded to ASCII ("Côte", "Türkiye", "Curaçao", "Åland", "São Tomé").
func writeFolded(b *strings.Builder, r rune) {
	switch r {
	case 'à', 'á', 'â', 'ã', 'ä', 'å', 'ā', 'ă', 'ą':
		r = 'a'
	case 'æ':
		b.WriteString("ae")
		return
	case 'ç', 'ć', 'č':
		r = 'c'
	case 'è', 'é', 'ê', 'ë', 'ē', 'ė', 'ę', 'ě':
		r = 'e'
	case 'ì', 'í', 'î', 'ï', 'ī', 'ı':
		r = 'i'
	case 'ñ', 'ń', 'ň':
		r = 'n'
	case 'ò', 'ó', 'ô', 'õ', 'ö', 'ø', 'ō', 'ő':
		r = 'o'
	case 'œ':
		b.WriteString("oe")
		return
	case 'ù', 'ú', 'û', 'ü', 'ū', 'ů', 'ű':
		r = 'u'
	case 'ý', 'ÿ':
		r = 'y'
	case 'ş', 'ș', 'š', 'ś':
		r = 's'
	case 'ţ', 'ț', 'ť':
		r = 't'
	case 'ğ':
		r = 'g'
	case 'ł':
		r = 'l'
	case 'ž', 'ź', 'ż':
		r = 'z'
	case 'ř':
		r = 'r'
	case 'đ', 'ď':
		r = 'd'
	case 'ß':
		b.WriteString("ss")
		return
	}
	b.WriteRune(r)
}
