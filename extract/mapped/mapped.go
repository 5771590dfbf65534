package mapped

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/extract/norm"
	"github.com/nmirf/nmirf/models"
)

// Importer reads a CSV or XLSX table through the mapping file named by
// extract.Options.MappingPath.
type Importer struct{}

// Name implements extract.Importer.
func (Importer) Name() string { return "mapped" }

// Sniff implements extract.Importer. Any table could be meant for a
// mapping, so the format is only ever chosen by name.
func (Importer) Sniff(*extract.Input) int { return 0 }

// Import implements extract.Importer.
func (im Importer) Import(ctx context.Context, in *extract.Input, opt extract.Options) (res *extract.Result, err error) {
	if opt.MappingPath == "" {
		return nil, models.UsageError("format mapped needs a mapping file (--mapping FILE)")
	}
	m, err := LoadMapping(opt.MappingPath)
	if err != nil {
		return nil, &models.Error{Code: models.ExitUsage, Err: err}
	}
	return im.ImportWith(ctx, in, m)
}

// ImportWith imports in with a mapping already loaded.
func (im Importer) ImportWith(ctx context.Context, in *extract.Input, m *Mapping) (res *extract.Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = models.InputError(in.Path, fmt.Errorf("parser failed: %v", p))
		}
	}()
	t, issues, err := readTable(in, m.Options)
	if err != nil {
		return nil, models.InputError(in.Path, err)
	}
	cols, err := resolve(t, m)
	if err != nil {
		return nil, models.InputError(in.Path, err)
	}
	res = &extract.Result{}
	for _, is := range issues {
		res.Rejected = append(res.Rejected, models.RowError{File: in.Path, Row: is.Line, Field: is.Field, Msg: is.Msg})
	}
	rm := rowMapper{in: in, m: m, cols: cols, header: t.Header, res: res}
	for _, row := range t.Rows {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rm.row(row)
	}
	return res, nil
}

// resolve finds each mapped column in the header; a missing one is an
// error that names the mapping key and the column.
func resolve(t *extract.Table, m *Mapping) (map[string]int, error) {
	cols := map[string]int{}
	var missing []string
	for _, kv := range m.mapped() {
		if same := t.ColsNamed(kv[1]); len(same) > 1 {
			return nil, fmt.Errorf("duplicated column header %q (columns %d and %d), which the mapping reads as %s: name each column once",
				strings.TrimSpace(kv[1]), same[0]+1, same[1]+1, kv[0])
		}
		i := t.Col(kv[1])
		if i < 0 {
			missing = append(missing, fmt.Sprintf("%s = %q", kv[0], kv[1]))
			continue
		}
		cols[kv[0]] = i
	}
	if len(missing) > 0 {
		from := ""
		if m.path != "" {
			from = " of mapping " + m.path
		}
		return nil, fmt.Errorf("column(s)%s not in the file: %s (the file has %s)",
			from, strings.Join(missing, ", "), quoteAll(t.Header))
	}
	return cols, nil
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}

type rowMapper struct {
	in     *extract.Input
	m      *Mapping
	cols   map[string]int
	header []string
	res    *extract.Result
}

func (rm *rowMapper) get(row extract.Row, key string) string {
	i, ok := rm.cols[key]
	if !ok {
		return ""
	}
	return strings.TrimSpace(row.Get(i))
}

// colName names the column behind a key in a rejection.
func (rm *rowMapper) colName(key string) string {
	if i, ok := rm.cols[key]; ok && i < len(rm.header) {
		return rm.header[i]
	}
	return key
}

func (rm *rowMapper) reject(row extract.Row, key, msg string) {
	rm.res.Rejected = append(rm.res.Rejected, models.RowError{File: rm.in.Path, Row: row.Line, Field: rm.colName(key), Msg: msg})
}

func (rm *rowMapper) warn(row extract.Row, format string, a ...any) {
	rm.res.Warnings = append(rm.res.Warnings, fmt.Sprintf("%s row %d: %s", rm.in.Path, row.Line, fmt.Sprintf(format, a...)))
}

func or(v, def string) string {
	if v == "" {
		return strings.TrimSpace(def)
	}
	return v
}

