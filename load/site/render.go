package site

import (
	"html/template"
	"strings"
)

// The parts of a page that repeat thousands of times (recommendations and
// table rows) are written by hand rather than by the template: executing
// html/template by reflection over 30,000 recommendations took most of a
// build. The escaping is html/template's for text and quoted attributes.

// esc writes s escaped for HTML text or a quoted attribute value.
func esc(b *strings.Builder, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var r string
		switch s[i] {
		case '&':
			r = "&amp;"
		case '<':
			r = "&lt;"
		case '>':
			r = "&gt;"
		case '"':
			r = "&#34;"
		case '\'':
			r = "&#39;"
		case '+':
			r = "&#43;"
		case 0:
			r = "\uFFFD"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(r)
		last = i + 1
	}
	b.WriteString(s[last:])
}

// href writes a link target. Every link of the site is relative and built
// from slugs; anything with a scheme is refused as html/template would.
func href(b *strings.Builder, u string) {
	if i := strings.IndexByte(u, ':'); i >= 0 && !strings.ContainsAny(u[:i], "/?#") {
		b.WriteString("#ZgotmplZ")
		return
	}
	esc(b, u)
}

func langAttr(b *strings.Builder, lang string) {
	if lang != "" {
		b.WriteString(` lang="`)
		esc(b, lang)
		b.WriteByte('"')
	}
}

