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
//
// A well-formed export is cut into its records at once (splitArray) and
// they are decoded and mapped on every core, a chunk at a time, then
// gathered in file order. A file that is not well-formed JSON goes through
// encoding/json's streaming decoder instead (importStream), which names the
// record where the syntax breaks.
func (j JSON) Import(ctx context.Context, in *extract.Input, opt extract.Options) (res *extract.Result, err error) {
	defer guard(in, &err)
	data := bytes.TrimPrefix(in.Data, []byte("\xef\xbb\xbf"))
	if raws, ok := splitArray(data); ok {
		res, ok, err := j.importSplit(ctx, in, raws)
		if ok || err != nil {
			return res, err
		}
	}
	return j.importStream(ctx, in, data)
}

// importSplit imports the records splitArray cut out of the file. ok is
// false, with no error, when one of them is not well-formed JSON: the
// streaming decoder then reports where.
func (j JSON) importSplit(ctx context.Context, in *extract.Input, raws [][]byte) (res *extract.Result, ok bool, err error) {
	m := newMapper(j.Name(), in, jsonFields)
	g := gatherer{m: m}
	out := make([]mappedRecord, min(jsonChunk, len(raws)))
	for lo := 0; lo < len(raws); lo += jsonChunk {
		if err := ctx.Err(); err != nil {
			return nil, false, err
		}
		chunk := raws[lo:min(lo+jsonChunk, len(raws))]
		out := out[:len(chunk)]
		mapRecords(m, chunk, lo, out)
		for i := range out {
			var se *json.SyntaxError
			if errors.As(out[i].err, &se) {
				return nil, false, nil
			}
		}
		for i := range out {
			g.gather(lo+i+1, &out[i])
			out[i] = mappedRecord{}
		}
	}
	res, err = g.finish(in, len(raws))
	return res, true, err
}

// importStream reads the records one at a time with encoding/json's
// decoder: the path of files splitArray does not take, whose syntax errors
// it reports with the record they are in.
func (j JSON) importStream(ctx context.Context, in *extract.Input, data []byte) (*extract.Result, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return nil, models.InputError(in.Path, fmt.Errorf("not JSON: %w", err))
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return nil, models.InputError(in.Path, errors.New("not a UHRI JSON export: expected an array of records"))
	}
	m := newMapper(j.Name(), in, jsonFields)
	g := gatherer{m: m}
	n := 0
	raws := make([][]byte, 0, jsonChunk)
	out := make([]mappedRecord, jsonChunk)
	mapChunk := func() {
		out := out[:len(raws)]
		mapRecords(m, raws, n-len(raws), out)
		for i := range out {
			g.gather(n-len(raws)+i+1, &out[i])
			out[i] = mappedRecord{}
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
	return g.finish(in, n)
}

// jsonChunk is how many records are decoded at a time.
const jsonChunk = 4096

// mappedRecord is a record decoded, or why it could not be, and what
// mapping it gave: its own mapper's records, rejections, warnings and
// skipped type, gathered into the file's in order.
type mappedRecord struct {
	decodedRecord
	sub mapper
}

// mapRecords decodes and maps raws[i], record number first+i+1 of the
// file, into out[i], on every core. Mapping a record depends on no other.
func mapRecords(m *mapper, raws [][]byte, first int, out []mappedRecord) {
	workers := min(runtime.GOMAXPROCS(0), (len(raws)+255)/256)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(raws); i += workers {
				o := &out[i]
				o.decodedRecord = decodeRecord(raws[i])
				if o.err != nil || o.r.Text == nil {
					continue
				}
				r := &o.r
				o.sub = mapper{format: m.format, in: m.in, names: m.names}
				o.sub.add(annotation{
					pos:       first + i + 1,
					rawText:   *r.Text,
					text:      o.text,
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
		})
	}
	wg.Wait()
}

// gatherer collects mapped records into the file's result in file order.
type gatherer struct {
	m        *mapper
	withText int
	badText  string // the first record whose Text is not text
}

// gather adds record n (1-based) of the file.
func (g *gatherer) gather(n int, o *mappedRecord) {
	m := g.m
	if err := o.err; err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			msg := wrongType(te)
			if te.Field == "Text" && g.badText == "" {
				g.badText = fmt.Sprintf("record %d: %s", n, msg)
			}
			m.reject(n, te.Field, msg)
			return
		}
		m.reject(n, "", fmt.Sprintf("unreadable record: %v", err))
		return
	}
	if o.r.Text == nil {
		m.reject(n, "Text", "record has no Text field")
		return
	}
	g.withText++
	m.res.Records = append(m.res.Records, o.sub.res.Records...)
	m.res.Rejected = append(m.res.Rejected, o.sub.res.Rejected...)
	m.res.Warnings = append(m.res.Warnings, o.sub.res.Warnings...)
	for t, c := range o.sub.skipped {
		m.skipped[t] += c
	}
}

// finish ends an import of n records.
func (g *gatherer) finish(in *extract.Input, n int) (*extract.Result, error) {
	if n > 0 && g.withText == 0 {
		if g.badText != "" {
			return nil, models.InputError(in.Path, fmt.Errorf(`no record has a usable "Text" field: %s`, g.badText))
		}
		return nil, models.InputError(in.Path, errors.New(`not a UHRI JSON export: no record has a "Text" field`))
	}
	return g.m.finish(), nil
}

// decodedRecord is a record decoded, or why it could not be, and its text
// as plain text.
type decodedRecord struct {
	r    jsonRecord
	err  error
	text string
}

// decodeRecord decodes one record; a failure of the decoder on strange
// input is the record's error, not a crash of the import.
func decodeRecord(raw []byte) (d decodedRecord) {
	defer func() {
		if p := recover(); p != nil {
			d = decodedRecord{err: fmt.Errorf("%v", p)}
		}
	}()
	if !decodePlainRecord(raw, &d.r) {
		d.r = jsonRecord{}
		d.err = json.Unmarshal(raw, &d.r)
	}
	if d.err == nil && d.r.Text != nil {
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
	i := skipWS(b, 1)
	if i < len(b) && b[i] == ']' {
		return nil, skipWS(b, i+1) == len(b)
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
		i = skipWS(b, end+1)
		switch {
		case i < len(b) && b[i] == ',':
			i = skipWS(b, i+1)
		case i < len(b) && b[i] == ']':
			return items, skipWS(b, i+1) == len(b)
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
