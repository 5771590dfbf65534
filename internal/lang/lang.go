package lang

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// ISO 639-1 codes of the languages Detect tells apart.
const (
	English = "en"
	French  = "fr"
	Spanish = "es"
	Russian = "ru"
	Arabic  = "ar"
	Chinese = "zh"
)

// Function words: frequent, short, and shared as little as possible between
// the three languages. Words two of them share ("a", "de", "en", "la",
// "que", "se") say nothing and are left out.
var stopWords = map[string]map[string]bool{
	English: set("the of and to in for on with its all that by as be an or are which is from at this their ensure take measures continue " +
		"including through such against other into within should will has have been between"),
	// "l", "d", "qu" are the elided articles and conjunction of "l’État",
	// "d’ici", "qu’il", split at the apostrophe.
	French: set("le les des du et une un pour dans sur aux au avec est qui ses leurs ce cette il elle ont été être pas ou plus par afin notamment mesures veiller " +
		"l d qu ici sans ni ainsi selon tous toutes très lors auprès leur"),
	Spanish: set("el los las del y una un para por con su sus lo al es ha han fin medidas seguir esta este como entre garantizar " +
		"aquí mediante cada menos según sobre también hasta desde muy"),
}

func set(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// Detect returns the ISO 639-1 code of text's language, or "" when the text
// gives too little to tell ("Ratify OP-CAT" has no function word). A text
// mostly in Cyrillic, Arabic or Han script is Russian, Arabic or Chinese;
// a text in Latin script is English, French or Spanish by which language's
// function words it uses most.
func Detect(text string) string {
	var latin, cyr, arab, han int
	ascii := true
	for _, r := range text {
		if r < utf8.RuneSelf {
			if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' {
				latin++
			}
			continue
		}
		ascii = false
		switch {
		case unicode.Is(unicode.Han, r):
			han++
		case unicode.Is(unicode.Cyrillic, r):
			cyr++
		case unicode.Is(unicode.Arabic, r):
			arab++
		case unicode.Is(unicode.Latin, r):
			latin++
		}
	}
	// Han characters carry a word each; letters of the others a fraction.
	switch {
	case han*3 > latin && han >= cyr && han >= arab && han > 0:
		return Chinese
	case cyr > latin && cyr >= arab:
		return Russian
	case arab > latin:
		return Arabic
	}
	// Accents written as combining marks ("i" + U+0301) would split words.
	if !ascii && !norm.NFC.IsNormalString(text) {
		text = norm.NFC.String(text)
	}
	var counts [3]int // English, French, Spanish
	var buf []byte
	for i := 0; i < len(text); {
		r, w := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsLetter(r) {
			i += w
			continue
		}
		j := i + w
		for j < len(text) {
			r2, w2 := utf8.DecodeRuneInString(text[j:])
			if !unicode.IsLetter(r2) {
				break
			}
			j += w2
		}
		word := text[i:j]
		i = j
		if !isLowerASCII(word) {
			buf = append(buf[:0], strings.ToLower(word)...)
			word = string(buf)
		}
		m := wordLangs[word]
		for l := range counts {
			if m&(1<<l) != 0 {
				counts[l]++
			}
		}
		// Spanish nouns in -ción/-ciones are frequent in UN prose and
		// belong to no other of the three languages.
		if strings.HasSuffix(word, "ción") || strings.HasSuffix(word, "ciones") {
			counts[2]++
		}
	}
	langs := [3]string{English, French, Spanish}
	best, n, second := "", 0, 0
	for l, c := range counts {
		switch {
		case c > n:
			best, n, second = langs[l], c, n
		case c > second:
			second = c
		}
	}
	// One function word more than any other language decides: UN texts in
	// French and Spanish are full of them, so an English-looking text with
	// a single "in" is English. A tie, or none at all, says nothing.
	if n == second {
		return ""
	}
	return best
}

// wordLangs gives each function word the languages (bit 0 English, 1
// French, 2 Spanish) whose list has it: one lookup a word.
var wordLangs = func() map[string]uint8 {
	m := map[string]uint8{}
	for l, lang := range []string{English, French, Spanish} {
		for w := range stopWords[lang] {
			m[w] |= 1 << l
		}
	}
	return m
}()

func isLowerASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
			return false
		}
	}
	return true
}
