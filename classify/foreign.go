package classify

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/french"
	"github.com/kljensen/snowball/spanish"
	"golang.org/x/text/unicode/norm"
)

// Languages whose texts the English models can read through a bilingual
// lexicon (Projection).
const (
	LangEnglish = "en"
	LangFrench  = "fr"
	LangSpanish = "es"
)

// foreignStop are words the Snowball lists lack but that carry no topic in
// UN prose: elided articles and pronouns split at the apostrophe ("l’État",
// "d’ici", "qu’il"), frequent drafting words of recommendations ("afin
// de", "a fin de", "d’ici à 2030", "lors de") and the pronouns,
// demonstratives and auxiliaries whose English counterparts are English
// stop words ("leurs", "cette", "comme"; "sido", "puedan"): left in, they
// would count against a text's support and keep apart the words around
// them that make a bigram. The French list also lacks "les". Words the English models keep are kept
// ("contra", "sin": against, without), even where Snowball lists them.
var (
	foreignStop = map[string]map[string]bool{
		LangFrench: set("les l d qu j m n s t c ci afin ainsi aussi dont ici lors lorsque comme " +
			"leurs elles cette cet celle celles celui ceux"),
		LangSpanish: set("fin asi aqui cuyo cuya cuyos cuyas sido ser puede pueden pueda puedan"),
	}
	foreignKeep = map[string]map[string]bool{
		LangSpanish: set("contra sin"),
	}
	// elision marks the articles and pronouns written before an apostrophe.
	elision = set("l d qu j m n s t c lorsqu puisqu jusqu")
)

func set(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// ForeignWord is one token of a French or Spanish text as ForeignTokens makes
// it: a Snowball stem (accents folded after stemming), or a code kept whole.
type ForeignWord struct {
	Term string
	Code bool // a code, number or acronym ("16.2", "op-cat", "vih"): not translated
}

// ForeignTokens splits a French or Spanish text into stems and codes by the
// rules of Tokenizer (runs of letters and digits, joiners, codes kept whole,
// single letters dropped), except that stop words are the Snowball lists of
// the language (plus elided articles), and words are stemmed by the
// language's Snowball stemmer before their accents are folded, since the
// stemmers read accents ("égalité" → "égal"). At most maxTokens tokens are
// taken (0 means DefaultMaxTokens). lang other than fr or es gives nil.
func ForeignTokens(lang, text string, maxTokens int) []ForeignWord {
	stem, stop := foreignStemmer(lang)
	if stem == nil {
		return nil
	}
	if maxTokens <= 0 {
		maxTokens = DefaultMaxTokens
	}
	if !isNFC(text) {
		text = norm.NFC.String(text) // the official texts write some accents as combining marks
	}
	var out []ForeignWord
	i := 0
	for i < len(text) && len(out) < maxTokens {
		r, w := decodeRune(text, i)
		if !isWordRune(r) {
			i += w
			continue
		}
		start, end := i, runEnd(text, i+w)
		out = foreignRun(text[start:end], stem, stop, lang, out)
		i = end
	}
	if len(out) > maxTokens {
		out = out[:maxTokens]
	}
	return out
}

func isNFC(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return norm.NFC.IsNormalString(s)
		}
	}
	return true
}

func foreignStemmer(lang string) (stem func(string, bool) string, stop func(string) bool) {
	switch lang {
	case LangFrench:
		return french.Stem, french.IsStopWord
	case LangSpanish:
		return spanish.Stem, spanish.IsStopWord
	}
	return nil, nil
}

// foreignRun appends the tokens of one joined run of the text.
func foreignRun(raw string, stem func(string, bool) string, stop func(string) bool, lang string, out []ForeignWord) []ForeignWord {
	// An elided article before a code ("l’OP-CAT") is not part of it.
	for i, r := range raw {
		if isApostrophe(r) {
			if elision[foldString(raw[:i])] {
				raw = raw[i+utf8.RuneLen(r):]
			}
			break
		}
	}
	if isCode(raw) {
		return append(out, ForeignWord{Term: string(appendCode(nil, raw)), Code: true})
	}
	from := 0
	for i, r := range raw {
		if r == '/' || isHyphen(r) || isApostrophe(r) {
			out = foreignWord(raw[from:i], stem, stop, lang, out)
			from = i + utf8.RuneLen(r)
		}
	}
	return foreignWord(raw[from:], stem, stop, lang, out)
}

func foreignWord(raw string, stem func(string, bool) string, stop func(string) bool, lang string, out []ForeignWord) []ForeignWord {
	var b strings.Builder
	letters, upper := 0, 0
	for _, r := range raw {
		if r == softHyphen || isMark(r) {
			continue
		}
		letters++
		if isUpper(r) {
			upper++
		}
		switch r = unicode.ToLower(r); r {
		case 'œ': // "œuvre", "cœur": the stemmer and the lexicons spell it oe
			b.WriteString("oe")
		case 'æ':
			b.WriteString("ae")
		default:
			b.WriteRune(r)
		}
	}
	if letters < 2 {
		return out
	}
	w := b.String()
	if (stop(w) && !foreignKeep[lang][w]) || foreignStop[lang][foldString(w)] {
		return out
	}
	if upper == letters {
		// An acronym ("ONU", "VIH") is kept as written, like English ones.
		return append(out, ForeignWord{Term: foldString(w), Code: true})
	}
	return append(out, ForeignWord{Term: foreignStems[lang].stem(w, stem)})
}

// foreignMemo memoises, for each lower-cased word of a language, its folded
// Snowball stem, as the Tokenizer's lexicon does for English: the French
// and Spanish stemmers cost far more than a lookup (three quarters of the
// time of a projection without it, BenchmarkProjectionTranslate). It stops
// growing at maxStems entries.
type foreignMemo struct {
	mu sync.RWMutex
	m  map[string]string
}

var foreignStems = map[string]*foreignMemo{
	LangFrench:  {m: map[string]string{}},
	LangSpanish: {m: map[string]string{}},
}

func (c *foreignMemo) stem(w string, stem func(string, bool) string) string {
	c.mu.RLock()
	st, ok := c.m[w]
	c.mu.RUnlock()
	if ok {
		return st
	}
	st = foldString(stem(w, true))
	c.mu.Lock()
	if len(c.m) < maxStems {
		c.m[w] = st
	}
	c.mu.Unlock()
	return st
}

// foldString lower-cases s and folds its accents, as the Tokenizer does.
func foldString(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf || 'A' <= s[i] && s[i] <= 'Z' {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isMark(r) {
			continue
		}
		b.WriteRune(lower(r))
	}
	return b.String()
}
