package report

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestDocumentLinks checks that only web addresses become links: an
// evidence cell typed as javascript: or file: stays plain text in HTML,
// Markdown and DOCX, and text that looks like markup is escaped.
func TestDocumentLinks(t *testing.T) {
	d := &document{title: "Links <b>", date: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	d.p(Run{Text: "good", Link: "https://example.org/a?b=1&c=2"}, Run{Text: " bad", Link: "javascript:alert(1)"}, Run{Text: " file", Link: "file:///etc/passwd"})
	var h, m bytes.Buffer
	if err := d.writeHTML(&h); err != nil {
		t.Fatal(err)
	}
	if err := d.writeMarkdown(&m); err != nil {
		t.Fatal(err)
	}
	html, md, xml := h.String(), m.String(), string(d.docx().DocumentXML())
	if !strings.Contains(html, `<a href="https://example.org/a?b=1&amp;c=2" rel="noopener">good</a>`) || strings.Contains(html, "javascript:") || strings.Contains(html, "file:") {
		t.Errorf("HTML links:\n%s", html)
	}
	if strings.Contains(html, "<b>") || !strings.Contains(html, "Links &lt;b&gt;") {
		t.Errorf("HTML title not escaped")
	}
	if !strings.Contains(md, "[good](https://example.org/a?b=1&c=2)") || strings.Contains(md, "(javascript:") {
		t.Errorf("Markdown links:\n%s", md)
	}
	if n := strings.Count(xml, "<w:hyperlink"); n != 1 {
		t.Errorf("DOCX has %d hyperlinks, want 1", n)
	}
}
