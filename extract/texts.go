package extract

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ReadTable reads a table: the first sheet of an XLSX workbook, else CSV.
func ReadTable(in *Input) (*Table, error) {
	if in.Kind() == KindZip {
		sheets, err := ReadXLSX(in)
		if err != nil {
			return nil, err
		}
		return &sheets[0].Table, nil
	}
	t, _, err := ReadCSV(in)
	return t, err
}

// TextRow is one text to classify and its id.
type TextRow struct {
	ID, Text string
}

// TextColumns name where the texts and their ids are.
type TextColumns struct {
	Text string // column or JSON field; "" means "text"
	ID   string // "" uses an "id" column or field if there is one, else numbers the rows
}

// ReadTexts reads the text (and id) column of a CSV, XLSX or JSONL input,
// one row per input row, in input order.
func ReadTexts(in *Input, c TextColumns) ([]TextRow, error) {
	if c.Text == "" {
		c.Text = "text"
	}
	if in.Kind() == KindText && looksJSONL(in.Data) {
		return readJSONLTexts(in, c)
	}
	t, err := ReadTable(in)
	if err != nil {
		return nil, err
	}
	tc := t.Col(c.Text)
	if tc < 0 {
		return nil, fmt.Errorf("no column %q (columns: %s); name it with --text-col", c.Text, strings.Join(t.Header, ", "))
	}
	ic := -1
	if c.ID == "" {
		ic = t.Col("id") // an id column is used when there is one
	} else {
		if ic = t.Col(c.ID); ic < 0 {
			return nil, fmt.Errorf("no column %q for --id-col (columns: %s)", c.ID, strings.Join(t.Header, ", "))
		}
	}
	out := make([]TextRow, len(t.Rows))
	for i, r := range t.Rows {
		id := strconv.Itoa(r.Line)
		if ic >= 0 {
			id = r.Get(ic)
		}
		out[i] = TextRow{ID: id, Text: r.Get(tc)}
	}
	return out, nil
}

// LabelledText is a text and the labels a table gives it.
type LabelledText struct {
	Text   string
	Labels []string
}

// ReadLabelledTexts reads the text and labels columns of a CSV or XLSX
// table, splitting labels at sep. Rows without text or without a label are
// left out.
func ReadLabelledTexts(in *Input, textCol, labelsCol, sep string) ([]LabelledText, error) {
	t, err := ReadTable(in)
	if err != nil {
		return nil, err
	}
	tc, lc := t.Col(textCol), t.Col(labelsCol)
	if tc < 0 || lc < 0 {
		return nil, fmt.Errorf("needs columns %q and %q (has: %s)", textCol, labelsCol, strings.Join(t.Header, ", "))
	}
	var out []LabelledText
	for _, r := range t.Rows {
		var labels []string
		for _, l := range strings.Split(r.Get(lc), sep) {
			if l = strings.TrimSpace(l); l != "" {
				labels = append(labels, l)
			}
		}
		if strings.TrimSpace(r.Get(tc)) != "" && len(labels) > 0 {
			out = append(out, LabelledText{Text: r.Get(tc), Labels: labels})
		}
	}
	return out, nil
}

func looksJSONL(data []byte) bool {
	return bytes.HasPrefix(bytes.TrimLeft(data, " \t\r\n\ufeff"), []byte("{"))
}

func readJSONLTexts(in *Input, c TextColumns) ([]TextRow, error) {
	sc := bufio.NewScanner(bytes.NewReader(in.Data))
	sc.Buffer(make([]byte, 0, 1<<20), MaxFileSize)
	var out []TextRow
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var rec map[string]any
		if err := json.Unmarshal(b, &rec); err != nil {
			return nil, fmt.Errorf("line %d: %v", line, err)
		}
		text, ok := rec[c.Text].(string)
		if !ok && rec[c.Text] != nil {
			return nil, fmt.Errorf("line %d: field %q is not a string", line, c.Text)
		}
		id := strconv.Itoa(line)
		idField := c.ID
		if idField == "" {
			idField = "id" // an id field is used when there is one
		}
		if rec[idField] != nil {
			id = fmt.Sprint(rec[idField])
		}
		out = append(out, TextRow{ID: id, Text: text})
	}
	return out, sc.Err()
}

// Function words of English and of the other languages UN recommendations
// are published in with Latin script (French, Spanish) or that national
// spreadsheets often hold (German, Portuguese). A text is "not English"
// when at least two of its words are such foreign function words and they
// outnumber the English ones: a terse English recommendation ("Ratify
// OP-CAT") has none of either and is not flagged.
var (
	englishWords = wordSet("the of and to in for on with its all that by as be an or are which is from at this their")
	foreignWords = wordSet("le la les des du et une un pour dans sur aux au avec est qui que ses leurs " +
		"el los las del y para por con una su sus se lo " +
		"der die das und zu für mit von den dem eine ist auf " +
		"os as da do dos das em uma com não")
)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// NotEnglish tells whether text reads as another language than English,
// by its function words.
func NotEnglish(text string) bool {
	// Word by word, as splitting the lower-cased text at every rune that is
	// not a letter would give them, but without copying the text: the
	// listed words are short, so a longer word is only skipped.
	en, other := 0, 0
	var buf [8]byte
	w, long := buf[:0], false
	count := func() {
		if !long && len(w) > 0 {
			if englishWords[string(w)] {
				en++
			} else if foreignWords[string(w)] {
				other++
			}
		}
		w, long = buf[:0], false
	}
	for _, r := range text {
		if r < utf8.RuneSelf {
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
		} else {
			r = unicode.ToLower(r)
		}
		if !unicode.IsLetter(r) {
			count()
			continue
		}
		if len(w)+utf8.RuneLen(r) > len(buf) {
			long = true
			continue
		}
		w = utf8.AppendRune(w, r)
	}
	count()
	return other >= 2 && other > en
}
