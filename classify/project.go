package classify

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	ilang "github.com/nmirf/nmirf/internal/lang"
)

// DefaultMinSupport is the share of a French or Spanish text's words that
// its lexicon must translate for the prediction to count as supported; below
// it the text is flagged FlagLowSupport. Chosen on the SDG targets and
// indicators in French and Spanish held out by goal (see MODELS.md).
const DefaultMinSupport = 0.6

// Flags of texts read through a lexicon.
const (
	// FlagTranslated marks a French or Spanish text the English models read
	// through a bilingual lexicon ("translated-fr", "translated-es").
	FlagTranslated = "translated-"
	// FlagLowSupport marks such a text whose words the lexicon translates
	// too few of (Classified.Support below the projection's MinSupport):
	// its labels are a guess on part of the text.
	FlagLowSupport = "low-language-support"
)

// Projection lets English models read French and Spanish texts: each word
// is stemmed in its language (ForeignTokens) and replaced by its English
// stems from the language's lexicons (the first lexicon that has the stem
// wins), codes pass through, and unigrams and bigrams are rebuilt from the
// English stems. A bigram whose English order is the reverse of the
// foreign one ("violence domestique", "derechos humanos") is turned round
// when the model knows it only that way. A stem no lexicon has is kept when
// it is itself an English term of the model (a cognate: "discrimin",
// "tortur"), or, failing that, when one English word of the model is
// spelled nearly as it ("famill" → "famili", "recomend" → "recommend",
// near.go); otherwise it is dropped and counted against the text's support.
type Projection struct {
	lex  map[string][]*Lexicon
	vars map[string]map[string]variant // by language: stemVariants of its lexicons
	near sync.Map                      // *termGroup → *nearIndex of its vocabulary
	// MinSupport is the least Support of a supported text; 0 means
	// DefaultMinSupport.
	MinSupport float64
	// NoCognates turns off the cognate rules (for measuring them), and
	// NoNearCognates the rule for near spellings only; NoStemVariants turns
	// off the lookup of a stem's other inflected forms (stemVariants).
	NoCognates, NoNearCognates, NoStemVariants bool
	// Detect tells a text's language; nil means the detector of the
	// importers (internal/lang).
	Detect func(string) string
}

// NewProjection returns a projection through lexicons, in order of
// precedence (a glossary before learned pairs).
func NewProjection(lexicons ...*Lexicon) *Projection {
	p := &Projection{lex: map[string][]*Lexicon{}, vars: map[string]map[string]variant{}}
	for _, l := range lexicons {
		if l != nil {
			p.lex[l.Lang] = append(p.lex[l.Lang], l)
		}
	}
	for lang, lexs := range p.lex {
		p.vars[lang] = stemVariants(lexs)
	}
	return p
}

// The Snowball stemmers leave some inflected forms of one word with stems
// that differ in their last letters: French "étranger" → "etrang" but
// "étrangers" → "etranger", "enfance" → "enfanc" beside "enfant"; Spanish
// "enfermedad" → "enfermed" but "enfermedades" → "enfermedad". A stem no
// lexicon has is looked up by its base: the stem less up to
// maxVariantCut letters, at least minVariantBase long, matched to the
// base of a lexicon stem cut the same way. Of several lexicon stems with
// that base, the one with the fewest letters cut wins; a tie between
// different English is no match.
const (
	maxVariantCut  = 2
	minVariantBase = 5
)

// variant is the translation a base stands for: that of the lexicon stem
// it is cut from, the letters cut, the lexicon's rank, and whether stems
// of that lexicon with different English share the base with as few
// letters cut (then it is no match).
type variant struct {
	entry     LexEntry
	cut, rank int
	ambiguous bool
}

