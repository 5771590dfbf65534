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

// table is one tabular part of a report, written the same way to CSV,
// Markdown and an XLSX sheet.
type table struct {
	name   string
	header []string
	rows   [][]string
}

var targetHeader = []string{"country_iso3", "goal", "target", "target_title", "recommendations", "upr", "tb", "sp",
	"supported", "noted", "fallback_only", "clusters", "indicators", "indicators_with_data", "latest_year",
	"dims_available", "dims_expected", "dims_missing", "recommended_no_data", "stale", "duplicated_across_mechanisms"}

func targetRow(t TargetGap) []string {
	return []string{t.Country, t.Goal, t.Target, t.Title, itoa(t.Recommendations), itoa(t.UPR), itoa(t.TB), itoa(t.SP),
		itoa(t.Supported), itoa(t.Noted), itoa(t.FallbackOnly), itoa(t.Clusters), itoa(t.Indicators), itoa(t.IndicatorsWithData),
		yearText(t.LatestYear), strings.Join(t.DimsAvailable, " "), strings.Join(t.DimsExpected, " "), strings.Join(t.DimsMissing, " "),
		strconv.FormatBool(t.RecommendedNoData), strconv.FormatBool(t.Stale), strconv.FormatBool(t.Duplicated)}
}

func (r *GapReport) tables() []table {
	targets := table{name: "targets", header: targetHeader}
	for _, t := range r.Targets {
		targets.rows = append(targets.rows, targetRow(t))
	}
	flags := table{name: "flags", header: []string{"country_iso3", "target", "target_title", "recommendations",
		"indicators_with_data", "indicators", "latest_year", "dims_missing", "flags"}}
	for _, t := range r.Flagged() {
		flags.rows = append(flags.rows, []string{t.Country, t.Scope(), t.Title, itoa(t.Recommendations),
			itoa(t.IndicatorsWithData), itoa(t.Indicators), yearText(t.LatestYear), strings.Join(t.DimsMissing, " "),
			strings.Join(t.Flags(), "; ")})
	}
	return []table{targets, clusterTable(r.Clusters), flags}
}

var clusterHeader = []string{"cluster_id", "country_iso3", "label", "size", "mechanisms", "bodies", "supported", "noted",
	"main_theme", "main_target", "first_date", "last_date", "example_text"}

func clusterRow(c ClusterSummary) []string {
	return []string{c.ID, c.Country, c.Label, itoa(c.Size), strings.Join(c.Mechanisms, " "), strings.Join(c.Bodies, " "),
		itoa(c.Supported), itoa(c.Noted), c.MainTheme, c.MainTarget, c.FirstDate, c.LastDate, c.Example}
}

func clusterTable(cs []ClusterSummary) table {
	t := table{name: "clusters", header: clusterHeader}
	for _, c := range cs {
		t.rows = append(t.rows, clusterRow(c))
	}
	return t
}

func (r *ClusterReport) tables() []table {
	members := table{name: "members", header: []string{"cluster_id", "country_iso3", "cluster_label", "rec_id", "mechanism",
		"body", "response", "date", "text"}}
	for _, c := range r.Clusters {
		for _, m := range c.Members {
			members.rows = append(members.rows, []string{c.ID, c.Country, c.Label, m.RecID, m.Mechanism, m.Body,
				m.Response, m.Date, m.Text})
		}
	}
	return []table{clusterTable(r.Clusters), members}
}

// WriteCSV writes the targets table of the report, one row per country and
// target, with its flags as true/false columns.
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
	cw.Write(t.header)
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

func writeXLSX(w io.Writer, tables []table) error {
	f := excelize.NewFile()
	defer f.Close()
	for i, t := range tables {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", t.name); err != nil {
				return fmt.Errorf("write XLSX: %w", err)
			}
		} else if _, err := f.NewSheet(t.name); err != nil {
			return fmt.Errorf("write XLSX sheet %s: %w", t.name, err)
		}
		sw, err := f.NewStreamWriter(t.name)
		if err != nil {
			return fmt.Errorf("write XLSX sheet %s: %w", t.name, err)
		}
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return fmt.Errorf("write XLSX sheet %s: %w", t.name, err)
		}
		for n, row := range append([][]string{t.header}, t.rows...) {
			cells := make([]any, len(row))
			for j, v := range row {
				cells[j] = xlsxValue(v, n == 0)
			}
			addr, _ := excelize.CoordinatesToCellName(1, n+1)
			if err := sw.SetRow(addr, cells); err != nil {
				return fmt.Errorf("write XLSX sheet %s row %d: %w", t.name, n+1, err)
			}
		}
		if err := sw.Flush(); err != nil {
			return fmt.Errorf("write XLSX sheet %s: %w", t.name, err)
		}
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write XLSX: %w", err)
	}
	return nil
}

// xlsxValue stores whole numbers as numbers so that a spreadsheet can sum
// them; every other value stays text (never a formula).
func xlsxValue(v string, header bool) any {
	if !header && v != "" && len(v) < 10 {
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
	country := r.Country
	if country == "" {
		country = "all countries"
	}
	fmt.Fprintf(bw, "Country: %s · Date: %s · Run: %s · Stale after %d years\n\n", mdText(country),
		r.Generated.Format("2006-01-02"), mdText(r.RunID), r.StaleYears)
	goals := table{header: []string{"goal", "title", "recommendations"}}
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
	country := r.Country
	if country == "" {
		country = "all countries"
	}
	fmt.Fprintf(bw, "# Clusters of recommendations: %s\n\n", mdText(country))
	if len(r.Clusters) == 0 {
		fmt.Fprintf(bw, "No clusters.\n")
	}
	for _, c := range r.Clusters {
		fmt.Fprintf(bw, "## %s (%s, %d)\n\n", mdText(c.Label), mdText(c.Country), c.Size)
		fmt.Fprintf(bw, "Mechanisms: %s · Bodies: %s · Supported: %d · Noted: %d", mdText(strings.Join(c.Mechanisms, ", ")),
			mdText(strings.Join(c.Bodies, ", ")), c.Supported, c.Noted)
		if c.MainTheme != "" {
			fmt.Fprintf(bw, " · Main theme: %s", mdText(c.MainTheme))
		}
		if c.MainTarget != "" {
			fmt.Fprintf(bw, " · Main target: %s", mdText(c.MainTarget))
		}
		fmt.Fprintf(bw, "\n\n")
		t := table{header: []string{"rec_id", "mechanism", "body", "response", "date", "text"}}
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
	line(t.header)
	sep := make([]string, len(t.header))
	for i := range sep {
		sep[i] = "---"
	}
	fmt.Fprintf(w, "|%s|\n", strings.Join(sep, "|"))
	for _, r := range t.rows {
		line(r)
	}
	fmt.Fprintln(w)
}

// mdEscaper keeps cell text from breaking the table or turning into markup:
// pipes and newlines would end a cell or row, and HTML tags pass through
// most Markdown renderers.
var mdEscaper = strings.NewReplacer("|", `\|`, "\r\n", " ", "\n", " ", "\r", " ", "<", "&lt;", ">", "&gt;",
	"*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`)

func mdText(s string) string { return mdEscaper.Replace(s) }
