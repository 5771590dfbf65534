package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/text/encoding/charmap"

	"github.com/nmirf/nmirf/extract/norm"
	"github.com/nmirf/nmirf/models"
)

// uprText is one real UPR recommendation: the text without paragraph number
// or recommending States, who made it, and the position taken.
type uprText struct {
	text     string
	states   []string
	position string
}

// country is a State under review with its UHRI region and how many UPR
// Info recommendations it received, which sets how often it is drawn.
type country struct {
	name, iso3, region string
	weight             int
	firstSession       int // its first-cycle UPR session (1–12)
}

// weighted is a vocabulary drawn from by its UHRI counts.
type weighted struct {
	values []string
	cum    []int // running totals of the counts
}

// sources holds everything the generator resamples from.
type sources struct {
	upr        []uprText // UPR Info and the OHCHR matrices
	tbRec      []string  // "The State party should …" paragraphs and their sub-paragraphs
	tbConcern  []string  // "The Committee is concerned …" paragraphs
	countries  []country
	themes     weighted
	sdgs       weighted
	persons    weighted
	uprInfoN   int // recommendations read from UPR Info
	matricesN  int // from the matrices
	countriesN int
}

// Paths inside the shared data folder.
const (
	uprInfoDir  = "upr-info"
	matricesCSV = "uhri-matrices/matrices-parsed.csv"
	tbDir       = "tb-concluding-observations"
	vocabCSV    = "taxonomies/uhri_vocab_2026_from_lszoszk_generalcomments.csv"
)

// uhriRegions maps UPR Info's regional groups to OHCHR's regions as UHRI
// writes them. WEOG straddles several; the importer does not read regions.
var uhriRegions = map[string]string{
	"Africa": "Africa",
	"Asia":   "Asia-Pacific",
	"EEG":    "Europe and Central Asia",
	"GRULAC": "Americas",
	"WEOG":   "Europe and Central Asia",
}

// loadSources reads the real texts and vocabularies under dir.
func loadSources(dir string) (*sources, error) {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("shared data folder %s not found: bench-scale resamples the real texts kept there (set -data or NMIRF_SHARED_DATA)", dir)
	}
	s := &sources{}
	if err := s.readUPRInfo(filepath.Join(dir, uprInfoDir)); err != nil {
		return nil, err
	}
	if err := s.readMatrices(filepath.Join(dir, matricesCSV)); err != nil {
		return nil, err
	}
	if err := s.readConcludingObservations(filepath.Join(dir, tbDir)); err != nil {
		return nil, err
	}
	if err := s.readVocab(filepath.Join(dir, vocabCSV)); err != nil {
		return nil, err
	}
	return s, nil
}

