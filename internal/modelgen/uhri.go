package modelgen

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"

	"github.com/nmirf/nmirf/classify"
	"github.com/nmirf/nmirf/internal/modelgen/corpus"
	"github.com/nmirf/nmirf/models"
)

func uhriSetting(tx *classify.Taxonomy) classify.Params {
	return classify.Params{
		Vectorizer: classify.Options{Pruning: classify.Pruning{MinDF: 2, MaxFeatures: 30000}},
		MultiLabel: classify.MultiLabelOptions{Linear: classify.LinearOptions{C: 1}, Floor: 0.1,
			Descriptions: tx.UHRIThemeDescriptions()},
	}
}

// UHRIThemeSet reads the OHCHR thematic lists with their old-scheme themes
// mapped to the 2026 themes (Taxonomy.MapUHRITheme). It fails on a theme the
// mapping does not know, so that a new label is added to the table rather
// than silently lost.
func UHRIThemeSet(ctx context.Context, shared string, tx *classify.Taxonomy) ([]corpus.Example, error) {
	var unknown []string
	set, err := corpus.UHRIThemes(ctx, filepath.Join(shared, "uhri-matrices"), func(old string) []string {
		th := tx.MapUHRITheme(old)
		if th == nil && !slices.Contains(unknown, old) {
			unknown = append(unknown, old)
		}
		return th
	})
	if err != nil {
		return nil, err
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("uhri-matrices: %d themes not in data/taxonomy/uhri-old-to-2026.csv: %q", len(unknown), unknown)
	}
	if len(set.Rejected) > 0 {
		return nil, fmt.Errorf("uhri-matrices: %d rows rejected, first %v", len(set.Rejected), set.Rejected[0])
	}
	return set.Examples, nil
}

// descriptionExamples are the theme descriptions as one training text per
// theme, so that their words are in the vocabulary and every theme has a
// positive.
func descriptionExamples(tx *classify.Taxonomy, descs map[string]string) []corpus.Example {
	var out []corpus.Example
	for _, th := range tx.UHRIThemes() {
		out = append(out, corpus.Example{Text: descs[th.Name], Labels: []string{th.Name}, Group: "descriptions"})
	}
	return out
}

// UPRAsUHRI relabels UPR Info examples with the UHRI themes their issues
// map to (Taxonomy.UPRIssueUHRI), dropping those left without a theme.
func UPRAsUHRI(upr []corpus.Example, tx *classify.Taxonomy) []corpus.Example {
	var out []corpus.Example
	for _, e := range upr {
		var themes []string
		for _, issue := range e.Labels {
			for _, th := range tx.UPRIssueUHRI(issue, e.Text) {
				if !slices.Contains(themes, th) {
					themes = append(themes, th)
				}
			}
		}
		if len(themes) > 0 {
			e.Labels = themes
			out = append(out, e)
		}
	}
	return out
}

// UHRIGroupCV scores the UHRI setting by group k-fold over the documents
// (a document's recommendations are all held out together). extra is
// added to every training side, less any text of the held-out document.
func UHRIGroupCV(ctx context.Context, ex, extra []corpus.Example, tx *classify.Taxonomy) (classify.Metrics, int, error) {
	s := uhriSetting(tx)
	groups := make([]string, len(ex))
	for i, e := range ex {
		groups[i] = e.Group
	}
	k := len(slices.Compact(slices.Sorted(slices.Values(groups))))
	folds, err := classify.GroupKFold(groups, k)
	if err != nil {
		return classify.Metrics{}, 0, err
	}
	var gold, pred [][]string
	for _, fold := range folds {
		train := descriptionExamples(tx, s.MultiLabel.Descriptions)
		for _, i := range classify.Complement(len(ex), fold) {
			train = append(train, ex[i])
		}
		var held []corpus.Example
		for _, i := range fold {
			held = append(held, ex[i])
		}
		train = append(train, without(extra, held)...)
		m, err := fit(ctx, models.TaskUHRIThemes, train, s, nil)
		if err != nil {
			return classify.Metrics{}, 0, err
		}
		p, g, err := predict(ctx, m, held, nil)
		if err != nil {
			return classify.Metrics{}, 0, err
		}
		pred, gold = append(pred, p...), append(gold, g...)
	}
	met, err := classify.Score(gold, pred, nil)
	return met, k, err
}

func uhriThemes(ctx context.Context, in Inputs, rep *Report) (*classify.Model, error) {
	ex, err := UHRIThemeSet(ctx, in.Shared, in.Taxonomy)
	if err != nil {
		return nil, err
	}
	var extra []corpus.Example
	if !in.UHRIWithoutUPR {
		upr, err := UPRInfoSet(ctx, in.Shared)
		if err != nil {
			return nil, err
		}
		extra = UPRAsUHRI(upr, in.Taxonomy)
	}
	met, k, err := UHRIGroupCV(ctx, ex, extra, in.Taxonomy)
	if err != nil {
		return nil, err
	}
	rep.Metrics["group_cv_documents_micro_f1"] = round(met.MicroF)
	rep.Metrics["group_cv_documents_macro_f1"] = round(met.MacroF)
	rep.logf("UHRI themes: group %d-fold over the OHCHR thematic lists (each document held out whole, %d texts): micro-F1 %.3f (P %.3f R %.3f), macro-F1 %.3f",
		k, met.Docs, met.MicroF, met.MicroP, met.MicroR, met.MacroF)
	s := uhriSetting(in.Taxonomy)
	all := append(descriptionExamples(in.Taxonomy, s.MultiLabel.Descriptions), ex...)
	all = append(all, extra...)
	m, err := fit(ctx, models.TaskUHRIThemes, all, s, rep.Metrics)
	if err != nil {
		return nil, err
	}
	seen := 0
	for _, n := range m.Positives {
		if n > 1 {
			seen++
		}
	}
	rep.logf("shipped model: %d texts (%d OHCHR-labelled recommendations, %d theme descriptions, %d UPR Info recommendations labelled through their issues), %d themes (%d with more than their description), %d terms",
		len(all), len(ex), len(s.MultiLabel.Descriptions), len(extra), len(m.Labels), seen, m.Vectorizer().Len())
	return m, nil
}
