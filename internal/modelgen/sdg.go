package modelgen

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"github.com/nmirf/nmirf/classify"
	"github.com/nmirf/nmirf/internal/modelgen/corpus"
	"github.com/nmirf/nmirf/models"
)

var sdgSetting = classify.Params{
	Vectorizer: classify.Options{Pruning: classify.Pruning{MinDF: 2, MaxFeatures: 20000}},
	MultiLabel: classify.MultiLabelOptions{Linear: classify.LinearOptions{C: 1}, Floor: 0.1},
}

// SDGSets are the SDG training and evaluation sets.
type SDGSets struct {
	// Shippable is every set whose licence allows a shipped model: UN
	// framework texts, TU Berlin sentences (Apache-2.0), ZORA abstracts
	// (CC0), Aurora queries (CC-BY-4.0) and UPR Info recommendations with
	// SDG labels from data/taxonomy/upr-issue-to-sdg.csv.
	Shippable []corpus.Example
	// OHCHR is the SDG goals OHCHR put on its thematic lists (China 2018).
	OHCHR []corpus.Example
	// SwissText is the SwissText 2024 shared-task data (AGPL-3.0):
	// evaluation only, never trained on.
	SwissText []corpus.Example
	Counts    map[string]int
}

// ReadSDGSets reads the SDG sets. Every training label list holds the
// targets and, implied by them, their goals.
func ReadSDGSets(ctx context.Context, in Inputs) (*SDGSets, error) {
	text := filepath.Join(in.Shared, "sdg-text")
	s := &SDGSets{Counts: map[string]int{}}
	fw, err := corpus.SDGFramework(in.SDGFramework)
	if err != nil {
		return nil, err
	}
	known := map[string]bool{}
	for _, e := range fw.Examples {
		known[e.Labels[0]] = true
	}
	add := func(name string, set *corpus.Set, err error) error {
		if err != nil {
			return fmt.Errorf("read %s: %w", name, err)
		}
		if len(set.Rejected) > 0 {
			return fmt.Errorf("read %s: %d rows rejected, first %v", name, len(set.Rejected), set.Rejected[0])
		}
		for i := range set.Examples {
			// A code outside the 2025 framework (Aurora's "13.0") is dropped.
			var codes []string
			for _, c := range set.Examples[i].Labels {
				if known[c] {
					codes = append(codes, c)
				} else {
					s.Counts[name+" labels outside the framework"]++
				}
			}
			set.Examples[i].Labels = models.WithSDGGoals(codes)
		}
		s.Counts[name] = len(set.Examples)
		switch name {
		case "ohchr":
			s.OHCHR = set.Examples
		case "swisstext":
			s.SwissText = set.Examples
		default:
			s.Shippable = append(s.Shippable, set.Examples...)
		}
		return nil
	}
	if err := add("un-framework", fw, nil); err != nil {
		return nil, err
	}
	set, err := corpus.TUBSentences(filepath.Join(text, "tub-sentences"))
	if err := add("tub", set, err); err != nil {
		return nil, err
	}
	set, err = corpus.ZORA(filepath.Join(text, "zora"))
	if err := add("zora", set, err); err != nil {
		return nil, err
	}
	set, err = corpus.AuroraQueries(filepath.Join(text, "aurora-queries"))
	var jrc *corpus.Set
	if err == nil && in.SDGJRCTerms != "" {
		if jrc, err = readJRC(in); err != nil {
			return nil, err
		}
		if in.SDGJRCTerms == JRCInQueries {
			s.Counts["jrc targets added to aurora"] = withTerms(set.Examples, jrc.Examples)
		}
	}
	if err := add("aurora", set, err); err != nil {
		return nil, err
	}
	if in.SDGJRCTerms == JRCAsTexts {
		if err := add("jrc", jrc, nil); err != nil {
			return nil, err
		}
	}
	upr, err := corpus.UPRInfo(ctx, filepath.Join(in.Shared, "upr-info"))
	if err == nil {
		for i, e := range upr.Examples {
			var codes []string
			for _, issue := range e.Labels {
				codes = append(codes, in.Taxonomy.UPRIssueSDG(issue, e.Text)...)
			}
			upr.Examples[i].Labels = codes
		}
	}
	if err := add("upr-info", upr, err); err != nil {
		return nil, err
	}
	set, err = corpus.UHRISDGGoals(ctx, filepath.Join(in.Shared, "uhri-matrices"))
	if err := add("ohchr", set, err); err != nil {
		return nil, err
	}
	set, err = corpus.SwissText(filepath.Join(text, "swisstext2024"))
	if err := add("swisstext", set, err); err != nil {
		return nil, err
	}
	return s, nil
}