// readCSV reads a whole CSV file after decoding; header names map to indexes.
func readCSV(path string, decode func([]byte) ([]byte, error)) (map[string]int, [][]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", path, err)
	}
	if decode != nil {
		if b, err = decode(b); err != nil {
			return nil, nil, fmt.Errorf("decode %s: %w", path, err)
		}
	}
	rd := csv.NewReader(bytes.NewReader(b))
	rd.FieldsPerRecord = -1
	rows, err := rd.ReadAll()
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(rows) < 2 {
		return nil, nil, fmt.Errorf("read %s: no data rows", path)
	}
	head := map[string]int{}
	for i, h := range rows[0] {
		head[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	return head, rows[1:], nil
}

// cols returns the indexes of names in head, or an error naming the first missing one.
func cols(path string, head map[string]int, names ...string) ([]int, error) {
	out := make([]int, len(names))
	for i, n := range names {
		j, ok := head[n]
		if !ok {
			return nil, fmt.Errorf("read %s: no column %q", path, n)
		}
		out[i] = j
	}
	return out, nil
}

func get(row []string, i int) string {
	if i < len(row) {
		return strings.TrimSpace(row[i])
	}
	return ""
}

// macRoman decodes UPR Info's export: MacRoman with old-Mac CR line ends,
// which encoding/csv does not take as line ends.
func macRoman(b []byte) ([]byte, error) {
	u, err := charmap.Macintosh.NewDecoder().Bytes(b)
	if err != nil {
		return nil, err
	}
	u = bytes.ReplaceAll(u, []byte("\r\n"), []byte("\n"))
	return bytes.ReplaceAll(u, []byte("\r"), []byte("\n")), nil
}

func (s *sources) readUPRInfo(dir string) error {
	files, err := filepath.Glob(filepath.Join(dir, "*.csv"))
	if err != nil || len(files) == 0 {
		return fmt.Errorf("read %s: no UPR Info CSV export found", dir)
	}
	sort.Strings(files)
	type tally struct {
		region  string
		n       int
		session int
	}
	seen := map[string]*tally{}
	var order []string
	for _, f := range files {
		head, rows, err := readCSV(f, macRoman)
		if err != nil {
			return err
		}
		c, err := cols(f, head, "To", "To-Rgrp", "Text", "From", "Response", "Session")
		if err != nil {
			return err
		}
		for i, row := range rows {
			to, text := get(row, c[0]), models.CleanText(get(row, c[2]))
			session, err := strconv.Atoi(get(row, c[5]))
			if to == "" || text == "" || err != nil {
				continue // a repeated header or an empty line
			}
			if _, ok := norm.Country(to); !ok {
				return fmt.Errorf("read %s row %d: unknown country %q", f, i+2, to)
			}
			t := seen[to]
			if t == nil {
				t = &tally{region: uhriRegions[get(row, c[1])], session: session}
				seen[to] = t
				order = append(order, to)
			}
			t.n++
			t.session = min(t.session, session)
			var states []string
			if from := get(row, c[3]); knownState(from) {
				states = []string{from} // not "&#40;Unknown&#41;", which UPR Info writes 9 times
			}
			s.upr = append(s.upr, uprText{text: trimEnd(text), states: states, position: uprInfoPosition(get(row, c[4]))})
			s.uprInfoN++
		}
	}
	sort.Strings(order)
	for _, name := range order {
		t := seen[name]
		iso3, _ := norm.Country(name)
		s.countries = append(s.countries, country{name: name, iso3: iso3, region: t.region, weight: t.n,
			firstSession: min(max(t.session, 1), 12)})
	}
	s.countriesN = len(s.countries)
	return nil
}

// uprInfoPosition writes UPR Info's response as UHRI does.
func uprInfoPosition(r string) string {
	switch strings.ToLower(r) {
	case "accepted":
		return "Supported"
	case "noted":
		return "Noted"
	}
	return r
}

// trimEnd drops the final full stop or semicolon so that a list of States
// can follow, as in UHRI's texts.
func trimEnd(s string) string {
	return strings.TrimRight(strings.TrimSpace(s), ".;, ")
}

func (s *sources) readMatrices(path string) error {
	head, rows, err := readCSV(path, nil)
	if err != nil {
		return err
	}
	c, err := cols(path, head, "text", "recommending_states", "position")
	if err != nil {
		return err
	}
	for _, row := range rows {
		var states []string
		for _, st := range strings.Split(get(row, c[1]), ";") {
			if st = strings.TrimSpace(st); knownState(st) {
				states = append(states, st) // not the "2016–2020" the parser took for a State
			}
		}
		text, trailing := models.SplitTrailingStates(models.CleanText(get(row, c[0])))
		if len(states) == 0 {
			// The parser left the column empty where a State's name has
			// its own parentheses: "(Iran (Islamic Republic of))".
			for _, st := range models.SplitStateList(trailing) {
				if knownState(st) {
					states = append(states, st)
				}
			}
		}
		if trailing == "" && len(states) > 0 {
			text = cutStates(text, states[0])
		}
		if text = trimEnd(text); text == "" {
			continue
		}
		s.upr = append(s.upr, uprText{text: text, states: states, position: get(row, c[2])})
		s.matricesN++
	}
	return nil
}

func knownState(name string) bool {
	_, ok := norm.Country(name)
	return name != "" && ok
}

// cutStates removes a final parenthesis naming state that SplitTrailingStates
// does not take for a list, as in "… (the former Yugoslav Republic of
// Macedonia);", so that the text does not carry its State twice.
func cutStates(text, state string) string {
	body := strings.TrimRight(text, ";., ")
	if !strings.HasSuffix(body, ")") {
		return text
	}
	i := strings.LastIndex(body, "(")
	if i < 0 || !strings.Contains(strings.ToLower(body[i:]), strings.ToLower(state)) {
		return text
	}
	return strings.TrimSpace(body[:i])
}

var (
	coParaRe    = regexp.MustCompile(`^\d{1,3}\.\s+(.{80,})$`)
	coSubParaRe = regexp.MustCompile(`^\([a-z]\)\s+([A-Z].{60,})$`)
)

// readConcludingObservations takes the numbered paragraphs of the Human
// Rights Committee's concluding observations: those that say what the State
// party should do are recommendations (with their lettered sub-paragraphs),
// the others concerns. Lines broken by page headers are taken as they are.
func (s *sources) readConcludingObservations(dir string) error {
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(files) == 0 {
		return fmt.Errorf("read %s: no concluding observations found", dir)
	}
	sort.Strings(files)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return fmt.Errorf("read %s: %w", f, err)
		}
		for _, line := range strings.Split(strings.ReplaceAll(string(b), "\r", ""), "\n") {
			line = models.CleanText(line)
			if m := coSubParaRe.FindStringSubmatch(line); m != nil {
				s.tbRec = append(s.tbRec, trimEnd(m[1]))
				continue
			}
			m := coParaRe.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			if strings.Contains(m[1], "State party should") {
				s.tbRec = append(s.tbRec, m[1])
			} else if strings.Contains(m[1], "concern") || strings.Contains(m[1], "regrets") {
				s.tbConcern = append(s.tbConcern, m[1])
			}
		}
	}
	if len(s.tbRec) == 0 || len(s.tbConcern) == 0 {
		return fmt.Errorf("read %s: found %d recommendation and %d concern paragraphs; expected some of each", dir, len(s.tbRec), len(s.tbConcern))
	}
	return nil
}

func (s *sources) readVocab(path string) error {
	head, rows, err := readCSV(path, nil)
	if err != nil {
		return err
	}
	c, err := cols(path, head, "facet", "value", "count")
	if err != nil {
		return err
	}
	for i, row := range rows {
		n, err := strconv.Atoi(get(row, c[2]))
		if err != nil {
			return fmt.Errorf("read %s row %d: count %q: %w", path, i+2, get(row, c[2]), err)
		}
		var w *weighted
		switch get(row, c[0]) {
		case "theme":
			w = &s.themes
		case "sdg":
			w = &s.sdgs
		case "affected_person":
			w = &s.persons
		default:
			continue
		}
		w.values = append(w.values, get(row, c[1]))
		total := n
		if len(w.cum) > 0 {
			total += w.cum[len(w.cum)-1]
		}
		w.cum = append(w.cum, total)
	}
	for name, w := range map[string]*weighted{"theme": &s.themes, "sdg": &s.sdgs, "affected_person": &s.persons} {
		if len(w.values) == 0 {
			return fmt.Errorf("read %s: no %s values", path, name)
		}
	}
	return nil
}
