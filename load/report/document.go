package report

import (
	"bufio"
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"
)

// document is a report made of headings, paragraphs, lists, tables and
// charts, written alike as Markdown, HTML and DOCX. The follow-up and
// parliament reports are built as documents; their tables also make the
// CSV and XLSX outputs.
type document struct {
	title  string
	date   time.Time
	meta   []string // "Country: GBR", shown under the title
	blocks []block
	source string // the views the numbers come from, for the footer
}

type block struct {
	heading int // 2 or 3: a section or subsection heading
	text    string
	runs    []Run
	bullets [][]Run
	table   *table
	chart   *stackChart
}

func (d *document) h2(s string)         { d.blocks = append(d.blocks, block{heading: 2, text: s}) }
func (d *document) h3(s string)         { d.blocks = append(d.blocks, block{heading: 3, text: s}) }
func (d *document) p(runs ...Run)       { d.blocks = append(d.blocks, block{runs: runs}) }
func (d *document) text(s string)       { d.p(Run{Text: s}) }
func (d *document) list(items ...[]Run) { d.blocks = append(d.blocks, block{bullets: items}) }
func (d *document) tab(t table)         { d.blocks = append(d.blocks, block{table: &t}) }
func (d *document) chart(c stackChart)  { d.blocks = append(d.blocks, block{chart: &c}) }
func (d *document) emptyOr(t table, none string) {
	if len(t.rows) == 0 {
		d.text(none)
		return
	}
	d.tab(t)
}

// stackChart is a stacked bar chart: one bar per period, one segment per
// series. Its data are also written as a table beside it.
type stackChart struct {
	label   string
	periods []string
	series  []string
	colours []string
	values  [][]int // [period][series]
}

func (c stackChart) table() table {
	t := table{name: "status_over_time", cols: fcols(append([]string{"period"}, c.series...)...)}
	for i, p := range c.periods {
		row := []string{p}
		for _, v := range c.values[i] {
			row = append(row, itoa(v))
		}
		t.rows = append(t.rows, row)
	}
	return t
}

// writeMarkdown writes the document; a chart is written as its table.
func (d *document) writeMarkdown(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# %s\n\n", mdText(d.title))
	if len(d.meta) > 0 {
		fmt.Fprintf(bw, "%s\n\n", mdText(strings.Join(d.meta, " · ")))
	}
	for _, b := range d.blocks {
		switch {
		case b.heading > 0:
			fmt.Fprintf(bw, "%s %s\n\n", strings.Repeat("#", b.heading), mdText(b.text))
		case b.table != nil:
			writeMarkdownTable(bw, *b.table)
		case b.chart != nil:
			writeMarkdownTable(bw, b.chart.table())
		case b.bullets != nil:
			for _, it := range b.bullets {
				fmt.Fprintf(bw, "- %s\n", mdRuns(it))
			}
			fmt.Fprintln(bw)
		default:
			fmt.Fprintf(bw, "%s\n\n", mdRuns(b.runs))
		}
	}
	if d.source != "" {
		fmt.Fprintf(bw, "%s\n", mdText(d.source))
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write Markdown %s: %w", d.title, err)
	}
	return nil
}

func mdRuns(rs []Run) string {
	var b strings.Builder
	for _, r := range rs {
		s := mdText(r.Text)
		if r.Link != "" && safeLink(r.Link) {
			s = "[" + s + "](" + strings.NewReplacer("(", "%28", ")", "%29", " ", "%20").Replace(r.Link) + ")"
		}
		if r.Bold {
			s = "**" + s + "**"
		}
		if r.Italic {
			s = "*" + s + "*"
		}
		b.WriteString(s)
	}
	return b.String()
}

// safeLink accepts web addresses only: an evidence link typed into a
// workbook must not become a javascript: or file: link.
func safeLink(s string) bool {
	l := strings.ToLower(strings.TrimSpace(s))
	return strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://")
}

// writeDocx writes the document as DOCX; a chart is written as its table.
func (d *document) writeDocx(w io.Writer) error {
	x := d.docx()
	_, err := x.WriteTo(w)
	return err
}

func (d *document) docx() *Docx {
	x := NewDocx(d.title, d.date)
	x.Heading(1, d.title)
	if len(d.meta) > 0 {
		x.Paragraph(Run{Text: strings.Join(d.meta, " · "), Italic: true})
	}
	for _, b := range d.blocks {
		switch {
		case b.heading > 0:
			x.Heading(b.heading, b.text)
		case b.table != nil:
			x.Table(b.table.titles(), readableRows(*b.table))
		case b.chart != nil:
			t := b.chart.table()
			x.Paragraph(Run{Text: b.chart.label, Bold: true})
			x.Table(t.titles(), readableRows(t))
		case b.bullets != nil:
			var items [][]Run
			for _, it := range b.bullets {
				items = append(items, docxRuns(it))
			}
			x.Bullets(items...)
		default:
			x.Paragraph(docxRuns(b.runs)...)
		}
	}
	if d.source != "" {
		x.Paragraph(Run{Text: d.source, Italic: true})
	}
	return x
}

func docxRuns(rs []Run) []Run {
	out := make([]Run, len(rs))
	for i, r := range rs {
		if r.Link != "" && !safeLink(r.Link) {
			r.Link = ""
		}
		out[i] = r
	}
	return out
}

