package classify

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/nmirf/nmirf/models"
)

// UHRITheme is one theme of the current (2026) UHRI vocabulary with the
// description nmirf scores unseen themes by.
type UHRITheme struct {
	Name        string
	Description string
}

// Taxonomy is the label tables nmirf maps between vocabularies with: the
// UHRI 2026 themes with descriptions, the old UHRI themes to 2026 ones, and
// the UPR Info issues to SDG codes and to UHRI themes. ParseTaxonomy makes
// one from the CSV tables (data/taxonomy embeds nmirf's own).
type Taxonomy struct {
	themes    []UHRITheme
	byName    map[string]string   // normalised 2026 name → name
	oldName   map[string][]string // normalised old name → 2026 themes
	oldCode   map[string][]string // letter-scheme code ("A12") → 2026 themes
	issueSDG  map[string][]issueRule
	issueUHRI map[string][]issueRule
}

// issueRule gives labels (SDG codes, UHRI themes) to a UPR Info issue, when
// the text holds one of the keywords (always when there are none).
type issueRule struct {
	keywords []string
	labels   []string
}

func (r issueRule) applies(lower string) bool {
	if len(r.keywords) == 0 {
		return true
	}
	for _, k := range r.keywords {
		if strings.Contains(lower, k) {
			return true
		}
	}
	return false
}

func keywords(cell string) []string {
	var out []string
	for _, k := range strings.Split(cell, "|") {
		if k = strings.TrimSpace(strings.ToLower(k)); k != "" {
			out = append(out, k)
		}
	}
	return out
}

// themes resolves a " | "-separated list of 2026 theme names.
func (t *Taxonomy) themeList(cell string) ([]string, error) {
	var out []string
	for _, th := range strings.Split(cell, "|") {
		if strings.TrimSpace(th) == "" {
			continue
		}
		name, ok := t.byName[themeKey(th)]
		if !ok {
			return nil, fmt.Errorf("%q is no 2026 theme", strings.TrimSpace(th))
		}
		out = append(out, name)
	}
	return out, nil
}

// TaxonomyTables are the CSV tables of a Taxonomy, named as in
// data/taxonomy.
type TaxonomyTables struct {
	UHRIThemes     []byte // uhri-themes.csv: theme, uhri_records, description
	UHRIOldTo2026  []byte // uhri-old-to-2026.csv: scheme, code, old_name, themes_2026, note
	UPRIssueToSDG  []byte // upr-issue-to-sdg.csv: issue, keywords, sdg, note
	UPRIssueToUHRI []byte // upr-issue-to-uhri.csv: issue, keywords, themes_2026, note
}

