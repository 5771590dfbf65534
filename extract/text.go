package extract

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// Content kinds recognised by Sniff.
const (
	KindZip    = "zip"    // xlsx, docx
	KindOLE2   = "ole2"   // legacy .xls/.doc
	KindPDF    = "pdf"    // PDF
	KindHTML   = "html"   // an HTML page (often an error page saved as .csv)
	KindText   = "text"   // plain text in some encoding
	KindBinary = "binary" // anything else
)

// SniffKind tells what kind of content data holds from its first bytes.
func SniffKind(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")), bytes.HasPrefix(data, []byte("PK\x05\x06")):
		return KindZip
	case bytes.HasPrefix(data, []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}):
		return KindOLE2
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return KindPDF
	}
	head := data
	if len(head) > 4096 {
		head = head[:4096]
	}
	if text, _, err := DecodeText(head); err == nil {
		t := strings.ToLower(strings.TrimSpace(text))
		if strings.HasPrefix(t, "<!doctype html") || strings.HasPrefix(t, "<html") ||
			(strings.HasPrefix(t, "<") && strings.Contains(t, "<body")) {
			return KindHTML
		}
		return KindText
	}
	return KindBinary
}

// DecodeText decodes a text file to UTF-8 and normalises its line ends to
// "\n". It honours UTF-8 and UTF-16 byte-order marks, accepts valid UTF-8, and
// otherwise chooses between MacRoman (what UPR Info exports) and
// Windows-1252 (what Windows tools and UN text dumps use) by which gives the
// more plausible text. It returns the encoding it used. Data with NUL bytes
// or control characters that no text has is refused.
func DecodeText(data []byte) (string, string, error) {
	var s, enc string
	var cm *charmap.Charmap
	switch {
	case bytes.HasPrefix(data, []byte{0xef, 0xbb, 0xbf}):
		s, enc = string(data[3:]), "utf-8-bom"
	case bytes.HasPrefix(data, []byte{0xff, 0xfe}):
		s, enc = decodeUTF16(data[2:], false), "utf-16le"
	case bytes.HasPrefix(data, []byte{0xfe, 0xff}):
		s, enc = decodeUTF16(data[2:], true), "utf-16be"
	case utf8.Valid(data) || validUTF8Prefix(data):
		s, enc = string(data), "utf-8"
	default:
		cm, enc = charmap.Windows1252, "windows-1252"
		if implausibility(data, &macRunes) < implausibility(data, &winRunes) {
			cm, enc = charmap.Macintosh, "macroman"
		}
		b, _ := cm.NewDecoder().Bytes(data)
		s = string(b)
	}
	if bad := controlRatio(s); bad > 0.001 {
		return "", enc, errors.New("file is binary, not text (control characters found)")
	}
	return NormaliseNewlines(s), enc, nil
}

// validUTF8Prefix accepts data cut in the middle of a multi-byte sequence,
// as a sniffed head can be.
func validUTF8Prefix(data []byte) bool {
	for i := 0; i < 3 && i < len(data); i++ {
		if utf8.Valid(data[:len(data)-i]) {
			return true
		}
	}
	return false
}

func decodeUTF16(b []byte, bigEndian bool) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		if bigEndian {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			u[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
		}
	}
	return string(utf16.Decode(u))
}

// macRunes and winRunes are what the upper half of the byte range means in
// MacRoman and Windows-1252, for judging a decoding without performing it.
var macRunes, winRunes = highRunes(charmap.Macintosh), highRunes(charmap.Windows1252)

func highRunes(cm *charmap.Charmap) (t [128]rune) {
	for i := range t {
		t[i] = cm.DecodeByte(byte(0x80 + i))
	}
	return t
}