// leadParaRe matches a paragraph number before a text ("12. The State
// party…", "115.16 Ratify…"); a capital letter must follow so that "16 days
// of activism" keeps its number.
var leadParaRe = regexp.MustCompile(`^(\d{1,3}(?:\.\d{1,3})*)\.?\s+\p{Lu}`)

func (rm *rowMapper) row(row extract.Row) {
	d := rm.m.Defaults
	raw := rm.get(row, "text")
	if len(raw) > extract.MaxFieldSize {
		rm.reject(row, "text", fmt.Sprintf("text is %d bytes, over the %d-byte limit", len(raw), extract.MaxFieldSize))
		return
	}
	text := models.CleanText(raw)
	if text == "" {
		rm.reject(row, "text", "no text")
		return
	}
	kind, ok := kindOf(or(rm.get(row, "kind"), d.Kind))
	if !ok {
		rm.reject(row, "kind", fmt.Sprintf("kind %q is neither a recommendation nor a concern", rm.get(row, "kind")))
		return
	}
	countryRaw := or(rm.get(row, "country"), d.Country)
	iso3, ok := norm.Country(countryRaw)
	if !ok {
		msg := fmt.Sprintf("unknown country %q", countryRaw)
		if countryRaw == "" {
			msg = "no country (map a column or set defaults.country)"
		}
		rm.reject(row, "country", msg)
		return
	}
	mech, body, ok := rm.body(row)
	if !ok {
		return
	}
	r := models.Recommendation{
		Kind: kind, CountryISO3: iso3, CountryName: countryRaw, Mechanism: mech, Body: body,
		Symbol: or(rm.get(row, "symbol"), d.Symbol), Paragraph: rm.get(row, "paragraph"),
		Heading: models.CleanText(rm.get(row, "heading")),
	}
	if p := leadParaRe.FindStringSubmatch(text); p != nil {
		if r.Paragraph == "" {
			r.Paragraph = p[1]
		}
		text = strings.TrimSpace(text[len(p[0])-len(lastRune(p[0])):])
	}
	statesRaw := rm.get(row, "recommending_states")
	if mech == models.MechanismUPR {
		rest, trailing := models.SplitTrailingStates(text)
		if trailing != "" {
			text = strings.TrimRight(rest, ";, ")
			if statesRaw == "" {
				statesRaw = trailing
			}
		}
	}
	r.Text = text
	for _, s := range rm.split(statesRaw, true) {
		if c, ok := norm.Country(s); ok {
			r.RecommendingStates = append(r.RecommendingStates, c)
		} else {
			rm.warn(row, "recommending State %q is unknown; left out", s)
		}
	}
	if s := rm.get(row, "session"); s != "" {
		n, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.ToLower(s), "session")))
		if err != nil {
			rm.warn(row, "session %q is not a number; left out", s)
		}
		r.Session = n
	}
	if mech == models.MechanismUPR {
		r.Cycle = norm.UPRCycle(r.Session)
	}
	if resp := rm.get(row, "response"); resp != "" {
		r.ResponseRaw, r.Response = resp, norm.Response(resp)
	}
	if date, err := norm.Date(or(rm.get(row, "date"), d.Date)); err != nil {
		rm.warn(row, "%s: %v; date left empty", rm.colName("date"), err)
	} else {
		r.Date = date
	}
	for _, kv := range rm.m.mapped() {
		scheme, ok := strings.CutPrefix(kv[0], "labels.")
		if !ok {
			continue
		}
		for _, v := range rm.split(rm.get(row, kv[0]), false) {
			r.Labels = append(r.Labels, models.Label{Scheme: scheme, Value: v, Source: "mapped"})
		}
	}
	r.Sources = []models.Source{{Format: "mapped", File: rm.in.Name, FileSHA256: rm.in.SHA256,
		Locator: fmt.Sprintf("row %d", row.Line), SourceID: rm.get(row, "id"), RawText: raw}}
	rm.res.Records = append(rm.res.Records, r)
	rm.followup(row, r)
}

