package uhri

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/models"
)

const (
	sampleXLSX = "testdata/uhri-export-sample.xlsx"
	sampleJSON = "testdata/uhri-export-sample.json"
)

func load(t *testing.T, imp extract.Importer, path string) *extract.Result {
	t.Helper()
	in, err := extract.ReadInput(path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := imp.Import(context.Background(), in, extract.Options{})
	if err != nil {
		t.Fatalf("import %s: %v", path, err)
	}
	return res
}

type rejection struct {
	Row   int
	Field string
	Msg   string
}

func TestImportSample(t *testing.T) {
	tests := []struct {
		imp      extract.Importer
		path     string
		rejected []rejection
	}{
		{XLSX{}, sampleXLSX, []rejection{
			{43, "Countries Concerned", "no country concerned (a regional or thematic record)"},
			{44, "Text", "no text"},
			{45, "Countries Concerned", `unknown country "Serbia and Montenegro"`},
		}},
		{JSON{}, sampleJSON, []rejection{
			{42, "Countries", "no country concerned (a regional or thematic record)"},
			{43, "Text", "no text"},
			{44, "Countries", `unknown country "Serbia and Montenegro"`},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.imp.Name(), func(t *testing.T) {
			res := load(t, tt.imp, tt.path)
			if len(res.Records) != 42 {
				t.Errorf("got %d records, want 42", len(res.Records))
			}
			count := map[string]int{}
			for _, r := range res.Records {
				count[string(r.Mechanism)]++
				count[r.Kind]++
				if err := r.Validate(); err != nil {
					t.Errorf("%s: %v", r.Sources[0].Locator, err)
				}
				if len(r.Sources) != 1 || r.Sources[0].Format != tt.imp.Name() || r.Sources[0].SourceID == "" {
					t.Errorf("%s: bad source %+v", r.Sources[0].Locator, r.Sources)
				}
			}
			want := map[string]int{"UPR": 22, "TB": 17, "SP": 3, models.KindConcern: 10, models.KindRecommendation: 32}
			if !reflect.DeepEqual(count, want) {
				t.Errorf("counts %v, want %v", count, want)
			}
			var got []rejection
			for _, e := range res.Rejected {
				if e.File != tt.path {
					t.Errorf("rejection names file %q, want %q", e.File, tt.path)
				}
				got = append(got, rejection{e.Row, e.Field, e.Msg})
			}
			if !reflect.DeepEqual(got, tt.rejected) {
				t.Errorf("rejected %+v\nwant %+v", got, tt.rejected)
			}
			if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], `skipped 1 annotation(s) of type "Others"`) {
				t.Errorf("warnings %q, want one about the Others row", res.Warnings)
			}
		})
	}
}

func labelsOf(r models.Recommendation, scheme string) []string {
	var out []string
	for _, l := range r.Labels {
		if l.Scheme == scheme {
			out = append(out, l.Value)
		}
	}
	return out
}

