package corpus

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/nmirf/nmirf/classify"
	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/extract/matrix"
	"github.com/nmirf/nmirf/extract/sdg"
	"github.com/nmirf/nmirf/extract/uprinfo"
	"github.com/nmirf/nmirf/models"
)

// Example is one labelled text.
type Example struct {
	Text   string
	Labels []string
	// Group is what must not be split between training and test: the
	// document or the State under review ("CHN 31", "FRA").
	Group   string
	Session int // UPR session, 0 when unknown
	// Kind is the kind of text (classify.KindRecommendation, …), "" for
	// what is no text people write (search queries).
	Kind string
}

// Set is the examples read from some files and the rows that could not be.
type Set struct {
	Examples []Example
	Rejected []models.RowError
}

func (s *Set) add(o *Set) {
	s.Examples = append(s.Examples, o.Examples...)
	s.Rejected = append(s.Rejected, o.Rejected...)
}

// files returns the sorted files of dir matching pattern, refusing none.
func files(dir, pattern string) ([]string, error) {
	fs, err := filepath.Glob(filepath.Join(dir, pattern))
	if err != nil {
		return nil, fmt.Errorf("list %s/%s: %w", dir, pattern, err)
	}
	if len(fs) == 0 {
		return nil, fmt.Errorf("list %s: no %s file", dir, pattern)
	}
	slices.Sort(fs)
	return fs, nil
}

func importFile(ctx context.Context, path string, im extract.Importer) (*extract.Result, error) {
	in, err := extract.ReadInput(path)
	if err != nil {
		return nil, err
	}
	res, err := im.Import(ctx, in, extract.Options{})
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", path, err)
	}
	return res, nil
}

func labelsOf(r *models.Recommendation, scheme string) []string {
	var out []string
	for _, l := range r.Labels {
		if l.Scheme == scheme && !slices.Contains(out, l.Value) {
			out = append(out, l.Value)
		}
	}
	return out
}

// UPRInfo reads the UPR Info exports (every *.csv of dir) with the
// upr-info-csv importer: one example per recommendation labelled with its
// UPR Info issues, grouped by State under review.
func UPRInfo(ctx context.Context, dir string) (*Set, error) {
	paths, err := files(dir, "*.csv")
	if err != nil {
		return nil, err
	}
	set := &Set{}
	for _, p := range paths {
		res, err := importFile(ctx, p, uprinfo.CSV)
		if err != nil {
			return nil, err
		}
		for i := range res.Records {
			r := &res.Records[i]
			set.Examples = append(set.Examples, Example{Text: r.Text, Labels: labelsOf(r, models.SchemeUPRInfoIssue),
				Group: r.CountryISO3, Session: r.Session, Kind: classify.KindRecommendation})
		}
		set.Rejected = append(set.Rejected, res.Rejected...)
	}
	return set, nil
}

// matrices imports every OHCHR thematic list (*.docx) of dir; each
// document's records are grouped as "ISO3 session" (or "ISO3 file" when the
// session is unknown).
func matrices(ctx context.Context, dir string, each func(r *models.Recommendation, group string, doc []models.Recommendation)) (*Set, error) {
	paths, err := files(dir, "*.docx")
	if err != nil {
		return nil, err
	}
	set := &Set{}
	for _, p := range paths {
		res, err := importFile(ctx, p, matrix.New())
		if err != nil {
			return nil, err
		}
		for i := range res.Records {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			r := &res.Records[i]
			group := r.CountryISO3 + " " + strconv.Itoa(r.Session)
			if r.Session == 0 {
				group = r.CountryISO3 + " " + filepath.Base(p)
			}
			each(r, group, res.Records)
		}
		set.Rejected = append(set.Rejected, res.Rejected...)
	}
	return set, nil
}

// UHRIThemes reads the OHCHR thematic lists (*.docx of dir): one example per
// recommendation labelled with its UHRI themes, each passed through mapTheme
// (e.g. from the old code scheme to the current themes; nil keeps them as
// written). A recommendation left without a theme is skipped.
func UHRIThemes(ctx context.Context, dir string, mapTheme func(string) []string) (*Set, error) {
	var out []Example
	set, err := matrices(ctx, dir, func(r *models.Recommendation, group string, _ []models.Recommendation) {
		var labels []string
		for _, old := range labelsOf(r, models.SchemeUHRITheme) {
			mapped := []string{old}
			if mapTheme != nil {
				mapped = mapTheme(old)
			}
			for _, m := range mapped {
				if !slices.Contains(labels, m) {
					labels = append(labels, m)
				}
			}
		}
		if len(labels) > 0 {
			out = append(out, Example{Text: r.Text, Labels: labels, Group: group, Session: r.Session, Kind: classify.KindRecommendation})
		}
	})
	if err != nil {
		return nil, err
	}
	set.Examples = out
	return set, nil
}

