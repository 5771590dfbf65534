package classify

import (
	"slices"
	"strings"
	"testing"
)

// TestNearCognates: a stem no lexicon has is read as the English word
// spelled as its cognate is, and not as a word of another root spelled
// alike.
func TestNearCognates(t *testing.T) {
	vocab := []string{"famili", "recommend", "possibl", "member", "alcohol", "annual", "criminalis", "univers",
		"prosecut", "contact", "avoid", "southern", "prevent", "hong", "inter", "sometim", "strategi", "studi"}
	g := &termGroup{index: map[string]int32{}}
	for i, w := range vocab {
		g.index[w] = int32(i)
	}
	ix := NewProjection().nearIn(g)
	for stem, want := range map[string]string{
		// Doubled letters, an "h", a vowel, a letter at the end, s/z.
		"famill": "famili", "recomend": "recommend", "posibil": "possibl", "membr": "member",
		"alcool": "alcohol", "annuel": "annual", "criminaliz": "criminalis", "universel": "univers",
		// Other roots: Spanish "proseguir" (continue), French "consacrer"
		// (devote), "avoir" (have), "soutien" (support), "prévalence",
		// "Hongrie" (a four-letter candidate), "interdit" (prohibited), "sometido"
		// (subjected): English letters added at the end are no suffix.
		"prosegu": "", "consacr": "", "avoir": "", "soutien": "", "prevalent": "", "hongr": "",
		"somet": "",
	} {
		if got, _ := ix.find(stem); got != want {
			t.Errorf("near(%q) = %q, want %q", stem, got, want)
		}
	} // Spanish "e" before "s" and a consonant: "estrategia", "estudio"; not
	// in French ("estim" is no "stim").
	known := func(s string) bool { _, ok := g.index[s]; return ok }
	for _, tt := range []struct{ lang, stem, want string }{
		{"es", "estrateg", "strategi"}, {"es", "estudi", "studi"}, {"fr", "estrateg", ""},
	} {
		if got, _ := nearCognate(tt.lang, tt.stem, known, ix.find); got != tt.want {
			t.Errorf("nearCognate(%s, %q) = %q, want %q", tt.lang, tt.stem, got, tt.want)
		}
	}
}

// TestStemVariants: a form whose stem differs from the lexicon's in its
// last letters gets the lexicon's English; a base two stems of different
// English share is no match.
func TestStemVariants(t *testing.T) {
	en := NewTokenizer(TokenizerOptions{NGram: 1})
	gl, err := ReadGlossary(strings.NewReader(
		"fr\tétranger\tforeign\tx\nfr\tenfant\tchildren\tx\nfr\tpartie\tparty\tx\nfr\tpartir\tleave\tx\n"+
			"es\tenfermedad\tdisease\tx\n"), "g", en)
	if err != nil {
		t.Fatal(err)
	}
	p := NewProjection(gl["fr"], gl["es"])
	for _, tt := range []struct{ lang, text, want string }{
		{"fr", "les étrangers", "foreign"},   // "etranger" → "etrang"
		{"fr", "les étrangères", "foreign"},  // "etranger"
		{"fr", "l'enfance", "children"},      // "enfanc" ~ "enfant"
		{"es", "las enfermedades", "diseas"}, // "enfermedad" → "enfermed"
		{"es", "la enfermedad", "diseas"},    // exact
		{"fr", "partiel", ""},                // "partiel" ~ "parti" (party) and "partir" (leave)
		{"fr", "mettre en œuvre", ""},        // no lexicon entry: nothing
	} {
		terms, _ := p.Translate(tt.lang, tt.text, 1, nil)
		if got := strings.Join(terms, " "); got != tt.want {
			t.Errorf("%s %q → %q, want %q", tt.lang, tt.text, got, tt.want)
		}
	}
	// Of stems cut alike, the lexicon first in precedence wins; within one
	// lexicon, different English is no match.
	a, b := NewLexicon("fr"), NewLexicon("fr")
	a.Add("abcdefg", LexEntry{English: []string{"one"}})
	b.Add("abcdefh", LexEntry{English: []string{"two"}})
	if e, ok := NewProjection(a, b).variantOf("fr", "abcdefi"); !ok || e.English[0] != "one" {
		t.Errorf("precedence: %v %v, want one", e.English, ok)
	}
	a.Add("abcdefh", LexEntry{English: []string{"two"}})
	if e, ok := NewProjection(a).variantOf("fr", "abcdefi"); ok {
		t.Errorf("two stems of one lexicon: %v, want none", e.English)
	}
	p.NoStemVariants = true
	if terms, _ := p.Translate("fr", "les étrangers", 1, nil); len(terms) != 0 {
		t.Errorf("without variants: %v", terms)
	}
	// The ligature is spelled as the stemmer reads it.
	var got []string
	for _, w := range ForeignTokens("fr", "mettre en Œuvre, cœur", 0) {
		got = append(got, w.Term)
	}
	if want := []string{"mettr", "oeuvr", "coeur"}; !slices.Equal(got, want) {
		t.Errorf("ligatures: %v, want %v", got, want)
	}
}
