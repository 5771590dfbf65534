package uhri

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/models"
)

// fixtureRecords returns the records of the JSON fixtures as the streaming
// decoder cuts them.
func fixtureRecords(t *testing.T) []json.RawMessage {
	t.Helper()
	var out []json.RawMessage
	for _, p := range []string{sampleJSON, "testdata/uhri-export-live-shapes.json"} {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var recs []json.RawMessage
		if err := json.Unmarshal(data, &recs); err != nil {
			t.Fatal(err)
		}
		out = append(out, recs...)
	}
	return out
}

// TestPlainRecordAgreesWithEncodingJSON: whatever decodePlainRecord
// takes, it decodes as json.Unmarshal does; it takes the fixtures' records
// and leaves to encoding/json what it does not know.
func TestPlainRecordAgreesWithEncodingJSON(t *testing.T) {
	type tc struct {
		raw  string
		fast bool
	}
	var cases []tc
	for _, r := range fixtureRecords(t) {
		// The fixtures' texts hold no escapes, but the live one has a key
		// no field takes: both are the common shape.
		cases = append(cases, tc{string(r), !bytes.Contains(r, []byte(`\`))})
	}
	cases = append(cases, []tc{
		{`{}`, true},
		{` { "Text" : "<p>x</p>" , "Countries" : [ "Chile" , " Peru " ] } `, true},
		{`{"Text":null,"UprSession":17,"UprCycle":["3"],"Sdgs":null,"Themes":"- A\n- B","Body":[]}`, false}, // "\n" is an escape
		{`{"Text":"x","UprSession":-1.5e3,"UprCycle":[],"Themes":"- A","Regions":null,"Extra":[1,"a",true,null],"Other":false}`, true},
		{`{"Text":"x","text":"y"}`, false},                   // a key in another case names the field
		{`{"Text":"x","Extra":{"a":1}}`, false},              // nested object
		{`{"Text":"a\"b"}`, false},                           // escape
		{`{"Text":5}`, false},                                // wrong type: encoding/json's error
		{`{"Text":"x","Countries":[17]}`, false},             // list of numbers
		{`{"Text":"x","UprSession":true}`, false},            // flexString's error
		{`{"Text":"x","UprSession":01}`, false},              // not JSON
		{`{"Text":"x",}`, false},                             // not JSON
		{"{\"Text\":\"tab\there\"}", false},                  // control character
		{"{\"Text\":\"bad \xff byte\"}", false},              // invalid UTF-8
		{`{"Text":"x","Countries":["Chile" "Peru"]}`, false}, // not JSON
	}...)
	for _, c := range cases {
		var fast jsonRecord
		ok := decodePlainRecord([]byte(c.raw), &fast)
		if ok != c.fast {
			t.Errorf("decodePlainRecord(%.80s) = %v, want %v", c.raw, ok, c.fast)
		}
		if !ok {
			continue
		}
		var want jsonRecord
		if err := json.Unmarshal([]byte(c.raw), &want); err != nil {
			t.Errorf("%.80s: taken, but encoding/json says %v", c.raw, err)
			continue
		}
		if !reflect.DeepEqual(fast, want) {
			t.Errorf("%.80s:\n fast %s\n json %s", c.raw, describe(fast), describe(want))
		}
	}
}

func describe(r jsonRecord) string {
	text := "<nil>"
	if r.Text != nil {
		text = fmt.Sprintf("%q", *r.Text)
	}
	return fmt.Sprintf("%+v text=%s", r, text)
}

// TestSplitArrayAgreesWithDecoder: splitArray cuts an array where the
// streaming decoder does, and refuses what is not an array of values
// separated by commas.
func TestSplitArrayAgreesWithDecoder(t *testing.T) {
	for _, in := range []string{
		`[]`, ` [ ] `, `[{"a":"x]}\"y"}]`, "[\n{\"a\":[1,{\"b\":\"}\"}]},\n\"s\\\\\",\t17 , null,[[]]]", `[{"Text":"x"}]trailing`,
	} {
		got, ok := splitArray([]byte(in))
		if !ok {
			t.Errorf("splitArray(%s) refused", in)
			continue
		}
		var want []json.RawMessage
		dec := json.NewDecoder(strings.NewReader(in))
		dec.Token()
		for dec.More() {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				t.Fatal(err)
			}
			want = append(want, raw)
		}
		if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) {
			t.Errorf("splitArray(%s) = %q, decoder %q", in, got, want)
		}
	}
	for _, in := range []string{`{"a":1}`, `[{"a":1}`, `[{"a":1} {"b":2}]`, `[1,]`, `[,1]`, `[{"a":"x}]`, `[1 2]`, `[{"a":1}}]`, ``} {
		if got, ok := splitArray([]byte(in)); ok {
			t.Errorf("splitArray(%s) = %q, want it refused", in, got)
		}
	}
}

// TestSplitImportAgreesWithStream: the import on every core gives what the
// streaming decoder's import gives, records, rejections, warnings and
// errors, on the fixtures, on mixed and broken records and on broken files.
func TestSplitImportAgreesWithStream(t *testing.T) {
	var files [][]byte
	for _, p := range []string{sampleJSON, "testdata/uhri-export-live-shapes.json"} {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, data)
	}
	var recs [][]byte
	for _, r := range fixtureRecords(t) {
		recs = append(recs, r)
	}
	var mixed [][]byte
	for i, r := range recs {
		mixed = append(mixed, r)
		switch i % 5 {
		case 0:
			mixed = append(mixed, []byte(`{"AnnotationId":"x1","Text":12,"Countries":["Chile"]}`))
		case 1:
			mixed = append(mixed, []byte(`{"AnnotationId":"x2","AnnotationType":"Others","Text":"<p>Welcomes</p>","Countries":["Chile"],"Body":"- UPR"}`))
		case 2:
			mixed = append(mixed, []byte(`"not a record"`))
		case 3:
			mixed = append(mixed, []byte(`{"AnnotationId":"x3","text":"<p>Ratify \u00e9</p>","Countries":"- Chile\n- Narnia","Body":["CRC"]}`))
		}
	}
	big := append([]byte("\xef\xbb\xbf[\n"), bytes.Join(mixed, []byte(",\n"))...)
	for n := len(mixed); n < 5*jsonChunk/2; n += len(mixed) { // three chunks
		big = append(big, ',')
		big = append(big, bytes.Join(mixed, []byte(","))...)
	}
	files = append(files, append(big, ']'))
	files = append(files,
		append(append([]byte("["), bytes.Join(recs, []byte(","))...), []byte(`,{"Text":"x",}]`)...), // bad last record
		append(append([]byte("["), bytes.Join(recs, []byte(","))...), []byte(` {"Text":"x"}]`)...),  // no comma
		[]byte(`[{"Text":"<p>a</p>","Countries":["Chile"],"Body":"- UPR"}]]`),
		[]byte(`[{"Name":"x"}]`), []byte(`[]`), []byte(`[`), []byte(`{}`), []byte(`nope`))
	for i, data := range files {
		in, err := extract.NewInput("export.json", data)
		if err != nil {
			t.Fatal(err)
		}
		got, gotErr := JSON{}.Import(context.Background(), in, extract.Options{})
		want, wantErr := JSON{}.importStream(context.Background(), in, bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
		if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
			t.Errorf("file %d: error %v, streaming %v", i, gotErr, wantErr)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("file %d: results differ from the streaming import's", i)
		}
		if i == 2 && (got == nil || len(got.Records) < jsonChunk || len(got.Rejected) < jsonChunk/2 || len(got.Warnings) == 0) {
			t.Errorf("mixed file: want thousands of records and rejections and some warnings, got %d, %d, %d",
				len(got.Records), len(got.Rejected), len(got.Warnings))
		}
	}
}

// TestCleanTextShortcut: the shortcut gives models.CleanText's text.
func TestCleanTextShortcut(t *testing.T) {
	for _, s := range []string{"", " ", "Chile", "Ratify the Convention", " lead", "trail ", "two  spaces", "tab\there",
		"line\nend", "Côte d’Ivoire", "non\u00a0breaking", "soft\u00adhyphen", "bell\x07", "- UPR", "a"} {
		if got, want := cleanText(s), models.CleanText(s); got != want {
			t.Errorf("cleanText(%q) = %q, models.CleanText %q", s, got, want)
		}
	}
}