// implausibility counts characters unlikely in English or French UN text
// when data is read with the single-byte table high: upper-case accented
// letters right after lower-case letters, and symbols such as "∂" or "Ò"
// that a wrong decoding produces in place of quotes.
func implausibility(data []byte, high *[128]rune) int {
	n := 0
	var prev rune
	for _, c := range data {
		r := rune(c)
		if c >= 0x80 {
			r = high[c-0x80]
			switch {
			case unicode.IsUpper(r) && unicode.IsLower(prev):
				n += 2
			case r < 0xa0:
				n += 3
			default:
				switch r {
				case 'Ò', 'Ó', 'Ô', 'Õ', '∂', '∆', 'ƒ', '≈', '√', '∫', '≤', '≥', '÷', 'ˇ', '˘', '˙', '˚', '¸', '˝', '˛',
					'‡', '·', '‚', '„', '‰', 'Â', 'Ê', 'Á', 'Ë', 'È', 'Í', 'Î', 'Ï', 'Ì':
					n++
				}
			}
		}
		prev = r
	}
	return n
}

func controlRatio(s string) float64 {
	if s == "" {
		return 0
	}
	bad, total := 0, 0
	for _, r := range s {
		total++
		if r == 0 || (r < 0x20 && r != '\n' && r != '\r' && r != '\t' && r != '\f' && r != '\v') || r == utf8.RuneError {
			bad++
		}
	}
	return float64(bad) / float64(total)
}

// NormaliseNewlines turns CRLF and lone CR (old Mac) line ends into LF.
func NormaliseNewlines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// Row is one data row of a table with its 1-based line (CSV) or row (sheet)
// number in the file.
type Row struct {
	Line   int
	Fields []string
}

// Table is a header plus rows, from CSV or a spreadsheet.
type Table struct {
	Header []string
	Rows   []Row
}

// Col returns the index of the first header matching one of names, compared
// case-insensitively after trimming, or -1.
func (t *Table) Col(names ...string) int {
	for _, n := range names {
		for i, h := range t.Header {
			if strings.EqualFold(strings.TrimSpace(h), strings.TrimSpace(n)) {
				return i
			}
		}
	}
	return -1
}

// ColsNamed returns the indexes of every header matching name as Col
// matches it.
func (t *Table) ColsNamed(name string) []int {
	var out []int
	for i, h := range t.Header {
		if strings.EqualFold(strings.TrimSpace(h), strings.TrimSpace(name)) {
			out = append(out, i)
		}
	}
	return out
}

// Get returns field i of r, or "" when the row is short.
func (r Row) Get(i int) string {
	if i < 0 || i >= len(r.Fields) {
		return ""
	}
	return r.Fields[i]
}

// ReadCSV decodes and parses a delimited text file with a header row. The
// delimiter is guessed from the header (comma, semicolon or tab). Rows whose
// fields exceed MaxFieldSize are reported as rejected, not returned.
func ReadCSV(in *Input) (*Table, []RowIssue, error) {
	switch k := in.Kind(); k {
	case KindText:
	case KindHTML:
		return nil, nil, errors.New("file is an HTML page, not a CSV table (a download error page?)")
	default:
		return nil, nil, fmt.Errorf("file is %s data, not a CSV table", k)
	}
	text, _, err := in.Text()
	if err != nil {
		return nil, nil, err
	}
	text = strings.TrimPrefix(text, "\ufeff")
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = guessDelimiter(text)
	first, _, _ := strings.Cut(text, "\n")
	if n := strings.Count(first, string(r.Comma)) + 1; n > MaxColumns {
		// Refused before parsing: a header this wide is no table of ours,
		// and reading it would take memory in proportion.
		return nil, nil, fmt.Errorf("line 1: %d columns, over the limit of %d (a spreadsheet's own)", n, MaxColumns)
	}
	var lines []string // the physical lines, for telling an unclosed quote
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	t := &Table{}
	var issues []RowIssue
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, issues, fmt.Errorf("line %d: %v", pe.StartLine, pe.Err)
			}
			return nil, issues, err
		}
		if len(rec) > MaxColumns {
			return nil, issues, fmt.Errorf("line %d: %d columns, over the limit of %d (a spreadsheet's own)", line, len(rec), MaxColumns)
		}
		if t.Header == nil {
			for i := range rec {
				rec[i] = strings.TrimSpace(strings.TrimPrefix(rec[i], "\ufeff"))
			}
			t.Header = rec
			continue
		}
		if blank(rec) {
			continue
		}
		if lines == nil && multiline(rec) {
			lines = strings.Split(text, "\n")
		}
		if err := swallowedRow(r, rec, t.Header, lines); err != nil {
			return nil, issues, err
		}
		if i := oversized(rec); i >= 0 {
			issues = append(issues, RowIssue{Line: line, Field: headerName(t.Header, i),
				Msg: fmt.Sprintf("field is %d bytes, over the %d-byte limit (an unclosed quote?)", len(rec[i]), MaxFieldSize)})
			continue
		}
		t.Rows = append(t.Rows, Row{Line: line, Fields: rec})
	}
	if t.Header == nil {
		return nil, nil, errors.New("file has no header row")
	}
	return t, issues, nil
}

