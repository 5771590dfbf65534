package classify

import "strings"

// Flags of texts a model cannot judge.
const (
	FlagEmpty        = "empty"
	FlagNotEnglish   = "not-english"
	FlagUnknownWords = "mostly-unknown-words"
)

// TextFlags marks texts a model cannot judge: empty ones, ones that read as
// another language (notEnglish, as the caller guessed it), and ones whose
// words are mostly unknown to every model (noise, or a language whose words
// the vocabulary shares by accident).
func TextFlags(text string, notEnglish bool, mods []*Model) []string {
	if strings.TrimSpace(text) == "" {
		return []string{FlagEmpty}
	}
	var flags []string
	if notEnglish {
		flags = append(flags, FlagNotEnglish)
	}
	best := 0.0
	for _, m := range mods {
		vz := m.Vectorizer()
		toks := vz.Tokenizer().Tokens(text)
		if len(toks) == 0 {
			continue
		}
		known := 0
		for _, t := range toks {
			if vz.Index(t) >= 0 {
				known++
			}
		}
		best = max(best, float64(known)/float64(len(toks)))
	}
	if best < 0.3 {
		flags = append(flags, FlagUnknownWords)
	}
	return flags
}
