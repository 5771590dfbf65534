package modelgen

import (
	"context"
	"fmt"
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
	if err := add("aurora", set, err); err != nil {
		return nil, err
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

// goalsOnly keeps the goals of labels, a predicted target implying its goal.
func goalsOnly(labels []string) []string {
	var out []string
	for _, l := range models.WithSDGGoals(labels) {
		if !models.IsSDGTarget(l) {
			out = append(out, l)
		}
	}
	return out
}

// GoalScores are goal-level scores of SDG predictions.
type GoalScores struct {
	Texts int
	// MeanAccuracy is the mean over the 17 goals of the share of texts
	// whose yes/no for the goal is right (the measure the published SDG
	// classifiers report).
	MeanAccuracy float64
	Metrics      classify.Metrics
}

// ScoreGoals trains on train and scores the goals predicted for test.
func ScoreGoals(ctx context.Context, train, test []corpus.Example) (GoalScores, error) {
	m, err := fit(ctx, models.TaskSDG, train, sdgSetting, nil)
	if err != nil {
		return GoalScores{}, err
	}
	pred, gold, err := predict(ctx, m, test, goalsOnly)
	if err != nil {
		return GoalScores{}, err
	}
	for i := range gold {
		gold[i] = goalsOnly(gold[i])
	}
	met, err := classify.Score(gold, pred, nil)
	if err != nil {
		return GoalScores{}, err
	}
	var acc float64
	for g := 1; g <= 17; g++ {
		goal := fmt.Sprint(g)
		right := 0
		for i := range gold {
			if slices.Contains(gold[i], goal) == slices.Contains(pred[i], goal) {
				right++
			}
		}
		acc += float64(right) / float64(len(gold))
	}
	return GoalScores{Texts: len(test), MeanAccuracy: acc / 17, Metrics: met}, nil
}

func sdgModel(ctx context.Context, in Inputs, rep *Report) (*classify.Model, error) {
	s, err := ReadSDGSets(ctx, in)
	if err != nil {
		return nil, err
	}
	rep.logf("SDG training sets: %v", s.Counts)
	train := without(s.Shippable, s.SwissText)
	sw, err := ScoreGoals(ctx, train, s.SwissText)
	if err != nil {
		return nil, err
	}
	rep.Metrics["swisstext_goal_mean_accuracy"] = round(sw.MeanAccuracy)
	rep.Metrics["swisstext_goal_micro_f1"] = round(sw.Metrics.MicroF)
	rep.logf("SDG goals on SwissText 2024 (%d abstracts, never trained on; %d overlapping ZORA abstracts left out of training): mean per-goal accuracy %.3f, micro-F1 %.3f (P %.3f R %.3f), macro-F1 %.3f",
		sw.Texts, len(s.Shippable)-len(train), sw.MeanAccuracy, sw.Metrics.MicroF, sw.Metrics.MicroP, sw.Metrics.MicroR, sw.Metrics.MacroF)
	ch, err := ScoreGoals(ctx, s.Shippable, s.OHCHR)
	if err != nil {
		return nil, err
	}
	rep.Metrics["ohchr_china2018_goal_micro_f1"] = round(ch.Metrics.MicroF)
	rep.Metrics["ohchr_china2018_goal_mean_accuracy"] = round(ch.MeanAccuracy)
	rep.logf("SDG goals on OHCHR's China 2018 thematic list (%d recommendations, trained without it): micro-F1 %.3f (P %.3f R %.3f), macro-F1 %.3f, mean per-goal accuracy %.3f",
		ch.Texts, ch.Metrics.MicroF, ch.Metrics.MicroP, ch.Metrics.MicroR, ch.Metrics.MacroF, ch.MeanAccuracy)
	all := append(slices.Clone(s.Shippable), s.OHCHR...)
	m, err := fit(ctx, models.TaskSDG, all, sdgSetting, rep.Metrics)
	if err != nil {
		return nil, err
	}
	rep.logf("shipped model: %d texts (the shippable sets and OHCHR's China 2018 goals), %d labels (goals and targets), %d terms",
		len(all), len(m.Labels), m.Vectorizer().Len())
	return m, nil
}