func TestRecordFields(t *testing.T) {
	res := load(t, XLSX{}, sampleXLSX)
	byLoc := map[string]models.Recommendation{}
	for _, r := range res.Records {
		byLoc[r.Sources[0].Locator] = r
	}
	tests := []struct {
		loc                                        string
		kind, iso3, body, para, date, resp, symbol string
		session, cycle                             int
		states, themes, sdgs, persons              []string
		textPrefix                                 string
	}{
		{loc: "row 17", kind: models.KindRecommendation, iso3: "SVN", body: "UPR", para: "115.16", date: "2014-12-10",
			resp: models.ResponseSupported, symbol: "A/HRC/28/15", session: 20, cycle: 2,
			states:     []string{"ARG", "BEL", "FRA", "SLE", "TUN"},
			themes:     []string{"Enforced disappearances", "Ratification of & accession to international instruments"},
			persons:    []string{"Disappeared persons"},
			textPrefix: "Ratify the International Convention for the Protection of All Persons from Enforced Disappearance"},
		{loc: "row 6", kind: models.KindRecommendation, iso3: "CHN", body: "UPR", para: "28.191", date: "2018-12-26",
			resp: models.ResponseNoted, symbol: "A/HRC/40/6", session: 31, cycle: 3, states: []string{"CZE"},
			themes: []string{"Arbitrary arrest & detention", "Freedom of thought, conscience & religion"},
			sdgs:   []string{"16"}, persons: []string{"Minorities/ racial, ethnic, linguistic, religious or descent-based groups"},
			textPrefix: "Ensure freedom of religion or belief and end the detention"},
		{loc: "row 22", kind: models.KindConcern, iso3: "DNK", body: "CCPR", date: "2016-08-15", symbol: "CCPR/C/DNK/CO/6",
			themes: []string{"Discrimination against women", "Participation of women in political & public life"},
			sdgs:   []string{"5", "5.5"}, persons: []string{"Women & girls"},
			textPrefix: "While noting measures taken by the State party to improve gender equality"},
		{loc: "row 38", kind: models.KindRecommendation, iso3: "SVN", body: "SR", date: "2011-07-04", symbol: "A/HRC/18/33/Add.2",
			themes: []string{"Human rights & poverty", "Data collection & research"}, sdgs: []string{"1", "17.18"},
			persons: []string{"Persons living in poverty"}, textPrefix: "The independent expert on water and sanitation recommended"},
		{loc: "row 41 country 2", kind: models.KindRecommendation, iso3: "XKX", body: "UPR", resp: models.ResponseSupported,
			session: 15, cycle: 2, states: []string{"FRA"}, themes: []string{"Rights related to name, identity & nationality"},
			sdgs: []string{"16.9"}, persons: []string{"Internally displaced persons", "Roma, Gypsies, Sinti & Travellers"},
			textPrefix: "Assist the Roma and Ashkali persons displaced from Kosovo"},
	}
	for _, tt := range tests {
		t.Run(tt.loc, func(t *testing.T) {
			r, ok := byLoc[tt.loc]
			if !ok {
				t.Fatalf("no record at %s", tt.loc)
			}
			got := []any{r.Kind, r.CountryISO3, r.Body, r.Paragraph, r.Date, r.Response, r.Symbol, r.Session, r.Cycle,
				r.RecommendingStates, labelsOf(r, models.SchemeUHRITheme), labelsOf(r, models.SchemeUHRISDG), labelsOf(r, models.SchemeAffectedPersons)}
			want := []any{tt.kind, tt.iso3, tt.body, tt.para, tt.date, tt.resp, tt.symbol, tt.session, tt.cycle,
				tt.states, tt.themes, tt.sdgs, tt.persons}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got  %v\nwant %v", got, want)
			}
			if !strings.HasPrefix(r.Text, tt.textPrefix) {
				t.Errorf("text %q, want prefix %q", r.Text, tt.textPrefix)
			}
			if strings.HasSuffix(r.Text, ";") || strings.HasSuffix(r.Text, ")") && r.Mechanism == models.MechanismUPR {
				t.Errorf("UPR text keeps its recommending States: %q", r.Text)
			}
		})
	}
}

// The two exports of the same annotations must give the same records,
// except the session, which only the XLSX export has.
func TestXLSXAndJSONAgree(t *testing.T) {
	x, j := load(t, XLSX{}, sampleXLSX), load(t, JSON{}, sampleJSON)
	if len(x.Records) != len(j.Records) {
		t.Fatalf("xlsx %d records, json %d", len(x.Records), len(j.Records))
	}
	for i := range x.Records {
		a, b := x.Records[i], j.Records[i]
		if a.Sources[0].SourceID != b.Sources[0].SourceID {
			t.Errorf("record %d: annotation id %q vs %q", i, a.Sources[0].SourceID, b.Sources[0].SourceID)
		}
		a.Session, a.Sources, b.Sources = 0, nil, nil
		for k := range a.Labels {
			a.Labels[k].Source = ""
		}
		for k := range b.Labels {
			b.Labels[k].Source = ""
		}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("record %d differs:\nxlsx %+v\njson %+v", i, a, b)
		}
	}
}

func TestJSONHTMLText(t *testing.T) {
	in, err := extract.NewInput("x.json", []byte(`[{"AnnotationId":"a1","Text":"<p>Ensure that &#39;erased&#39; persons&nbsp;obtain status;</p><p>and report back.</p>",
		"Body":"- CERD","AnnotationType":"Recommendations","Countries":["Slovenia"],"Sdgs":null,"PublicationDate":"2010-03-15T00:00:00Z","UprCycle":null}]`))
	if err != nil {
		t.Fatal(err)
	}
	res, err := JSON{}.Import(context.Background(), in, extract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Records) != 1 {
		t.Fatalf("got %d records, rejected %v", len(res.Records), res.Rejected)
	}
	r := res.Records[0]
	if r.Text != "Ensure that 'erased' persons obtain status; and report back." || r.Body != "CERD" || r.Date != "2010-03-15" {
		t.Errorf("got text %q body %q date %q", r.Text, r.Body, r.Date)
	}
}

