package lang

import ilang "github.com/nmirf/nmirf/internal/lang"

// ISO 639-1 codes of the languages Detect tells apart.
const (
	English = ilang.English
	French  = ilang.French
	Spanish = ilang.Spanish
	Russian = ilang.Russian
	Arabic  = ilang.Arabic
	Chinese = ilang.Chinese
)

// Detect returns the ISO 639-1 code of text's language, or "" when the text
// gives too little to tell. It is internal/lang's detector, shared with
// classify, which routes French and Spanish texts by it.
func Detect(text string) string { return ilang.Detect(text) }
