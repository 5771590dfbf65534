//go:build ignore

// Command gen writes ThematicList_2025_layout.docx, a thematic list of UPR
// recommendations in the layout OHCHR adopted in 2025 for the fourth cycle
// (session 48 onwards). Run from the package folder:
//
//	cd testdata && go run gen/main.go
//
// The WordprocessingML follows Matrix_recommendations_2018.docx, OHCHR's
// previous layout: a landscape page whose header names the review ("UPR of
// <State> (4th Cycle – 48th session)", ordinal suffixes as superscript runs),
// one fixed-layout table with a repeated header row, a shaded "Theme: …" row
// merged over all columns before each group, cells holding several
// paragraphs, bold labels in their own runs. What 2025 changed is what this
// file carries: the header titles, the recommending States only in the first
// cell, "Source of Position:" moved into the position cell, a "Groups of
// Persons:" block in the themes cell and the SDGs in a column of their own.
// PROVENANCE.md says where the wording comes from.
package main

import (
	"archive/zip"
	"html"
	"log"
	"os"
	"strings"
	"time"
)

const out = "ThematicList_2025_layout.docx"

// run is one text run; bold runs carry the cells' labels.
type run struct {
	text string
	bold bool
	sup  bool
}

type para []run

func p(text string) para        { return para{{text: text}} }
func label(l, rest string) para { return para{{text: l, bold: true}, {text: rest}} }

// rec is one recommendation row.
type rec struct {
	text   []para // first cell: "48.1 Text (State);"
	pos    []para // position, then its source
	themes []para // themes, then "Groups of Persons:"
	sdgs   []para
}

const source = "A/HRC/59/15/Add.1 - Para.3"

// groups is the table body: a theme heading, then its rows.
var groups = []struct {
	theme string
	rows  []rec
}{
	{"A12 Acceptance of international norms", []rec{
		{
			text:   []para{p("48.1 Ratify the Optional Protocol to the International Covenant on Economic, Social and Cultural Rights (Portugal);")},
			pos:    []para{p("Supported"), label("Source of Position:", " "+source)},
			themes: []para{p("A12 Acceptance of international norms"), p("E1 Economic, social & cultural rights - general measures of implementation"), label("Groups of Persons:", ""), p("- general")},
			sdgs:   []para{p("SDG 16 - peace, justice and strong institutions")},
		},
		{
			// Two recommending States, the second with a parenthesis in its name.
			text:   []para{{{text: "48.2 Consider ratifying the International Convention on the Protection of the Rights of All Migrant Workers and Members of Their Families "}, {text: "(Sri Lanka) (Bolivia (Plurinational State of));"}}},
			pos:    []para{p("Noted"), label("Source of Position:", " A/HRC/59/15/Add.1 - Para.4")},
			themes: []para{p("A12 Acceptance of international norms"), p("G4 Migrants"), label("Groups of Persons:", ""), p("- migrants")},
			sdgs:   []para{p("SDG 8 - decent work and economic growth"), p("SDG 10 - inequality")},
		},
		{
			// A merged paragraph: two recommendations and their States.
			text:   []para{p("48.3 Accede to the 1954 Convention relating to the Status of Stateless Persons (Côte d'Ivoire); Accede to the 1961 Convention on the Reduction of Statelessness (Brazil, Mexico);")},
			pos:    []para{p("Supported"), label("Source of Position:", " "+source)},
			themes: []para{p("A12 Acceptance of international norms"), p("F13 Stateless persons"), label("Groups of Persons:", ""), p("- stateless persons"), p("- children")},
			sdgs:   []para{p("SDG 16 - peace, justice and strong institutions")},
		},
	}},
	{"B31 Equality & non-discrimination", []rec{
		{
			text:   []para{p("48.10 Adopt a comprehensive anti-discrimination law that covers all grounds of discrimination, including sexual orientation and gender identity (Iceland);")},
			pos:    []para{p("Supported"), label("Source of Position:", " "+source)},
			themes: []para{p("B31 Equality & non-discrimination"), p("A41 Constitutional and legislative framework"), label("Groups of Persons:", ""), p("- lesbian, gay, bisexual, transgender and intersex persons")},
			sdgs:   []para{p("SDG 5 - gender equality and women's empowerment"), p("SDG 10 - inequality")},
		},
		{
			// No SDG named for this one: the cell is an empty paragraph.
			text:   []para{p("48.11 Step up efforts to combat hate speech and racially motivated violence, in particular against persons of African descent (Ghana);")},
			pos:    []para{p("Supported"), label("Source of Position:", " "+source)},
			themes: []para{p("B31 Equality & non-discrimination"), p("B32 Racial discrimination"), label("Groups of Persons:", ""), p("- people of African descent")},
			sdgs:   []para{p("")},
		},
	}},
	{"D27 Prohibition of slavery, trafficking", []rec{
		{
			text:   []para{p("48.20 Strengthen the identification of victims of trafficking in persons, in particular women and girls, and ensure their access to protection and assistance (Philippines);")},
			pos:    []para{p("Supported"), label("Source of Position:", " "+source)},
			themes: []para{p("D27 Prohibition of slavery, trafficking"), p("B8 Human rights & counter-terrorism"), label("Groups of Persons:", ""), p("- women"), p("- girls")},
			sdgs:   []para{p("SDG 5 - gender equality and women's empowerment"), p("SDG 8 - decent work and economic growth"), p("SDG 16 - peace, justice and strong institutions")},
		},
		{
			text:   []para{p("48.21 Consider establishing an independent national rapporteur on trafficking in human beings (Belarus);")},
			pos:    []para{p("Noted"), label("Source of Position:", " A/HRC/59/15/Add.1 - Para.4")},
			themes: []para{p("D27 Prohibition of slavery, trafficking"), p("A42 Institutions & policies - General"), label("Groups of Persons:", ""), p("- general")},
			sdgs:   []para{p("SDG 16 - peace, justice and strong institutions")},
		},
	}},
}

