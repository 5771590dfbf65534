package classify_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nmirf/nmirf/classify"
	"github.com/nmirf/nmirf/data"
	defaultmodels "github.com/nmirf/nmirf/data/models"
	"github.com/nmirf/nmirf/internal/lexgen"
	"github.com/nmirf/nmirf/internal/shared"
	"github.com/nmirf/nmirf/models"
)

// defaultModels reads the three embedded models: SDG, UPR Info issues, UHRI themes.
func defaultModels(t testing.TB) []*classify.Model {
	t.Helper()
	var out []*classify.Model
	for _, task := range []string{models.TaskSDG, models.TaskUPRInfoIssues, models.TaskUHRIThemes} {
		r, err := defaultmodels.Open(task)
		if err != nil {
			t.Fatal(err)
		}
		m, err := classify.ReadModel(r, task)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

func glossary(t testing.TB) map[string]*classify.Lexicon {
	t.Helper()
	b, err := data.Lexicon("glossary.tsv")
	if err != nil {
		t.Fatal(err)
	}
	g, err := classify.ReadGlossary(bytes.NewReader(b), "glossary.tsv", classify.NewTokenizer(classify.TokenizerOptions{NGram: 1}))
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// crossLingual is what the English models make of the same SDG texts in
// English and through a projection in another language.
type crossLingual struct {
	n                          int
	goalF1, targetF1           [2]float64 // English, other language, against the texts' own codes
	issuesAgree, themesAgree   float64    // micro-F1 of the other language's labels against English's
	goalAgree                  float64
	lowSupport                 int // texts flagged low-support
	lowSupportGoalF1, okGoalF1 float64
}

type prf struct{ tp, pred, gold int }

func (c *prf) add(gold, pred []string) {
	c.pred += len(pred)
	c.gold += len(gold)
	for _, p := range pred {
		if slices.Contains(gold, p) {
			c.tp++
		}
	}
}

func (c prf) f1() float64 {
	if c.pred+c.gold == 0 {
		return 0
	}
	return 2 * float64(c.tp) / float64(c.pred+c.gold)
}

func goalsOf(p classify.Prediction) []string {
	var codes []string
	for _, a := range p.Labels {
		codes = append(codes, a.Label)
	}
	return models.SDGGoals(codes)
}

func targetsOf(p classify.Prediction) []string {
	var out []string
	for _, a := range p.Labels {
		if models.IsSDGTarget(a.Label) {
			out = append(out, a.Label)
		}
	}
	return out
}

func labelsOf(p classify.Prediction) []string {
	var out []string
	for _, a := range p.Labels {
		out = append(out, a.Label)
	}
	return out
}

// measureCrossLingual classifies the SDG goals, targets and indicators of
// the translation files in English and in lang, the lexicon of lang learnt
// without the texts of the goal being scored (17 folds by goal), the
// glossary added. mods are the SDG, issues and themes models.
func measureCrossLingual(t testing.TB, mods []*classify.Model, lang string, gl *classify.Lexicon, opt classify.LearnOptions, cfg func(*classify.Projection)) crossLingual {
	t.Helper()
	pairs, err := lexgen.ReadAligned(shared.Path(t, filepath.Join("sdg-framework", "open-sdg-translations")), lang)
	if err != nil {
		t.Fatal(err)
	}
	en := classify.NewTokenizer(classify.TokenizerOptions{NGram: 1})
	mls := []*classify.MultiLabel{mods[0].MultiLabel, mods[1].MultiLabel, mods[2].MultiLabel}
	var goal, target [2]prf
	var issues, themes, goalAgree, low, ok prf
	res := crossLingual{}
	for g := 1; g <= 17; g++ {
		gs := fmt.Sprint(g)
		var train, test []classify.AlignedText
		for _, p := range pairs {
			if lexgen.Goal(p.Key) == gs {
				test = append(test, p)
			} else {
				train = append(train, p)
			}
		}
		proj := classify.NewProjection(gl, classify.LearnLexicon(lang, train, en, opt))
		if cfg != nil {
			cfg(proj)
		}
		b := classify.NewBatch(mls...).WithProjection(proj)
		texts, langs := make([]string, 0, 2*len(test)), make([]string, 0, 2*len(test))
		for _, p := range test {
			texts, langs = append(texts, p.English, p.Foreign), append(langs, "en", lang)
		}
		out, err := b.ClassifyLangs(context.Background(), texts, langs, classify.PredictOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range test {
			e, f := out[2*i], out[2*i+1]
			if !f.Translated || e.Translated {
				t.Fatalf("%s: English translated %v, %s translated %v", p.Key, e.Translated, lang, f.Translated)
			}
			code := lexgen.Code(p.Key)
			for k, c := range []classify.Classified{e, f} {
				goal[k].add([]string{gs}, goalsOf(c.Predictions[0]))
				if strings.Count(code, ".") == 1 {
					target[k].add([]string{code}, targetsOf(c.Predictions[0]))
				}
			}
			goalAgree.add(goalsOf(e.Predictions[0]), goalsOf(f.Predictions[0]))
			issues.add(labelsOf(e.Predictions[1]), labelsOf(f.Predictions[1]))
			themes.add(labelsOf(e.Predictions[2]), labelsOf(f.Predictions[2]))
			if proj.LowSupport(f) {
				res.lowSupport++
				low.add([]string{gs}, goalsOf(f.Predictions[0]))
			} else {
				ok.add([]string{gs}, goalsOf(f.Predictions[0]))
			}
			res.n++
		}
	}
	for k := range 2 {
		res.goalF1[k], res.targetF1[k] = goal[k].f1(), target[k].f1()
	}
	res.issuesAgree, res.themesAgree, res.goalAgree = issues.f1(), themes.f1(), goalAgree.f1()
	res.lowSupportGoalF1, res.okGoalF1 = low.f1(), ok.f1()
	return res
}

func (r crossLingual) String() string {
	return fmt.Sprintf("%d texts: goal F1 en %.3f / other %.3f, target F1 en %.3f / other %.3f; agreement with English: goals %.3f, issues %.3f, themes %.3f; low support %d (goal F1 %.3f vs %.3f supported)",
		r.n, r.goalF1[0], r.goalF1[1], r.targetF1[0], r.targetF1[1], r.goalAgree, r.issuesAgree, r.themesAgree, r.lowSupport, r.lowSupportGoalF1, r.okGoalF1)
}

// TestCrossLingualSDG measures the shipped recipe (lexicon settings,
// glossary, cognates) on the official SDG texts in French and Spanish, each
// goal's texts scored with a lexicon learnt without them.
func TestCrossLingualSDG(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	mods := defaultModels(t)
	gl := glossary(t)
	for _, lang := range []string{classify.LangFrench, classify.LangSpanish} {
		r := measureCrossLingual(t, mods, lang, gl[lang], lexgen.Options, nil)
		t.Logf("%s: %v", lang, r)
		// Measured: goal F1 fr 0.696, es 0.680 (English 0.945 on texts it was
		// trained on); 0.686 and 0.646 before stem variants, weighted near
		// spellings and the Spanish "es" rule.
		if least := map[string]float64{"fr": 0.68, "es": 0.67}[lang]; r.goalF1[1] < least {
			t.Errorf("%s goal F1 %.3f < %.2f", lang, r.goalF1[1], least)
		}
		// The low-support flag marks the worse predictions.
		if r.lowSupport == 0 || r.lowSupportGoalF1 >= r.okGoalF1 {
			t.Errorf("%s: %d low-support texts, goal F1 %.3f, not below supported %.3f", lang, r.lowSupport, r.lowSupportGoalF1, r.okGoalF1)
		}
	}
}

// TestCrossLingualTune compares settings (run with -run TestCrossLingualTune -v).
func TestCrossLingualTune(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	mods := defaultModels(t)
	gl := glossary(t)
	for _, lang := range []string{classify.LangFrench, classify.LangSpanish} {
		for _, ms := range []float64{0.1, 0.2, 0.3, 0.4, 0.5} {
			o := lexgen.Options
			o.MinScore = ms
			r := measureCrossLingual(t, mods, lang, gl[lang], o, nil)
			t.Logf("%s min score %.1f: %v", lang, ms, r)
		}
		r := measureCrossLingual(t, mods, lang, gl[lang], lexgen.Options, func(p *classify.Projection) { p.NoCognates = true })
		t.Logf("%s no cognates: %v", lang, r)
		r = measureCrossLingual(t, mods, lang, gl[lang], lexgen.Options, func(p *classify.Projection) { p.NoNearCognates = true })
		t.Logf("%s no near cognates: %v", lang, r)
		r = measureCrossLingual(t, mods, lang, gl[lang], lexgen.Options, func(p *classify.Projection) { p.NoStemVariants = true })
		t.Logf("%s no stem variants: %v", lang, r)
		for _, ms := range []float64{0.5, 0.7, 0.8} {
			r = measureCrossLingual(t, mods, lang, gl[lang], lexgen.Options, func(p *classify.Projection) { p.MinSupport = ms })
			t.Logf("%s min support %.1f: %v", lang, ms, r)
		}
	}
}