// The ways the EU JRC SDG term matrix can be added to the SDG training
// texts (Inputs.SDGJRCTerms); neither is in the shipped recipe (see
// data/models/MODELS.md: both cost goal accuracy).
const (
	// JRCAsTexts adds each target's and goal's terms as a text of its own.
	JRCAsTexts = "texts"
	// JRCInQueries adds each target's terms to its Aurora query text.
	JRCInQueries = "queries"
)

// readJRC reads the JRC term matrix of the shared data, refusing a file
// with a bad row.
func readJRC(in Inputs) (*corpus.Set, error) {
	if in.SDGJRCTerms != JRCAsTexts && in.SDGJRCTerms != JRCInQueries {
		return nil, fmt.Errorf("JRC terms %q: want %q or %q", in.SDGJRCTerms, JRCAsTexts, JRCInQueries)
	}
	jrc, err := corpus.JRCTerms(filepath.Join(in.Shared, "sdg-framework", "unsd-2023", "JRC_term_matrix.Terms.csv"))
	if err != nil {
		return nil, fmt.Errorf("read jrc: %w", err)
	}
	if len(jrc.Rejected) > 0 {
		return nil, fmt.Errorf("read jrc: %d rows rejected, first %v", len(jrc.Rejected), jrc.Rejected[0])
	}
	return jrc, nil
}

// withTerms adds the JRC terms of each target to the one query text of
// queries labelled with that target alone (Aurora has one per target), so
// that the terms make a target's query longer rather than a text of their
// own; the JRC's goal rows ("1.0") and targets no query has are left out.
// It returns how many targets got terms.
func withTerms(queries, jrc []corpus.Example) int {
	terms := map[string]string{}
	for _, e := range jrc {
		if len(e.Labels) == 1 && models.IsSDGTarget(e.Labels[0]) {
			terms[e.Labels[0]] = e.Text
		}
	}
	n := 0
	for i, q := range queries {
		if len(q.Labels) != 1 {
			continue
		}
		if t, ok := terms[q.Labels[0]]; ok {
			queries[i].Text += "; " + t
			delete(terms, q.Labels[0])
			n++
		}
	}
	return n
}

// without returns train less the examples whose text also occurs in one of
// test (the ZORA abstracts are most of SwissText's): the first 80
// normalised characters of a training text found inside a test text.
func without(train, test []corpus.Example) []corpus.Example {
	var tests []string
	for _, e := range test {
		tests = append(tests, normText(e.Text))
	}
	var out []corpus.Example
	for _, e := range train {
		k := normText(e.Text)
		k = k[:min(len(k), 80)]
		if len(k) >= 40 && slices.ContainsFunc(tests, func(t string) bool { return strings.Contains(t, k) }) {
			continue
		}
		out = append(out, e)
	}
	return out
}

// SDGScores are goal- and target-level scores of SDG predictions.
type SDGScores struct {
	Texts int
	// MeanAccuracy is the mean over the 17 goals of the share of texts
	// whose yes/no for the goal is right (the measure the published SDG
	// classifiers report).
	MeanAccuracy float64
	// BalancedAccuracy is the same mean on a balanced construction: per
	// goal, the texts with the goal and as many without it (the first ones
	// of a fixed shuffle), so that predicting no goal scores 0.5.
	BalancedAccuracy float64
	Goals            classify.Metrics
	// Targets scores the targets of the texts that have target labels
	// (TargetTexts of them); zero when none has.
	Targets     classify.Metrics
	TargetTexts int
	// Kinds counts the texts by the kind DetectKind gave them.
	Kinds map[string]int
}