// stemVariants maps each base of the one-word stems of lexs (a stem less
// 0 to maxVariantCut letters) to its translation: the stem with the
// fewest letters cut, and of stems cut alike, that of the lexicon first in
// precedence.
func stemVariants(lexs []*Lexicon) map[string]variant {
	out := map[string]variant{}
	for rank, l := range lexs {
		keys := make([]string, 0, len(l.entries))
		for k := range l.entries {
			if !strings.Contains(k, " ") && isLowerASCII(k) {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			e := l.entries[k]
			for cut := 0; cut <= maxVariantCut && len(k)-cut >= minVariantBase; cut++ {
				base := k[:len(k)-cut]
				v, ok := out[base]
				switch {
				case !ok || cut < v.cut:
					out[base] = variant{entry: e, cut: cut, rank: rank}
				case cut == v.cut && rank == v.rank && !slices.Equal(v.entry.English, e.English):
					v.ambiguous = true
					out[base] = v
				}
			}
		}
	}
	return out
}

// variantOf returns the translation of another inflected form of stem: of
// the bases of stem (less 0 to maxVariantCut letters), the one whose
// letters cut from stem and from the lexicon stem are fewest; a tie
// between different English is no match.
func (p *Projection) variantOf(lang, stem string) (LexEntry, bool) {
	vars := p.vars[lang]
	best, bc := LexEntry{}, -1
	tie := false
	for cut := 0; cut <= maxVariantCut && len(stem)-cut >= minVariantBase; cut++ {
		v, ok := vars[stem[:len(stem)-cut]]
		if !ok {
			continue
		}
		switch c := cut + v.cut; {
		case bc < 0 || c < bc:
			best, bc, tie = v.entry, c, v.ambiguous
		case c == bc && (v.ambiguous || !slices.Equal(best.English, v.entry.English)):
			tie = true
		}
	}
	return best, bc > 0 && !tie
}

// Reads tells whether the projection has a lexicon for lang.
func (p *Projection) Reads(lang string) bool { return p != nil && len(p.lex[lang]) > 0 }

// Language returns the language of text as the projection routes it.
func (p *Projection) Language(text string) string {
	if p.Detect != nil {
		return p.Detect(text)
	}
	return ilang.Detect(text)
}

// MinSupportOrDefault is the least Support of a supported text.
func (p *Projection) MinSupportOrDefault() float64 { return p.minSupport() }

func (p *Projection) minSupport() float64 {
	if p.MinSupport > 0 {
		return p.MinSupport
	}
	return DefaultMinSupport
}

// Translate returns the English terms a text in lang becomes for a model
// whose vocabulary holds the terms known tells (nil: no cognates, bigrams
// in foreign order), and its support: the share of its words (codes
// included) that were translated. ngram is the model tokeniser's NGram
// (bigrams at most are made).
func (p *Projection) Translate(lang, text string, ngram int, known func(string) bool) (terms []string, support float64) {
	support = p.each(lang, text, ngram, known, nil, func(t []byte) { terms = append(terms, string(t)) })
	return terms, support
}

// each calls emit for each English term of text and returns the support.
func (p *Projection) each(lang, text string, ngram int, known func(string) bool, near func(string) (string, bool), emit func([]byte)) float64 {
	lexs := p.lex[lang]
	words, covered := 0, 0
	var prev, gram []byte
	hasPrev := false
	push := func(stem string) {
		emit([]byte(stem))
		if ngram >= 2 && hasPrev {
			gram = append(append(append(gram[:0], prev...), ' '), stem...)
			if known != nil && !known(string(gram)) {
				rev := stem + " " + string(prev)
				if known(rev) {
					gram = append(gram[:0], rev...)
				}
			}
			emit(gram)
		}
		prev, hasPrev = append(prev[:0], stem...), true
	}
	toks := ForeignTokens(lang, text, 0)
	for i := 0; i < len(toks); i++ {
		w := toks[i]
		words++
		if w.Code {
			covered++
			push(w.Term)
			continue
		}
		var e *LexEntry
		// A two-word entry ("droit homm" → "human right") before a one-word one.
		if i+1 < len(toks) && !toks[i+1].Code {
			if x, ok := lookup(lexs, w.Term+" "+toks[i+1].Term); ok {
				e = &x
				i++
				words++
				covered++
			}
		}
		if e == nil {
			if x, ok := lookup(lexs, w.Term); ok {
				e = &x
			}
		}
		switch {
		case e != nil:
			covered++
			for _, s := range e.English {
				push(s)
			}
		case !p.NoCognates && known != nil && known(w.Term):
			covered++
			push(w.Term)
		case !p.NoStemVariants && p.hasVariant(lang, w.Term, &e):
			covered++
			for _, s := range e.English {
				push(s)
			}
		case !p.NoCognates && !p.NoNearCognates && near != nil:
			if e, ok := nearCognate(lang, w.Term, known, near); ok {
				covered++
				push(e)
			} else {
				hasPrev = false
			}
		default:
			hasPrev = false // an untranslated word breaks the n-grams, as it would in English
		}
	}
	if words == 0 {
		return 0
	}
	return float64(covered) / float64(words)
}

// nearCognate returns the English term of the model spelled nearly as
// stem. A Spanish stem that begins with "es" and a consonant is also read
// without its "e", which Spanish puts before an "s" and a consonant
// ("estrategia" / "strategy", "estructura" / "structure", "estudio" /
// "study").
func nearCognate(lang, stem string, known func(string) bool, near func(string) (string, bool)) (string, bool) {
	if lang == LangSpanish && len(stem) > 5 && strings.HasPrefix(stem, "es") && !isVowel(stem[2]) {
		if s := stem[1:]; known(s) {
			return s, true
		} else if e, ok := near(s); ok {
			return e, true
		}
	}
	return near(stem)
}

// hasVariant sets *e to the translation of another inflected form of stem
// and tells whether there is one.
func (p *Projection) hasVariant(lang, stem string, e **LexEntry) bool {
	x, ok := p.variantOf(lang, stem)
	if ok {
		*e = &x
	}
	return ok
}

func lookup(lexs []*Lexicon, key string) (LexEntry, bool) {
	for _, l := range lexs {
		if x, ok := l.entries[key]; ok {
			return x, true
		}
	}
	return LexEntry{}, false
}

// TranslatedFlags are the flags of a text the Batch read through a
// projection: FlagTranslated with its language, and FlagLowSupport when
// c.Support is below the projection's MinSupport. Texts not read through it
// get none.
func (p *Projection) TranslatedFlags(c Classified) []string {
	if p == nil || !c.Translated {
		return nil
	}
	flags := []string{FlagTranslated + c.Language}
	if c.Support < p.minSupport() {
		flags = append(flags, FlagLowSupport)
	}
	return flags
}

// LowSupport tells whether c was read through the projection with too few
// of its words translated.
func (p *Projection) LowSupport(c Classified) bool {
	return p != nil && c.Translated && c.Support < p.minSupport()
}

// languageOf returns the language a Batch routes text by: given (from the
// warehouse) or detected.
func (p *Projection) languageOf(text, given string) string {
	if given != "" {
		return strings.ToLower(given)
	}
	return p.Language(text)
}

// WithProjection makes b read French and Spanish texts through p (nil:
// none, every text is read as English) and returns b.
func (b *Batch) WithProjection(p *Projection) *Batch {
	b.proj = p
	return b
}

// sub returns langs[lo:hi], or nil for nil langs.
func sub(langs []string, lo, hi int) []string {
	if langs == nil {
		return nil
	}
	return langs[lo:hi]
}

// route sets c's language and whether the Batch's projection reads it.
func (b *Batch) route(text string, lang []string, c *Classified) {
	c.Language, c.Translated, c.Support = "", false, 0
	if b.proj == nil {
		return
	}
	given := ""
	if len(lang) > 0 {
		given = lang[0]
	}
	c.Language = b.proj.languageOf(text, given)
	c.Translated = b.proj.Reads(c.Language)
}

// project emits the English terms of a text c.Translated says the
// projection reads, and tells whether it did.
func (b *Batch) project(g *termGroup, text string, c *Classified, emit func([]byte)) bool {
	if !c.Translated {
		return false
	}
	if g.tok.opt.NoStem {
		// The lexicons give Snowball stems: a model of unstemmed words
		// reads the text as it is.
		c.Translated = false
		return false
	}
	known := func(t string) bool { _, ok := g.index[t]; return ok }
	c.Support = b.proj.each(c.Language, text, g.tok.opt.NGram, known, b.proj.nearIn(g).find, emit)
	return true
}

// ReadProjection reads a glossary (ReadGlossary; its pairs win) and learnt
// lexicons (ReadLexicon) into a Projection. en is the English models'
// tokeniser, which stems the glossary's English side.
func ReadProjection(en *Tokenizer, glossary io.Reader, learned ...io.Reader) (*Projection, error) {
	var lexs []*Lexicon
	if glossary != nil {
		g, err := ReadGlossary(glossary, "glossary", en)
		if err != nil {
			return nil, err
		}
		for _, lang := range []string{LangFrench, LangSpanish} {
			lexs = append(lexs, g[lang])
		}
	}
	for i, r := range learned {
		l, err := ReadLexicon(r, fmt.Sprintf("lexicon %d", i+1))
		if err != nil {
			return nil, err
		}
		lexs = append(lexs, l)
	}
	return NewProjection(lexs...), nil
}