// ParseTaxonomy reads the tables of a Taxonomy; an error names the table
// and line.
func ParseTaxonomy(tables TaxonomyTables) (*Taxonomy, error) {
	t := &Taxonomy{byName: map[string]string{}, oldName: map[string][]string{}, oldCode: map[string][]string{},
		issueSDG: map[string][]issueRule{}, issueUHRI: map[string][]issueRule{}}
	err := readTable("uhri-themes.csv", tables.UHRIThemes, []string{"theme", "uhri_records", "description"}, func(r []string) error {
		if r[0] == "" || r[2] == "" {
			return fmt.Errorf("theme %q without name or description", r[0])
		}
		t.themes = append(t.themes, UHRITheme{Name: r[0], Description: r[2]})
		t.byName[themeKey(r[0])] = r[0]
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = readTable("uhri-old-to-2026.csv", tables.UHRIOldTo2026, []string{"scheme", "code", "old_name", "themes_2026", "note"}, func(r []string) error {
		themes, err := t.themeList(r[3])
		if err != nil || len(themes) == 0 {
			return fmt.Errorf("old theme %s %q: no 2026 theme: %v", r[1], r[2], err)
		}
		key := themeKey(r[2])
		t.oldName[key] = union(t.oldName[key], themes)
		if r[0] == "letter" {
			t.oldCode[r[1]] = union(t.oldCode[r[1]], themes)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = readTable("upr-issue-to-sdg.csv", tables.UPRIssueToSDG, []string{"issue", "keywords", "sdg", "note"}, func(r []string) error {
		rule := issueRule{keywords: keywords(r[1]), labels: strings.Fields(r[2])}
		for _, c := range rule.labels {
			if !models.IsSDGCode(c) {
				return fmt.Errorf("issue %q: %q is no SDG goal or target code", r[0], c)
			}
		}
		t.issueSDG[r[0]] = append(t.issueSDG[r[0]], rule)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = readTable("upr-issue-to-uhri.csv", tables.UPRIssueToUHRI, []string{"issue", "keywords", "themes_2026", "note"}, func(r []string) error {
		themes, err := t.themeList(r[2])
		if err != nil {
			return fmt.Errorf("issue %q: %w", r[0], err)
		}
		t.issueUHRI[r[0]] = append(t.issueUHRI[r[0]], issueRule{keywords: keywords(r[1]), labels: themes})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

func readTable(name string, data []byte, header []string, row func([]string) error) error {
	rd := csv.NewReader(bytes.NewReader(data))
	rows, err := rd.ReadAll()
	if err != nil {
		return fmt.Errorf("read data/taxonomy/%s: %w", name, err)
	}
	if len(rows) == 0 || !slices.Equal(rows[0], header) {
		return fmt.Errorf("read data/taxonomy/%s: header is not %q", name, header)
	}
	for i, r := range rows[1:] {
		if err := row(r); err != nil {
			return fmt.Errorf("read data/taxonomy/%s line %d: %w", name, i+2, err)
		}
	}
	return nil
}

func union(a, b []string) []string {
	for _, x := range b {
		if !slices.Contains(a, x) {
			a = append(a, x)
		}
	}
	return a
}

// oldCodeRe matches the code before an old UHRI theme name: the letter
// scheme's "A12 " or the numbered scheme's "12.4. ".
var oldCodeRe = regexp.MustCompile(`^\s*(?:([A-H]\d{0,3})|\d{1,2}(?:\.\d{1,2})*\.?)\s+`)

// themeKey compares theme names regardless of case, "&" or "and", dashes,
// punctuation and spacing.
func themeKey(s string) string {
	s = strings.ToLower(strings.ReplaceAll(s, "&", " and "))
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 0x7f && r != '–' && r != '—' && r != '’')
	}), " ")
}

// MapUHRITheme returns the current UHRI themes (2026 vocabulary) an old UHRI
// theme label stands for, as data/taxonomy/uhri-old-to-2026.csv maps them.
// old may carry its code in either old scheme ("A12 Acceptance of
// international norms", "12.4. Death penalty") or none; it is matched by
// name first, then by letter code, and a label already in the 2026
// vocabulary maps to itself. An unknown label gives nil.
func (t *Taxonomy) MapUHRITheme(old string) []string {
	code := ""
	name := old
	if m := oldCodeRe.FindStringSubmatch(old); m != nil {
		code, name = m[1], old[len(m[0]):]
	}
	key := themeKey(name)
	if th, ok := t.oldName[key]; ok {
		return slices.Clone(th)
	}
	if th, ok := t.oldCode[code]; ok && code != "" {
		return slices.Clone(th)
	}
	if th, ok := t.byName[themeKey(old)]; ok {
		return []string{th}
	}
	if th, ok := t.byName[key]; ok {
		return []string{th}
	}
	return nil
}

// UHRIThemes returns the 100 themes of the UHRI 2026 vocabulary, most used
// first, with their descriptions.
func (t *Taxonomy) UHRIThemes() []UHRITheme { return slices.Clone(t.themes) }

// UHRIThemeDescriptions returns theme name → description, as
// MultiLabelOptions.Descriptions takes them.
func (t *Taxonomy) UHRIThemeDescriptions() map[string]string {
	out := map[string]string{}
	for _, th := range t.themes {
		out[th.Name] = th.Name + ". " + th.Description
	}
	return out
}

// UPRIssueSDG returns the SDG goals ("16") and targets ("16.3") that
// data/taxonomy/upr-issue-to-sdg.csv gives a recommendation text labelled
// with a UPR Info issue: weak labels, each rule applying always or when the
// lower-cased text contains one of its keywords. Codes come sorted, without
// repeats; an unknown issue gives nil.
func (t *Taxonomy) UPRIssueSDG(issue, text string) []string {
	out := applyRules(t.issueSDG[issue], text)
	slices.SortFunc(out, models.CompareSDG)
	return out
}

// UPRIssueUHRI returns the UHRI 2026 themes that
// data/taxonomy/upr-issue-to-uhri.csv gives a recommendation text labelled
// with a UPR Info issue (weak labels, rules as in UPRIssueSDG), sorted.
func (t *Taxonomy) UPRIssueUHRI(issue, text string) []string {
	out := applyRules(t.issueUHRI[issue], text)
	slices.Sort(out)
	return out
}

func applyRules(rules []issueRule, text string) []string {
	lower := strings.ToLower(text)
	var out []string
	for _, r := range rules {
		if r.applies(lower) {
			out = union(out, r.labels)
		}
	}
	return out
}

// TaskLabels turns a source label into the labels of a task's model: an
// old UHRI theme label becomes the current theme names, an SDG label its
// target or goal code; other labels stay as they are.
func (t *Taxonomy) TaskLabels(task, label string) []string {
	switch task {
	case models.TaskUHRIThemes:
		return t.MapUHRITheme(label)
	case models.TaskSDG:
		if c := models.SDGCode(label); c != "" {
			return []string{c}
		}
		return nil
	}
	return []string{label}
}
