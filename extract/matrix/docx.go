package matrix

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"

	"github.com/nmirf/nmirf/extract"
)

// maxPartSize bounds one decompressed XML part, so that a zip bomb is refused
// instead of exhausting memory. Real matrices have parts of a few megabytes.
const maxPartSize = 256 << 20

// document is the text structure of a .docx body in reading order.
type document struct {
	blocks  []block
	headers []string // paragraphs of the page headers, where matrices carry their title
}

// block is a paragraph outside any table or a whole top-level table.
type block struct {
	para  string // set for a paragraph
	table *table // set for a table
}

type table struct {
	rows []row
}

type row struct {
	cells []cell
}

// cell holds the paragraphs of a table cell; a line break inside a paragraph
// is kept as "\n" and a tab as "\t". Nested tables are flattened into it.
type cell struct {
	paras []string
}

// text is the cell as it reads in the document: paragraphs on their own lines.
func (c cell) text() string { return strings.Join(c.paras, "\n") }

// lines splits the cell at paragraphs and line breaks, dropping blank lines.
func (c cell) lines() []string {
	var out []string
	for _, p := range c.paras {
		for _, l := range strings.Split(p, "\n") {
			if strings.TrimSpace(l) != "" {
				out = append(out, l)
			}
		}
	}
	return out
}

func (r row) cell(i int) cell {
	if i < 0 || i >= len(r.cells) {
		return cell{}
	}
	return r.cells[i]
}

var errNotDocx = errors.New("zip archive has no word/document.xml (not a .docx)")

// readDocx opens a .docx held in data and reads its body and page headers.
func readDocx(data []byte) (*document, error) {
	zr, err := extract.OpenZip(data)
	if err != nil {
		return nil, err
	}
	var body *zip.File
	var headers []*zip.File
	for _, f := range zr.File {
		switch name := path.Clean(strings.TrimPrefix(f.Name, "/")); {
		case name == "word/document.xml":
			body = f
		case strings.HasPrefix(name, "word/header") && strings.HasSuffix(name, ".xml"):
			headers = append(headers, f)
		}
	}
	if body == nil {
		return nil, errNotDocx
	}
	doc := &document{}
	raw, err := readPart(body)
	if err != nil {
		return nil, err
	}
	if doc.blocks, err = parseBody(raw); err != nil {
		return nil, fmt.Errorf("parse word/document.xml: %w", err)
	}
	sort.Slice(headers, func(i, j int) bool { return headers[i].Name < headers[j].Name })
	for _, h := range headers {
		raw, err := readPart(h)
		if err != nil {
			return nil, err
		}
		blocks, err := parseBody(raw)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", h.Name, err)
		}
		for _, b := range blocks {
			if b.table != nil {
				for _, r := range b.table.rows {
					for _, c := range r.cells {
						doc.headers = append(doc.headers, c.paras...)
					}
				}
				continue
			}
			doc.headers = append(doc.headers, b.para)
		}
	}
	return doc, nil
}

func readPart(f *zip.File) ([]byte, error) { return extract.ReadZipPart(f, maxPartSize) }

// parseBody walks WordprocessingML and keeps only what a reader sees: text
// runs, tabs and breaks, grouped into paragraphs, cells, rows and tables.
// Deleted revisions, field codes and the fallback copies of drawings are
// skipped so that no text appears twice.
func parseBody(raw []byte) ([]block, error) {
	d := xml.NewDecoder(bytes.NewReader(raw))
	var (
		blocks []block
		depth  int // table nesting
		cur    *table
		para   strings.Builder
		inText bool
	)
	addPara := func(p string) {
		if depth == 0 {
			blocks = append(blocks, block{para: p})
			return
		}
		r := &cur.rows[len(cur.rows)-1]
		if len(r.cells) == 0 {
			r.cells = append(r.cells, cell{})
		}
		c := &r.cells[len(r.cells)-1]
		c.paras = append(c.paras, p)
	}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch e := tok.(type) {
		case xml.StartElement:
			switch e.Name.Local {
			case "tbl":
				depth++
				if depth == 1 {
					cur = &table{}
				}
			case "tr":
				if depth == 1 {
					cur.rows = append(cur.rows, row{})
				}
			case "tc":
				if depth == 1 && len(cur.rows) > 0 {
					r := &cur.rows[len(cur.rows)-1]
					r.cells = append(r.cells, cell{})
				}
			case "p":
				para.Reset()
			case "t":
				inText = true
			case "tab":
				// Tab stops (w:tabs/w:tab in paragraph properties) are skipped
				// with w:tabs below, so a w:tab reached here is a tab character.
				para.WriteByte('\t')
			case "br", "cr":
				para.WriteByte('\n')
			case "noBreakHyphen":
				para.WriteByte('-')
			case "delText", "instrText", "Fallback", "tabs":
				if err := d.Skip(); err != nil {
					return nil, err
				}
			}
		case xml.EndElement:
			switch e.Name.Local {
			case "t":
				inText = false
			case "p":
				if depth > 0 && (cur == nil || len(cur.rows) == 0) {
					break // a paragraph in a table before any row: malformed, ignore
				}
				addPara(para.String())
				para.Reset()
			case "tbl":
				if depth == 1 && cur != nil {
					blocks = append(blocks, block{table: cur})
					cur = nil
				}
				if depth > 0 {
					depth--
				}
			}
		case xml.CharData:
			if inText {
				para.Write(e)
			}
		}
	}
	return blocks, nil
}