// scoreSDG scores the SDG predictions pred against gold.
func scoreSDG(gold, pred [][]string) (SDGScores, error) {
	sc := SDGScores{Texts: len(gold)}
	gg, pg := make([][]string, len(gold)), make([][]string, len(gold))
	var gt, pt [][]string
	for i := range gold {
		gg[i], pg[i] = models.SDGGoals(gold[i]), models.SDGGoals(pred[i])
		if targets := targetsOnly(gold[i]); len(targets) > 0 {
			gt = append(gt, targets)
			pt = append(pt, targetsOnly(pred[i]))
		}
	}
	var err error
	if sc.Goals, err = classify.Score(gg, pg, nil); err != nil {
		return sc, err
	}
	if len(gt) > 0 {
		sc.TargetTexts = len(gt)
		if sc.Targets, err = classify.Score(gt, pt, nil); err != nil {
			return sc, err
		}
	}
	order, err := classify.KFold(len(gold), 2, 17)
	if err != nil {
		return sc, err
	}
	shuffled := append(slices.Clone(order[0]), order[1]...)
	var acc, bal float64
	goals := 0
	for g := 1; g <= 17; g++ {
		goal := fmt.Sprint(g)
		right := 0
		var pos, neg []int
		for _, i := range shuffled {
			if slices.Contains(gg[i], goal) == slices.Contains(pg[i], goal) {
				right++
			}
			if slices.Contains(gg[i], goal) {
				pos = append(pos, i)
			} else {
				neg = append(neg, i)
			}
		}
		acc += float64(right) / float64(len(gold))
		if len(pos) == 0 || len(neg) == 0 {
			continue
		}
		set := append(pos, neg[:min(len(pos), len(neg))]...)
		right = 0
		for _, i := range set {
			if slices.Contains(gg[i], goal) == slices.Contains(pg[i], goal) {
				right++
			}
		}
		bal += float64(right) / float64(len(set))
		goals++
	}
	sc.MeanAccuracy = acc / 17
	if goals > 0 {
		sc.BalancedAccuracy = bal / float64(goals)
	}
	return sc, nil
}

// targetsOnly keeps the targets of labels.
func targetsOnly(labels []string) []string {
	var out []string
	for _, l := range labels {
		if models.IsSDGTarget(l) {
			out = append(out, l)
		}
	}
	return out
}

// predictKind returns the labels m assigns to the texts of ex, each as a
// text of kind (DetectKind's guess when kind is ""), and the kinds used.
func predictKind(ctx context.Context, m *classify.Model, ex []corpus.Example, kind string) ([][]string, map[string]int, error) {
	texts := make([]string, len(ex))
	for i, e := range ex {
		texts[i] = e.Text
	}
	res, err := classify.NewBatch(m.MultiLabel).Classify(ctx, texts, classify.PredictOptions{Kind: kind})
	if err != nil {
		return nil, nil, err
	}
	kinds := map[string]int{}
	pred := make([][]string, len(ex))
	for i, r := range res {
		k := kind
		if k == "" {
			k = classify.DetectKind(texts[i])
		}
		kinds[k]++
		for _, a := range r.Predictions[0].Labels {
			pred[i] = append(pred[i], a.Label)
		}
	}
	return pred, kinds, nil
}

// ScoreSDG scores m on test, every text taken as of kind ("" lets
// DetectKind say).
func ScoreSDG(ctx context.Context, m *classify.Model, test []corpus.Example, kind string) (SDGScores, error) {
	pred, kinds, err := predictKind(ctx, m, test, kind)
	if err != nil {
		return SDGScores{}, err
	}
	gold := make([][]string, len(test))
	for i, e := range test {
		gold[i] = e.Labels
	}
	sc, err := scoreSDG(gold, pred)
	sc.Kinds = kinds
	return sc, err
}

