package report

import (
	"fmt"
	"html/template"
	"io"
	"sort"
	"strings"
)

// GoalColours are the official SDG colours (UN Department of Global
// Communications guidelines), goal 1 first.
var GoalColours = [17]string{
	"#E5243B", "#DDA63A", "#4C9F38", "#C5192D", "#FF3A21", "#26BDE2", "#FCC30B", "#A21942", "#FD6925",
	"#DD1367", "#FD9D24", "#BF8B2E", "#3F7E44", "#0A97D9", "#56C02B", "#00689D", "#19486A",
}

func goalColour(goal string) string {
	var n int
	if _, err := fmt.Sscan(goal, &n); err != nil || n < 1 || n > 17 {
		return "#777777"
	}
	return GoalColours[n-1]
}

// statusColours colour the heat map cells by data availability.
var statusColours = map[string]string{"data": "#2E7D32", "stale": "#F2A900", "none": "#C62828"}
var statusNames = map[string]string{"data": "recent data", "stale": "stale data", "none": "no data"}

type bar struct {
	X, Y, W, H     int
	LabelX, LabelY int
	ValueY         int
	Colour, Goal   string
	Title          string
	Value          int
}

type barChart struct {
	Width, Height, BaseY, Max int
	Bars                      []bar
}

// goalChart lays out one bar per goal; the tallest bar takes the full height.
func goalChart(goals []GoalCount) barChart {
	const slot, barW, top, plotH = 48, 34, 24, 220
	c := barChart{Width: slot*len(goals) + 20, Height: top + plotH + 40, BaseY: top + plotH}
	for _, g := range goals {
		c.Max = max(c.Max, g.Recommendations)
	}
	for i, g := range goals {
		h := 0
		if c.Max > 0 {
			h = g.Recommendations * plotH / c.Max
		}
		if g.Recommendations > 0 && h < 2 {
			h = 2 // a single recommendation stays visible beside hundreds
		}
		x := 10 + i*slot + (slot-barW)/2
		c.Bars = append(c.Bars, bar{
			X: x, Y: c.BaseY - h, W: barW, H: h,
			LabelX: x + barW/2, LabelY: c.BaseY + 18, ValueY: c.BaseY - h - 5,
			Colour: goalColour(g.Goal), Goal: g.Goal, Title: g.Title, Value: g.Recommendations,
		})
	}
	return c
}

type cell struct {
	X, Y, W, H   int
	TextX, TextY int
	Label        string
	Colour       string
	Ink          string
	Tooltip      string
}

type heatRow struct {
	Y, TextY int
	Goal     string
	Colour   string
}

type heatMap struct {
	Country       string
	Width, Height int
	Rows          []heatRow
	Cells         []cell
}

// heatMaps draw, per country, one row per goal and one cell per target row
// of the report, coloured by data availability.
func heatMaps(r *GapReport) []heatMap {
	const left, cellW, cellH, gap = 70, 64, 24, 4
	var maps []heatMap
	for _, country := range r.Countries() {
		m := heatMap{Country: r.nameOf(country)}
		row := -1
		col := 0
		prevGoal := ""
		maxCols := 0
		for _, t := range r.Targets {
			if t.Country != country {
				continue
			}
			if t.Goal != prevGoal {
				row++
				col = 0
				prevGoal = t.Goal
				y := 10 + row*(cellH+gap)
				m.Rows = append(m.Rows, heatRow{Y: y, TextY: y + 16, Goal: "Goal " + t.Goal, Colour: goalColour(t.Goal)})
			}
			x := left + col*(cellW+gap)
			y := 10 + row*(cellH+gap)
			st := t.Status()
			ink := "#FFFFFF"
			if st == "stale" {
				ink = "#000000"
			}
			label := t.Target
			if label == "" {
				label = "goal"
			}
			tip := fmt.Sprintf("%s %s: %s; %d recommendation(s); %d of %d indicator(s) with data",
				t.Scope(), t.Title, statusNames[st], t.Recommendations, t.IndicatorsWithData, t.Indicators)
			if t.LatestYear > 0 {
				tip += fmt.Sprintf(", latest %d", t.LatestYear)
			}
			m.Cells = append(m.Cells, cell{X: x, Y: y, W: cellW, H: cellH, TextX: x + cellW/2, TextY: y + 16,
				Label: label, Colour: statusColours[st], Ink: ink, Tooltip: tip})
			col++
			maxCols = max(maxCols, col)
		}
		m.Width = left + maxCols*(cellW+gap) + 10
		m.Height = 10 + (row+1)*(cellH+gap) + 10
		maps = append(maps, m)
	}
	return maps
}

type htmlView struct {
	*GapReport
	Unlinked []string // per country: "Name: N without any SDG link."
	Date     string
	Chart    barChart
	HeatMaps []heatMap
	Legend   []legendItem
	Flagged  []TargetGap
	Total    int
}

type legendItem struct{ Colour, Name string }

var funcs = template.FuncMap{
	"join":  func(s []string) string { return strings.Join(s, ", ") },
	"year":  yearText,
	"flags": func(t TargetGap) string { return strings.Join(t.Flags(), "; ") },
	"orElse": func(s, alt string) string {
		if s == "" {
			return alt
		}
		return s
	},
}

