package report

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// column is one column of a table: key is its CSV header, for programs;
// title is what a reader sees in a spreadsheet, Markdown or HTML. width is
// the spreadsheet column width in characters; wrap marks long texts that
// wrap instead of running into the next cells.
type column struct {
	key, title string
	width      float64
	wrap       bool
	kind       cellKind
}

type cellKind int

const (
	textCell cellKind = iota
	numberCell
	boolCell // "true"/"false" in CSV, "yes"/"no" for readers
)

// table is one tabular part of a report, written the same way to CSV,
// Markdown and an XLSX sheet.
type table struct {
	name string
	cols []column
	rows [][]string
}

func (t table) keys() []string {
	out := make([]string, len(t.cols))
	for i, c := range t.cols {
		out[i] = c.key
	}
	return out
}

func (t table) titles() []string {
	out := make([]string, len(t.cols))
	for i, c := range t.cols {
		out[i] = c.title
	}
	return out
}

// readable is a row as a reader sees it: booleans as yes/no.
func (t table) readable(row []string) []string {
	out := make([]string, len(row))
	for i, v := range row {
		if i < len(t.cols) && t.cols[i].kind == boolCell {
			v = yesNo(v)
		}
		out[i] = v
	}
	return out
}

func yesNo(v string) string {
	switch v {
	case "true":
		return "yes"
	case "false":
		return "no"
	}
	return v
}

// listText joins a list for one cell; lists are never stored with a
// separator, only shown with one.
func listText(l []string) string { return strings.Join(l, ", ") }

var (
	colISO3        = column{"country_iso3", "ISO3", 6, false, textCell}
	colCountryName = column{"country_name", "Country", 24, true, textCell}
)

var targetCols = []column{
	colISO3, colCountryName,
	{"goal", "Goal", 6, false, textCell},
	{"target", "Target", 8, false, textCell},
	{"target_title", "Target title", 50, true, textCell},
	{"recommendations", "Recommendations", 16, false, numberCell},
	{"upr", "UPR", 7, false, numberCell},
	{"tb", "Treaty bodies", 9, false, numberCell},
	{"sp", "Special procedures", 10, false, numberCell},
	{"supported", "Supported", 10, false, numberCell},
	{"noted", "Noted", 7, false, numberCell},
	{"fallback_only", "Low-confidence links only", 12, false, numberCell},
	{"clusters", "Clusters", 9, false, numberCell},
	{"indicators", "Indicators", 10, false, numberCell},
	{"indicators_with_data", "Indicators with data", 11, false, numberCell},
	{"latest_year", "Latest year", 8, false, numberCell},
	{"dims_available", "Breakdowns available", 20, true, textCell},
	{"dims_expected", "Breakdowns expected", 20, true, textCell},
	{"dims_missing", "Breakdowns missing", 20, true, textCell},
	{"recommended_no_data", "Recommended, no data", 12, false, boolCell},
	{"stale", "Stale data", 8, false, boolCell},
	{"duplicated_across_mechanisms", "Duplicated across mechanisms", 14, false, boolCell},
	{"bodies", "Recommending bodies", 24, true, textCell},
}

func targetRow(t TargetGap) []string {
	return []string{t.Country, t.CountryName, t.Goal, t.Target, t.Title, itoa(t.Recommendations), itoa(t.UPR), itoa(t.TB), itoa(t.SP),
		itoa(t.Supported), itoa(t.Noted), itoa(t.FallbackOnly), itoa(t.Clusters), itoa(t.Indicators), itoa(t.IndicatorsWithData),
		yearText(t.LatestYear), listText(t.DimsAvailable), listText(t.DimsExpected), listText(t.DimsMissing),
		strconv.FormatBool(t.RecommendedNoData), strconv.FormatBool(t.Stale), strconv.FormatBool(t.Duplicated), listText(t.Bodies)}
}

