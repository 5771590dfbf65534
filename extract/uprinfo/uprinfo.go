package uprinfo

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"html"
	"strconv"
	"strings"

	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/extract/norm"
	"github.com/nmirf/nmirf/models"
)

// Importer reads the UPR Info database export in one of its two file forms.
type Importer struct {
	name string
	xls  bool
}

var (
	// CSV reads the export as CSV: MacRoman with CR line ends as UPR Info
	// writes it, or re-saved as UTF-8 with LF or CRLF.
	CSV = &Importer{name: "upr-info-csv"}
	// XLS reads the export as a legacy BIFF8 .xls workbook (first sheet).
	XLS = &Importer{name: "upr-info-xls", xls: true}
)

var _ extract.Importer = CSV

// Name returns the format name.
func (im *Importer) Name() string { return im.name }

// column is one export column with the header names it goes by: the CSV
// export says "To", "Text", "From"; the .xls export says "SuR",
// "Recommendation", "RS".
type column struct {
	field string
	names []string
}

var columns = []column{
	{"To", []string{"To", "SuR", "State under Review"}},
	{"Text", []string{"Text", "Recommendation"}},
	{"From", []string{"From", "RS", "Recommending State"}},
	{"Response", []string{"Response"}},
	{"Action", []string{"Action"}},
	{"Issue", []string{"Issue", "Issues"}},
	{"Session", []string{"Session"}},
}

// colIndex maps each column's field name to its index in a table.
type colIndex map[string]int

// findColumns locates the columns in a header and names those missing.
func findColumns(t *extract.Table) (colIndex, []string) {
	idx := colIndex{}
	var missing []string
	for _, c := range columns {
		i := t.Col(c.names...)
		if i < 0 {
			missing = append(missing, c.field)
			continue
		}
		idx[c.field] = i
	}
	return idx, missing
}

// duplicated finds a header of a column the importer reads that names two
// columns (the .xls export's two "Rgrp" columns are not read and do not
// count): which holds the data cannot be told.
func duplicated(t *extract.Table) (name string, first, second int) {
	for _, c := range columns {
		for _, n := range c.names {
			if same := t.ColsNamed(n); len(same) > 1 {
				return strings.TrimSpace(t.Header[same[0]]), same[0] + 1, same[1] + 1
			}
		}
	}
	return "", 0, 0
}

// Sniff recognises the export by its header: high when all seven columns are
// there, low when only some are.
func (im *Importer) Sniff(in *extract.Input) int {
	kind := in.Kind()
	var header []string
	switch {
	case im.xls && kind == extract.KindOLE2:
		t, err := readXLS(in.Data)
		if err != nil {
			return 0
		}
		header = t.Header
	case !im.xls && kind == extract.KindText:
		header = csvHeader(in.Data)
	default:
		return 0
	}
	_, missing := findColumns(&extract.Table{Header: header})
	switch {
	case len(missing) == 0:
		return 95
	case len(missing) <= 2:
		return 40
	}
	return 0
}

// csvHeader parses the first line of a text file as a CSV header.
func csvHeader(data []byte) []string {
	head := data
	if len(head) > 4096 {
		head = head[:4096]
	}
	text, _, err := extract.DecodeText(head)
	if err != nil {
		return nil
	}
	line, _, _ := strings.Cut(strings.TrimPrefix(text, "\ufeff"), "\n")
	r := csv.NewReader(strings.NewReader(line))
	// Re-saved exports may use the delimiter of the saving locale, as
	// extract.ReadCSV accepts.
	for _, d := range []rune{';', '\t'} {
		if strings.Count(line, string(d)) > strings.Count(line, string(r.Comma)) {
			r.Comma = d
		}
	}
	rec, err := r.Read()
	if err != nil {
		return nil
	}
	return rec
}

// Import reads every row of the export. A row with no text, an unknown
// country, or a session that is not a number is rejected; an action outside
// 1–5 or an unknown issue costs only a warning.
func (im *Importer) Import(ctx context.Context, in *extract.Input, _ extract.Options) (*extract.Result, error) {
	if len(in.Data) == 0 {
		return nil, models.InputError(in.Path, errors.New("file is empty"))
	}
	var (
		t      *extract.Table
		issues []extract.RowIssue
		err    error
	)
	if im.xls {
		t, err = im.readXLS(in)
	} else {
		t, issues, err = extract.ReadCSV(in)
	}
	if err != nil {
		return nil, models.InputError(in.Path, fmt.Errorf("import as %s: %w", im.name, err))
	}
	if name, a, b := duplicated(t); name != "" {
		return nil, models.InputError(in.Path, fmt.Errorf("import as %s: duplicated column header %q (columns %d and %d): name each column once", im.name, name, a, b))
	}
	idx, missing := findColumns(t)
	if len(missing) > 0 {
		return nil, models.InputError(in.Path, fmt.Errorf("import as %s: missing required column(s) %s (header is %s)",
			im.name, strings.Join(missing, ", "), strings.Join(t.Header, ", ")))
	}
	res := &extract.Result{}
	for _, is := range issues {
		res.Rejected = append(res.Rejected, models.RowError{File: in.Path, Row: is.Line, Field: is.Field, Msg: is.Msg})
	}
	var noStates []int
	for _, row := range t.Rows {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rec, warns, rerr := im.record(in, t, idx, row)
		if rerr != nil {
			res.Rejected = append(res.Rejected, *rerr)
			continue
		}
		if len(rec.RecommendingStates) == 0 {
			noStates = append(noStates, row.Line)
		}
		res.Warnings = append(res.Warnings, warns...)
		res.Records = append(res.Records, rec)
	}
	if len(noStates) > 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%s: %d row(s) name no recommending State (From empty or \"(Unknown)\"), kept without one: rows %s",
			in.Path, len(noStates), joinInts(noStates, 20)))
	}
	return res, nil
}

