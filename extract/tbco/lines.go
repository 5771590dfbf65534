package tbco

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"regexp"
	"strings"

	"github.com/nmirf/nmirf/extract"
)

// Line styles: what the source's markup (HTML tags, .docx styles) says a
// line is. Plain text has none, and the parser guesses from the wording.
const (
	stylePlain   = iota
	styleHeading // topic sub-heading (H23, H4, <h3>, a bold paragraph)
	styleSection // lettered or numbered section heading (H1, "C. Principal matters …")
)

// line is one paragraph of the source as a line of text.
type line struct {
	text  string
	style int
	// pageBreak says page furniture (running header, page number, job
	// number) stood between this line and the one before: text after it may
	// continue the paragraph the page cut.
	pageBreak bool
}

// document is an input read as lines, with the header text used to find
// the symbol, date and country.
type document struct {
	lines []line
	head  string
}

// readDocument decodes in once for Sniff and Import.
func readDocument(in *extract.Input) (*document, error) {
	v, err := in.Memo("tbco.document", func() (any, error) {
		switch k := in.Kind(); k {
		case extract.KindZip:
			paras, err := docxParagraphs(in.Data, 0)
			if err != nil {
				return nil, err
			}
			return newDocument(paras), nil
		case extract.KindHTML:
			text, _, err := in.Text()
			if err != nil {
				return nil, err
			}
			return newDocument(htmlParagraphs(text)), nil
		case extract.KindText:
			text, _, err := in.Text()
			if err != nil {
				return nil, err
			}
			return newDocument(textParagraphs(text)), nil
		default:
			return nil, fmt.Errorf("file is %s data, not concluding observations as text, HTML or .docx", k)
		}
	})
	if err != nil {
		return nil, err
	}
	return v.(*document), nil
}

// headSize is how much text, at least, a document's head holds: the
// first lines until it is longer.
const headSize = 8 << 10

// docxHead returns the head of a .docx as readDocument would, reading
// only as many paragraphs as it needs: Sniff asks it of every .docx, most
// of which are no concluding observations.
func docxHead(in *extract.Input) (string, error) {
	v, err := in.Memo("tbco.head", func() (any, error) {
		paras, err := docxParagraphs(in.Data, headSize)
		if err != nil {
			return nil, err
		}
		return newDocument(paras).head, nil
	})
	if err != nil {
		return "", err
	}
	return v.(string), nil
}

func newDocument(lines []line) *document {
	var b strings.Builder
	for _, l := range lines {
		if b.Len() > headSize {
			break
		}
		b.WriteString(l.text)
		b.WriteByte('\n')
	}
	return &document{lines: lines, head: b.String()}
}

// textParagraphs splits pdftotext output into lines; furniture is removed
// later, once the symbol is known.
func textParagraphs(text string) []line {
	var out []line
	for _, l := range strings.Split(text, "\n") {
		out = append(out, line{text: strings.TrimSpace(strings.ReplaceAll(l, "\f", ""))})
	}
	return out
}

var (
	tagRe       = regexp.MustCompile(`(?s)<!--.*?-->|<[^>]*>`)
	tagNameRe   = regexp.MustCompile(`^</?\s*([a-zA-Z0-9]+)`)
	sectionHead = regexp.MustCompile(`^(?:[A-Z]|[IVX]{1,5})\.\s+\S`)
)

// htmlParagraphs reads the block elements of a docstore HTML page as lines:
// <h1>…<h6> and paragraphs that are bold throughout are headings.
func htmlParagraphs(page string) []line {
	var out []line
	var cur strings.Builder
	bold, boldText, heading, skip := 0, 0, false, ""
	flush := func() {
		t := strings.Join(strings.Fields(html.UnescapeString(cur.String())), " ")
		cur.Reset()
		if t != "" {
			st := stylePlain
			if heading || (boldText > 0 && boldText >= len(strings.Join(strings.Fields(t), ""))) {
				st = styleHeading
			}
			out = append(out, line{text: t, style: st})
		}
		boldText, heading = 0, false
	}
	pos := 0
	for _, loc := range tagRe.FindAllStringIndex(page, -1) {
		if skip == "" {
			text := page[pos:loc[0]]
			cur.WriteString(text)
			if bold > 0 {
				boldText += len(strings.Join(strings.Fields(html.UnescapeString(text)), ""))
			}
		}
		pos = loc[1]
		tag := page[loc[0]:loc[1]]
		m := tagNameRe.FindStringSubmatch(tag)
		if m == nil {
			continue
		}
		name, closing := strings.ToLower(m[1]), strings.HasPrefix(tag, "</")
		if skip != "" {
			if closing && name == skip {
				skip = ""
			}
			continue
		}
		switch name {
		case "script", "style", "head", "title":
			if !closing {
				skip = name
			}
		case "b", "strong":
			if closing {
				bold = max(0, bold-1)
			} else {
				bold++
			}
		case "h1", "h2", "h3", "h4", "h5", "h6":
			flush()
			heading = !closing
		case "p", "div", "li", "tr", "td", "br", "table", "body", "section", "article", "blockquote", "ul", "ol":
			flush()
		}
	}
	if skip == "" {
		cur.WriteString(page[pos:])
	}
	flush()
	return out
}

// maxPartSize bounds the decompressed document.xml, so that a zip bomb is
// refused instead of exhausting memory.
const maxPartSize = 64 << 20

// docxParagraphs reads the paragraphs of word/document.xml with their
// styles: OHCHR's templates mark section headings H1 or HCh, topic
// sub-headings H23 or H4, and body text SingleTxt.
// It stops once more than stop bytes of text are read (0: reads all).
func docxParagraphs(data []byte, stop int) (lines []line, err error) {
	defer func() {
		if r := recover(); r != nil {
			lines, err = nil, fmt.Errorf("unreadable .docx: %v", r)
		}
	}()
	zr, err := extract.OpenZip(data)
	if err != nil {
		return nil, fmt.Errorf("unreadable .docx: %w", err)
	}
	var part *zip.File
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			part = f
		}
	}
	if part == nil {
		return nil, errors.New("zip archive has no word/document.xml: not a .docx")
	}
	rc, err := part.Open()
	if err != nil {
		return nil, fmt.Errorf("open word/document.xml: %w", err)
	}
	defer rc.Close()
	body, err := io.ReadAll(io.LimitReader(rc, maxPartSize+1))
	if err != nil {
		return nil, fmt.Errorf("read word/document.xml: %w", err)
	}
	if len(body) > maxPartSize {
		return nil, fmt.Errorf("word/document.xml is larger than %d bytes", maxPartSize)
	}
	dec := xml.NewDecoder(bytes.NewReader(body))
	var cur strings.Builder
	style, inText, read := "", false, 0
	for stop == 0 || read <= stop {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read word/document.xml: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "p":
				cur.Reset()
				style = ""
			case "pStyle":
				for _, a := range t.Attr {
					if a.Name.Local == "val" {
						style = a.Value
					}
				}
			case "t":
				inText = true
			case "tab", "br":
				cur.WriteByte(' ')
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				text := strings.Join(strings.Fields(cur.String()), " ")
				if text == "" {
					continue
				}
				st := stylePlain
				switch style {
				case "H1", "HCh":
					if sectionHead.MatchString(text) {
						st = styleSection
					}
				case "H23", "H4", "H56":
					st = styleHeading
				}
				lines = append(lines, line{text: text, style: st})
				read += len(text) + 1
			}
		case xml.CharData:
			if inText {
				cur.Write(t)
			}
		}
	}
	return lines, nil
}