var flagCols = []column{
	colISO3, colCountryName,
	{"target", "Target", 8, false, textCell},
	{"target_title", "Target title", 50, true, textCell},
	{"recommendations", "Recommendations", 16, false, numberCell},
	{"indicators_with_data", "Indicators with data", 11, false, numberCell},
	{"indicators", "Indicators", 10, false, numberCell},
	{"latest_year", "Latest year", 8, false, numberCell},
	{"dims_missing", "Breakdowns missing", 20, true, textCell},
	{"flags", "Flags", 40, true, textCell},
}

func (r *GapReport) tables() []table {
	targets := table{name: "targets", cols: targetCols}
	for _, t := range r.Targets {
		targets.rows = append(targets.rows, targetRow(t))
	}
	flags := table{name: "flags", cols: flagCols}
	for _, t := range r.Flagged() {
		flags.rows = append(flags.rows, []string{t.Country, t.CountryName, t.Scope(), t.Title, itoa(t.Recommendations),
			itoa(t.IndicatorsWithData), itoa(t.Indicators), yearText(t.LatestYear), listText(t.DimsMissing),
			strings.Join(t.Flags(), "; ")})
	}
	return []table{targets, clusterTable(r.Clusters), flags}
}

var clusterCols = []column{
	{"cluster_id", "Cluster id", 14, false, textCell},
	colISO3, colCountryName,
	{"label", "Cluster", 40, true, textCell},
	{"size", "Size", 6, false, numberCell},
	{"mechanisms", "Mechanisms", 12, true, textCell},
	{"bodies", "Bodies", 18, true, textCell},
	{"supported", "Supported", 10, false, numberCell},
	{"noted", "Noted", 7, false, numberCell},
	{"main_theme", "Main theme", 24, true, textCell},
	{"main_target", "Main SDG target", 10, false, textCell},
	{"first_date", "First date", 11, false, textCell},
	{"last_date", "Last date", 11, false, textCell},
	{"example_text", "Example recommendation", 70, true, textCell},
}

func clusterRow(c ClusterSummary) []string {
	return []string{c.ID, c.Country, c.CountryName, c.Label, itoa(c.Size), listText(c.Mechanisms), listText(c.Bodies),
		itoa(c.Supported), itoa(c.Noted), c.MainTheme, c.MainTarget, c.FirstDate, c.LastDate, c.Example}
}

func clusterTable(cs []ClusterSummary) table {
	t := table{name: "clusters", cols: clusterCols}
	for _, c := range cs {
		t.rows = append(t.rows, clusterRow(c))
	}
	return t
}

var memberCols = []column{
	{"cluster_id", "Cluster id", 14, false, textCell},
	colISO3, colCountryName,
	{"cluster_label", "Cluster", 30, true, textCell},
	{"rec_id", "Recommendation id", 18, false, textCell},
	{"mechanism", "Mechanism", 10, false, textCell},
	{"body", "Body", 14, true, textCell},
	{"response", "Response", 10, false, textCell},
	{"date", "Date", 11, false, textCell},
	{"text", "Recommendation", 80, true, textCell},
}

func (r *ClusterReport) tables() []table {
	members := table{name: "members", cols: memberCols}
	for _, c := range r.Clusters {
		for _, m := range c.Members {
			members.rows = append(members.rows, []string{c.ID, c.Country, c.CountryName, c.Label, m.RecID, m.Mechanism, m.Body,
				m.Response, m.Date, m.Text})
		}
	}
	return []table{clusterTable(r.Clusters), members}
}

// WriteCSV writes the targets table of the report, one row per country and
// target, with its flags as true/false columns. CSV is for programs: its
// header holds the column names of v_gap_targets.
func WriteCSV(w io.Writer, r *GapReport) error {
	return writeCSV(w, r.tables()[0])
}

// WriteClustersCSV writes one row per cluster member, with the cluster's
// identity beside it.
func WriteClustersCSV(w io.Writer, r *ClusterReport) error {
	return writeCSV(w, r.tables()[1])
}