func TestSDGCode(t *testing.T) {
	for in, want := range map[string]string{
		"8 - DECENT WORK AND ECONOMIC GROWTH":                    "8",
		"8.7 - End modern slavery, trafficking and child labour": "8.7",
		"16.a - Strong institutions to prevent violence":         "16.a",
		"16 - PEACE, JUSTICE AND STRONG INSTITUTIONS":            "16",
		"Sustainable Development Goal implementation":            "Sustainable Development Goal implementation",
	} {
		if got := sdgCode(in); got != want {
			t.Errorf("sdgCode(%q) = %q, want %q", in, got, want)
		}
	}
}

func writeWorkbook(t *testing.T, header []string, row []string) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, h := range header {
		c, _ := excelize.CoordinatesToCellName(i+1, 1)
		f.SetCellValue("Sheet1", c, h)
		if i < len(row) {
			c, _ = excelize.CoordinatesToCellName(i+1, 2)
			f.SetCellValue("Sheet1", c, row[i])
		}
	}
	p := filepath.Join(t.TempDir(), "export.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestWholeFileErrors(t *testing.T) {
	missingCols := writeWorkbook(t, []string{"Text", "Countries"}, []string{"Ratify OP-CAT", "- Chile"})
	zipData, err := os.ReadFile(missingCols)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		imp  extract.Importer
		data []byte
		want []string
	}{
		{"missing columns", XLSX{}, zipData, []string{`"Countries Concerned"`, `"Reccomending Body"`}},
		{"truncated workbook", XLSX{}, zipData[:len(zipData)/2], []string{"export.xlsx"}},
		{"csv is not xlsx", XLSX{}, []byte("Text,Countries Concerned\nx,y\n"), []string{"not an .xlsx workbook"}},
		{"json object", JSON{}, []byte(`{"Text":"x"}`), []string{"expected an array"}},
		{"json truncated", JSON{}, []byte(`[{"Text":"<p>x</p>","Countries":["Chile"]}, {"Text":"y`), []string{"record 2"}},
		{"json without texts", JSON{}, []byte(`[{"Name":"x"},{"Name":"y"}]`), []string{`no record has a "Text" field`}},
		{"json with numbers for texts", JSON{}, []byte(`[{"AnnotationId":"a1","Text":12,"Countries":["Chile"]},{"AnnotationId":"a2","Text":13}]`),
			[]string{`record 1: field "Text" has the wrong type: number where text is expected`}},
		{"not json", JSON{}, []byte("Text;Body\n"), []string{"not JSON"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := extract.NewInput("export.xlsx", tt.data)
			if err != nil {
				t.Fatal(err)
			}
			_, err = tt.imp.Import(context.Background(), in, extract.Options{})
			if err == nil {
				t.Fatal("no error")
			}
			if models.CodeOf(err) != models.ExitBadInput {
				t.Errorf("exit code %d, want %d", models.CodeOf(err), models.ExitBadInput)
			}
			for _, w := range append(tt.want, "export.xlsx") {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %s", err, w)
				}
			}
		})
	}
}

func TestUnknownBodyRejected(t *testing.T) {
	p := writeWorkbook(t, []string{"Text", "Countries Concerned", "Reccomending Body", "Type"},
		[]string{"Ratify OP-CAT", "- Chile", "- Some Forum", "Recommendations"})
	res := load(t, XLSX{}, p)
	want := []models.RowError{{File: p, Row: 2, Field: "Reccomending Body", Msg: `unknown body "Some Forum"`}}
	if len(res.Records) != 0 || !reflect.DeepEqual(res.Rejected, want) {
		t.Errorf("records %d, rejected %+v", len(res.Records), res.Rejected)
	}
}

func TestSniff(t *testing.T) {
	x, _ := extract.ReadInput(sampleXLSX)
	j, _ := extract.ReadInput(sampleJSON)
	csv, _ := extract.NewInput("a.csv", []byte("Text,Countries Concerned,Reccomending Body\n"))
	other, _ := extract.NewInput("a.json", []byte(`[{"id":1}]`))
	for _, tt := range []struct {
		imp  extract.Importer
		in   *extract.Input
		want int
	}{
		{XLSX{}, x, 95}, {XLSX{}, j, 0}, {XLSX{}, csv, 0},
		{JSON{}, j, 95}, {JSON{}, x, 0}, {JSON{}, other, 0},
	} {
		if got := tt.imp.Sniff(tt.in); got != tt.want {
			t.Errorf("%s.Sniff(%s) = %d, want %d", tt.imp.Name(), tt.in.Name, got, tt.want)
		}
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tt := range []struct {
		imp  extract.Importer
		path string
	}{{XLSX{}, sampleXLSX}, {JSON{}, sampleJSON}} {
		in, _ := extract.ReadInput(tt.path)
		if _, err := tt.imp.Import(ctx, in, extract.Options{}); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: got %v, want context.Canceled", tt.imp.Name(), err)
		}
	}
}