// UHRISDGGoals reads the SDG goals OHCHR put on the recommendations of its
// thematic lists (*.docx of dir). Only documents where OHCHR labelled SDGs
// at all are read (China 2018 among the four real ones); there a
// recommendation without a goal is a negative example (no labels).
func UHRISDGGoals(ctx context.Context, dir string) (*Set, error) {
	var out []Example
	set, err := matrices(ctx, dir, func(r *models.Recommendation, group string, doc []models.Recommendation) {
		labelled := false
		for i := range doc {
			if len(labelsOf(&doc[i], models.SchemeUHRISDG)) > 0 {
				labelled = true
				break
			}
		}
		if !labelled {
			return
		}
		var goals []string
		for _, l := range labelsOf(r, models.SchemeUHRISDG) {
			if g := models.SDGGoalOf(models.SDGCode(l)); g != "" && !slices.Contains(goals, g) {
				goals = append(goals, g)
			}
		}
		out = append(out, Example{Text: r.Text, Labels: goals, Group: group, Session: r.Session, Kind: classify.KindRecommendation})
	})
	if err != nil {
		return nil, err
	}
	set.Examples = out
	return set, nil
}

// SDGFramework reads the official framework CSV (extract/sdg) into one
// example per goal (its title, labelled with the goal), per target (its
// text, labelled with the target) and per indicator listing (its text,
// labelled with the target it is listed under). Group is "un-framework".
func SDGFramework(path string) (*Set, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read SDG framework: %w", err)
	}
	defer f.Close()
	fw, err := sdg.Parse(f)
	if err != nil {
		return nil, fmt.Errorf("read SDG framework %s: %w", path, err)
	}
	const group = "un-framework"
	set := &Set{}
	for _, g := range fw.Goals {
		set.Examples = append(set.Examples, Example{Text: g.Title, Labels: []string{g.Code}, Group: group, Kind: classify.KindGeneral})
	}
	for _, t := range fw.Targets {
		set.Examples = append(set.Examples, Example{Text: t.Title, Labels: []string{t.Code}, Group: group, Kind: classify.KindGeneral})
	}
	for _, l := range fw.Links {
		ind, ok := fw.Indicator(l.Indicator)
		if !ok {
			continue
		}
		set.Examples = append(set.Examples, Example{Text: ind.Title, Labels: []string{l.Target}, Group: group, Kind: classify.KindIndicator})
	}
	return set, nil
}

// readCSV reads a whole UTF-8 CSV (or TSV with comma '\t') with a header,
// giving each row as header name → value.
func readCSV(path string, comma rune, fn func(line int, row map[string]string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("read %w", err)
	}
	defer f.Close()
	rd := csv.NewReader(f)
	rd.Comma = comma
	rd.FieldsPerRecord = -1
	rd.LazyQuotes = true
	header, err := rd.Read()
	if err != nil {
		return fmt.Errorf("read %s header: %w", path, err)
	}
	for i := range header {
		header[i] = strings.TrimSpace(strings.TrimPrefix(header[i], "\ufeff"))
	}
	for {
		rec, err := rd.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		line, _ := rd.FieldPos(0)
		if err != nil {
			return fmt.Errorf("read %s line %d: %w", path, line, err)
		}
		row := map[string]string{}
		for i, h := range header {
			if i < len(rec) {
				row[h] = strings.TrimSpace(rec[i])
			}
		}
		if err := fn(line, row); err != nil {
			return fmt.Errorf("read %s line %d: %w", path, line, err)
		}
	}
}

// goalLabel checks an SDG goal number as the text sets write it ("5",
// "SDG 5.00", "05").
func goalLabel(s string) (string, error) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.ReplaceAll(s, "\u00a0", " "), "SDG"))
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || f != float64(int(f)) || f < 0 || f > 17 {
		return "", fmt.Errorf("SDG goal %q is not a number 0–17", s)
	}
	if f == 0 {
		return "", nil // "no SDG"
	}
	return strconv.Itoa(int(f)), nil
}