func writeCSV(w io.Writer, t table) error {
	cw := csv.NewWriter(w)
	cw.Write(t.keys())
	for _, row := range t.rows {
		safe := make([]string, len(row))
		for i, cell := range row {
			safe[i] = inertCell(cell)
		}
		cw.Write(safe)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write %s CSV: %w", t.name, err)
	}
	return nil
}

// inertCell keeps a spreadsheet from reading a text cell as a formula: a
// recommendation text or label that starts with =, +, -, @ or a control
// character gets a leading apostrophe (the usual guard against formula
// injection). Numbers, such as "-1.5", are left as they are.
func inertCell(s string) string {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return s
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return s
	}
	return "'" + s
}

// WriteXLSX writes the report as a workbook with the sheets targets,
// clusters and flags.
func WriteXLSX(w io.Writer, r *GapReport) error {
	return writeXLSX(w, r.tables())
}

// WriteClustersXLSX writes the sheets clusters and members.
func WriteClustersXLSX(w io.Writer, r *ClusterReport) error {
	return writeXLSX(w, r.tables())
}

// writeXLSX writes one sheet per table as a reader opens it: a bold header
// row that stays in view (frozen) and carries a filter, columns sized to
// their content, long texts wrapped, numbers stored as numbers.
func writeXLSX(w io.Writer, tables []table) error {
	f := excelize.NewFile()
	defer f.Close()
	header, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"#EEF3F7"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return fmt.Errorf("write XLSX: %w", err)
	}
	wrapped, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return fmt.Errorf("write XLSX: %w", err)
	}
	top, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top"}})
	if err != nil {
		return fmt.Errorf("write XLSX: %w", err)
	}
	for i, t := range tables {
		if err := writeSheet(f, i, t, header, wrapped, top); err != nil {
			return fmt.Errorf("write XLSX sheet %s: %w", t.name, err)
		}
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write XLSX: %w", err)
	}
	return nil
}