var header = []string{
	"Recommendation and recommending State",
	"Position of the State under review",
	"Human rights themes and groups of persons",
	"Relevant SDGs",
}

var widths = []int{5200, 1700, 4700, 3620}

const ns = `xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`

const rPr = `<w:color w:val="000000"/><w:szCs w:val="22"/><w:lang w:eastAsia="en-GB"/>`

func (pa para) xml(size string) string {
	var b strings.Builder
	b.WriteString(`<w:p><w:pPr><w:suppressAutoHyphens w:val="0"/><w:spacing w:before="40" w:after="40" w:line="240" w:lineRule="auto"/></w:pPr>`)
	for _, r := range pa {
		if r.text == "" {
			continue
		}
		b.WriteString(`<w:r><w:rPr>`)
		if r.bold {
			b.WriteString(`<w:b/>`)
		}
		b.WriteString(rPr + size)
		if r.sup {
			b.WriteString(`<w:vertAlign w:val="superscript"/>`)
		}
		b.WriteString(`</w:rPr><w:t xml:space="preserve">` + html.EscapeString(r.text) + `</w:t></w:r>`)
	}
	b.WriteString(`</w:p>`)
	return b.String()
}

func cell(w int, paras []para, size string) string {
	var b strings.Builder
	b.WriteString(`<w:tc><w:tcPr><w:tcW w:w="` + itoa(w) + `" w:type="dxa"/><w:shd w:val="clear" w:color="auto" w:fill="auto"/></w:tcPr>`)
	for _, pa := range paras {
		b.WriteString(pa.xml(size))
	}
	b.WriteString(`</w:tc>`)
	return b.String()
}

func itoa(n int) string {
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}

func document() string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n")
	b.WriteString(`<w:document ` + ns + `><w:body>`)
	b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="15220" w:type="dxa"/><w:tblBorders>`)
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		b.WriteString(`<w:` + side + ` w:val="dotted" w:sz="4" w:space="0" w:color="auto"/>`)
	}
	b.WriteString(`</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>`)
	for _, w := range widths {
		b.WriteString(`<w:gridCol w:w="` + itoa(w) + `"/>`)
	}
	b.WriteString(`</w:tblGrid>`)
	// Header row, repeated on every page.
	b.WriteString(`<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="400"/><w:tblHeader/></w:trPr>`)
	for i, h := range header {
		b.WriteString(cell(widths[i], []para{{{text: h, bold: true}}}, ""))
	}
	b.WriteString(`</w:tr>`)
	for _, g := range groups {
		b.WriteString(`<w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc><w:tcPr><w:tcW w:w="15220" w:type="dxa"/><w:gridSpan w:val="4"/><w:shd w:val="clear" w:color="auto" w:fill="DBE5F1"/></w:tcPr>`)
		b.WriteString(para{{text: "Theme: ", bold: true}, {text: g.theme, bold: true}}.xml(`<w:sz w:val="28"/>`))
		b.WriteString(`</w:tc></w:tr>`)
		for _, r := range g.rows {
			b.WriteString(`<w:tr><w:trPr><w:cantSplit/></w:trPr>`)
			b.WriteString(cell(widths[0], r.text, ""))
			b.WriteString(cell(widths[1], r.pos, ""))
			b.WriteString(cell(widths[2], r.themes, `<w:sz w:val="16"/>`))
			b.WriteString(cell(widths[3], r.sdgs, `<w:sz w:val="16"/>`))
			b.WriteString(`</w:tr>`)
		}
	}
	b.WriteString(`</w:tbl><w:p/>`)
	b.WriteString(`<w:sectPr><w:headerReference w:type="default" r:id="rId2"/><w:pgSz w:w="16840" w:h="11907" w:orient="landscape" w:code="9"/><w:pgMar w:top="720" w:right="720" w:bottom="720" w:left="720" w:header="1134" w:footer="1701" w:gutter="0"/><w:cols w:space="720"/></w:sectPr>`)
	b.WriteString(`</w:body></w:document>`)
	return b.String()
}

func pageHeader() string {
	title := para{{text: "UPR of "}, {text: "Austria"}, {text: " ("}, {text: "4"}, {text: "th", sup: true}, {text: " Cycle – "},
		{text: "48"}, {text: "th", sup: true}, {text: " session)"}}
	sub := para{{text: "Thematic list of recommendations"}}
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<w:hdr ` + ns + `>` + title.xml(`<w:sz w:val="20"/>`) + sub.xml("") + `</w:hdr>`
}

var parts = []struct{ name, body string }{
	{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>`},
	{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
	{"word/_rels/document.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/></Relationships>`},
	{"word/document.xml", document()},
	{"word/header1.xml", pageHeader()},
	{"docProps/core.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>UPR of Austria - Thematic list of recommendations</dc:title></cp:coreProperties>`},
}

func main() {
	f, err := os.Create(out)
	if err != nil {
		log.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for _, pt := range parts {
		// A fixed time keeps the output byte-identical between runs.
		w, err := zw.CreateHeader(&zip.FileHeader{Name: pt.name, Method: zip.Deflate, Modified: fixed})
		if err != nil {
			log.Fatal(err)
		}
		if _, err := w.Write([]byte(pt.body)); err != nil {
			log.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}

var fixed = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
