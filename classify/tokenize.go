package classify

import (
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"golang.org/x/text/unicode/norm"
)

// TokenizerVersion changes whenever a rule below changes the terms a text
// yields; a model saved with another version is refused on load, because its
// vocabulary would no longer match what the tokeniser produces.
const TokenizerVersion = 1

// DefaultMaxTokens caps the unigrams taken from one text. Real recommendations
// have well under a thousand; the cap keeps a multi-megabyte paste (a whole
// report pasted into one cell) from costing unbounded time and memory, and
// the text beyond it is ignored.
const DefaultMaxTokens = 20000

// DefaultStopWords are dropped before stemming and before n-grams are built.
// The list is short on purpose: idf and the max-df pruning already discount
// frequent words, so only words that carry no topic are listed. Negations and
// quantifiers ("not", "no", "nor", "all", "any", "without", "against") are kept
// because they change what a recommendation asks for ("without
// discrimination", "violence against women", "all forms of").
var DefaultStopWords = []string{
	"a", "an", "and", "are", "as", "at", "be", "been", "being", "but", "by",
	"did", "do", "does", "for", "from", "had", "has", "have", "having", "he",
	"her", "hers", "him", "his", "i", "if", "in", "into", "is", "it", "its",
	"itself", "me", "my", "of", "on", "or", "our", "ours", "she", "so",
	"than", "that", "the", "their", "theirs", "them", "themselves", "then",
	"there", "these", "they", "this", "those", "to", "was", "we", "were",
	"which", "who", "whom", "with", "would", "you", "your", "also",
	"shall", "should", "will", "can", "could", "may", "might", "must",
}

// TokenizerOptions configures a Tokenizer; the zero value means bigrams,
// stemming, the default stop words and DefaultMaxTokens.
type TokenizerOptions struct {
	NGram     int      // longest word n-gram, at most MaxNGram; 0 means 2, 1 means unigrams only
	NoStem    bool     // keep words as written (lower-cased) instead of Snowball stems
	StopWords []string // nil means DefaultStopWords; an empty non-nil slice drops none
	MaxTokens int      // unigrams taken per text; 0 means DefaultMaxTokens
}

// MaxNGram bounds TokenizerOptions.NGram: a text of n words yields about
// n·NGram terms, and longer n-grams are too rare to be worth learning.
const MaxNGram = 8

func (o TokenizerOptions) withDefaults() TokenizerOptions {
	if o.NGram <= 0 {
		o.NGram = 2
	}
	o.NGram = min(o.NGram, MaxNGram)
	if o.MaxTokens <= 0 {
		o.MaxTokens = DefaultMaxTokens
	}
	if o.StopWords == nil {
		o.StopWords = DefaultStopWords
	}
	sw := make([]string, 0, len(o.StopWords))
	for _, w := range o.StopWords {
		sw = append(sw, strings.ToLower(w))
	}
	slices.Sort(sw)
	o.StopWords = slices.Compact(sw)
	return o
}

// Tokenizer turns text into terms: lower-cased, accent-folded, stemmed
// words, codes and numbers kept whole ("op-cat", "3.4", "cedaw/c/gc/35",
// "1325"), and word n-grams joined by a space ("article 14"). Rules:
//   - a token is a run of letters and digits; '-', '/' and apostrophes join
//     two such runs, '.' joins a run to a following digit ("16.2",
//     "CCPR/C/SR.3267", but "2008.The" splits); every other character separates;
//   - a run with a digit, or an acronym (two capitals in a row) joined by
//     '-' or '/', is a code and is kept whole and unstemmed: "OP-CAT",
//     "ICCPR-OP2", "HIV/AIDS", "16.2";
//   - otherwise the run is split at its joiners into words: "non-discrimination"
//     gives "non" and "discrimination"; a trailing possessive "'s" is dropped;
//   - single letters and stop words are dropped; words written in capitals
//     (acronyms such as "AIDS", "CRC") are not stemmed, others are;
//   - n-grams are built over the words left after stop-word removal.
//
// A Tokenizer is safe for concurrent use.
type Tokenizer struct {
	opt  TokenizerOptions
	lex  lexicon
	pool sync.Pool
}

