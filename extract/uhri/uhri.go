package uhri

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/extract/norm"
	"github.com/nmirf/nmirf/models"
)

// annotation is one UHRI record as either export gives it, before mapping.
type annotation struct {
	pos       int    // sheet row (XLSX) or 1-based array index (JSON)
	rawText   string // as exported (HTML in the JSON export)
	text      string // plain text
	typ       string
	countries []string
	body      []string
	session   int
	cycle     int
	symbol    string
	states    []string
	positions []string
	themes    []string
	persons   []string
	sdgs      []string
	date      string // as exported
	dateIsNum bool   // an Excel serial
	id        string
}

// fieldNames names the columns (XLSX) or keys (JSON) of an export in
// rejections, so that a user can find the cell at fault.
type fieldNames struct {
	text, countries, body, date, unit string
}

var (
	xlsxFields = fieldNames{text: colText, countries: colCountries, body: colBody, date: colDate, unit: "row"}
	jsonFields = fieldNames{text: "Text", countries: "Countries", body: "Body", date: "PublicationDate", unit: "record"}
)

// uprParaRe matches the paragraph number UHRI puts before UPR texts
// ("26.178 Ratify …").
var uprParaRe = regexp.MustCompile(`^\s*(\d{1,3}(?:\.\d{1,3})+)\.?\s+`)

// mapper turns annotations into records and collects what went wrong.
type mapper struct {
	format string
	in     *extract.Input
	names  fieldNames
	res    extract.Result
	// skipped counts annotations of types that are neither recommendations
	// nor concerns, by type, for one warning each at the end.
	skipped map[string]int
}

func newMapper(format string, in *extract.Input, names fieldNames) *mapper {
	return &mapper{format: format, in: in, names: names, skipped: map[string]int{}}
}

func (m *mapper) reject(pos int, field, msg string) {
	m.res.Rejected = append(m.res.Rejected, models.RowError{File: m.in.Path, Row: pos, Field: field, Msg: msg})
}

func (m *mapper) warn(pos int, format string, a ...any) {
	m.res.Warnings = append(m.res.Warnings, fmt.Sprintf("%s %s %d: %s", m.in.Path, m.names.unit, pos, fmt.Sprintf(format, a...)))
}

// kind maps UHRI's annotation type; ok is false for types nmirf does not
// import ("Others": positive aspects, introductions and the like).
func kind(typ string) (string, bool) {
	switch k := strings.ToLower(strings.TrimSpace(strings.TrimLeft(typ, "-– "))); k {
	case "", "recommendations", "recommendation":
		// Exports made before UHRI added the Type column hold recommendations only.
		return models.KindRecommendation, true
	case "concerns/observations", "concerns", "observations", "concern", "concerns / observations":
		return models.KindConcern, true
	}
	return "", false
}

func (m *mapper) add(a annotation) {
	k, ok := kind(a.typ)
	if !ok {
		if m.skipped == nil {
			m.skipped = map[string]int{}
		}
		m.skipped[strings.TrimSpace(a.typ)]++
		return
	}
	text := cleanText(a.text)
	if text == "" {
		m.reject(a.pos, m.names.text, "no text")
		return
	}
	mech, body, ok := m.body(a)
	if !ok {
		return
	}
	r := models.Recommendation{
		Kind:      k,
		Mechanism: mech,
		Body:      body,
		Symbol:    strings.TrimSpace(a.symbol),
		Session:   a.session,
		Cycle:     a.cycle,
	}
	if mech == models.MechanismUPR {
		if r.Cycle == 0 {
			r.Cycle = norm.UPRCycle(r.Session)
		}
		if p := uprParaRe.FindStringSubmatch(text); p != nil {
			r.Paragraph = p[1]
			text = text[len(p[0]):]
		}
		rest, trailing := models.SplitTrailingStates(text)
		text = strings.TrimRight(rest, ";, ")
		states := a.states
		if len(states) == 0 && trailing != "" {
			states = models.SplitStateList(trailing)
		}
		r.RecommendingStates = m.states(a.pos, states)
		m.response(&r, a.positions)
	}
	r.Text = text
	r.Date = m.date(a)
	r.Labels = m.labels(a)

	if len(a.countries) == 0 {
		m.reject(a.pos, m.names.countries, "no country concerned (a regional or thematic record)")
		return
	}
	for i, c := range a.countries {
		iso3, ok := norm.Country(c)
		if !ok {
			m.reject(a.pos, m.names.countries, fmt.Sprintf("unknown country %q", c))
			continue
		}
		rec := r
		rec.CountryISO3, rec.CountryName = iso3, c
		rec.RecommendingStates = append([]string(nil), r.RecommendingStates...)
		rec.Labels = append([]models.Label(nil), r.Labels...)
		loc := fmt.Sprintf("%s %d", m.names.unit, a.pos)
		if len(a.countries) > 1 {
			loc += fmt.Sprintf(" country %d", i+1)
		}
		rec.Sources = []models.Source{{Format: m.format, File: m.in.Name, FileSHA256: m.in.SHA256,
			Locator: loc, SourceID: strings.TrimSpace(a.id), RawText: a.rawText}}
		m.res.Records = append(m.res.Records, rec)
	}
}