// followup reads a tracking sheet's follow-up columns of a row whose
// recommendation was read: the entity confirms the lead, the action is
// linked, the status becomes a status update. A bad status or date rejects
// the update, not the recommendation.
func (rm *rowMapper) followup(row extract.Row, r models.Recommendation) {
	f := rm.m.Columns.Followup
	if f == (FollowupColumns{}) {
		return
	}
	if rm.res.Followup == nil {
		rm.res.Followup = &models.Followup{File: rm.in.Path}
	}
	fu := rm.res.Followup
	id := r
	id.Normalize()
	recID := models.RecID(&id)
	src := models.FollowupSource{Format: "mapped", File: rm.in.Path, Row: row.Line, SHA256: rm.in.SHA256}
	entity := rm.get(row, "followup.entity")
	if entity != "" {
		fu.Reviews = append(fu.Reviews, models.ReviewedLabel{RecID: recID, Scheme: models.ReviewLeadEntity, Labels: []string{entity}, Source: src})
	}
	if title := models.CleanText(rm.get(row, "followup.action")); title != "" {
		a := models.Action{CountryISO3: r.CountryISO3, Title: title, LeadEntity: entity, RecIDs: []string{recID}, Source: src}
		a.ActionID = models.ActionKey(r.CountryISO3, title)
		fu.Actions = append(fu.Actions, a)
	}
	raw := rm.get(row, "followup.status")
	text, evidence := rm.get(row, "followup.update"), rm.get(row, "followup.evidence")
	if raw == "" {
		if text != "" || evidence != "" {
			rm.reject(row, "followup.status", "an update needs a status")
		}
		return
	}
	st, err := models.ParseStatus(raw)
	if err != nil {
		rm.reject(row, "followup.status", err.Error())
		return
	}
	date, err := norm.Date(rm.get(row, "followup.date"))
	switch {
	case err != nil:
		rm.reject(row, "followup.date", err.Error())
		return
	case date == "":
		rm.reject(row, "followup.date", "a status needs the date it applies to")
		return
	case date > time.Now().Format(time.DateOnly):
		rm.reject(row, "followup.date", "date "+date+" is in the future")
		return
	}
	for _, c := range []string{text, evidence} {
		if c != "" && strings.ContainsAny(c[:1], "=+@") {
			rm.reject(row, "followup.update", fmt.Sprintf("cell starts with %q, as a spreadsheet formula would; not imported", c[:1]))
			return
		}
	}
	fu.Updates = append(fu.Updates, models.StatusUpdate{RecID: recID, Status: st, StatusRaw: raw, Date: date, Text: text, EvidenceURL: evidence,
		ReportingEntity: entity, Source: src})
}

func lastRune(s string) string {
	if s == "" {
		return ""
	}
	rs := []rune(s)
	return string(rs[len(rs)-1])
}

// body reads the mechanism and body of a row from its cells, else from the
// defaults. A body nmirf does not know is kept as written when the
// mechanism is given.
func (rm *rowMapper) body(row extract.Row) (models.Mechanism, string, bool) {
	d := rm.m.Defaults
	rawBody := or(rm.get(row, "body"), d.Body)
	rawMech := or(rm.get(row, "mechanism"), d.Mechanism)
	mech, known := mechanisms[strings.ToUpper(rawMech)]
	if rawMech != "" && !known {
		rm.reject(row, "mechanism", fmt.Sprintf("mechanism %q is none of UPR, TB, SP, REGIONAL, OTHER", rawMech))
		return "", "", false
	}
	if m, code, ok := norm.Body(rawBody); ok {
		if !known {
			mech = m
		}
		return mech, code, true
	}
	switch {
	case rawBody == "" && mech == models.MechanismUPR:
		return mech, "UPR", true
	case rawBody == "":
		rm.reject(row, "body", "no body (map a column or set defaults.body)")
	case !known:
		rm.reject(row, "body", fmt.Sprintf("unknown body %q (set defaults.mechanism to keep it as written)", rawBody))
	default:
		return mech, models.CleanText(rawBody), true
	}
	return "", "", false
}

