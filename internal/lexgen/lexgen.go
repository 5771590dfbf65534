// Package lexgen builds the bilingual lexicons of data/lexicon (French and
// Spanish stems to the English stems of the default models) from the
// official SDG goals, targets and indicators in English, French and Spanish
// (Open SDG's translation files, identical keys), and reads those aligned
// texts for the tests that measure the lexicons.
package lexgen

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/nmirf/nmirf/classify"
)

// Kinds of SDG text in the translation files.
var kinds = []string{"goals", "targets", "indicators"}

// ReadAligned reads global_{goals,targets,indicators}.{en,lang}.yml from dir
// and returns, sorted by key, each text present in both languages ("5-2-title":
// target 5.2's text). Goal short names ("5-short") are included.
func ReadAligned(dir, lang string) ([]classify.AlignedText, error) {
	var out []classify.AlignedText
	for _, k := range kinds {
		en, err := readYAML(filepath.Join(dir, "global_"+k+".en.yml"))
		if err != nil {
			return nil, err
		}
		fo, err := readYAML(filepath.Join(dir, "global_"+k+"."+lang+".yml"))
		if err != nil {
			return nil, err
		}
		for key, e := range en {
			f, ok := fo[key]
			if !ok || strings.TrimSpace(e) == "" || strings.TrimSpace(f) == "" {
				continue
			}
			if !strings.HasSuffix(key, "-title") && !strings.HasSuffix(key, "-short") {
				continue
			}
			out = append(out, classify.AlignedText{Key: key, English: e, Foreign: f})
		}
	}
	slices.SortFunc(out, func(a, b classify.AlignedText) int { return strings.Compare(a.Key, b.Key) })
	return out, nil
}

func readYAML(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	m := map[string]string{}
	if err := yaml.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// Goal returns the SDG goal of a translation key ("5-2-title" → "5").
func Goal(key string) string { g, _, _ := strings.Cut(key, "-"); return g }

// Code returns the SDG code of a key: "5" for a goal, "5.2" for a target,
// "5.2.1" for an indicator.
func Code(key string) string {
	key = strings.TrimSuffix(strings.TrimSuffix(key, "-title"), "-short")
	return strings.ReplaceAll(key, "-", ".")
}

// Options are the settings the shipped lexicons are learnt with (measured
// in classify/multilingual_test.go).
var Options = classify.LearnOptions{Iterations: 10, MinCount: 2, MinScore: 0.3, Source: "sdg-framework"}

// Learn learns the lexicon of lang from the aligned texts.
func Learn(lang string, pairs []classify.AlignedText) *classify.Lexicon {
	en := classify.NewTokenizer(classify.TokenizerOptions{NGram: 1})
	return classify.LearnLexicon(lang, pairs, en, Options)
}