// body picks the first value of the body cell nmirf knows: the export may
// add "Special Procedures" after a mandate.
func (m *mapper) body(a annotation) (models.Mechanism, string, bool) {
	for _, b := range a.body {
		if mech, code, ok := norm.Body(b); ok {
			return mech, code, true
		}
	}
	if len(a.body) == 0 {
		m.reject(a.pos, m.names.body, "no recommending body")
	} else {
		m.reject(a.pos, m.names.body, fmt.Sprintf("unknown body %q", strings.Join(a.body, "; ")))
	}
	return "", "", false
}

func (m *mapper) states(pos int, names []string) []string {
	var out []string
	for _, s := range names {
		iso3, ok := norm.Country(s)
		if !ok {
			m.warn(pos, "recommending State %q is unknown; left out", s)
			continue
		}
		out = append(out, iso3)
	}
	sort.Strings(out)
	return dedupe(out)
}

// response keeps the position as written; several differing positions on
// one annotation (a recommendation split in two) are "other".
func (m *mapper) response(r *models.Recommendation, positions []string) {
	if len(positions) == 0 {
		return
	}
	r.ResponseRaw = strings.Join(positions, "; ")
	r.Response = norm.Response(positions[0])
	for _, p := range positions[1:] {
		if norm.Response(p) != r.Response {
			r.Response = models.ResponseOther
		}
	}
}

func (m *mapper) date(a annotation) string {
	raw := strings.TrimSpace(a.date)
	if raw == "" {
		return ""
	}
	var d string
	var err error
	if a.dateIsNum {
		d, err = norm.ExcelDate(raw)
	} else {
		d, err = norm.Date(raw)
	}
	if err != nil {
		m.warn(a.pos, "%s: %v; date left empty", m.names.date, err)
		return ""
	}
	return d
}

func (m *mapper) labels(a annotation) []models.Label {
	var out []models.Label
	seen := map[models.Label]bool{}
	addL := func(scheme, v string) {
		l := models.Label{Scheme: scheme, Value: v, Source: m.format}
		if v != "" && !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	for _, t := range a.themes {
		addL(models.SchemeUHRITheme, t)
	}
	for _, s := range a.sdgs {
		addL(models.SchemeUHRISDG, sdgCode(s))
	}
	for _, p := range a.persons {
		addL(models.SchemeAffectedPersons, p)
	}
	return out
}

// sdgCode keeps the goal or target code of a UHRI SDG label:
// "8.7 - End modern slavery…" gives "8.7", "16 - PEACE…" gives "16".
func sdgCode(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, " - "); i > 0 {
		return strings.TrimSpace(s[:i])
	}
	if i := strings.IndexAny(s, " -"); i > 0 && isCode(s[:i]) {
		return s[:i]
	}
	return s
}

func isCode(s string) bool {
	if s == "" || s[0] < '0' || s[0] > '9' {
		return false
	}
	return strings.Trim(s, "0123456789.abcdefghij") == ""
}

// finish turns the skip counts into warnings; the Result is then complete.
func (m *mapper) finish() *extract.Result {
	var types []string
	for t := range m.skipped {
		types = append(types, t)
	}
	sort.Strings(types)
	for _, t := range types {
		m.res.Warnings = append(m.res.Warnings, fmt.Sprintf("%s: skipped %d annotation(s) of type %q, which are neither recommendations nor concerns",
			m.in.Path, m.skipped[t], t))
	}
	return &m.res
}

// splitList reads a multi-valued cell: one value a line, each after "- ".
func splitList(cell string) []string {
	var out []string
	for _, line := range strings.Split(extract.NormaliseNewlines(cell), "\n") {
		if v := cleanItem(line); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func cleanItem(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimLeft(s, "-–•")
	return cleanText(s)
}

// cleanText is models.CleanText, which leaves alone, and is not asked
// about, the text of most of an export's values and many of its texts:
// plain ASCII with no control character and single spaces between words.
func cleanText(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || c < 0x20 || c == ' ' && (i == 0 || i == len(s)-1 || s[i+1] == ' ') {
			return models.CleanText(s)
		}
	}
	return s
}

func cleanList(items []string) []string {
	var out []string
	for _, s := range items {
		if v := cleanItem(s); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// firstInt reads the number in "- 31 Session", "31st session" or "3".
func firstInt(s string) int {
	start := strings.IndexAny(s, "0123456789")
	if start < 0 {
		return 0
	}
	end := start
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	n, _ := strconv.Atoi(s[start:end])
	return n
}

func dedupe(sorted []string) []string {
	out := sorted[:0]
	for i, s := range sorted {
		if i == 0 || s != sorted[i-1] {
			out = append(out, s)
		}
	}
	return out
}

// guard turns a panic in a third-party parser into an error for the file.
func guard(in *extract.Input, err *error) {
	if p := recover(); p != nil {
		*err = models.InputError(in.Path, fmt.Errorf("parser failed: %v", p))
	}
}