// The JSON fixture must keep the export's shape: every documented key on
// every record.
func TestJSONFixtureKeys(t *testing.T) {
	data, err := os.ReadFile(sampleJSON)
	if err != nil {
		t.Fatal(err)
	}
	var recs []map[string]any
	if err := json.Unmarshal(data, &recs); err != nil {
		t.Fatal(err)
	}
	keys := []string{"AnnotationId", "Text", "Symbol", "DocumentId", "Body", "AnnotationType", "Countries", "Regions",
		"Themes", "Sdgs", "AffectedPersons", "PublicationDate", "UprCycle", "UprPositions", "UprRecommendingCountry"}
	for i, r := range recs {
		for _, k := range keys {
			if _, ok := r[k]; !ok {
				t.Errorf("record %d lacks %s", i+1, k)
			}
		}
	}
}

// TestJSONWrongTypeNamesField checks that a record whose Text is a number
// is rejected naming the field and the types, while the others import.
func TestJSONWrongTypeNamesField(t *testing.T) {
	data := []byte(`[{"AnnotationId":"a1","AnnotationType":"Recommendation","Text":"<p>Ratify the CAT</p>","Body":["CCPR"],"Countries":["Chile"]},
		{"AnnotationId":"a2","AnnotationType":"Recommendation","Text":42,"Body":["CCPR"],"Countries":["Chile"]}]`)
	in, err := extract.NewInput("export.json", data)
	if err != nil {
		t.Fatal(err)
	}
	res, err := JSON{}.Import(context.Background(), in, extract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rejected) != 1 {
		t.Fatalf("rejected %v, want one", res.Rejected)
	}
	r := res.Rejected[0]
	if r.Row != 2 || r.Field != "Text" || r.Msg != `field "Text" has the wrong type: number where text is expected` {
		t.Errorf("rejected %+v", r)
	}
}

// The live export writes the session as a list ("UprSession": ["17"], []
// when there is none) and the body and kind with a leading "- ": every
// record must still import, with the values a reader expects.
func TestJSONLiveValueShapes(t *testing.T) {
	res := load(t, JSON{}, "testdata/uhri-export-live-shapes.json")
	if len(res.Rejected) > 0 {
		t.Fatalf("rejected: %+v", res.Rejected)
	}
	if len(res.Records) != 3 {
		t.Fatalf("%d records, want 3", len(res.Records))
	}
	byBody := map[string][]models.Recommendation{}
	for _, r := range res.Records {
		byBody[r.Body] = append(byBody[r.Body], r)
	}
	crc := byBody["CRC"]
	if len(crc) != 1 || crc[0].Kind != models.KindConcern || crc[0].CountryISO3 != "PER" || crc[0].Session != 0 ||
		crc[0].Date != "2025-02-12" || crc[0].Symbol != "CRC/C/PER/CO/6-7" {
		t.Errorf("CRC record: %+v", crc)
	}
	upr := byBody["UPR"]
	if len(upr) != 2 {
		t.Fatalf("UPR records: %d, want 2", len(upr))
	}
	for _, r := range upr {
		if r.Session != 17 || r.Cycle != 2 || r.CountryISO3 != "CHN" || r.Kind != models.KindRecommendation {
			t.Errorf("UPR record %s: session %d cycle %d country %s kind %s", r.Paragraph, r.Session, r.Cycle, r.CountryISO3, r.Kind)
		}
	}
}