// calibrations are the kinds the SDG model is calibrated for, and the
// rows of train each is tuned on: recommendations on those OHCHR labelled
// (trusted: the UPR Info ones have labels mapped from their issues),
// general text on the TU Berlin sentences and ZORA abstracts, indicator
// metadata on the framework's indicator names. Concerns get the
// recommendations' thresholds and national-report paragraphs those of
// general text: no labelled text of either kind is at hand.
func calibrations(train []corpus.Example, ohchr []corpus.Example) []KindCalibration {
	trusted := map[string]bool{}
	for _, e := range ohchr {
		trusted[e.Text] = true
	}
	// OHCHR gives a recommendation of its thematic lists one goal, seldom
	// two (China 2018: 279 of 346 have one, 18 two or three, 49 none); its
	// index (UHRI) gives later cycles' recommendations two goals more often
	// ("10;16" for discrimination). At most two goals, the second only when
	// the model is clearly sure of it: a margin over its threshold tuned with
	// the thresholds (harness_test.go compares the choices).
	rec := KindCalibration{Kind: classify.KindRecommendation, PerGoal: true, MaxGoals: 2, TuneSecondMargin: true, Same: []string{classify.KindConcern}}
	// One shift of every threshold: goal by goal tuning did no better on
	// the held-out SwissText abstracts and made more false goals. The
	// floor is tuned too: expert-labelled general text nearly always has a
	// goal, and the out-of-fold TU Berlin and ZORA texts ask for the best
	// goal of every text.
	gen := KindCalibration{Kind: classify.KindGeneral, Balanced: true, TuneFloor: true, Same: []string{classify.KindNationalReport}}
	ind := KindCalibration{Kind: classify.KindIndicator}
	for i, e := range train {
		switch {
		case e.Kind == classify.KindRecommendation && trusted[e.Text]:
			rec.Rows = append(rec.Rows, i)
		case e.Group == "tub" || e.Group == "zora":
			gen.Rows = append(gen.Rows, i)
		case e.Kind == classify.KindIndicator:
			ind.Rows = append(ind.Rows, i)
		}
	}
	var out []KindCalibration
	for _, kc := range []KindCalibration{rec, gen, ind} {
		if len(kc.Rows) > 0 {
			out = append(out, kc)
		}
	}
	return out
}

// fitSDG trains the SDG model on train and tunes the thresholds of each
// kind of cals on the out-of-fold scores of its rows.
func fitSDG(ctx context.Context, train []corpus.Example, cals []KindCalibration, metrics map[string]float64) (*classify.Model, error) {
	var oof [][]float64
	p := sdgSetting
	p.MultiLabel.OutOfFold = func(s [][]float64) { oof = s }
	m, err := fit(ctx, models.TaskSDG, train, p, metrics)
	if err != nil || len(cals) == 0 {
		return m, err
	}
	gold := make([][]string, len(train))
	for i, e := range train {
		gold[i] = e.Labels
	}
	m.KindThreshold = map[string][]float64{}
	for _, kc := range cals {
		r := calibrate(m.Labels, oof, m.Threshold, m.Floor, gold, kc)
		for _, k := range append([]string{kc.Kind}, kc.Same...) {
			m.KindThreshold[k] = slices.Clone(r.th)
			if r.limit > 0 {
				if m.KindMaxGroups == nil {
					m.KindMaxGroups = map[string]int{}
				}
				m.KindMaxGroups[k] = r.limit
			}
			if kc.TuneFloor {
				if m.KindFloor == nil {
					m.KindFloor = map[string]float64{}
				}
				m.KindFloor[k] = r.floor
			}
			if r.limit > 0 && r.margin > 0 {
				if m.KindGroupMargin == nil {
					m.KindGroupMargin = map[string]float64{}
				}
				m.KindGroupMargin[k] = r.margin
			}
		}
	}
	return classify.NewModel(m.Task, m.MultiLabel, m.DataHash, m.Docs, m.Params, m.Metrics)
}

func (s SDGScores) String() string {
	t := ""
	if s.TargetTexts > 0 {
		t = fmt.Sprintf("; targets on %d texts: micro-F1 %.3f (P %.3f R %.3f), macro-F1 %.3f", s.TargetTexts,
			s.Targets.MicroF, s.Targets.MicroP, s.Targets.MicroR, s.Targets.MacroF)
	}
	return fmt.Sprintf("%d texts: goal micro-F1 %.3f (P %.3f R %.3f), macro-F1 %.3f, mean per-goal accuracy %.3f, balanced per-goal accuracy %.3f%s; kinds detected %v",
		s.Texts, s.Goals.MicroF, s.Goals.MicroP, s.Goals.MicroR, s.Goals.MacroF, s.MeanAccuracy, s.BalancedAccuracy, t, s.Kinds)
}

// SDGFolds is how many parts OHCHR's labelled recommendations are cut into
// to measure the model on them: each part is scored by a model trained and
// calibrated on the others.
const SDGFolds = 3