// NewTokenizer returns a Tokenizer with opt (zero fields take defaults).
func NewTokenizer(opt TokenizerOptions) *Tokenizer {
	opt = opt.withDefaults()
	t := &Tokenizer{opt: opt}
	t.lex.init(opt.StopWords, opt.NoStem)
	t.pool.New = func() any { return &scratch{} }
	return t
}

// Options returns the effective options, defaults filled in.
func (t *Tokenizer) Options() TokenizerOptions {
	o := t.opt
	o.StopWords = slices.Clone(o.StopWords)
	return o
}

// Tokens returns the terms of text in order, unigrams each followed by the
// n-grams ending at it.
func (t *Tokenizer) Tokens(text string) []string {
	var out []string
	t.each(text, func(term []byte) { out = append(out, string(term)) })
	return out
}

// each calls emit for every term of text. term is only valid during the call:
// the hot paths (fit, transform) look it up in a map without allocating.
func (t *Tokenizer) each(text string, emit func(term []byte)) {
	s := t.pool.Get().(*scratch)
	s.spare = append(s.spare, s.hist...)
	s.hist = s.hist[:0]
	s.count = 0
	t.scan(text, s, emit)
	t.pool.Put(s)
}

// scratch holds the buffers one text's tokenisation reuses.
type scratch struct {
	word  []byte   // the word or code being built
	gram  []byte   // the n-gram being built
	hist  [][]byte // the previous NGram-1 unigrams, oldest first
	spare [][]byte // buffers recycled from hist
	count int      // unigrams emitted so far
}

const softHyphen = '\u00ad'

// The helpers below take an ASCII fast path: nearly all runes are ASCII and
// the unicode tables cost several times more. The other runes go to a
// function of their own, which keeps the helpers small enough to inline.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiWord[r]
	}
	return isWordRuneSlow(r)
}

// asciiWord tells the ASCII letters and digits.
var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for r := range t {
		t[r] = 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return t
}()

//go:noinline
func isWordRuneSlow(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func isDigit(r rune) bool {
	if r < utf8.RuneSelf {
		return '0' <= r && r <= '9'
	}
	return isDigitSlow(r)
}

//go:noinline
func isDigitSlow(r rune) bool { return unicode.IsDigit(r) }

func isUpper(r rune) bool {
	if r < utf8.RuneSelf {
		return 'A' <= r && r <= 'Z'
	}
	return isUpperSlow(r)
}

//go:noinline
func isUpperSlow(r rune) bool { return unicode.IsUpper(r) }

// isMark tells combining accents, which belong to the letter before them.
func isMark(r rune) bool { return r >= 0x300 && unicode.Is(unicode.Mn, r) }

// lower lower-cases r and folds its accent away.
func lower(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return r
	}
	return lowerSlow(r)
}

//go:noinline
func lowerSlow(r rune) rune { return fold(unicode.ToLower(r)) }

func isApostrophe(r rune) bool {
	return r == '\'' || r == '\u2019' || r == '\u2018' || r == '\u02bc' || r == '`' || r == '\u2032'
}

func isHyphen(r rune) bool { return r == '-' || r == '\u2010' || r == '\u2011' }

// runEnd returns where the joined run that reaches end ends: word runes,
// soft hyphens and combining marks, and a '.', '/', hyphen or apostrophe
// between word runes ('.' only before a digit: "16.2", not "end. Next").
func runEnd(text string, end int) int {
	for end < len(text) {
		r2, w2 := decodeRune(text, end)
		if isWordRune(r2) || r2 == softHyphen || isMark(r2) {
			end += w2
			continue
		}
		if r2 == '.' || r2 == '/' || isHyphen(r2) || isApostrophe(r2) {
			if r3, w3 := decodeRune(text, end+w2); isWordRune(r3) && (r2 != '.' || isDigit(r3)) {
				end += w2 + w3
				continue
			}
		}
		break
	}
	return end
}