// TUBSentences reads the TU Berlin SDG sentences (tub-sentences/Data/
// original_data.csv, Apache-2.0): sentences labelled with one goal.
func TUBSentences(dir string) (*Set, error) {
	set := &Set{}
	err := readCSV(filepath.Join(dir, "Data", "original_data.csv"), ',', func(line int, row map[string]string) error {
		g, err := goalLabel(row["SDG"])
		if err != nil {
			set.Rejected = append(set.Rejected, models.RowError{File: "original_data.csv", Row: line, Field: "SDG", Msg: err.Error()})
			return nil
		}
		if text := models.CleanText(row["Text"]); text != "" && g != "" {
			set.Examples = append(set.Examples, Example{Text: text, Labels: []string{g}, Group: "tub", Kind: classify.KindGeneral})
		}
		return nil
	})
	return set, err
}

// ZORA reads the ZORA abstracts (zora/data/full_datasets/original/
// zora_original.tsv, CC0): abstract (or, lacking one, the citation)
// labelled with one goal.
func ZORA(dir string) (*Set, error) {
	set := &Set{}
	err := readCSV(filepath.Join(dir, "data", "full_datasets", "original", "zora_original.tsv"), '\t', func(line int, row map[string]string) error {
		g, err := goalLabel(row["SDG"])
		if err != nil {
			set.Rejected = append(set.Rejected, models.RowError{File: "zora_original.tsv", Row: line, Field: "SDG", Msg: err.Error()})
			return nil
		}
		text := models.CleanText(row["Abstract"])
		if text == "" {
			text = models.CleanText(row["Citation"])
		}
		if text != "" && g != "" {
			set.Examples = append(set.Examples, Example{Text: text, Labels: []string{g}, Group: "zora", Kind: classify.KindGeneral})
		}
		return nil
	})
	return set, err
}

var (
	targetRe   = regexp.MustCompile(`^\d{1,2}\.[0-9a-z]{1,2}$`)
	targetInRe = regexp.MustCompile(`\b\d{1,2}\.[0-9a-z]{1,2}\b`)
)

// auroraTermRe picks the quoted search terms of an Aurora Scopus query line.
var auroraTermRe = regexp.MustCompile(`"([^"]+)"`)

