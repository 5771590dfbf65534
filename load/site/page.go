package site

import (
	"embed"
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
)

//go:embed templates/page.html
var templateFS embed.FS

//go:embed assets/site.css assets/site.js
var assetFS embed.FS

// templateSource is the page template's text, part of every page's key.
var templateSource = func() string { b, _ := templateFS.ReadFile("templates/page.html"); return string(b) }()

var pageTemplate = template.Must(template.New("page.html").Funcs(template.FuncMap{
	"pct":       func(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) },
	"tableHTML": tableHTML,
	"recsHTML":  recsHTML,
	"chartHTML": chartHTML,
}).ParseFS(templateFS, "templates/page.html"))

// Text is a string with the language it is in when that differs from the
// page's ("" means the page's language).
type Text struct{ S, Lang string }

// Cell is a table cell, a link when Href is set.
type Cell struct {
	Text
	Href string
}

// Table is a data table.
type Table struct {
	Caption string
	Head    []string
	Rows    [][]Cell
}

// Bar is one bar of a chart.
type Bar struct {
	Label        Text
	Value        float64
	Shown        string // the value as written
	Y, W, TextY  int
	LabelX, ValX int
	Fill         string
}

// Chart is a horizontal bar chart drawn as inline SVG, always followed by
// its data as a table.
type Chart struct {
	ID, Title     string
	Width, Height int
	LabelW        int
	Bars          []Bar
	Data          Table
	Keys          []string // the codes behind the labels, for the CSV
}

// LabelView is a theme or SDG link of a recommendation.
type LabelView struct {
	Name     Text
	Href     string
	Score    float64
	Evidence string
	Machine  bool
}

// RecView is a recommendation as a page shows it.
type RecView struct {
	Anchor, ID string
	Text       Text
	// Versions link the same recommendation in other languages.
	Versions      []Cell
	VersionsLabel string
	Meta          []MetaItem
	Themes        []LabelView
	SDGs          []LabelView
	Clusters      []Cell
	History       []Update
	StatusName    string
}

// Section is a part of a page under one heading.
type Section struct {
	ID, Heading string
	Paras       []Text
	Links       []Cell
	Charts      []Chart
	Tables      []Table
	Recs        []RecView
	Search      *SearchForm
}

// SearchForm is the search page's form; the options are written into the
// page so that it reads without scripts.
type SearchForm struct {
	Fields           []SearchField
	Submit, NoScript string
}

// MetaItem is a labelled value of a recommendation.
type MetaItem struct {
	Label string
	Cell
}

// SearchField is one filter of the search form.
type SearchField struct {
	ID, Label string
	Options   []Cell // Text is the label, Href the value
}

// LangLink links to the same page in another language.
type LangLink struct {
	Lang, Name, Href string
	Current          bool
}

// Page is one HTML page of the site.
type Page struct {
	Lang, Title, SiteTitle                         string
	Up, Top                                        string // prefixes to the language root and to the site root
	Nav                                            []Cell
	Langs                                          []LangLink
	Intro                                          []Text
	Sections                                       []Section
	CSV                                            string // the page's data, relative to the page
	Bundle, BundleLabel                            string
	Cite, Footer                                   string
	Skip, NavLabel, LangsLabel, Downloads, PageCSV string
	Script                                         bool
	M                                              *catalogue
}

var chartFill = "#1f5f8b"

// barChart lays out one bar per row; the longest bar takes the full width.
func barChart(id, title string, labels []Text, values []float64, m *catalogue, head string) Chart {
	const rowH, barH, labelW, plotW = 26, 18, 290, 360
	c := Chart{ID: id, Title: title, LabelW: labelW, Width: labelW + plotW + 80, Height: rowH*len(labels) + 10}
	var top float64
	for _, v := range values {
		top = math.Max(top, v)
	}
	c.Data = Table{Caption: m.T("chart.data") + ": " + title, Head: []string{head, m.T("col.count")}}
	for i, l := range labels {
		w := 0
		if top > 0 {
			w = int(values[i] / top * plotW)
		}
		if values[i] > 0 && w < 2 {
			w = 2
		}
		shown := strconv.FormatFloat(values[i], 'f', -1, 64)
		if values[i] != math.Trunc(values[i]) {
			shown = strconv.FormatFloat(values[i], 'f', 2, 64)
		}
		label := l
		if r := []rune(label.S); len(r) > 34 {
			label.S = string(r[:33]) + "…"
		}
		y := 5 + i*rowH
		c.Bars = append(c.Bars, Bar{Label: label, Value: values[i], Shown: shown, Y: y, W: w, TextY: y + barH - 4,
			LabelX: labelW - 6, ValX: labelW + w + 6, Fill: chartFill})
		c.Data.Rows = append(c.Data.Rows, []Cell{{Text: l}, {Text: Text{S: shown}}})
	}
	return c
}

func itoa(n int) string { return strconv.Itoa(n) }

func fmtScore(f float64) string { return fmt.Sprintf("%.2f", f) }

// slug makes a safe file name from an id; ids that are not already safe
// get a short hash so that two ids never share a file.
func slug(id string) string {
	var b strings.Builder
	safe := true
	for _, r := range strings.ToLower(id) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			b.WriteRune(r)
		default:
			safe = false
			if s := b.String(); s != "" && !strings.HasSuffix(s, "-") {
				b.WriteByte('-')
			}
		}
	}
	s := strings.Trim(b.String(), "-.")
	if len(s) > 60 {
		s, safe = s[:60], false
	}
	if !safe || s != id || s == "" {
		s = strings.Trim(s, "-.") + "-" + shortHash(id)
	}
	return strings.TrimPrefix(s, "-")
}