var page = template.Must(template.New("gap").Funcs(funcs).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
` + reportCSS + gapCSS + `</style>
</head>
<body>
<header>
<h1 id="title">{{.Title}}</h1>
<p class="meta"><span>Country: <strong>{{.CountryLabel}}</strong></span><span>Date: {{.Date}}</span><span>Run: <code>{{orElse .RunID "none"}}</code></span><span>Stale after {{.StaleYears}} years</span></p>
</header>

<section id="goals">
<h2>Recommendations per SDG</h2>
<p class="note">{{.Total}} recommendation(s) linked to at least one goal or target; a recommendation linked to several goals counts once per goal.{{range .Unlinked}} {{.}}{{end}}</p>
<figure>
<svg id="goal-chart" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Recommendations per SDG goal" width="{{.Chart.Width}}" height="{{.Chart.Height}}" viewBox="0 0 {{.Chart.Width}} {{.Chart.Height}}">
<line x1="6" y1="{{.Chart.BaseY}}" x2="{{.Chart.Width}}" y2="{{.Chart.BaseY}}" stroke="#444" stroke-width="1"/>
{{range .Chart.Bars}}<g class="bar"><title>Goal {{.Goal}}: {{.Title}} ({{.Value}})</title>
<rect x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}" fill="{{.Colour}}"/>
<text x="{{.LabelX}}" y="{{.LabelY}}" text-anchor="middle" font-size="13" fill="#222">{{.Goal}}</text>
{{if .Value}}<text x="{{.LabelX}}" y="{{.ValueY}}" text-anchor="middle" font-size="12" fill="#222">{{.Value}}</text>{{end}}</g>
{{end}}</svg>
</figure>
</section>

<section id="availability">
<h2>Data availability by target</h2>
<p class="legend">{{range .Legend}}<span><i style="background: {{.Colour}}"></i>{{.Name}}</span>{{end}}<span class="note">"goal": recommendations linked to the goal as a whole, against all its indicators.</span></p>
{{range .HeatMaps}}<h3>{{.Country}}</h3>
<figure>
<svg class="heatmap" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Data availability, {{.Country}}" width="{{.Width}}" height="{{.Height}}" viewBox="0 0 {{.Width}} {{.Height}}">
{{range .Rows}}<rect x="2" y="{{.Y}}" width="6" height="24" fill="{{.Colour}}"/><text x="12" y="{{.TextY}}" font-size="12" fill="#222">{{.Goal}}</text>
{{end}}{{range .Cells}}<g><title>{{.Tooltip}}</title><rect x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}" rx="3" fill="{{.Colour}}"/><text x="{{.TextX}}" y="{{.TextY}}" text-anchor="middle" font-size="12" fill="{{.Ink}}">{{.Label}}</text></g>
{{end}}</svg>
</figure>
{{else}}<p>No targets with recommendations or data.</p>
{{end}}
</section>

<section id="flags">
<h2>Flags</h2>
{{if .Flagged}}<table>
<thead><tr><th>Country</th><th>Target</th><th>Title</th><th>Recs</th><th>UPR</th><th>TB</th><th>SP</th><th>Clusters</th><th>Indicators with data</th><th>Latest year</th><th>Missing breakdowns</th><th>Flags</th><th>Follow-up</th></tr></thead>
<tbody>
{{range .Flagged}}<tr><td>{{orElse .CountryName .Country}}</td><td class="d">{{.Scope}}</td><td class="t">{{.Title}}</td><td class="n">{{.Recommendations}}</td><td class="n">{{.UPR}}</td><td class="n">{{.TB}}</td><td class="n">{{.SP}}</td><td class="n">{{.Clusters}}</td><td class="n">{{.IndicatorsWithData}} / {{.Indicators}}</td><td class="n">{{year .LatestYear}}</td><td>{{join .DimsMissing}}</td><td>{{flags .}}</td><td>{{.Followup}}</td></tr>
{{end}}</tbody>
</table>
{{else}}<p>No target is flagged.</p>
{{end}}
</section>

<section id="clusters">
<h2>Clusters of similar recommendations</h2>
{{if .Clusters}}<table>
<thead><tr><th>Country</th><th>Cluster</th><th>Size</th><th>Mechanisms</th><th>Bodies</th><th>Supported</th><th>Noted</th><th>Main theme</th><th>Main target</th><th>First</th><th>Last</th><th>Example</th></tr></thead>
<tbody>
{{range .Clusters}}<tr><td>{{orElse .CountryName .Country}}</td><td>{{.Label}}</td><td class="n">{{.Size}}</td><td>{{join .Mechanisms}}</td><td>{{join .Bodies}}</td><td class="n">{{.Supported}}</td><td class="n">{{.Noted}}</td><td>{{.MainTheme}}</td><td>{{.MainTarget}}</td><td class="d">{{.FirstDate}}</td><td class="d">{{.LastDate}}</td><td class="ex">{{.Example}}</td></tr>
{{end}}</tbody>
</table>
{{else}}<p>No clusters.</p>
{{end}}
</section>
<footer class="note"><p>Made by nmirf from the warehouse views v_gap_targets and v_cluster_summary.</p></footer>
</body>
</html>
`))

// WriteHTML writes the report as one self-contained HTML page: inline CSS
// and SVG, no scripts, nothing loaded from elsewhere.
func WriteHTML(w io.Writer, r *GapReport) error {
	v := htmlView{GapReport: r, Date: r.Generated.Format("2 January 2006"), Chart: goalChart(r.Goals),
		HeatMaps: heatMaps(r), Flagged: r.Flagged()}
	for _, s := range []string{"data", "stale", "none"} {
		v.Legend = append(v.Legend, legendItem{statusColours[s], statusNames[s]})
	}
	v.Total = r.Linked
	codes := make([]string, 0, len(r.Unclassified))
	for c := range r.Unclassified {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		v.Unlinked = append(v.Unlinked, fmt.Sprintf("%s: %d without any SDG link.", r.nameOf(c), r.Unclassified[c]))
	}
	if err := page.Execute(w, v); err != nil {
		return fmt.Errorf("write HTML report: %w", err)
	}
	return nil
}