// TestJSONChunksKeepFileOrder imports an export of more records than are
// decoded at a time, with bad records in the first, a middle and the last
// chunk: each is rejected with its own position, and the records come out
// in the file's order with their own texts.
func TestJSONChunksKeepFileOrder(t *testing.T) {
	const n = 2*jsonChunk + 100
	bad := map[int]bool{1: true, jsonChunk + 1: true, n: true}
	var b strings.Builder
	b.WriteString("[")
	countries := []string{"Chile", "Peru", "Kenya", "Nepal"}
	for i := 1; i <= n; i++ {
		if i > 1 {
			b.WriteString(",\n")
		}
		text := `"<p>Ratify the Convention, item ` + strconv.Itoa(i) + `</p>"`
		if bad[i] {
			text = strconv.Itoa(i)
		}
		b.WriteString(`{"AnnotationId":"a` + strconv.Itoa(i) + `","AnnotationType":"Recommendation","Text":` + text +
			`,"Body":["CCPR"],"Countries":["` + countries[i%len(countries)] + `"]}`)
	}
	b.WriteString("]")
	in, err := extract.NewInput("export.json", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	res, err := JSON{}.Import(context.Background(), in, extract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var rows []int
	for _, r := range res.Rejected {
		if r.Field != "Text" {
			t.Errorf("rejected %+v: want the Text field named", r)
		}
		rows = append(rows, r.Row)
	}
	if !reflect.DeepEqual(rows, []int{1, jsonChunk + 1, n}) {
		t.Errorf("rejected rows %v, want [1 %d %d]", rows, jsonChunk+1, n)
	}
	if len(res.Records) != n-3 {
		t.Fatalf("%d records, want %d", len(res.Records), n-3)
	}
	for k, r := range res.Records {
		i := k + 2 // record 1 was rejected
		if i > jsonChunk {
			i++
		}
		want := "Ratify the Convention, item " + strconv.Itoa(i)
		if strings.TrimSpace(r.Text) != want {
			t.Fatalf("record %d reads %q, want %q", k+1, r.Text, want)
		}
	}
}

// TestPlainJSONStrings: the decoder's shortcut for strings without
// escapes gives what encoding/json gives, and leaves every other value
// (escapes, invalid UTF-8, numbers, null, nested lists) to it.
func TestPlainJSONStrings(t *testing.T) {
	for _, tc := range []struct {
		in   string
		fast bool
	}{
		{`"A/HRC/39/9"`, true},
		{`"Côte d'Ivoire"`, true},
		{`""`, true},
		{`"say \"no\""`, false},
		{`"line\nbreak"`, false},
		{`"\u00e9"`, false},
		{"\"bad \xff byte\"", false},
	} {
		s, ok := plainString([]byte(tc.in))
		if ok != tc.fast {
			t.Errorf("plainString(%s) ok = %v, want %v", tc.in, ok, tc.fast)
		}
		var want string
		if err := json.Unmarshal([]byte(tc.in), &want); err != nil {
			t.Fatal(err)
		}
		if ok && s != want {
			t.Errorf("plainString(%s) = %q, encoding/json %q", tc.in, s, want)
		}
	}
	for _, tc := range []struct {
		in   string
		fast bool
	}{
		{`["Women", "Children" ]`, true},
		{"[ \"Rule of law\",\n\t\"Migrants\"]", true},
		{`[]`, true},
		{`[ ]`, true},
		{`["17"]`, true},
		{`[17]`, false},
		{`["a", null]`, false},
		{`[["x"]]`, false},
		{`["a\"b", "c"]`, false},
		{`["a" "b"]`, false},
	} {
		items, ok := plainStrings([]byte(tc.in))
		if ok != tc.fast {
			t.Errorf("plainStrings(%s) ok = %v, want %v", tc.in, ok, tc.fast)
		}
		if !ok {
			continue
		}
		var want []string
		if err := json.Unmarshal([]byte(tc.in), &want); err != nil {
			t.Fatal(err)
		}
		if strings.Join(items, "|") != strings.Join(want, "|") || len(items) != len(want) {
			t.Errorf("plainStrings(%s) = %q, encoding/json %q", tc.in, items, want)
		}
	}
	// Through the record: the same values either way.
	var r jsonRecord
	in := `{"AnnotationId": "abc", "UprSession": ["17"], "UprCycle": 3, "Countries": ["France", " Chad "], "Themes": "A\nB", "Sdgs": null, "Body": ["UPR", "x\"y"]}`
	if err := json.Unmarshal([]byte(in), &r); err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprintf("%s|%s|%s|%q|%q|%q|%q", r.AnnotationID, r.UprSession, r.UprCycle, r.Countries, r.Themes, r.Sdgs, r.Body)
	if want := `abc|17|3|["France" "Chad"]|["A" "B"]|[]|["UPR" "x\"y"]`; got != want {
		t.Errorf("record = %s, want %s", got, want)
	}
}
