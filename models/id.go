package models

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// RecID returns the stable identifier of a recommendation. It depends only on
// what makes two appearances the same recommendation: the country, the body,
// the review or document it was made in, the kind, and the text with
// punctuation, case, paragraph numbers and recommending States removed. The
// same recommendation read from the UPR Info export, an OHCHR matrix and the
// Working Group report therefore gets the same id.
func RecID(r *Recommendation) string {
	h := sha256.New()
	for _, part := range []string{r.CountryISO3, r.Body, period(r), r.Kind, IdentityText(r.Text)} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return "R" + strings.ToUpper(hex.EncodeToString(h.Sum(nil))[:16])
}

// period names the review or document a recommendation belongs to.
func period(r *Recommendation) string {
	if r.Mechanism == MechanismUPR && r.Session > 0 {
		return "session " + strconv.Itoa(r.Session)
	}
	if r.Symbol != "" {
		return strings.ToUpper(r.Symbol)
	}
	if len(r.Date) >= 4 {
		return r.Date[:4]
	}
	return ""
}

var (
	leadingParaRe = regexp.MustCompile(`^\s*(\d{1,3}(\.\d{1,3})*\.?|\([a-z]{1,3}\))\s+`)
)

// IdentityText reduces a text to the form compared for identity: lower case,
// letters and digits only, common accents and typographic quotes folded, no
// paragraph number in front, no recommending States at the end.
func IdentityText(s string) string {
	s = StripParagraphNumber(s)
	s, _ = SplitTrailingStates(s)
	var b strings.Builder
	b.Grow(len(s))
	space := true
	for _, r := range strings.ToLower(s) {
		r = foldAccent(r)
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			space = false
		} else if !space && r != '\'' && r != '’' {
			b.WriteByte(' ')
			space = true
		}
	}
	out := strings.TrimSpace(b.String())
	// Early Working Group reports write recommendations as infinitives
	// ("To accept …", "That the State …"); UPR Info and later reports write
	// the imperative ("Accept …"). The lead-in words carry no identity.
	for _, lead := range []string{"recommended that ", "recommends that ", "that ", "to "} {
		if strings.HasPrefix(out, lead) {
			out = out[len(lead):]
			break
		}
	}
	return out
}

// StripParagraphNumber removes a leading "104.1", "12." or "(a)".
func StripParagraphNumber(s string) string {
	return leadingParaRe.ReplaceAllString(s, "")
}

// SplitTrailingStates splits "Ratify OP-CAT (France, Spain);" into the text
// and the raw list of recommending States ("France, Spain"). When the text does
// not end with such a list, states is empty.
func SplitTrailingStates(s string) (text, states string) {
	s = strings.TrimSpace(s)
	body := strings.TrimRight(s, ";.,: ")
	if body == "" {
		return s, ""
	}
	closer := body[len(body)-1]
	var opener byte
	switch closer {
	case ')':
		opener = '('
	case ']':
		opener = '['
	default:
		return s, ""
	}
	// Walk back to the matching bracket: State names nest their own
	// parentheses, as in "(Bolivia (Plurinational State of))".
	depth := 0
	for i := len(body) - 1; i >= 0; i-- {
		switch body[i] {
		case closer:
			depth++
		case opener:
			depth--
			if depth == 0 {
				inner := strings.TrimSpace(body[i+1 : len(body)-1])
				if len(inner) < 2 || len(inner) > 600 || !looksLikeStateList(inner) {
					return s, ""
				}
				return strings.TrimSpace(body[:i]), inner
			}
		}
	}
	return s, ""
}

// looksLikeStateList tells a list of State names from an ordinary parenthesis
// such as "(OP-CAT)" or "(2015–2020)": each item starts with an upper-case
// letter and most of it is letters.
func looksLikeStateList(s string) bool {
	if strings.ContainsAny(s, "0123456789") {
		return false
	}
	for _, item := range SplitStateList(s) {
		rs := []rune(item)
		if len(rs) < 3 || !unicode.IsUpper(rs[0]) {
			return false
		}
		if item == strings.ToUpper(item) && !strings.Contains(item, " ") && len(rs) <= 8 {
			// an acronym such as ICCPR or OP-CAT, not a State
			return false
		}
	}
	return true
}

// SplitStateList splits "France, Spain and Holy See" or "Mongolia; Japan"
// into State names.
func SplitStateList(s string) []string {
	if strings.Contains(s, " and ") {
		for _, n := range andNames {
			if strings.Contains(s, n) {
				s = strings.ReplaceAll(s, n, strings.ReplaceAll(n, " and ", " \x00 "))
			}
		}
	}
	s = listSeparators.Replace(s)
	if strings.Contains(s, " \x00 ") {
		s = strings.ReplaceAll(s, " \x00 ", " and ")
	}
	var out []string
	for _, p := range strings.Split(s, ",") {
		p = strings.Trim(strings.TrimSpace(p), ".")
		if p != "" {
			out = append(out, p)
		}
	}
	return mergeCommaNames(out)
}

var listSeparators = strings.NewReplacer(";", ",", " and ", ",", "\n", ",")

// andNames are State names with "and" in them, kept whole when a list is
// split on "and".
var andNames = []string{
	"United Kingdom of Great Britain and Northern Ireland", "Great Britain and Northern Ireland",
	"Trinidad and Tobago", "Bosnia and Herzegovina", "Antigua and Barbuda",
	"Saint Vincent and the Grenadines", "Sao Tome and Principe", "São Tomé and Príncipe",
	"Saint Kitts and Nevis", "Turks and Caicos", "Heard Island and McDonald Islands",
	"Saint Pierre and Miquelon", "Wallis and Futuna", "Svalbard and Jan Mayen",
	"South Georgia and the South Sandwich Islands", "Serbia and Montenegro",
}

// mergeCommaNames rejoins UN-style names that carry a comma, such as
// "Venezuela, Bolivarian Republic of" or "Korea, Republic of".
func mergeCommaNames(parts []string) []string {
	var out []string
	for _, p := range parts {
		lp := strings.ToLower(p)
		if len(out) > 0 && (strings.HasSuffix(lp, " of") || lp == "the" || strings.HasPrefix(lp, "the ") && strings.HasSuffix(lp, " of")) {
			out[len(out)-1] += ", " + p
			continue
		}
		out = append(out, p)
	}
	return out
}

func foldAccent(r rune) rune {
	switch r {
	case 'à', 'á', 'â', 'ã', 'ä', 'å':
		return 'a'
	case 'ç':
		return 'c'
	case 'è', 'é', 'ê', 'ë':
		return 'e'
	case 'ì', 'í', 'î', 'ï':
		return 'i'
	case 'ñ':
		return 'n'
	case 'ò', 'ó', 'ô', 'õ', 'ö', 'ø':
		return 'o'
	case 'ù', 'ú', 'û', 'ü':
		return 'u'
	case 'ý', 'ÿ':
		return 'y'
	}
	return r
}

// CleanText normalises white space and typographic quotes in a text taken
// from a document, keeping its wording.
func CleanText(s string) string {
	s = typography.Replace(s)
	// Fast path: most texts have single spaces only.
	clean := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || (c == ' ' && (i == 0 || i == len(s)-1 || s[i+1] == ' ')) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

var typography = strings.NewReplacer("\u00a0", " ", "\u2019", "'", "\u2018", "'", "\u201c", "\"", "\u201d", "\"", "\u00ad", "", "\ufeff", "")
