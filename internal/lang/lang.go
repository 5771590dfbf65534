package lang

import (
	"strings"
	"unicode"

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
	for _, r := range text {
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
	counts := map[string]int{}
	// Accents written as combining marks ("i" + U+0301) would split words.
	words := strings.FieldsFunc(strings.ToLower(norm.NFC.String(text)), func(r rune) bool {
		return !unicode.IsLetter(r)
	})
	for _, w := range words {
		for l, ws := range stopWords {
			if ws[w] {
				counts[l]++
			}
		}
		// Spanish nouns in -ción/-ciones are frequent in UN prose and
		// belong to no other of the three languages.
		if strings.HasSuffix(w, "ción") || strings.HasSuffix(w, "ciones") {
			counts[Spanish]++
		}
	}
	best, n, second := "", 0, 0
	for _, l := range []string{English, French, Spanish} {
		switch c := counts[l]; {
		case c > n:
			best, n, second = l, c, n
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
