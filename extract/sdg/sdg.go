package sdg

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"

	"github.com/nmirf/nmirf/models"
)

// Framework is the global indicator framework as parsed, with the look-ups
// and the comparison of two editions that checking a new edition needs.
type Framework struct {
	models.SDGFramework
}

var (
	goalRe      = regexp.MustCompile(`^Goal\s+(\d{1,2})\s*[.:]?\s+(.+)$`)
	targetRe    = regexp.MustCompile(`^(\d{1,2}\.[0-9a-z]{1,2})\s+(.+)$`)
	indicatorRe = regexp.MustCompile(`^(\d{1,2}\.[0-9a-z]{1,2}\.\d{1,2})\s+(.+)$`)
	unsdCodeRe  = regexp.MustCompile(`^C\d{2}[0-9a-z]{2,}$`)
	// A footnote number is printed glued to the last word ("impacts3",
	// "by speed4"). Only a word of three or more letters, lower case after
	// its first, loses its trailing digits, so that CO2, PM2.5, km2,
	// "Target 14" and "per 100,000" keep theirs.
	footnoteRe = regexp.MustCompile(`\b([A-Za-z][a-z]{2,})\d{1,2}\b`)
	// An indicator cell sometimes holds several indicators, one per line.
	indicatorStartRe = regexp.MustCompile(`(?m)^\s*\d{1,2}\.[0-9a-z]{1,2}\.\d{1,2}\s`)
)

// CleanTitle normalises white space and quotes and removes footnote digits
// glued to words.
func CleanTitle(s string) string {
	s = strings.ReplaceAll(models.CleanText(s), "\u2011", "-") // non-breaking hyphen: "Under‑5"
	s = footnoteRe.ReplaceAllString(s, "$1")
	return strings.TrimSpace(s)
}

// Parse reads the framework annex CSV. Rows are recognised by what their
// cells hold ("Goal 5. …", "5.2 …", "5.2.1 …", "C050201"), not by column
// position, since the published files differ in their number of columns.
// Section headings ("Finance", "Systemic issues") and footnotes are skipped.
func Parse(r io.Reader) (*Framework, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read framework: %w", err)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("read framework: file is empty")
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true

	f := &Framework{}
	seenGoal := map[string]bool{}
	seenTarget := map[string]bool{}
	seenIndicator := map[string]int{} // code → index in f.Indicators
	var goal, target string
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read framework: %w", err)
		}
		line, _ := cr.FieldPos(0)
		var indicators []models.SDGIndicator
		code := ""
		for _, cell := range rec {
			cell = strings.TrimSpace(strings.ReplaceAll(cell, "\u00a0", " "))
			switch {
			case cell == "":
			case unsdCodeRe.MatchString(cell):
				code = cell
			case goalRe.MatchString(cell):
				m := goalRe.FindStringSubmatch(cell)
				goal, target = m[1], ""
				if seenGoal[goal] {
					return nil, fmt.Errorf("read framework line %d: goal %s listed twice", line, goal)
				}
				seenGoal[goal] = true
				f.Goals = append(f.Goals, models.SDGGoal{Code: goal, Title: CleanTitle(m[2])})
			case indicatorRe.MatchString(cell):
				for _, part := range splitIndicators(cell) {
					m := indicatorRe.FindStringSubmatch(part)
					if m == nil {
						return nil, fmt.Errorf("read framework line %d: indicator cell %q", line, clip(part))
					}
					indicators = append(indicators, models.SDGIndicator{Code: m[1], Target: targetOf(m[1]), Title: CleanTitle(m[2])})
				}
			case targetRe.MatchString(cell):
				m := targetRe.FindStringSubmatch(cell)
				if goal == "" || !strings.HasPrefix(m[1], goal+".") {
					return nil, fmt.Errorf("read framework line %d: target %s outside goal %q", line, m[1], goal)
				}
				target = m[1]
				if seenTarget[target] {
					return nil, fmt.Errorf("read framework line %d: target %s listed twice", line, target)
				}
				seenTarget[target] = true
				f.Targets = append(f.Targets, models.SDGTarget{Code: target, Goal: goal, Title: CleanTitle(m[2])})
			}
		}
		if len(indicators) == 0 {
			continue
		}
		if target == "" {
			return nil, fmt.Errorf("read framework line %d: indicator %s before any target", line, indicators[0].Code)
		}
		if len(indicators) == 1 {
			indicators[0].UNSDCode = code
		}
		for _, ind := range indicators {
			if i, ok := seenIndicator[ind.Code]; ok {
				// The same code under a second target: keep one entry, add the link.
				if f.Indicators[i].UNSDCode == "" {
					f.Indicators[i].UNSDCode = ind.UNSDCode
				}
			} else {
				seenIndicator[ind.Code] = len(f.Indicators)
				f.Indicators = append(f.Indicators, ind)
			}
			f.Links = append(f.Links, models.SDGIndicatorTarget{Indicator: ind.Code, Target: target})
		}
	}
	if len(f.Goals) == 0 || len(f.Targets) == 0 || len(f.Indicators) == 0 {
		return nil, fmt.Errorf("read framework: found %d goals, %d targets, %d indicators; not an SDG framework file",
			len(f.Goals), len(f.Targets), len(f.Indicators))
	}
	return f, nil
}

