package uhri

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"reflect"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/models"
)

// JSON imports the UHRI JSON export (export-full-en.json): one array of
// annotation objects.
type JSON struct{}

// Name implements extract.Importer.
func (JSON) Name() string { return "uhri-json" }

// Sniff looks for an array of objects with UHRI's keys near the start.
func (JSON) Sniff(in *extract.Input) int {
	head := in.Data
	if len(head) > 8192 {
		head = head[:8192]
	}
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	if t := bytes.TrimSpace(head); len(t) == 0 || t[0] != '[' {
		return 0
	}
	switch {
	case bytes.Contains(head, []byte(`"AnnotationId"`)) && bytes.Contains(head, []byte(`"AnnotationType"`)):
		return 95
	case bytes.Contains(head, []byte(`"AnnotationId"`)):
		return 70
	}
	return 0
}

// jsonRecord is one element of the export. Lists and the cycle are read
// leniently: the export writes null for empty lists, and a cycle may be a
// number or a string.
type jsonRecord struct {
	AnnotationID           flexString `json:"AnnotationId"`
	Text                   *string
	Symbol                 flexString
	DocumentID             flexString `json:"DocumentId"`
	Body                   flexList
	AnnotationType         flexString
	Countries              flexList
	Regions                flexList
	Themes                 flexList
	Sdgs                   flexList
	AffectedPersons        flexList
	PublicationDate        flexString
	UprCycle               flexString
	UprSession             flexString
	UprPositions           flexList
	UprRecommendingCountry flexList
}

// Import implements extract.Importer.
func (j JSON) Import(ctx context.Context, in *extract.Input, opt extract.Options) (res *extract.Result, err error) {
	defer guard(in, &err)
	dec := json.NewDecoder(bytes.NewReader(bytes.TrimPrefix(in.Data, []byte("\xef\xbb\xbf"))))
	tok, err := dec.Token()
	if err != nil {
		return nil, models.InputError(in.Path, fmt.Errorf("not JSON: %w", err))
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return nil, models.InputError(in.Path, errors.New("not a UHRI JSON export: expected an array of records"))
	}
	m := newMapper(j.Name(), in, jsonFields)
	n, withText := 0, 0
	badText := "" // the first record whose Text is not text
	// Records are read in chunks: their bytes one after the other, then
	// decoded on every core (reflection and the HTML clean-up are most of
	// the import), then mapped in file order.
	raws := make([]json.RawMessage, 0, jsonChunk)
	recs := make([]decodedRecord, jsonChunk)
	mapChunk := func() {
		recs := recs[:len(raws)]
		decodeRecords(raws, recs)
		for i := range recs {
			n := n - len(raws) + i + 1
			r, err := &recs[i].r, recs[i].err
			if err != nil {
				var te *json.UnmarshalTypeError
				if errors.As(err, &te) && te.Field != "" {
					msg := wrongType(te)
					if te.Field == "Text" && badText == "" {
						badText = fmt.Sprintf("record %d: %s", n, msg)
					}
					m.reject(n, te.Field, msg)
					continue
				}
				m.reject(n, "", fmt.Sprintf("unreadable record: %v", err))
				continue
			}
			if r.Text == nil {
				m.reject(n, "Text", "record has no Text field")
				continue
			}
			withText++
			m.add(annotation{
				pos:       n,
				rawText:   *r.Text,
				text:      recs[i].text,
				typ:       string(r.AnnotationType),
				countries: cleanList(r.Countries),
				body:      cleanList(r.Body),
				session:   firstInt(string(r.UprSession)),
				cycle:     firstInt(string(r.UprCycle)),
				symbol:    cleanItem(string(r.Symbol)),
				states:    cleanList(r.UprRecommendingCountry),
				positions: cleanList(r.UprPositions),
				themes:    cleanList(r.Themes),
				persons:   cleanList(r.AffectedPersons),
				sdgs:      cleanList(r.Sdgs),
				date:      string(r.PublicationDate),
				id:        string(r.AnnotationID),
			})
		}
		raws = raws[:0]
	}
	for dec.More() {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		n++
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			// A syntax error leaves the decoder lost: the rest is unreadable.
			return nil, models.InputError(in.Path, fmt.Errorf("record %d: %w", n, err))
		}
		if raws = append(raws, raw); len(raws) == jsonChunk {
			mapChunk()
		}
	}
	mapChunk()
	if _, err := dec.Token(); err != nil {
		return nil, models.InputError(in.Path, fmt.Errorf("after record %d: %w", n, err))
	}
	if n > 0 && withText == 0 {
		if badText != "" {
			return nil, models.InputError(in.Path, fmt.Errorf(`no record has a usable "Text" field: %s`, badText))
		}
		return nil, models.InputError(in.Path, errors.New(`not a UHRI JSON export: no record has a "Text" field`))
	}
	return m.finish(), nil
}

// jsonChunk is how many records are decoded at a time.
const jsonChunk = 4096

// decodedRecord is a record decoded, or why it could not be, and its text
// as plain text.
type decodedRecord struct {
	r    jsonRecord
	err  error
	text string
}