// writeHTML writes the document as one self-contained page: inline CSS and
// SVG, no scripts. A chart is drawn and followed by its data as a table.
func (d *document) writeHTML(w io.Writer) error {
	bw := bufio.NewWriter(w)
	esc := template.HTMLEscapeString
	fmt.Fprintf(bw, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>%s</title>\n<style>\n%s</style>\n</head>\n<body>\n", esc(d.title), docCSS)
	fmt.Fprintf(bw, "<header>\n<h1 id=\"title\">%s</h1>\n", esc(d.title))
	if len(d.meta) > 0 {
		bw.WriteString(`<p class="meta">`)
		for _, m := range d.meta {
			fmt.Fprintf(bw, "<span>%s</span>", esc(m))
		}
		bw.WriteString("</p>\n")
	}
	bw.WriteString("</header>\n")
	for _, b := range d.blocks {
		switch {
		case b.heading > 0:
			fmt.Fprintf(bw, "<h%d>%s</h%d>\n", b.heading, esc(b.text), b.heading)
		case b.table != nil:
			writeHTMLTable(bw, *b.table, "")
		case b.chart != nil:
			writeStackChart(bw, *b.chart)
			writeHTMLTable(bw, b.chart.table(), "Data of the chart above")
		case b.bullets != nil:
			bw.WriteString("<ul>\n")
			for _, it := range b.bullets {
				fmt.Fprintf(bw, "<li>%s</li>\n", htmlRuns(it))
			}
			bw.WriteString("</ul>\n")
		default:
			fmt.Fprintf(bw, "<p>%s</p>\n", htmlRuns(b.runs))
		}
	}
	if d.source != "" {
		fmt.Fprintf(bw, "<footer class=\"note\"><p>%s</p></footer>\n", esc(d.source))
	}
	bw.WriteString("</body>\n</html>\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write HTML %s: %w", d.title, err)
	}
	return nil
}

// docCSS is what the follow-up and parliament documents add to the
// stylesheet they share with the gap report (reportCSS).
const docCSS = reportCSS + `@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
}
`

func htmlRuns(rs []Run) string {
	var b strings.Builder
	for _, r := range rs {
		s := template.HTMLEscapeString(r.Text)
		if r.Bold {
			s = "<strong>" + s + "</strong>"
		}
		if r.Italic {
			s = "<em>" + s + "</em>"
		}
		if r.Link != "" && safeLink(r.Link) {
			s = `<a href="` + template.HTMLEscapeString(strings.TrimSpace(r.Link)) + `" rel="noopener">` + s + "</a>"
		}
		b.WriteString(s)
	}
	return b.String()
}

func writeHTMLTable(w io.Writer, t table, caption string) {
	esc := template.HTMLEscapeString
	fmt.Fprintf(w, "<table class=\"%s\">\n", esc(t.name))
	if caption != "" {
		fmt.Fprintf(w, "<caption>%s</caption>\n", esc(caption))
	}
	fmt.Fprint(w, "<thead><tr>")
	for _, h := range t.titles() {
		fmt.Fprintf(w, "<th scope=\"col\">%s</th>", esc(h))
	}
	fmt.Fprint(w, "</tr></thead>\n<tbody>\n")
	for _, r := range t.rows {
		fmt.Fprint(w, "<tr>")
		for _, c := range t.readable(r) {
			cls := ""
			if isNumber(c) {
				cls = ` class="n"`
			}
			fmt.Fprintf(w, "<td%s>%s</td>", cls, esc(c))
		}
		fmt.Fprint(w, "</tr>\n")
	}
	fmt.Fprint(w, "</tbody>\n</table>\n")
}

// writeStackChart draws the chart as inline SVG: the tallest bar takes the
// full height, segments stack in the order of the series.
func writeStackChart(w io.Writer, c stackChart) {
	esc := template.HTMLEscapeString
	const slot, barW, top, plotH, left = 56, 36, 20, 200, 40
	width := left + slot*len(c.periods) + 20
	height := top + plotH + 40
	base := top + plotH
	maxTotal := 0
	for _, vs := range c.values {
		sum := 0
		for _, v := range vs {
			sum += v
		}
		maxTotal = max(maxTotal, sum)
	}
	fmt.Fprint(w, `<p class="legend">`)
	for i, s := range c.series {
		fmt.Fprintf(w, `<span><i style="background: %s"></i>%s</span>`, c.colours[i], esc(s))
	}
	fmt.Fprint(w, "</p>\n<figure>\n")
	fmt.Fprintf(w, `<svg class="stack-chart" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="%s" width="%d" height="%d" viewBox="0 0 %d %d">`+"\n",
		esc(c.label), width, height, width, height)
	fmt.Fprintf(w, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#444" stroke-width="1"/>`+"\n", left-4, base, width, base)
	if maxTotal > 0 {
		fmt.Fprintf(w, `<text x="%d" y="%d" text-anchor="end" font-size="11" fill="#555">%d</text>`+"\n", left-8, top+4, maxTotal)
	}
	for i, p := range c.periods {
		x := left + i*slot + (slot-barW)/2
		y := base
		fmt.Fprintf(w, `<g class="bar"><title>%s</title>`, esc(p))
		for j, v := range c.values[i] {
			if v == 0 || maxTotal == 0 {
				continue
			}
			h := max(v*plotH/maxTotal, 1)
			y -= h
			fmt.Fprintf(w, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s"><title>%s %s: %d</title></rect>`, x, y, barW, h, c.colours[j], esc(p), esc(c.series[j]), v)
		}
		fmt.Fprintf(w, `<text x="%d" y="%d" text-anchor="middle" font-size="11" fill="#222">%s</text></g>`+"\n", x+barW/2, base+16, esc(p))
	}
	fmt.Fprint(w, "</svg>\n</figure>\n")
}

func readableRows(t table) [][]string {
	out := make([][]string, len(t.rows))
	for i, r := range t.rows {
		out[i] = t.readable(r)
	}
	return out
}
