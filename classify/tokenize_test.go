package classify

import (
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/kljensen/snowball/english"
)

// readTexts loads testdata/texts.tsv (id, origin, text) by id.
func readTexts(t testing.TB) map[string]string {
	t.Helper()
	b, err := os.ReadFile("testdata/texts.tsv")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for n, line := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			t.Fatalf("texts.tsv line %d: %d fields, want 3", n+1, len(f))
		}
		out[f[0]] = f[2]
	}
	return out
}

func TestTokensRealTexts(t *testing.T) {
	texts := readTexts(t)
	uni := NewTokenizer(TokenizerOptions{NGram: 1})
	tests := []struct {
		id   string
		want []string
	}{
		{"upr-ratify-iccpr-op2", []string{"ratifi", "iccpr-op2", "aim", "abolit", "death", "penalti"}},
		{"upr-op-cat", []string{"consid", "ratifi", "acced", "op-cat"}},
		{"upr-article-14", []string{"accept", "articl", "14", "intern", "convent", "elimin", "all", "form", "racial", "discrimin"}},
		{"upr-womens-rights", []string{"enact", "legisl", "take", "effect", "measur", "protect", "promot", "women", "right",
			"especi", "regard", "forc", "marriag", "honour", "kill", "access", "educ", "all", "girl"}},
		{"upr-1325", []string{"adopt", "concret", "measur", "implement", "nation", "gender", "plan", "nation", "action", "plan",
			"unit", "nation", "secur", "council", "resolut", "1325", "2000", "1820", "2008", "consid", "opportun", "adopt",
			"nation", "strategi", "combat", "violenc", "against", "women"}},
		{"upr-accents", []string{"ensur", "urgent", "through", "stabl", "systemat", "fund", "continu", "function", "two",
			"bilingu", "slovenian", "hungarian", "school", "gornji", "senik", "felsoszolnok", "stevanov", "apatistvanfalva"}},
		{"matrix-curly-womens", []string{"further", "expand", "consolid", "achiev", "made", "promot", "women", "right", "well",
			"tandem", "polici", "practic", "protect", "promot", "human", "digniti", "eritrea"}},
		{"matrix-cote-divoire", []string{"strengthen", "action", "aim", "guarante", "enjoy", "most", "fundament", "right",
			"access", "basic", "infrastructur", "most", "remot", "area", "cote", "ivoir"}},
		{"sdg-3.4", []string{"3.4", "2030", "reduc", "one", "third", "prematur", "mortal", "non", "communic", "diseas",
			"through", "prevent", "treatment", "promot", "mental", "health", "well"}},
		{"sdg-16.2", []string{"16.2", "end", "abus", "exploit", "traffick", "all", "form", "violenc", "against", "tortur", "children"}},
		{"ccpr-symbols", []string{"1", "committe", "consid", "sixth", "period", "report", "denmark", "ccpr/c/dnk/6", "3267th",
			"3268th", "meet", "ccpr/c/sr.3267", "3268", "held", "20", "21", "june", "2016"}},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			text, ok := texts[tt.id]
			if !ok {
				t.Fatalf("no text %q in testdata/texts.tsv", tt.id)
			}
			if got := uni.Tokens(text); !slices.Equal(got, tt.want) {
				t.Errorf("Tokens(%q)\n got %q\nwant %q", text, got, tt.want)
			}
		})
	}
}

