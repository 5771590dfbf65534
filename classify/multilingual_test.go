package classify_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/nmirf/nmirf/classify"
	"github.com/nmirf/nmirf/data"
)

func TestForeignTokens(t *testing.T) {
	terms := func(lang, text string) []string {
		var out []string
		for _, w := range classify.ForeignTokens(lang, text, 0) {
			out = append(out, w.Term)
		}
		return out
	}
	tests := []struct{ lang, text, want string }{
		// UPR Working Group report, Andorra 2011, 83.2 in French and Spanish.
		{"fr", "Adopter et appliquer une législation qui interdise", "adopt appliqu legisl interdis"},
		{"es", "Promulgar y aplicar legislación que prohíba", "promulg aplic legisl prohib"},
		// Stemmed before folding: "égalité" → "égal", elided articles dropped.
		{"fr", "l’égalité des droits de l'homme", "egal droit homm"},
		// Accents written as combining marks, as in the official SDG texts.
		{"es", "De aqui\u0301 a 2030, reducir la tasa mundial de mortalidad materna", "2030 reduc tas mundial mortal matern"},
		// Codes and acronyms pass whole.
		{"fr", "Ratifier l'OP-CAT (cible 16.2) et lutter contre le VIH", "ratifi op-cat cibl 16.2 lutt contr vih"},
		// "contra" (against) is kept although Snowball lists it.
		{"es", "la violencia contra las mujeres", "violenci contr mujer"},
		{"de", "Die Menschenrechte", ""},
	}
	for _, tt := range tests {
		if got := strings.Join(terms(tt.lang, tt.text), " "); got != tt.want {
			t.Errorf("ForeignTokens(%s, %q) = %q, want %q", tt.lang, tt.text, got, tt.want)
		}
	}
}

// Targets 5.1, 5.2, 5.3, 5.5 and 16.2 of the official SDG texts in English
// and French (Open SDG translations).
var tinyAligned = []classify.AlignedText{
	{Key: "5-1", English: "End all forms of discrimination against all women and girls everywhere",
		Foreign: "Mettre fin, partout dans le monde, à toutes les formes de discrimination à l’égard des femmes et des filles"},
	{Key: "5-2", English: "Eliminate all forms of violence against all women and girls in the public and private spheres, including trafficking and sexual and other types of exploitation",
		Foreign: "Éliminer de la vie publique et de la vie privée toutes les formes de violence faite aux femmes et aux filles, y compris la traite et l’exploitation sexuelle et d’autres types d’exploitation"},
	{Key: "5-3", English: "Eliminate all harmful practices, such as child, early and forced marriage and female genital mutilation",
		Foreign: "Éliminer toutes les pratiques préjudiciables, telles que le mariage des enfants, le mariage précoce ou forcé et la mutilation génitale féminine"},
	{Key: "5-5", English: "Ensure women’s full and effective participation and equal opportunities for leadership at all levels of decision-making in political, economic and public life",
		Foreign: "Veiller à ce que les femmes participent pleinement et effectivement aux fonctions de direction à tous les niveaux de décision, dans la vie politique, économique et publique, et y accèdent sur un pied d’égalité"},
	{Key: "16-2", English: "End abuse, exploitation, trafficking and all forms of violence against and torture of children",
		Foreign: "Mettre un terme à la maltraitance, à l’exploitation et à la traite, et à toutes les formes de violence et de torture dont sont victimes les enfants"},
}

func TestLearnLexiconTiny(t *testing.T) {
	en := classify.NewTokenizer(classify.TokenizerOptions{NGram: 1})
	lex := classify.LearnLexicon("fr", tinyAligned, en, classify.LearnOptions{})
	// Five segments teach the words they share: "Éliminer" / "Eliminate",
	// "femmes et filles" / "women and girls", "Mettre fin" / "End".
	want := map[string]string{"elimin": "elimin", "femm": "women", "fill": "girl", "mettr": "end", "tout": "all"}
	for f, e := range want {
		got, ok := lex.Lookup(f)
		if !ok || len(got.English) != 1 || got.English[0] != e {
			t.Errorf("%s → %v (found %v), want %s", f, got.English, ok, e)
		}
	}
	// A stem in one segment only is not kept.
	if e, ok := lex.Lookup("maltrait"); ok {
		t.Errorf("maltrait, in one segment, learnt as %v", e.English)
	}
	// Written and read back unchanged.
	var b bytes.Buffer
	if _, err := lex.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	back, err := classify.ReadLexicon(bytes.NewReader(b.Bytes()), "tiny")
	if err != nil {
		t.Fatal(err)
	}
	if back.Len() != lex.Len() || back.Lang != "fr" {
		t.Errorf("read back %d entries of %s, wrote %d", back.Len(), back.Lang, lex.Len())
	}
}

func TestReadLexiconErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"stem\tenglish\tscore\tsource\nfemm\twomen\t0.9\tx\n", `lex.tsv line 1: no "# lang: xx"`},
		{"# lang: de\n", `lex.tsv line 1: language "de"`},
		{"# lang: fr\nstem\tenglish\tscore\tsource\nfemm\twomen\t1.5\tx\n", "lex.tsv line 3: score \"1.5\""},
		{"# lang: fr\nstem\tenglish\tscore\tsource\nfemm\twomen\n", "lex.tsv line 3: 2 fields"},
	}
	for _, tt := range tests {
		_, err := classify.ReadLexicon(strings.NewReader(tt.in), "lex.tsv")
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ReadLexicon(%q) = %v, want %q", tt.in, err, tt.want)
		}
	}
	en := classify.NewTokenizer(classify.TokenizerOptions{NGram: 1})
	_, err := classify.ReadGlossary(strings.NewReader("# c\nfr\tExamen périodique universel\tUniversal Periodic Review\tx\n"), "glossary.tsv", en)
	if err == nil || !strings.Contains(err.Error(), "glossary.tsv line 2: \"Examen périodique universel\" gives 3 stems") {
		t.Errorf("three-word glossary entry: %v", err)
	}
}

// shippedProjection reads the embedded glossary and lexicons.
func shippedProjection(t testing.TB) *classify.Projection {
	t.Helper()
	var rs [3][]byte
	for i, name := range []string{"glossary.tsv", "sdg-fr.tsv", "sdg-es.tsv"} {
		b, err := data.Lexicon(name)
		if err != nil {
			t.Fatal(err)
		}
		rs[i] = b
	}
	p, err := classify.ReadProjection(classify.NewTokenizer(classify.TokenizerOptions{NGram: 1}),
		bytes.NewReader(rs[0]), bytes.NewReader(rs[1]), bytes.NewReader(rs[2]))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestProjectionBigramOrder(t *testing.T) {
	p := shippedProjection(t)
	known := func(s string) bool {
		return slices.Contains([]string{"domest violenc", "human right", "violenc", "domest"}, s)
	}
	terms, support := p.Translate("fr", "la violence domestique et les droits de l'homme", 2, known)
	for _, want := range []string{"domest violenc", "human right"} {
		if !slices.Contains(terms, want) {
			t.Errorf("terms %q lack %q", terms, want)
		}
	}
	if support != 1 {
		t.Errorf("support %.2f, want 1 (every word translated)", support)
	}
	terms, _ = p.Translate("es", "la violencia doméstica y los derechos humanos", 2, known)
	for _, want := range []string{"domest violenc", "human right"} {
		if !slices.Contains(terms, want) {
			t.Errorf("es terms %q lack %q", terms, want)
		}
	}
}

// splitLabels splits a fixture's ";"-separated labels, blanks left out.
func splitLabels(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ";") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// readTSV reads a tab-separated fixture whole, its header first.
func readTSV(t testing.TB, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma, r.LazyQuotes = '\t', true
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// andorra reads the recommendations of the Andorra 2011 UPR Working Group
// report in English (the UN's text) and in French and Spanish (translations
// of it, see testdata/PROVENANCE.md), by paragraph number.
func andorra(t testing.TB) [][4]string {
	t.Helper()
	rows := readTSV(t, "testdata/andorra2011-en-fr-es.tsv")
	var out [][4]string
	for _, row := range rows[1:] {
		out = append(out, [4]string{row[0], row[1], row[2], row[3]})
	}
	return out
}

// TestFrenchSpanishRecommendations: the French and Spanish versions of real
// recommendations get the labels their English version gets.
func TestFrenchSpanishRecommendations(t *testing.T) {
	mods := defaultModels(t)
	p := shippedProjection(t)
	b := classify.NewBatch(mods[0].MultiLabel, mods[1].MultiLabel, mods[2].MultiLabel).WithProjection(p)
	plain := classify.NewBatch(mods[0].MultiLabel, mods[1].MultiLabel, mods[2].MultiLabel)
	var goals, issues, themes [2]prf // French, Spanish against English
	byPara := map[string][3]classify.Classified{}
	for _, rec := range andorra(t) {
		var texts []string
		for _, s := range rec[1:] {
			if s == "" {
				s = rec[1] // no translation of this paragraph: English again
			}
			texts = append(texts, s)
		}
		res, err := b.Classify(context.Background(), texts, classify.PredictOptions{})
		if err != nil {
			t.Fatal(err)
		}
		byPara[rec[0]] = [3]classify.Classified{res[0], res[1], res[2]}
		if res[0].Translated || res[0].Language != "en" {
			t.Errorf("%s English: language %q, translated %v", rec[0], res[0].Language, res[0].Translated)
		}
		// English is read as before: the same prediction as without the projection.
		if want := plain.ClassifyText(rec[1], classify.PredictOptions{}); !slices.Equal(labelsOf(want.Predictions[1]), labelsOf(res[0].Predictions[1])) {
			t.Errorf("%s: English issues %v with projection, %v without", rec[0], labelsOf(res[0].Predictions[1]), labelsOf(want.Predictions[1]))
		}
		for k, lang := range []string{"fr", "es"} {
			if rec[2+k] == "" {
				continue
			}
			c := res[1+k]
			if c.Language != lang || !c.Translated {
				t.Errorf("%s %s: language %q translated %v", rec[0], lang, c.Language, c.Translated)
			}
			goals[k].add(goalsOf(res[0].Predictions[0]), goalsOf(c.Predictions[0]))
			issues[k].add(labelsOf(res[0].Predictions[1]), labelsOf(c.Predictions[1]))
			themes[k].add(labelsOf(res[0].Predictions[2]), labelsOf(c.Predictions[2]))
		}
	}
	for k, lang := range []string{"fr", "es"} {
		t.Logf("%s agreement with English: goals %.3f, issues %.3f, themes %.3f", lang, goals[k].f1(), issues[k].f1(), themes[k].f1())
		// Measured with the calibrated SDG model and the extended glossary:
		// fr 0.769 / 0.885 / 0.893, es 0.778 / 0.895 / 0.878; with stem
		// variants and weighted near spellings the French themes reach
		// 0.912. The SDG model gives a recommendation one goal
		// (its best), so a goal that differs is a whole miss: agreement on
		// goals is lower than with the several goals of the uncalibrated
		// model (0.91–0.94).
		if goals[k].f1() < 0.75 || issues[k].f1() < 0.85 || themes[k].f1() < 0.85 {
			t.Errorf("%s agreement with English below 0.75 / 0.85 / 0.85", lang)
		}
	}
	// 83.2, corporal punishment, and 84.3, the OP-CAT: the French version
	// gets the UPR Info issues of the English one (for 84.3, two of the
	// three: English adds "Detention").
	for para, want := range map[string][]string{
		"83.2": labelsOf(byPara["83.2"][0].Predictions[1]),
		"84.3": {"Torture and other CID treatment", "International instruments"},
	} {
		c := byPara[para]
		if fr := labelsOf(c[1].Predictions[1]); len(want) == 0 || !slices.Equal(want, fr) {
			t.Errorf("%s: French issues %v, want %v (English %v)", para, fr, want, labelsOf(c[0].Predictions[1]))
		}
		if c[1].Support < p.MinSupportOrDefault() {
			t.Errorf("%s: French support %.2f, flagged low", para, c[1].Support)
		}
	}
}

// TestLowSupportFlagged: a French text whose words the lexicons mostly lack
// is flagged, in the flags the standalone output and the assignment notes
// carry, rather than labelled silently.
func TestLowSupportFlagged(t *testing.T) {
	mods := defaultModels(t)
	p := shippedProjection(t)
	b := classify.NewBatch(mods[0].MultiLabel, mods[1].MultiLabel, mods[2].MultiLabel).WithProjection(p)
	// From the French Andorra 2011 report's annex (testdata of extract/wgreport).
	low := "La délégation andorrane était dirigée par S. E. M. Xavier Espot Miró, Ministre des affaires étrangères et des relations institutionnelles."
	ok := "Devenir partie au Protocole facultatif se rapportant à la Convention contre la torture"
	for _, tt := range []struct {
		text string
		want []string
	}{
		{low, []string{"translated-fr", classify.FlagLowSupport}},
		{ok, []string{"translated-fr"}},
		{"Become a party to the Optional Protocol to the Convention against Torture", nil},
	} {
		c := b.ClassifyText(tt.text, classify.PredictOptions{})
		if got := p.TranslatedFlags(c); !slices.Equal(got, tt.want) {
			t.Errorf("%q: flags %v (support %.2f), want %v", tt.text, got, c.Support, tt.want)
		}
	}
}

// TestSpanishUHRIGoals: real UN Spanish recommendations (Spain, fourth UPR
// cycle, the UN's own Spanish text) read through the lexicons, scored
// against the SDG goals and targets OHCHR's index gives them.
func TestSpanishUHRIGoals(t *testing.T) {
	mods := defaultModels(t)
	p := shippedProjection(t)
	b := classify.NewBatch(mods[0].MultiLabel).WithProjection(p)
	rows := readTSV(t, "testdata/spain2025-es-uhri.tsv")
	var goals, targets prf
	low := 0
	for _, row := range rows[1:] {
		c := b.ClassifyText(row[1], classify.PredictOptions{})
		if c.Language != "es" || !c.Translated {
			t.Errorf("%s: language %q translated %v", row[0], c.Language, c.Translated)
		}
		if p.LowSupport(c) {
			low++
		}
		goals.add(splitLabels(row[2]), goalsOf(c.Predictions[0]))
		targets.add(splitLabels(row[3]), targetsOf(c.Predictions[0]))
	}
	t.Logf("es (A/HRC/60/8, %d recommendations) against UHRI: goal micro-F1 %.3f (precision %.3f, recall %.3f), target micro-F1 %.3f; low support %d",
		len(rows)-1, goals.f1(), float64(goals.tp)/float64(max(goals.pred, 1)), float64(goals.tp)/float64(max(goals.gold, 1)), targets.f1(), low)
	// Measured with the SDG model calibrated by kind (at most two goals for
	// a recommendation, the second a margin over its threshold), the stem
	// variants and the Spanish "es" rule: goal micro-F1 0.815 (P 0.855,
	// R 0.779), target micro-F1 0.397. UHRI gives 15
	// of these 49 recommendations two goals or more; with one goal at most
	// and the earlier lexicon: 0.748 (P 0.915, R 0.632) and 0.382;
	// uncalibrated: 0.811 and 0.436.
	if goals.f1() < 0.79 || targets.f1() < 0.37 {
		t.Errorf("goal micro-F1 %.3f, target micro-F1 %.3f, want ≥ 0.79 and ≥ 0.37", goals.f1(), targets.f1())
	}
	if low > 3 {
		t.Errorf("%d of %d UN Spanish recommendations flagged low-support", low, len(rows)-1)
	}
}

// TestGlossaryTargetsKnown: every English word of the glossary stems to a
// term at least one default model knows (a pair the models cannot use is a
// mistake in the glossary), and no two entries of a language stem to the
// same key with different English (the later would silently win).
func TestGlossaryTargetsKnown(t *testing.T) {
	mods := defaultModels(t)
	known := func(term string) bool {
		for _, m := range mods {
			if m.MultiLabel.Vectorizer().Index(term) >= 0 {
				return true
			}
		}
		return false
	}
	b, err := data.Lexicon("glossary.tsv")
	if err != nil {
		t.Fatal(err)
	}
	en := classify.NewTokenizer(classify.TokenizerOptions{NGram: 1})
	seen := map[string]string{}
	n := 0
	for i, line := range strings.Split(string(b), "\n") {
		f := strings.Split(line, "\t")
		if strings.HasPrefix(line, "#") || len(f) != 4 {
			continue
		}
		n++
		var key []string
		for _, w := range classify.ForeignTokens(f[0], f[1], 0) {
			key = append(key, w.Term)
		}
		k := f[0] + " " + strings.Join(key, " ")
		eng := strings.Join(en.Tokens(f[2]), " ")
		if prev, ok := seen[k]; ok && prev != eng {
			t.Errorf("glossary line %d: %s %q stems to %q, already given as %q", i+1, f[0], f[1], k, prev)
		}
		seen[k] = eng
		for _, term := range en.Tokens(f[2]) {
			if !strings.Contains(term, " ") && !known(term) {
				t.Errorf("glossary line %d: %s %q → %q: %q is a term of no default model", i+1, f[0], f[1], f[2], term)
			}
		}
	}
	if n < 400 {
		t.Errorf("%d glossary entries read, want the whole file", n)
	}
}
