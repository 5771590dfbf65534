package classify

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Lexicon maps the stems of one language (French or Spanish, as
// ForeignTokens makes them) to English stems (as the default models'
// Tokenizer makes them), so that the English models can score a projected
// text. An entry may map to several English stems ("droit-homm"-like
// compounds to "human right").
type Lexicon struct {
	Lang    string
	entries map[string]LexEntry
}

// LexEntry is one translation of a stem.
type LexEntry struct {
	English []string // English stems, in English word order
	Score   float64  // confidence in [0,1]; 1 for a glossary entry
	Source  string   // where it comes from ("sdg-framework", a glossary's citation)
}

// NewLexicon returns an empty lexicon of lang.
func NewLexicon(lang string) *Lexicon {
	return &Lexicon{Lang: lang, entries: map[string]LexEntry{}}
}

// Len is the number of stems the lexicon translates.
func (l *Lexicon) Len() int { return len(l.entries) }

// Lookup returns the translation of a stem.
func (l *Lexicon) Lookup(stem string) (LexEntry, bool) {
	e, ok := l.entries[stem]
	return e, ok
}

// Add sets the translation of stem, replacing an earlier one.
func (l *Lexicon) Add(stem string, e LexEntry) { l.entries[stem] = e }

// lexHeader is the first line of a lexicon file.
const lexHeader = "stem\tenglish\tscore\tsource"

// WriteTo writes the lexicon as tab-separated lines, sorted by stem, after a
// comment naming the language and a header: stem, English stems (space
// separated), score, source.
func (l *Lexicon) WriteTo(w io.Writer) (int64, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "# lang: %s\n%s\n", l.Lang, lexHeader)
	keys := make([]string, 0, len(l.entries))
	for k := range l.entries {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		e := l.entries[k]
		fmt.Fprintf(&b, "%s\t%s\t%.3f\t%s\n", k, strings.Join(e.English, " "), e.Score, e.Source)
	}
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

// ReadLexicon reads a lexicon written by WriteTo. name is used in errors,
// which give the line.
func ReadLexicon(r io.Reader, name string) (*Lexicon, error) {
	sc := bufio.NewScanner(r)
	var l *Lexicon
	line, header := 0, false
	for sc.Scan() {
		line++
		s := strings.TrimRight(sc.Text(), "\r")
		switch {
		case strings.HasPrefix(s, "# lang:"):
			lang := strings.TrimSpace(strings.TrimPrefix(s, "# lang:"))
			if _, stop := foreignStemmer(lang); stop == nil {
				return nil, fmt.Errorf("%s line %d: language %q has no stemmer (fr, es)", name, line, lang)
			}
			l = NewLexicon(lang)
			continue
		case strings.HasPrefix(s, "#") || strings.TrimSpace(s) == "":
			continue
		}
		if l == nil {
			return nil, fmt.Errorf("%s line %d: no \"# lang: xx\" line before the entries", name, line)
		}
		if !header {
			if s != lexHeader {
				return nil, fmt.Errorf("%s line %d: header %q, want %q", name, line, s, lexHeader)
			}
			header = true
			continue
		}
		f := strings.Split(s, "\t")
		if len(f) != 4 {
			return nil, fmt.Errorf("%s line %d: %d fields, want 4 (stem, english, score, source)", name, line, len(f))
		}
		sc, err := strconv.ParseFloat(f[2], 64)
		if err != nil || sc < 0 || sc > 1 {
			return nil, fmt.Errorf("%s line %d: score %q is not a number in [0,1]", name, line, f[2])
		}
		en := strings.Fields(f[1])
		if f[0] == "" || len(en) == 0 {
			return nil, fmt.Errorf("%s line %d: empty stem or English side", name, line)
		}
		l.Add(f[0], LexEntry{English: en, Score: sc, Source: f[3]})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if l == nil {
		return nil, fmt.Errorf("%s: no \"# lang: xx\" line", name)
	}
	return l, nil
}

// ReadGlossary reads a hand-made glossary: tab-separated lines of language
// (fr, es), a word or phrase of that language, its English word or phrase,
// and the source of the pair (a citation); '#' starts a comment. Both sides
// are stemmed as texts are (ForeignTokens, and en for English); the foreign
// side must give one stem, or two for a phrase translated as a whole
// ("droits de l'homme" → "human rights"). It returns one lexicon per language.
// name is used in errors, which give the line.
func ReadGlossary(r io.Reader, name string, en *Tokenizer) (map[string]*Lexicon, error) {
	out := map[string]*Lexicon{}
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimRight(sc.Text(), "\r")
		if strings.HasPrefix(s, "#") || strings.TrimSpace(s) == "" {
			continue
		}
		f := strings.Split(s, "\t")
		if len(f) != 4 {
			return nil, fmt.Errorf("%s line %d: %d fields, want 4 (lang, word, english, source)", name, line, len(f))
		}
		lang := f[0]
		if _, stop := foreignStemmer(lang); stop == nil {
			return nil, fmt.Errorf("%s line %d: language %q has no stemmer (fr, es)", name, line, lang)
		}
		toks := ForeignTokens(lang, f[1], 0)
		if len(toks) != 1 && len(toks) != 2 {
			return nil, fmt.Errorf("%s line %d: %q gives %d stems, want one or two", name, line, f[1], len(toks))
		}
		key := toks[0].Term
		if len(toks) == 2 {
			key += " " + toks[1].Term
		}
		var eng []string
		for _, t := range en.Tokens(f[2]) {
			if !strings.Contains(t, " ") {
				eng = append(eng, t)
			}
		}
		if len(eng) == 0 {
			return nil, fmt.Errorf("%s line %d: English %q gives no term", name, line, f[2])
		}
		if strings.TrimSpace(f[3]) == "" {
			return nil, fmt.Errorf("%s line %d: no source", name, line)
		}
		if out[lang] == nil {
			out[lang] = NewLexicon(lang)
		}
		out[lang].Add(key, LexEntry{English: eng, Score: 1, Source: f[3]})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return out, nil
}

// AlignedText is one segment in English and its official translation (an
// SDG target in English and in French, with the same key).
type AlignedText struct {
	Key, English, Foreign string
}

// LearnOptions tune LearnLexicon.
type LearnOptions struct {
	Iterations int     // EM iterations of IBM Model 1 in each direction; 0 means 10
	MinCount   int     // segments a stem must occur in; 0 means 2
	MinScore   float64 // least √(t(e|f)·t(f|e)) kept; 0 means 0.3
	Source     string  // LexEntry.Source of the pairs; "" means "learned"
}

func (o LearnOptions) withDefaults() LearnOptions {
	if o.Iterations <= 0 {
		o.Iterations = 10
	}
	if o.MinCount <= 0 {
		o.MinCount = 2
	}
	if o.MinScore <= 0 {
		o.MinScore = 0.3
	}
	if o.Source == "" {
		o.Source = "learned"
	}
	return o
}

// LearnLexicon learns the translation of lang's stems into English stems
// from aligned segments: IBM Model 1 trained in both directions (with a
// null word), each foreign stem paired with its likeliest English stem, the
// pair kept when the stem occurs in MinCount segments and the geometric mean
// of the two directions' probabilities reaches MinScore. en is the English
// models' tokeniser (its unigrams are the English side); codes and numbers
// are left out on both sides, since they pass through untranslated.
func LearnLexicon(lang string, pairs []AlignedText, en *Tokenizer, opt LearnOptions) *Lexicon {
	opt = opt.withDefaults()
	var E, F [][]string
	df := map[string]int{}
	for _, p := range pairs {
		var e, f []string
		for _, t := range en.Tokens(p.English) {
			if !strings.Contains(t, " ") && !hasDigitOrCode(t) {
				e = append(e, t)
			}
		}
		seen := map[string]bool{}
		for _, t := range ForeignTokens(lang, p.Foreign, 0) {
			if !t.Code {
				f = append(f, t.Term)
				if !seen[t.Term] {
					seen[t.Term] = true
					df[t.Term]++
				}
			}
		}
		if len(e) > 0 && len(f) > 0 {
			E, F = append(E, e), append(F, f)
		}
	}
	tEF := model1(E, F, opt.Iterations) // t(e|f): English generated from foreign
	tFE := model1(F, E, opt.Iterations) // t(f|e)
	lex := NewLexicon(lang)
	for f, row := range tEF {
		if f == "" || df[f] < opt.MinCount {
			continue
		}
		best, bp := "", 0.0
		for e, p := range row {
			if p > bp || p == bp && e < best {
				best, bp = e, p
			}
		}
		if best == "" {
			continue
		}
		score := math.Sqrt(bp * tFE[best][f])
		if score >= opt.MinScore {
			lex.Add(f, LexEntry{English: []string{best}, Score: score, Source: opt.Source})
		}
	}
	return lex
}

func hasDigitOrCode(t string) bool {
	return strings.ContainsAny(t, "0123456789-/'.")
}

// model1 trains IBM Model 1 t(target|source) on segment pairs, with a null
// source word (""), from uniform probabilities. It returns t by source word.
// The table is dense (source × target vocabulary): the aligned official
// texts have a few thousand words a side.
func model1(target, source [][]string, iters int) map[string]map[string]float64 {
	sid, tid := map[string]int{"": 0}, map[string]int{}
	sw, tw := []string{""}, []string(nil)
	S, T := make([][]int, len(target)), make([][]int, len(target))
	for i := range target {
		S[i] = []int{0}
		for _, s := range source[i] {
			k, ok := sid[s]
			if !ok {
				k = len(sw)
				sid[s], sw = k, append(sw, s)
			}
			S[i] = append(S[i], k)
		}
		for _, w := range target[i] {
			k, ok := tid[w]
			if !ok {
				k = len(tw)
				tid[w], tw = k, append(tw, w)
			}
			T[i] = append(T[i], k)
		}
	}
	nt := len(tw)
	t := make([]float64, len(sw)*nt)
	for i := range t {
		t[i] = 1
	}
	count := make([]float64, len(t))
	for range iters {
		clear(count)
		for i := range T {
			for _, w := range T[i] {
				z := 0.0
				for _, s := range S[i] {
					z += t[s*nt+w]
				}
				for _, s := range S[i] {
					count[s*nt+w] += t[s*nt+w] / z
				}
			}
		}
		for s := range sw {
			row := count[s*nt : (s+1)*nt]
			tot := 0.0
			for _, v := range row {
				tot += v
			}
			for w, v := range row {
				if tot > 0 {
					t[s*nt+w] = v / tot
				} else {
					t[s*nt+w] = 0
				}
			}
		}
	}
	out := make(map[string]map[string]float64, len(sw))
	for s, sname := range sw {
		row := map[string]float64{}
		for w, v := range t[s*nt : (s+1)*nt] {
			if v > 1e-9 {
				row[tw[w]] = v
			}
		}
		out[sname] = row
	}
	return out
}
