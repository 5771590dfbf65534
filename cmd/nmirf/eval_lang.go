package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/nmirf/nmirf/classify"
)

// langMetrics are a model's figures on the examples of one language.
type langMetrics struct {
	Language string `json:"language"` // ISO 639-1, "" when the detector could not tell
	// LowSupport counts the texts read through the bilingual lexicon with
	// too few words translated (flagged low-language-support).
	LowSupport int `json:"low_support"`
	classify.Metrics
}

// evalByLanguage gives the figures of ev per detected language of its
// texts, English first; nil when every text is in one language.
func evalByLanguage(m *classify.Model, proj *classify.Projection, ev classify.Evaluation) ([]langMetrics, error) {
	gold, pred, res := ev.Gold, ev.Predicted, ev.Classified
	var byLang []langMetrics
	groups := map[string][]int{}
	for i, c := range res {
		groups[c.Language] = append(groups[c.Language], i)
	}
	if len(groups) < 2 {
		return nil, nil
	}
	langs := make([]string, 0, len(groups))
	for l := range groups {
		langs = append(langs, l)
	}
	// English, French, Spanish, the others, and texts of no language last.
	order := func(l string) string {
		switch l {
		case "en":
			return "0"
		case "fr":
			return "1"
		case "es":
			return "2"
		case "":
			return "9"
		}
		return "5" + l
	}
	slices.SortFunc(langs, func(a, b string) int { return strings.Compare(order(a), order(b)) })
	for _, l := range langs {
		var g, p [][]string
		low := 0
		for _, i := range groups[l] {
			g, p = append(g, gold[i]), append(p, pred[i])
			if proj.LowSupport(res[i]) {
				low++
			}
		}
		met, err := classify.Score(g, p, m.Labels)
		if err != nil {
			return nil, err
		}
		byLang = append(byLang, langMetrics{Language: l, LowSupport: low, Metrics: met})
	}
	return byLang, nil
}

// writeLangMetrics writes the figures as writeMetrics does, followed, when
// the examples are in several languages, by one line per language (table),
// or with a by_language list (json).
func writeLangMetrics(w io.Writer, format, modelID string, ev classify.Evaluation, byLang []langMetrics) error {
	if len(byLang) == 0 {
		return writeMetrics(w, format, modelID, ev)
	}
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			ModelID string `json:"model_id"`
			classify.Evaluation
			ByLanguage []langMetrics `json:"by_language"`
		}{modelID, ev, byLang})
	}
	if err := writeMetrics(w, format, modelID, ev); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nby language (detected; French and Spanish read through the bilingual lexicon)\n")
	fmt.Fprintf(w, "%-8s %6s %8s %6s %6s %6s %8s %11s\n", "language", "texts", "micro P", "R", "F1", "", "macro F1", "low support")
	for _, l := range byLang {
		name := l.Language
		if name == "" {
			name = "unknown"
		}
		fmt.Fprintf(w, "%-8s %6d %8.3f %6.3f %6.3f %6s %8.3f %11d\n", name, l.Docs, l.MicroP, l.MicroR, l.MicroF, "", l.MacroF, l.LowSupport)
	}
	return nil
}