func writeSheet(f *excelize.File, i int, t table, header, wrapped, top int) error {
	if i == 0 {
		if err := f.SetSheetName("Sheet1", t.name); err != nil {
			return err
		}
	} else if _, err := f.NewSheet(t.name); err != nil {
		return err
	}
	// The filter goes on the sheet before streaming: the stream writer
	// writes the sheet's settings as they are when it starts.
	last, _ := excelize.CoordinatesToCellName(len(t.cols), len(t.rows)+1)
	if err := f.AutoFilter(t.name, "A1:"+last, nil); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(t.name)
	if err != nil {
		return err
	}
	for j, c := range t.cols {
		if err := sw.SetColWidth(j+1, j+1, c.width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	titles := t.titles()
	cells := make([]any, len(titles))
	for j, v := range titles {
		cells[j] = excelize.Cell{StyleID: header, Value: v}
	}
	if err := sw.SetRow("A1", cells); err != nil {
		return err
	}
	for n, row := range t.rows {
		cells := make([]any, len(row))
		for j, v := range t.readable(row) {
			style := top
			if t.cols[j].wrap {
				style = wrapped
			}
			cells[j] = excelize.Cell{StyleID: style, Value: xlsxValue(v, t.cols[j].kind)}
		}
		addr, _ := excelize.CoordinatesToCellName(1, n+2)
		if err := sw.SetRow(addr, cells); err != nil {
			return fmt.Errorf("row %d: %w", n+2, err)
		}
	}
	return sw.Flush()
}

// xlsxValue stores the whole numbers of number columns as numbers, so
// that a spreadsheet can sum them; every other value stays text (never a
// formula).
func xlsxValue(v string, kind cellKind) any {
	if kind == numberCell && v != "" && len(v) < 10 {
		if n, err := strconv.Atoi(v); err == nil && strconv.Itoa(n) == v {
			return n
		}
	}
	return v
}

// WriteMarkdown writes the report as Markdown: recommendations per goal,
// the targets, the flags and the clusters.
func WriteMarkdown(w io.Writer, r *GapReport) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# %s\n\n", mdText(r.Title))
	fmt.Fprintf(bw, "Country: %s · Date: %s · Run: %s · Stale after %d years\n\n", mdText(r.CountryLabel()),
		r.Generated.Format("2006-01-02"), mdText(r.RunID), r.StaleYears)
	goals := table{cols: []column{{key: "goal", title: "Goal"}, {key: "title", title: "Title"},
		{key: "recommendations", title: "Recommendations"}}}
	for _, g := range r.Goals {
		goals.rows = append(goals.rows, []string{g.Goal, g.Title, itoa(g.Recommendations)})
	}
	ts := r.tables()
	for _, s := range []struct {
		title string
		t     table
	}{{"Recommendations per SDG", goals}, {"Targets", ts[0]}, {"Flags", ts[2]}, {"Clusters", ts[1]}} {
		fmt.Fprintf(bw, "## %s\n\n", s.title)
		writeMarkdownTable(bw, s.t)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write Markdown report: %w", err)
	}
	return nil
}

// WriteClustersMarkdown writes one section per cluster with its member
// recommendations.
func WriteClustersMarkdown(w io.Writer, r *ClusterReport) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# Clusters of recommendations: %s\n\n", mdText(r.CountryLabel()))
	if len(r.Clusters) == 0 {
		fmt.Fprintf(bw, "No clusters.\n")
	}
	for _, c := range r.Clusters {
		fmt.Fprintf(bw, "## %s (%s, %d)\n\n", mdText(c.Label), mdText(orCode(c.CountryName, c.Country)), c.Size)
		fmt.Fprintf(bw, "Mechanisms: %s · Bodies: %s · Supported: %d · Noted: %d", mdText(listText(c.Mechanisms)),
			mdText(listText(c.Bodies)), c.Supported, c.Noted)
		if c.MainTheme != "" {
			fmt.Fprintf(bw, " · Main theme: %s", mdText(c.MainTheme))
		}
		if c.MainTarget != "" {
			fmt.Fprintf(bw, " · Main SDG target: %s", mdText(c.MainTarget))
		}
		fmt.Fprintf(bw, "\n\n")
		t := table{cols: []column{memberCols[4], memberCols[5], memberCols[6], memberCols[7], memberCols[8], memberCols[9]}}
		for _, m := range c.Members {
			t.rows = append(t.rows, []string{m.RecID, m.Mechanism, m.Body, m.Response, m.Date, m.Text})
		}
		writeMarkdownTable(bw, t)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write Markdown cluster report: %w", err)
	}
	return nil
}

func writeMarkdownTable(w io.Writer, t table) {
	if len(t.rows) == 0 {
		fmt.Fprintf(w, "None.\n\n")
		return
	}
	line := func(cells []string) {
		esc := make([]string, len(cells))
		for i, c := range cells {
			esc[i] = mdText(c)
		}
		fmt.Fprintf(w, "| %s |\n", strings.Join(esc, " | "))
	}
	line(t.titles())
	sep := make([]string, len(t.cols))
	for i := range sep {
		sep[i] = "---"
	}
	fmt.Fprintf(w, "|%s|\n", strings.Join(sep, "|"))
	for _, r := range t.rows {
		line(t.readable(r))
	}
	fmt.Fprintln(w)
}

// mdEscaper keeps cell text from breaking the table or turning into markup:
// pipes and newlines would end a cell or row, and HTML tags pass through
// most Markdown renderers.
var mdEscaper = strings.NewReplacer("|", `\|`, "\r\n", " ", "\n", " ", "\r", " ", "<", "&lt;", ">", "&gt;",
	"*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`)

func mdText(s string) string { return mdEscaper.Replace(s) }