func (im *Importer) readXLS(in *extract.Input) (*extract.Table, error) {
	switch k := in.Kind(); k {
	case extract.KindOLE2:
	case extract.KindHTML:
		return nil, errors.New("file is an HTML page, not an .xls workbook")
	default:
		return nil, fmt.Errorf("file is %s data, not an .xls workbook (OLE2)", k)
	}
	t, err := readXLS(in.Data)
	if err != nil {
		return nil, err
	}
	if t.Header == nil {
		return nil, errors.New("first worksheet is empty")
	}
	return t, nil
}

// record turns one row into a recommendation, or says why it cannot.
func (im *Importer) record(in *extract.Input, t *extract.Table, idx colIndex, row extract.Row) (models.Recommendation, []string, *models.RowError) {
	reject := func(field, format string, a ...any) (models.Recommendation, []string, *models.RowError) {
		name := field
		if i, ok := idx[field]; ok {
			name = t.Header[i]
		}
		return models.Recommendation{}, nil, &models.RowError{File: in.Path, Row: row.Line, Field: name, Msg: fmt.Sprintf(format, a...)}
	}
	// A row cut short is a truncated file or a broken quote, not a row whose
	// last cells happen to be empty: the export always writes every column.
	if len(row.Fields) < len(t.Header) {
		return reject("", "row has %d of the header's %d fields (file cut short or a broken quote?)", len(row.Fields), len(t.Header))
	}
	get := func(field string) string {
		return strings.TrimSpace(html.UnescapeString(row.Get(idx[field])))
	}
	raw := row.Get(idx["Text"])
	text := models.CleanText(html.UnescapeString(raw))
	if text == "" {
		return reject("Text", "recommendation text is empty")
	}
	to := get("To")
	iso, ok := norm.Country(to)
	if !ok {
		return reject("To", "unknown country %q", to)
	}
	var states []string
	if from := get("From"); from != "" && !noState(from) {
		names := []string{from}
		// Most rows name one State; only split when the whole is no name,
		// so that names holding "and" or a comma stay whole.
		if s, ok := norm.Country(from); ok {
			states = []string{s}
			names = nil
		} else {
			names = models.SplitStateList(from)
		}
		for _, name := range names {
			s, ok := norm.Country(name)
			if !ok {
				return reject("From", "unknown recommending State %q", name)
			}
			if !contains(states, s) {
				states = append(states, s)
			}
		}
	}
	sess := get("Session")
	session, err := strconv.Atoi(sess)
	if err != nil || session < 1 {
		if f, ferr := strconv.ParseFloat(sess, 64); ferr == nil && f >= 1 && f == float64(int(f)) {
			session = int(f) // a spreadsheet may store the session as 5.0
		} else {
			return reject("Session", "session %q is not a positive whole number", sess)
		}
	}
	respRaw := get("Response")
	rec := models.Recommendation{
		Kind:               models.KindRecommendation,
		Text:               text,
		CountryISO3:        iso,
		CountryName:        to,
		Mechanism:          models.MechanismUPR,
		Body:               "UPR",
		Session:            session,
		Cycle:              norm.UPRCycle(session),
		Response:           norm.Response(respRaw),
		ResponseRaw:        respRaw,
		RecommendingStates: states,
		Sources: []models.Source{{
			Format:     im.name,
			File:       in.Name,
			FileSHA256: in.SHA256,
			Locator:    "row " + strconv.Itoa(row.Line),
			RawText:    raw,
		}},
	}
	var warns []string
	issues, unknown := splitIssues(get("Issue"))
	for _, is := range issues {
		rec.Labels = append(rec.Labels, models.Label{Scheme: models.SchemeUPRInfoIssue, Value: is, Source: im.name})
	}
	for _, u := range unknown {
		warns = append(warns, fmt.Sprintf("%s row %d: issue %q is not a known UPR Info issue; kept as written", in.Path, row.Line, u))
	}
	action := get("Action")
	if a, err := strconv.Atoi(action); err == nil && a >= 1 && a <= 5 {
		rec.ActionCategory = a
		rec.Labels = append(rec.Labels, models.Label{Scheme: models.SchemeUPRInfoAction, Value: strconv.Itoa(a), Source: im.name})
	} else {
		warns = append(warns, fmt.Sprintf("%s row %d: action %q is not a UPR Info action category 1–5; kept without one", in.Path, row.Line, action))
	}
	return rec, warns, nil
}

// noState tells the export's marker for a recommendation no State is
// credited with ("&#40;Unknown&#41;" in the file, unescaped before this).
func noState(from string) bool {
	f := strings.ToLower(strings.Trim(from, "() "))
	return f == "unknown" || f == "n/a" || f == "none"
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func joinInts(ns []int, limit int) string {
	var b strings.Builder
	for i, n := range ns {
		if i == limit {
			fmt.Fprintf(&b, ", … (%d more)", len(ns)-limit)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(n))
	}
	return b.String()
}