func (t *Tokenizer) scan(text string, s *scratch, emit func([]byte)) {
	i := 0
	for i < len(text) && s.count < t.opt.MaxTokens {
		r, w := decodeRune(text, i)
		if !isWordRune(r) {
			i += w
			continue
		}
		start, end := i, runEnd(text, i+w)
		t.run(text[start:end], s, emit)
		i = end
	}
}

// decodeRune is utf8.DecodeRuneInString with an ASCII fast path and an
// out-of-range guard (returns 0 past the end).
func decodeRune(s string, i int) (rune, int) {
	if uint(i) < uint(len(s)) && s[i] < utf8.RuneSelf {
		return rune(s[i]), 1
	}
	return decodeRuneSlow(s, i)
}

//go:noinline
func decodeRuneSlow(s string, i int) (rune, int) {
	if i >= len(s) {
		return 0, 0
	}
	return utf8.DecodeRuneInString(s[i:])
}

// isCode tells whether a joined run is kept whole as a code: it holds a
// digit ("16.2", "1325"), or it is an acronym (two capitals in a row) joined
// by a hyphen or slash ("OP-CAT", "HIV/AIDS").
func isCode(raw string) bool {
	hasDigit, acronym, joined, prevUpper := false, false, false, false
	for _, r := range raw {
		switch {
		case isDigit(r):
			hasDigit = true
		case isUpper(r):
			if prevUpper {
				acronym = true
			}
		case r == '/' || isHyphen(r):
			joined = true
		}
		prevUpper = isUpper(r)
	}
	return hasDigit || acronym && joined
}

// appendCode appends a code's term ("op-cat", "3.4") to dst: lower case,
// one hyphen and one apostrophe, soft hyphens and combining marks left out.
// The English and the French/Spanish tokenisers spell codes alike.
func appendCode(dst []byte, raw string) []byte {
	for _, r := range raw {
		switch {
		case r == softHyphen || isMark(r):
			continue
		case isHyphen(r):
			r = '-'
		case isApostrophe(r):
			r = '\''
		default:
			r = lower(r)
		}
		dst = utf8.AppendRune(dst, r)
	}
	return dst
}

// run handles one joined run of the text (see the Tokenizer rules).
func (t *Tokenizer) run(raw string, s *scratch, emit func([]byte)) {
	// Possessive: "women's", "State’s".
	if n := len(raw); n >= 2 && (raw[n-1] == 's' || raw[n-1] == 'S') {
		if r, w := utf8.DecodeLastRuneInString(raw[:n-1]); isApostrophe(r) {
			raw = raw[:n-1-w]
		}
	}
	if isCode(raw) {
		s.word = appendCode(s.word[:0], raw)
		t.push(s.word, s, emit)
		return
	}
	// Split at joiners into words.
	from := 0
	for i, r := range raw {
		if r == '/' || isHyphen(r) || isApostrophe(r) {
			t.word(raw[from:i], s, emit)
			from = i + utf8.RuneLen(r)
		}
	}
	t.word(raw[from:], s, emit)
}

// word handles one alphabetic word.
func (t *Tokenizer) word(raw string, s *scratch, emit func([]byte)) {
	if s.count >= t.opt.MaxTokens {
		return
	}
	s.word = s.word[:0]
	letters, upper := 0, 0
	if isASCII(raw) {
		// Nearly every word: one byte a letter, none a mark.
		letters = len(raw)
		s.word = append(s.word, raw...)
		for i, c := range s.word {
			if 'A' <= c && c <= 'Z' {
				s.word[i] = c + 'a' - 'A'
				upper++
			}
		}
	} else {
		for _, r := range raw {
			if r == softHyphen || isMark(r) {
				continue
			}
			letters++
			if isUpper(r) {
				upper++
			}
			if r = lower(r); r < utf8.RuneSelf {
				s.word = append(s.word, byte(r))
			} else {
				s.word = utf8.AppendRune(s.word, r)
			}
		}
	}
	if letters < 2 {
		return
	}
	stem := t.lex.stem(s.word)
	if stem == "" {
		return // a stop word
	}
	if upper < letters {
		s.word = append(s.word[:0], stem...)
	}
	t.push(s.word, s, emit)
}