// AuroraQueries reads the Aurora SDG queries v5 (aurora-queries/
// aurora_sdg_queries_v5_lines.csv, CC-BY-4.0): per sub-query, the target's
// description and the quoted search terms (wildcards dropped) as one text
// labelled with the target.
func AuroraQueries(dir string) (*Set, error) {
	type key struct{ sdg, sub string }
	texts := map[key][]string{}
	target := map[key]string{}
	var order []key
	err := readCSV(filepath.Join(dir, "aurora_sdg_queries_v5_lines.csv"), ',', func(line int, row map[string]string) error {
		k := key{row["sdg"], row["subquery_id"]}
		if _, ok := target[k]; !ok {
			order = append(order, k)
			target[k] = row["target_code"]
			desc, _, _ := strings.Cut(row["subquery_descriptions"], "||")
			texts[k] = append(texts[k], strings.TrimSpace(desc))
		}
		for _, m := range auroraTermRe.FindAllStringSubmatch(row["query_line"], -1) {
			texts[k] = append(texts[k], strings.ReplaceAll(strings.ReplaceAll(m[1], "*", ""), "?", ""))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	set := &Set{}
	for _, k := range order {
		t := target[k]
		if !targetRe.MatchString(t) {
			continue
		}
		set.Examples = append(set.Examples, Example{Text: strings.Join(texts[k], "; "), Labels: []string{t}, Group: "aurora"})
	}
	return set, nil
}

// JRCTerms reads the EU JRC SDG term matrix (the SDG Mapper's keyword
// list; sdg-framework/unsd-2023/JRC_term_matrix.Terms.csv): one row per
// target ("1.3") and per goal ("1.0", the goal itself), its goal ("SDG 1")
// and its terms and phrases ("social protection", "child benefits") in the
// numbered columns after. Each row becomes one text, its terms joined by
// "; ", labelled with the target, or with the goal for "x.0". Columns are
// found by their header words: Goal, Target, and the numbered term
// columns; an unnamed column (a row index) is ignored. A row whose target
// is no target code, whose target is not of its goal, or that has no term
// is rejected with its line. Group is "jrc"; Kind is "" (search terms, no
// text people write).
func JRCTerms(path string) (*Set, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read JRC term matrix: %w", err)
	}
	defer f.Close()
	rd := csv.NewReader(f)
	rd.FieldsPerRecord = -1
	header, err := rd.Read()
	if err != nil {
		return nil, fmt.Errorf("read %s header: %w", path, err)
	}
	name := filepath.Base(path)
	goalCol, targetCol := -1, -1
	var termCols []int
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		switch {
		case h == "goal":
			goalCol = i
		case h == "target":
			targetCol = i
		case h != "":
			if _, err := strconv.Atoi(h); err != nil {
				return nil, fmt.Errorf("read %s header: column %d %q is neither Goal, Target nor a numbered term column", path, i+1, header[i])
			}
			termCols = append(termCols, i)
		}
	}
	if goalCol < 0 || targetCol < 0 || len(termCols) == 0 {
		return nil, fmt.Errorf("read %s header: want Goal, Target and numbered term columns, got %q", path, header)
	}
	set := &Set{}
	for {
		rec, err := rd.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := rd.FieldPos(0)
		if err != nil {
			return nil, fmt.Errorf("read %s line %d: %w", path, line, err)
		}
		cell := func(i int) string {
			if i < len(rec) {
				return models.CleanText(rec[i])
			}
			return ""
		}
		reject := func(field, msg string) {
			set.Rejected = append(set.Rejected, models.RowError{File: name, Row: line, Field: field, Msg: msg})
		}
		goal, err := goalLabel(cell(goalCol))
		if err != nil || goal == "" {
			reject(header[goalCol], fmt.Sprintf("goal %q is not an SDG goal 1–17", cell(goalCol)))
			continue
		}
		target := cell(targetCol)
		g, t, _ := strings.Cut(target, ".")
		if !targetRe.MatchString(target) || g != goal {
			reject(header[targetCol], fmt.Sprintf("target %q is not a target code of goal %s", target, goal))
			continue
		}
		label := target
		if t == "0" {
			label = goal
		}
		var terms []string
		for _, i := range termCols {
			if term := cell(i); term != "" {
				terms = append(terms, term)
			}
		}
		if len(terms) == 0 {
			reject(header[targetCol], fmt.Sprintf("target %s has no term", target))
			continue
		}
		set.Examples = append(set.Examples, Example{Text: strings.Join(terms, "; "), Labels: []string{label}, Group: "jrc"})
	}
	return set, nil
}

// SwissText reads the SwissText 2024 shared-task training data
// (swisstext2024/task1_train.jsonl and task2_train.jsonl, AGPL-3.0: for
// evaluation only): title and abstract labelled with the goal (none for
// goal 0) and, in task 2, the targets.
func SwissText(dir string) (*Set, error) {
	set := &Set{}
	for _, name := range []string{"task1_train.jsonl", "task2_train.jsonl"} {
		path := filepath.Join(dir, name)
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("read %w", err)
		}
		for i, line := range strings.Split(string(data), "\n") {
			if strings.TrimSpace(line) == "" {
				continue
			}
			var rec struct {
				Title    string `json:"TITLE"`
				Abstract string `json:"ABSTRACT"`
				SDG      json.Number
				Targets  json.RawMessage `json:"TARGETS"` // a list, or a list written as a string
			}
			if err := json.Unmarshal([]byte(line), &rec); err != nil {
				set.Rejected = append(set.Rejected, models.RowError{File: name, Row: i + 1, Msg: err.Error()})
				continue
			}
			g, err := goalLabel(string(rec.SDG))
			if err != nil {
				set.Rejected = append(set.Rejected, models.RowError{File: name, Row: i + 1, Field: "SDG", Msg: err.Error()})
				continue
			}
			var labels []string
			if g != "" {
				labels = append(labels, g)
			}
			for _, m := range targetInRe.FindAllString(string(rec.Targets), -1) {
				if !slices.Contains(labels, m) {
					labels = append(labels, m)
				}
			}
			text := models.CleanText(rec.Title + ". " + rec.Abstract)
			set.Examples = append(set.Examples, Example{Text: text, Labels: labels, Group: "swisstext", Kind: classify.KindGeneral})
		}
	}
	return set, nil
}