func splitIndicators(cell string) []string {
	starts := indicatorStartRe.FindAllStringIndex(cell, -1)
	if len(starts) <= 1 {
		return []string{strings.Join(strings.Fields(cell), " ")}
	}
	var out []string
	for i, s := range starts {
		end := len(cell)
		if i+1 < len(starts) {
			end = starts[i+1][0]
		}
		out = append(out, strings.TrimSpace(cell[s[0]:end]))
	}
	return out
}

func targetOf(indicator string) string {
	return indicator[:strings.LastIndexByte(indicator, '.')]
}

func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}

// Indicator returns the indicator with the given code.
func (f *Framework) Indicator(code string) (models.SDGIndicator, bool) {
	for _, ind := range f.Indicators {
		if ind.Code == code {
			return ind, true
		}
	}
	return models.SDGIndicator{}, false
}

// Target returns the target with the given code.
func (f *Framework) Target(code string) (models.SDGTarget, bool) {
	for _, t := range f.Targets {
		if t.Code == code {
			return t, true
		}
	}
	return models.SDGTarget{}, false
}

// UniqueIndicators counts distinct indicators: codes sharing a UNSD code
// are one indicator listed under several targets.
func (f *Framework) UniqueIndicators() int {
	seen := map[string]bool{}
	for _, ind := range f.Indicators {
		k := ind.UNSDCode
		if k == "" {
			k = "code " + ind.Code
		}
		seen[k] = true
	}
	return len(seen)
}

// Repeated returns the groups of indicator codes that are the same indicator
// (same UNSD code), each group in listing order, groups ordered by their
// first code's position.
func (f *Framework) Repeated() [][]string {
	groups := map[string][]string{}
	var order []string
	for _, ind := range f.Indicators {
		if ind.UNSDCode == "" {
			continue
		}
		if _, ok := groups[ind.UNSDCode]; !ok {
			order = append(order, ind.UNSDCode)
		}
		groups[ind.UNSDCode] = append(groups[ind.UNSDCode], ind.Code)
	}
	var out [][]string
	for _, c := range order {
		if len(groups[c]) > 1 {
			out = append(out, groups[c])
		}
	}
	return out
}

// Diff lists what changed from an older framework to f: indicator codes
// added and removed, and codes whose title changed.
type Diff struct {
	Added, Removed, Retitled []string
	Recoded                  []string // same indicator code, new UNSD code
	TargetsRetitled          []string
}

// Compare returns the changes from old to f.
func (f *Framework) Compare(old *Framework) Diff {
	var d Diff
	oldInd := map[string]string{}
	oldCode := map[string]string{}
	for _, ind := range old.Indicators {
		oldInd[ind.Code] = ind.Title
		oldCode[ind.Code] = ind.UNSDCode
	}
	newInd := map[string]bool{}
	for _, ind := range f.Indicators {
		newInd[ind.Code] = true
		t, ok := oldInd[ind.Code]
		switch {
		case !ok:
			d.Added = append(d.Added, ind.Code)
		case t != ind.Title:
			d.Retitled = append(d.Retitled, ind.Code)
		}
		if c, ok := oldCode[ind.Code]; ok && c != ind.UNSDCode {
			d.Recoded = append(d.Recoded, ind.Code)
		}
	}
	for _, ind := range old.Indicators {
		if !newInd[ind.Code] {
			d.Removed = append(d.Removed, ind.Code)
		}
	}
	oldT := map[string]string{}
	for _, t := range old.Targets {
		oldT[t.Code] = t.Title
	}
	for _, t := range f.Targets {
		if o, ok := oldT[t.Code]; ok && o != t.Title {
			d.TargetsRetitled = append(d.TargetsRetitled, t.Code)
		}
	}
	sort.Strings(d.Removed)
	return d
}