// split cuts a list cell on the list separator and on line breaks; State
// lists are also cut on commas and "and".
func (rm *rowMapper) split(cell string, states bool) []string {
	if cell == "" {
		return nil
	}
	cell = strings.ReplaceAll(extract.NormaliseNewlines(cell), rm.m.separator(), "\n")
	if states {
		return models.SplitStateList(cell)
	}
	var out []string
	seen := map[string]bool{}
	for _, p := range strings.Split(cell, "\n") {
		p = models.CleanText(strings.TrimLeft(strings.TrimSpace(p), "-–•"))
		if p != "" && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// readTable reads a CSV or XLSX input by its content.
func readTable(in *extract.Input, o Options) (*extract.Table, []extract.RowIssue, error) {
	switch k := in.Kind(); k {
	case extract.KindZip:
		t, err := readSheet(in, o)
		return t, nil, err
	case extract.KindText:
		return readCSV(in, o.HeaderRow)
	case extract.KindHTML:
		return nil, nil, errors.New("file is an HTML page, not a CSV or XLSX table")
	default:
		return nil, nil, fmt.Errorf("file is %s data, not a CSV or XLSX table", k)
	}
}

// readCSV drops the lines above the header row, then reads the rest as
// extract.ReadCSV does, keeping line numbers true to the file.
func readCSV(in *extract.Input, headerRow int) (*extract.Table, []extract.RowIssue, error) {
	if headerRow <= 1 {
		return extract.ReadCSV(in)
	}
	text, _, err := in.Text()
	if err != nil {
		return nil, nil, err
	}
	skip := headerRow - 1
	for i := 0; i < skip; i++ {
		j := strings.IndexByte(text, '\n')
		if j < 0 {
			return nil, nil, fmt.Errorf("file has fewer than %d lines; no header row", headerRow)
		}
		text = text[j+1:]
	}
	sub, err := extract.NewInput(in.Path, []byte(text))
	if err != nil {
		return nil, nil, err
	}
	t, issues, err := extract.ReadCSV(sub)
	if err != nil {
		return nil, nil, err
	}
	for i := range t.Rows {
		t.Rows[i].Line += skip
	}
	for i := range issues {
		issues[i].Line += skip
	}
	return t, issues, nil
}

// readSheet reads one worksheet with its header at the configured row.
func readSheet(in *extract.Input, o Options) (*extract.Table, error) {
	f, err := extract.OpenWorkbook(in.Data)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, errors.New("workbook has no sheets")
	}
	name := sheets[0]
	if o.Sheet != "" {
		name = ""
		for _, s := range sheets {
			if strings.EqualFold(strings.TrimSpace(s), strings.TrimSpace(o.Sheet)) {
				name = s
			}
		}
		if name == "" {
			return nil, fmt.Errorf("workbook has no sheet %q (it has %s)", o.Sheet, quoteAll(sheets))
		}
	}
	rows, err := f.Rows(name)
	if err != nil {
		return nil, fmt.Errorf("sheet %q: %w", name, err)
	}
	defer rows.Close()
	t := &extract.Table{}
	for n := 1; rows.Next(); n++ {
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, fmt.Errorf("sheet %q row %d: %w", name, n, err)
		}
		if n > extract.MaxRows {
			return nil, fmt.Errorf("sheet %q has over %d rows, Excel's own limit", name, extract.MaxRows)
		}
		if len(cells) > extract.MaxColumns {
			return nil, fmt.Errorf("sheet %q row %d: %d columns, over the limit of %d (Excel's own)", name, n, len(cells), extract.MaxColumns)
		}
		empty := strings.TrimSpace(strings.Join(cells, "")) == ""
		switch {
		case t.Header == nil && (o.HeaderRow > 0 && n == o.HeaderRow || o.HeaderRow == 0 && !empty):
			for i := range cells {
				cells[i] = strings.TrimSpace(cells[i])
			}
			t.Header = cells
		case t.Header != nil && !empty:
			t.Rows = append(t.Rows, extract.Row{Line: n, Fields: cells})
		}
	}
	if err := rows.Error(); err != nil {
		return nil, fmt.Errorf("sheet %q: %w", name, err)
	}
	if t.Header == nil {
		return nil, fmt.Errorf("sheet %q has no header row", name)
	}
	return t, nil
}