// ScoreOHCHR measures the recipe on OHCHR's labelled recommendations, each
// part of SDGFolds scored by a model trained on the shippable sets and the
// other parts, its recommendation thresholds tuned on those; once per kind
// of kinds (each text taken as of that kind, "" for DetectKind's guess).
func ScoreOHCHR(ctx context.Context, s *SDGSets, kinds []string) ([]SDGScores, error) {
	folds, err := classify.KFold(len(s.OHCHR), SDGFolds, 2018)
	if err != nil {
		return nil, err
	}
	gold := make([][]string, 0, len(s.OHCHR))
	pred := make([][][]string, len(kinds))
	seen := make([]map[string]int, len(kinds))
	for k := range kinds {
		seen[k] = map[string]int{}
	}
	for f := range folds {
		var test, rest []corpus.Example
		for _, i := range folds[f] {
			test = append(test, s.OHCHR[i])
		}
		for _, i := range classify.Complement(len(s.OHCHR), folds[f]) {
			rest = append(rest, s.OHCHR[i])
		}
		train := append(slices.Clone(s.Shippable), rest...)
		m, err := fitSDG(ctx, train, calibrations(train, rest), nil)
		if err != nil {
			return nil, err
		}
		for k, kind := range kinds {
			p, n, err := predictKind(ctx, m, test, kind)
			if err != nil {
				return nil, err
			}
			for kk, c := range n {
				seen[k][kk] += c
			}
			pred[k] = append(pred[k], p...)
		}
		for _, e := range test {
			gold = append(gold, e.Labels)
		}
	}
	out := make([]SDGScores, len(kinds))
	for k := range kinds {
		if out[k], err = scoreSDG(gold, pred[k]); err != nil {
			return nil, err
		}
		out[k].Kinds = seen[k]
	}
	return out, nil
}

func sdgModel(ctx context.Context, in Inputs, rep *Report) (*classify.Model, error) {
	s, err := ReadSDGSets(ctx, in)
	if err != nil {
		return nil, err
	}
	rep.logf("SDG training sets: %v", s.Counts)
	train := without(s.Shippable, s.SwissText)
	m, err := fitSDG(ctx, train, calibrations(train, nil), nil)
	if err != nil {
		return nil, err
	}
	for _, kind := range []string{"", classify.KindGeneral} {
		sw, err := ScoreSDG(ctx, m, s.SwissText, kind)
		if err != nil {
			return nil, err
		}
		name := "detected"
		if kind != "" {
			name = kind
		}
		rep.Metrics["swisstext_"+name+"_goal_balanced_accuracy"] = round(sw.BalancedAccuracy)
		rep.Metrics["swisstext_"+name+"_goal_mean_accuracy"] = round(sw.MeanAccuracy)
		rep.Metrics["swisstext_"+name+"_goal_micro_f1"] = round(sw.Goals.MicroF)
		rep.Metrics["swisstext_"+name+"_target_micro_f1"] = round(sw.Targets.MicroF)
		rep.Metrics["swisstext_"+name+"_target_macro_f1"] = round(sw.Targets.MacroF)
		rep.logf("SDG on SwissText 2024 abstracts, kind %s (never trained on; %d overlapping ZORA abstracts left out of training): %s",
			name, len(s.Shippable)-len(train), sw)
	}
	chKinds := []string{"", classify.KindRecommendation}
	chs, err := ScoreOHCHR(ctx, s, chKinds)
	if err != nil {
		return nil, err
	}
	for k, kind := range chKinds {
		ch := chs[k]
		name := "detected"
		if kind != "" {
			name = kind
		}
		rep.Metrics["ohchr_china2018_"+name+"_goal_micro_f1"] = round(ch.Goals.MicroF)
		rep.Metrics["ohchr_china2018_"+name+"_goal_micro_p"] = round(ch.Goals.MicroP)
		rep.Metrics["ohchr_china2018_"+name+"_goal_micro_r"] = round(ch.Goals.MicroR)
		rep.logf("SDG goals on OHCHR's China 2018 thematic list, kind %s (%d-fold: each part scored by a model trained and calibrated without it): %s",
			name, SDGFolds, ch)
	}
	all := append(slices.Clone(s.Shippable), s.OHCHR...)
	m, err = fitSDG(ctx, all, calibrations(all, s.OHCHR), rep.Metrics)
	if err != nil {
		return nil, err
	}
	rep.logf("shipped model: %d texts (the shippable sets and OHCHR's China 2018 goals), %d labels (goals and targets), %d terms, thresholds for kinds %v",
		len(all), len(m.Labels), m.Vectorizer().Len(), slices.Sorted(maps.Keys(m.KindThreshold)))
	return m, nil
}