// isASCII tells whether s is all ASCII.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// push emits a unigram and the n-grams that end with it.
func (t *Tokenizer) push(term []byte, s *scratch, emit func([]byte)) {
	s.count++
	emit(term)
	for k := 1; k <= len(s.hist); k++ {
		s.gram = s.gram[:0]
		for _, h := range s.hist[len(s.hist)-k:] {
			s.gram = append(s.gram, h...)
			s.gram = append(s.gram, ' ')
		}
		s.gram = append(s.gram, term...)
		emit(s.gram)
	}
	if t.opt.NGram < 2 {
		return
	}
	var buf []byte
	if len(s.hist) == t.opt.NGram-1 {
		buf = s.hist[0]
		copy(s.hist, s.hist[1:])
		s.hist = s.hist[:len(s.hist)-1]
	} else if n := len(s.spare); n > 0 {
		buf, s.spare = s.spare[n-1], s.spare[:n-1]
	}
	s.hist = append(s.hist, append(buf[:0], term...))
}

// lexicon memoises, for each lower-cased word, its Snowball stem, or "" for
// a stop word: one map lookup answers both, and stemming costs far more than
// a lookup. It stops growing at max entries so that a stream of junk words
// cannot exhaust memory; words beyond are stemmed each time.
//
// Every core looks words up at once (Batch.Classify), so a lookup takes no
// lock and writes nothing shared: it reads a snapshot of the map that is
// never written again. A word not in the snapshot is looked up, and added,
// under a lock in the map of every entry, which is copied into a new
// snapshot once it holds an eighth more entries than the last one (the
// copies cost a few times the final size in all). Behind a sync.RWMutex,
// whose every read lock writes a counter shared by the cores, a hit took
// about a fifth longer with both cores tokenising (BenchmarkStemCache).
type lexicon struct {
	snap   atomic.Pointer[map[string]string]
	mu     sync.Mutex
	m      map[string]string // every entry; snap holds all but the last added
	added  int               // entries of m not in snap
	max    int
	noStem bool
}

const maxStems = 1 << 17

// init makes the lexicon of the stop words, which stem to "".
func (c *lexicon) init(stopWords []string, noStem bool) {
	c.noStem = noStem
	c.m = make(map[string]string, len(stopWords))
	for _, w := range stopWords {
		c.m[w] = ""
	}
	c.max = maxStems + len(stopWords)
	c.publish()
}

// publish makes c.m the snapshot, as a copy; c.mu is held or c unshared.
func (c *lexicon) publish() {
	snap := maps.Clone(c.m)
	c.snap.Store(&snap)
	c.added = 0
}

func (c *lexicon) stem(w []byte) string {
	if st, ok := (*c.snap.Load())[string(w)]; ok {
		return st
	}
	c.mu.Lock()
	st, ok := c.m[string(w)]
	c.mu.Unlock()
	if ok {
		return st
	}
	key := string(w)
	st = key
	if !c.noStem {
		if st = english.Stem(key, true); st == "" {
			st = key
		}
	}
	c.mu.Lock()
	if _, ok := c.m[key]; !ok && len(c.m) < c.max {
		c.m[key] = st
		if c.added++; c.added*8 >= len(c.m) {
			c.publish()
		}
	}
	c.mu.Unlock()
	return st
}

// foldTable maps accented Latin letters to their base letter ("é" → "e"),
// so that "Côte" and "Cote" are one term. Built from Unicode decompositions.
var foldTable = func() map[rune]rune {
	m := map[rune]rune{'ø': 'o', 'đ': 'd', 'ł': 'l', 'ı': 'i', 'ħ': 'h'}
	for r := rune(0xc0); r <= 0x24f; r++ {
		d := []rune(norm.NFD.String(string(r)))
		if len(d) > 1 && d[0] < utf8.RuneSelf {
			m[r] = unicode.ToLower(d[0])
		}
	}
	return m
}()

func fold(r rune) rune {
	if r < 0xc0 || r > 0x24f {
		return r
	}
	if f, ok := foldTable[r]; ok {
		return f
	}
	return r
}