func TestTokensRules(t *testing.T) {
	tests := []struct {
		name string
		opt  TokenizerOptions
		text string
		want []string
	}{
		{"bigrams after stop words", TokenizerOptions{}, "Accept article 14 of the Convention",
			[]string{"accept", "articl", "accept articl", "14", "articl 14", "convent", "14 convent"}},
		{"trigrams", TokenizerOptions{NGram: 3}, "article 14 of the ICERD",
			[]string{"articl", "14", "articl 14", "icerd", "14 icerd", "articl 14 icerd"}},
		{"no stemming", TokenizerOptions{NGram: 1, NoStem: true}, "Ratifying conventions", []string{"ratifying", "conventions"}},
		{"own stop words", TokenizerOptions{NGram: 1, StopWords: []string{"Ratify"}}, "Ratify the OP-CAT", []string{"the", "op-cat"}},
		{"no stop words", TokenizerOptions{NGram: 1, StopWords: []string{}}, "to the OP-CAT", []string{"to", "the", "op-cat"}},
		{"treaty-body symbol", TokenizerOptions{NGram: 1}, "see CEDAW/C/GC/35, para. 3.", []string{"see", "cedaw/c/gc/35", "para", "3"}},
		{"acronym pair kept whole", TokenizerOptions{NGram: 1}, "HIV/AIDS and CAT-OP", []string{"hiv/aids", "cat-op"}},
		{"capitals not stemmed", TokenizerOptions{NGram: 1}, "AIDS aids", []string{"aids", "aid"}},
		{"hyphenated words split", TokenizerOptions{NGram: 1}, "non-discrimination and follow-up", []string{"non", "discrimin", "follow", "up"}},
		{"negations kept", TokenizerOptions{NGram: 1}, "not no nor without", []string{"not", "no", "nor", "without"}},
		{"sentence dot splits", TokenizerOptions{NGram: 1}, "in 2008.The State", []string{"2008", "state"}},
		{"soft hyphen joins", TokenizerOptions{NGram: 1, NoStem: true}, "discrimi\u00adnation", []string{"discrimination"}},
		{"combining accent folded", TokenizerOptions{NGram: 1, NoStem: true}, "Co\u0302te", []string{"cote"}},
		{"curly quotes separate", TokenizerOptions{NGram: 1}, "“erased” persons", []string{"eras", "person"}},
		{"possessive of an acronym", TokenizerOptions{NGram: 1}, "OHCHR’s office", []string{"ohchr", "offic"}},
		{"single letters dropped", TokenizerOptions{NGram: 1}, "(a) e.g. U.N.", nil},
		{"empty", TokenizerOptions{}, "", nil},
		{"punctuation only", TokenizerOptions{}, " ;,.-/ ", nil},
		{"cap", TokenizerOptions{MaxTokens: 3}, "one two three four five", []string{"one", "two", "one two", "three", "two three"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NewTokenizer(tt.opt).Tokens(tt.text); !slices.Equal(got, tt.want) {
				t.Errorf("Tokens(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

// A paste of several megabytes is cut at MaxTokens unigrams, and turning it
// into terms allocates (almost) nothing beyond the input.
func TestTokensLargeTextBounded(t *testing.T) {
	texts := readTexts(t)
	var b strings.Builder
	for b.Len() < 8<<20 {
		for _, s := range texts {
			b.WriteString(s)
			b.WriteByte('\n')
		}
	}
	big := b.String()
	tok := NewTokenizer(TokenizerOptions{NGram: 1})
	if n := len(tok.Tokens(big)); n != DefaultMaxTokens {
		t.Errorf("unigrams of an %d-byte text = %d, want the cap %d", len(big), n, DefaultMaxTokens)
	}
	var before, after runtime.MemStats
	n := 0
	runtime.ReadMemStats(&before)
	tok.each(big, func([]byte) { n++ })
	runtime.ReadMemStats(&after)
	if n != DefaultMaxTokens {
		t.Errorf("terms = %d, want %d", n, DefaultMaxTokens)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
		t.Errorf("tokenising %d bytes allocated %d bytes, want under 1 MiB", len(big), alloc)
	}
}

// TestLexiconConcurrent stems the words of the real texts on four
// goroutines at once, the stem cache filling meanwhile: every stem is
// Snowball's, a stop word stems to "", and the cache stops at its bound,
// words beyond it still stemmed.
func TestLexiconConcurrent(t *testing.T) {
	var words []string
	for _, text := range readTexts(t) {
		for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return r < 'a' || r > 'z' }) {
			words = append(words, w)
		}
	}
	var lex lexicon
	lex.init([]string{"the", "of"}, false)
	lex.max = 2 + 100 // the stop words and 100 more
	var wg sync.WaitGroup
	got := make([][]string, 4)
	for g := range got {
		wg.Go(func() {
			for i := range words {
				w := words[(i+g*len(words)/4)%len(words)]
				got[g] = append(got[g], lex.stem([]byte(w)))
			}
		})
	}
	wg.Wait()
	for g := range got {
		for i, st := range got[g] {
			w := words[(i+g*len(words)/4)%len(words)]
			want := english.Stem(w, true)
			if want == "" {
				want = w
			}
			if w == "the" || w == "of" {
				want = ""
			}
			if st != want {
				t.Fatalf("goroutine %d: stem of %q = %q, want %q", g, w, st, want)
			}
		}
	}
	if n := len(lex.m); n != lex.max {
		t.Errorf("%d entries cached from %d words, want the bound %d", n, len(words), lex.max)
	}
	if n := len(*lex.snap.Load()); n > len(lex.m) || n*8 < len(lex.m)*7 {
		t.Errorf("snapshot of %d entries for %d cached: want at least seven eighths", n, len(lex.m))
	}
}