// decodeRecords decodes raws[i] into out[i], on every core.
func decodeRecords(raws []json.RawMessage, out []decodedRecord) {
	workers := min(runtime.GOMAXPROCS(0), (len(raws)+255)/256)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(raws); i += workers {
				out[i] = decodeRecord(raws[i])
			}
		})
	}
	wg.Wait()
}

// decodeRecord decodes one record; a failure of the decoder on strange
// input is the record's error, not a crash of the import.
func decodeRecord(raw json.RawMessage) (d decodedRecord) {
	defer func() {
		if p := recover(); p != nil {
			d = decodedRecord{err: fmt.Errorf("%v", p)}
		}
	}()
	if d.err = json.Unmarshal(raw, &d.r); d.err == nil && d.r.Text != nil {
		d.text = htmlText(*d.r.Text)
	}
	return d
}

var (
	blockTagRe = regexp.MustCompile(`(?i)<\s*(br|/p|/div|/li|/h[1-6])\b[^>]*>`)
	tagRe      = regexp.MustCompile(`<[^>]*>`)
)

// htmlText reduces the export's HTML to plain text: block ends become
// spaces so that paragraphs do not run together.
func htmlText(s string) string {
	s = blockTagRe.ReplaceAllString(s, " ")
	s = tagRe.ReplaceAllString(s, "")
	return html.UnescapeString(s)
}

// flexString reads a JSON string, number or null as text. The live export
// also writes some single values as lists ("UprSession": ["17"], or [] when
// there is none): a list gives its first item, an empty list nothing.
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*f = ""
	case len(b) > 0 && b[0] == '[':
		if items, ok := plainStrings(b); ok {
			*f = ""
			if len(items) > 0 {
				*f = flexString(items[0])
			}
			return nil
		}
		var items []flexString
		if err := json.Unmarshal(b, &items); err != nil {
			return err
		}
		*f = ""
		if len(items) > 0 {
			*f = items[0]
		}
	case len(b) > 0 && b[0] == '"':
		if s, ok := plainString(b); ok {
			*f = flexString(s)
			return nil
		}
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString(s)
	case len(b) > 0 && (b[0] == '-' || b[0] >= '0' && b[0] <= '9'):
		*f = flexString(b)
	default:
		return fmt.Errorf("expected a string or number, got %.20s", b)
	}
	return nil
}

// flexList reads a JSON array of strings, a single string or null.
type flexList []string

func (f *flexList) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*f = nil
		return nil
	case len(b) > 0 && b[0] == '"':
		if s, ok := plainString(b); ok {
			*f = splitList(s)
			return nil
		}
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = splitList(s)
		return nil
	case len(b) > 0 && b[0] == '[':
		if items, ok := plainStrings(b); ok {
			*f = (*f)[:0]
			for _, it := range items {
				*f = append(*f, strings.TrimSpace(it))
			}
			return nil
		}
	}
	var items []flexString
	if err := json.Unmarshal(b, &items); err != nil {
		return err
	}
	*f = (*f)[:0]
	for _, it := range items {
		*f = append(*f, strings.TrimSpace(string(it)))
	}
	return nil
}

// plainString returns the content of a JSON string literal (b, already
// checked by the decoder) when it needs no decoding: no escape, valid
// UTF-8. Most of the export's values are such, and taking them as they
// are spares a second decoder pass over each; anything else is left to
// encoding/json (ok false).
func plainString(b []byte) (string, bool) {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return "", false
	}
	in := b[1 : len(b)-1]
	if bytes.IndexByte(in, '\\') >= 0 || bytes.IndexByte(in, '"') >= 0 || !utf8.Valid(in) {
		return "", false
	}
	return string(in), true
}

// plainStrings returns the items of a JSON array (b, already checked by
// the decoder) when every item is a string plainString takes; ok is false
// for anything else (numbers, null, nested lists, escapes).
func plainStrings(b []byte) (items []string, ok bool) {
	ws := func(i int) int {
		for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
			i++
		}
		return i
	}
	i := ws(1)
	if i < len(b) && b[i] == ']' {
		return nil, ws(i+1) == len(b)
	}
	for i < len(b) && b[i] == '"' {
		end := bytes.IndexByte(b[i+1:], '"')
		if end < 0 {
			return nil, false
		}
		end += i + 1
		s, ok := plainString(b[i : end+1])
		if !ok {
			return nil, false
		}
		items = append(items, s)
		i = ws(end + 1)
		switch {
		case i < len(b) && b[i] == ',':
			i = ws(i + 1)
		case i < len(b) && b[i] == ']':
			return items, ws(i+1) == len(b)
		default:
			return nil, false
		}
	}
	return nil, false
}

// wrongType says what a field holds and what was expected instead, in the
// words of the export rather than Go's types.
func wrongType(te *json.UnmarshalTypeError) string {
	want := te.Type.String()
	switch te.Type.Kind() {
	case reflect.String:
		want = "text"
	case reflect.Slice, reflect.Array:
		want = "a list"
	case reflect.Int, reflect.Int64, reflect.Float64:
		want = "a number"
	}
	return fmt.Sprintf("field %q has the wrong type: %s where %s is expected", te.Field, te.Value, want)
}