// wideTable is the width from which a line of prose is taken never to have
// exactly as many delimiters as a row.
const wideTable = 6

func multiline(rec []string) bool {
	for _, f := range rec {
		if strings.Contains(f, "\n") {
			return true
		}
	}
	return false
}

// swallowedRow tells a quote left open from a field that really spans
// lines. With LazyQuotes, a field opened by a quote that is never closed
// runs on over the line ends until some later quote, and the rows in
// between vanish into its text. A line inside the field that reads, on its
// own and strictly quoted, as a row of the header's width is such a row.
// The last line of a genuine multi-line field carries its closing quote
// mid-field and never reads strictly, so it is not mistaken for one. In a
// narrow table a line of prose can have as many commas as a row, so there
// the line the quote opens on must also read as a whole row once the quote
// is taken as lost.
func swallowedRow(r *csv.Reader, rec, header []string, lines []string) error {
	if len(header) < 3 || !multiline(rec) {
		return nil
	}
	for i, f := range rec {
		if !strings.Contains(f, "\n") {
			continue
		}
		first, _, _ := strings.Cut(f, "\n")
		if len(header) < wideTable && i+strings.Count(first, string(r.Comma))+1 < len(header) {
			continue
		}
		start, _ := r.FieldPos(i)
		end := start + strings.Count(f, "\n")
		for l := start + 1; l <= end && l-1 < len(lines); l++ {
			line := lines[l-1]
			if strings.TrimSpace(line) == "" {
				continue
			}
			one := csv.NewReader(strings.NewReader(line))
			one.Comma = r.Comma
			one.FieldsPerRecord = -1
			got, err := one.Read()
			if err != nil || len(got) != len(header) {
				continue
			}
			return fmt.Errorf("row at line %d: the quoted field %q runs over the line end into line %d, "+
				"which reads as a whole row of its own (an unclosed quote?); close the quote and import again",
				start, headerName(header, i), l)
		}
	}
	return nil
}

// RowIssue is a row-level problem found while reading a table.
type RowIssue struct {
	Line  int
	Field string
	Msg   string
}

func headerName(h []string, i int) string {
	if i < len(h) {
		return h[i]
	}
	return fmt.Sprintf("column %d", i+1)
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

func oversized(rec []string) int {
	for i, f := range rec {
		if len(f) > MaxFieldSize {
			return i
		}
	}
	return -1
}

func guessDelimiter(text string) rune {
	first := text
	if i := strings.IndexByte(text, '\n'); i >= 0 {
		first = text[:i]
	}
	best, bestN := ',', strings.Count(first, ",")
	for _, d := range []rune{';', '\t'} {
		if n := strings.Count(first, string(d)); n > bestN {
			best, bestN = d, n
		}
	}
	return best
}