// tableHTML renders a data table; the first cell of a row heads it.
func tableHTML(t Table) template.HTML {
	var b strings.Builder
	b.Grow(256 + 200*len(t.Rows))
	b.WriteString("<div class=\"table-wrap\"><table>\n<caption>")
	esc(&b, t.Caption)
	b.WriteString("</caption>\n<thead><tr>")
	for _, h := range t.Head {
		b.WriteString(`<th scope="col">`)
		esc(&b, h)
		b.WriteString("</th>")
	}
	b.WriteString("</tr></thead>\n<tbody>")
	for _, row := range t.Rows {
		b.WriteString("<tr>")
		for i, c := range row {
			if i == 0 {
				b.WriteString(`<th scope="row"`)
			} else {
				b.WriteString("<td")
			}
			langAttr(&b, c.Lang)
			b.WriteByte('>')
			if c.Href != "" {
				b.WriteString(`<a href="`)
				href(&b, c.Href)
				b.WriteString(`">`)
				esc(&b, c.S)
				b.WriteString("</a>")
			} else {
				esc(&b, c.S)
			}
			if i == 0 {
				b.WriteString("</th>")
			} else {
				b.WriteString("</td>")
			}
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</tbody></table></div>")
	return template.HTML(b.String())
}

// recsHTML renders a list of recommendations.
func recsHTML(recs []RecView) template.HTML {
	var b strings.Builder
	b.Grow(1500 * len(recs))
	b.WriteString(`<ol class="recs">`)
	for i := range recs {
		recHTML(&b, &recs[i])
	}
	b.WriteString("</ol>")
	return template.HTML(b.String())
}

func recHTML(b *strings.Builder, v *RecView) {
	b.WriteString(`<li id="`)
	esc(b, v.Anchor)
	b.WriteString("\" class=\"rec\">\n<blockquote")
	langAttr(b, v.Text.Lang)
	b.WriteString("><p>")
	esc(b, v.Text.S)
	b.WriteString("</p></blockquote>\n")
	if len(v.Versions) > 0 {
		b.WriteString(`<p class="versions">`)
		esc(b, v.VersionsLabel)
		b.WriteString(" ")
		for i, c := range v.Versions {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(`<a href="`)
			href(b, c.Href)
			b.WriteString(`" hreflang="`)
			esc(b, c.Lang)
			b.WriteByte('"')
			langAttr(b, c.Lang)
			b.WriteByte('>')
			esc(b, c.S)
			b.WriteString("</a>")
		}
		b.WriteString("</p>\n")
	}
	b.WriteString(`<dl class="meta">`)
	for _, m := range v.Meta {
		b.WriteString("<div><dt>")
		esc(b, m.Label)
		b.WriteString("</dt><dd>")
		if m.Href != "" {
			b.WriteString(`<a href="`)
			href(b, m.Href)
			b.WriteString(`">`)
			esc(b, m.S)
			b.WriteString("</a>")
		} else {
			esc(b, m.S)
		}
		b.WriteString("</dd></div>")
	}
	b.WriteString("</dl>\n")
	labels := func(ls []LabelView) {
		if len(ls) == 0 {
			return
		}
		b.WriteString(`<p class="labels">`)
		for _, l := range ls {
			b.WriteString(`<span class="label">`)
			if l.Href != "" {
				b.WriteString(`<a href="`)
				href(b, l.Href)
				b.WriteByte('"')
				langAttr(b, l.Name.Lang)
				b.WriteByte('>')
				esc(b, l.Name.S)
				b.WriteString("</a>")
			} else {
				b.WriteString("<span")
				langAttr(b, l.Name.Lang)
				b.WriteByte('>')
				esc(b, l.Name.S)
				b.WriteString("</span>")
			}
			b.WriteString(" <small>(")
			esc(b, l.Evidence)
			b.WriteString(")</small></span> ")
		}
		b.WriteString("</p>\n")
	}
	labels(v.Themes)
	labels(v.SDGs)
	if len(v.Clusters) > 0 {
		b.WriteString(`<p class="labels">`)
		for _, c := range v.Clusters {
			b.WriteString(`<a href="`)
			href(b, c.Href)
			b.WriteString(`">`)
			esc(b, c.S)
			b.WriteString("</a> ")
		}
		b.WriteString("</p>\n")
	}
	if len(v.History) > 0 {
		b.WriteString(`<ul class="history">`)
		for _, u := range v.History {
			b.WriteString("<li>")
			esc(b, u.Date)
			b.WriteString(": ")
			esc(b, u.Status)
			if u.Entity != "" {
				b.WriteString(" (")
				esc(b, u.Entity)
				b.WriteString(")")
			}
			if u.Text != "" {
				b.WriteString(": ")
				esc(b, u.Text)
			}
			b.WriteString("</li>")
		}
		b.WriteString("</ul>")
	}
	b.WriteString("\n</li>\n")
}

// chartHTML renders a bar chart as inline SVG followed by its data table.
func chartHTML(c Chart) template.HTML {
	var b strings.Builder
	b.Grow(512 + 300*len(c.Bars))
	w, h := itoa(c.Width), itoa(c.Height)
	b.WriteString("<figure class=\"chart\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + w + "\" height=\"" + h + "\" viewBox=\"0 0 " + w + " " + h + "\" role=\"img\" aria-labelledby=\"")
	esc(&b, c.ID)
	b.WriteString("-t\">\n<title id=\"")
	esc(&b, c.ID)
	b.WriteString("-t\">")
	esc(&b, c.Title)
	b.WriteString("</title>\n")
	for _, bar := range c.Bars {
		b.WriteString("<g><text x=\"" + itoa(bar.LabelX) + "\" y=\"" + itoa(bar.TextY) + "\" text-anchor=\"end\"")
		langAttr(&b, bar.Label.Lang)
		b.WriteByte('>')
		esc(&b, bar.Label.S)
		b.WriteString("</text><rect x=\"" + itoa(c.LabelW) + "\" y=\"" + itoa(bar.Y) + "\" width=\"" + itoa(bar.W) + "\" height=\"18\" fill=\"")
		esc(&b, bar.Fill)
		b.WriteString("\"></rect><text x=\"" + itoa(bar.ValX) + "\" y=\"" + itoa(bar.TextY) + "\">")
		esc(&b, bar.Shown)
		b.WriteString("</text></g>\n")
	}
	b.WriteString("</svg>\n<figcaption>")
	esc(&b, c.Title)
	b.WriteString("</figcaption>\n</figure>\n<details><summary>")
	esc(&b, c.Data.Caption)
	b.WriteString("</summary>")
	b.WriteString(string(tableHTML(c.Data)))
	b.WriteString("</details>")
	return template.HTML(b.String())
}
