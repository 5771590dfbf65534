package uprinfo

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/internal/shared"
	"github.com/nmirf/nmirf/models"
)

const (
	sampleMac  = "testdata/upr-info-sample-macroman-cr.csv"
	sampleUTF8 = "testdata/upr-info-sample-utf8-lf.csv"
)

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func input(t testing.TB, path string, data []byte) *extract.Input {
	t.Helper()
	in, err := extract.NewInput(path, data)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func run(t testing.TB, im *Importer, path string, data []byte) *extract.Result {
	t.Helper()
	res, err := im.Import(context.Background(), input(t, path, data), extract.Options{})
	if err != nil {
		t.Fatalf("import %s: %v", path, err)
	}
	return res
}

// byRow indexes records by their source line.
func byRow(recs []models.Recommendation) map[string]models.Recommendation {
	m := map[string]models.Recommendation{}
	for _, r := range recs {
		m[r.Sources[0].Locator] = r
	}
	return m
}

func labels(r models.Recommendation) []string {
	var out []string
	for _, l := range r.Labels {
		out = append(out, l.Scheme+":"+l.Value)
	}
	return out
}

func TestImportSample(t *testing.T) {
	mac := readFile(t, sampleMac)
	utf8LF := readFile(t, sampleUTF8)
	files := []struct {
		name string
		data []byte
	}{
		{"macroman-cr.csv", mac},
		{"utf8-lf.csv", utf8LF},
		{"utf8-crlf.csv", bytes.ReplaceAll(utf8LF, []byte("\n"), []byte("\r\n"))},
		{"utf8-semicolon.csv", semicolons(t, utf8LF)},
	}
	rows := []struct {
		row      string
		text     string
		iso3     string
		country  string
		states   []string
		session  int
		response string
		labels   []string
	}{
		{"row 2", "Enact legislation and take effective measures to protect and promote women's rights, especially with regard to forced marriages, honour killings and access to education for all girls.",
			"AFG", "Afghanistan", []string{"AUT"}, 5, models.ResponseSupported,
			[]string{"upr-info-issue:Rights of the Child", "upr-info-issue:Women's rights", "upr-info-action:5"}},
		{"row 202", "Consider signature and ratification of ILO Conventions No. 138 and 182.",
			"IND", "India", []string{"BRA"}, 1, models.ResponseNoted,
			[]string{"upr-info-issue:International instruments", "upr-info-issue:Labour", "upr-info-issue:Rights of the Child", "upr-info-action:3"}},
		// From is "&#40;Unknown&#41;" in the export: kept, with no State.
		{"row 211", "Indonesia is encouraged to identify its capacity building needs related to the Universal Periodic Review follow-up and seek regional and international cooperation in this regard, including through integration of the Universal Periodic Review recommendations, as appropriate, into its national development strategy and into its dialogue with relevant stakeholders through existing mechanisms. Such capacity-building needs could pertain, inter alia, to issues such as harmonization of local laws with national and international standards or to strengthening national human rights institutions",
			"IDN", "Indonesia", nil, 1, models.ResponseSupported,
			[]string{"upr-info-issue:Civil society", "upr-info-issue:NHRI", "upr-info-issue:Technical assistance and cooperation", "upr-info-issue:UPR process", "upr-info-action:1"}},
		{"row 229", "While recognizing achievements of the Instance Equité - Reconciliation (IER), to continue to implement the remaining recommendations of the IER.",
			"MAR", "Morocco", []string{"NLD"}, 1, models.ResponseSupported,
			[]string{"upr-info-issue:Justice", "upr-info-action:2"}},
		{"row 238", "Contribute towards combating impunity internationally, as soon as possible the mandate bestowed on it by the African Union and to bring the former head of State of Chad, Mr. Hissène Habré to justice",
			"SEN", "Senegal", []string{"IRL"}, 4, models.ResponseNoted,
			[]string{"upr-info-issue:Impunity", "upr-info-action:4"}},
		{"row 249", "Ensure urgently, through stable and systematic funding, continued functioning of the two bilingual Slovenian-Hungarian schools in Gornji Senik/Felsöszölnök and Stevanovic/Apátistvánfalva",
			"HUN", "Hungary", []string{"SVN"}, 11, models.ResponseSupported,
			[]string{"upr-info-issue:Minorities", "upr-info-issue:Right to education", "upr-info-action:4"}},
		{"row 271", "Engage in a review of special security laws, with a view to amending legislation and regulations which restrict or deny freedoms of expression, association and peaceful assembly that are inconsistent with obligations under international law, including the Internal Security Act, the Computer Crimes Act, the Emergency Decree, the Official Information Act, and lèse-majesté provisions",
			"THA", "Thailand", []string{"CAN"}, 12, models.ResponseNoted,
			[]string{"upr-info-issue:Freedom of association and peaceful assembly", "upr-info-issue:Freedom of opinion and expression", "upr-info-action:3"}},
	}
	var first []models.Recommendation
	for _, f := range files {
		t.Run(f.name, func(t *testing.T) {
			if got := CSV.Sniff(input(t, f.name, f.data)); got != 95 {
				t.Errorf("CSV.Sniff = %d, want 95", got)
			}
			res := run(t, CSV, f.name, f.data)
			if len(res.Records) != 270 || len(res.Rejected) != 0 {
				t.Fatalf("got %d records, %d rejected (%v); want 270, 0", len(res.Records), len(res.Rejected), res.Rejected)
			}
			// The only warning is the one about the nine "(Unknown)" rows.
			if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "9 row(s) name no recommending State") {
				t.Errorf("warnings = %q", res.Warnings)
			}
			counts := map[string]int{}
			sessions := map[int]int{}
			for _, r := range res.Records {
				counts[r.Response]++
				sessions[r.Session]++
				if err := r.Validate(); err != nil {
					t.Errorf("%s: %v", r.Sources[0].Locator, err)
				}
				if r.Mechanism != models.MechanismUPR || r.Body != "UPR" || r.Cycle != 1 || r.ActionCategory < 1 {
					t.Errorf("%s: mechanism %q body %q cycle %d action %d", r.Sources[0].Locator, r.Mechanism, r.Body, r.Cycle, r.ActionCategory)
				}
			}
			if want := map[string]int{models.ResponseSupported: 200, models.ResponseNoted: 70}; !reflect.DeepEqual(counts, want) {
				t.Errorf("responses = %v, want %v", counts, want)
			}
			if want := map[int]int{1: 82, 3: 3, 4: 11, 5: 147, 11: 11, 12: 16}; !reflect.DeepEqual(sessions, want) {
				t.Errorf("sessions = %v, want %v", sessions, want)
			}
			got := byRow(res.Records)
			for _, w := range rows {
				r, ok := got[w.row]
				if !ok {
					t.Errorf("%s missing", w.row)
					continue
				}
				if r.Text != w.text {
					t.Errorf("%s text = %q\nwant %q", w.row, r.Text, w.text)
				}
				if r.CountryISO3 != w.iso3 || r.CountryName != w.country || !reflect.DeepEqual(r.RecommendingStates, w.states) {
					t.Errorf("%s country %s (%s) states %v, want %s (%s) %v", w.row, r.CountryISO3, r.CountryName, r.RecommendingStates, w.iso3, w.country, w.states)
				}
				if r.Session != w.session || r.Response != w.response {
					t.Errorf("%s session %d response %q, want %d %q", w.row, r.Session, r.Response, w.session, w.response)
				}
				if !reflect.DeepEqual(labels(r), w.labels) {
					t.Errorf("%s labels = %v, want %v", w.row, labels(r), w.labels)
				}
				for _, l := range r.Labels {
					if l.Source != "upr-info-csv" {
						t.Errorf("%s label source %q", w.row, l.Source)
					}
				}
				src := r.Sources[0]
				if src.Format != "upr-info-csv" || src.File != f.name || len(src.FileSHA256) != 64 {
					t.Errorf("%s source = %+v", w.row, src)
				}
			}
			if raw := got["row 238"].Sources[0].RawText; !strings.HasSuffix(raw, "Hissène Habré to justice ") {
				t.Errorf("row 238 raw text %q lost its trailing space or accents", raw)
			}
			if got["row 238"].ResponseRaw != "Noted" {
				t.Errorf("row 238 response raw %q", got["row 238"].ResponseRaw)
			}
			// The three encodings and line ends give the same records.
			if first == nil {
				first = res.Records
				return
			}
			for i := range res.Records {
				a, b := first[i], res.Records[i]
				a.Sources, b.Sources = nil, nil
				if !reflect.DeepEqual(a, b) {
					t.Fatalf("record %d differs from the MacRoman/CR file:\n%+v\n%+v", i, b, a)
				}
				if first[i].Sources[0].RawText != res.Records[i].Sources[0].RawText || first[i].Sources[0].Locator != res.Records[i].Sources[0].Locator {
					t.Fatalf("record %d source differs: %+v vs %+v", i, res.Records[i].Sources[0], first[i].Sources[0])
				}
			}
		})
	}
}

// semicolons re-writes a CSV with ";" between fields, as a spreadsheet in a
// French or German locale saves it.
func semicolons(t *testing.T, data []byte) []byte {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Comma = ';'
	w.WriteAll(recs)
	return b.Bytes()
}

func TestSplitIssues(t *testing.T) {
	// A name holding a comma, as a later UPR Info list may have, must not be
	// split; the real 2008–2013 list has none, so one is added here.
	issueIndex[issueKey("Right to an adequate standard of living, food")] = "Right to an adequate standard of living, food"
	defer delete(issueIndex, issueKey("Right to an adequate standard of living, food"))
	tests := []struct {
		raw     string
		issues  []string
		unknown []string
	}{
		{"Rights of the Child,Women's rights", []string{"Rights of the Child", "Women's rights"}, nil},
		{"Freedom of association and peaceful assembly,Torture and other CID treatment",
			[]string{"Freedom of association and peaceful assembly", "Torture and other CID treatment"}, nil},
		{"rights of the child, NHRI ,  Justice", []string{"Rights of the Child", "NHRI", "Justice"}, nil},
		{"Justice,Right to an adequate standard of living,food,Poverty",
			[]string{"Justice", "Right to an adequate standard of living, food", "Poverty"}, nil},
		{"Business and human rights,Right to water and sanitation", []string{"Business and human rights", "Right to water and sanitation"}, nil},
		{"Space law,Justice,Justice", []string{"Space law", "Justice"}, []string{"Space law"}},
		{"", nil, nil},
	}
	for _, tt := range tests {
		issues, unknown := splitIssues(tt.raw)
		if !reflect.DeepEqual(issues, tt.issues) || !reflect.DeepEqual(unknown, tt.unknown) {
			t.Errorf("splitIssues(%q) = %q, %q; want %q, %q", tt.raw, issues, unknown, tt.issues, tt.unknown)
		}
	}
}

// edit returns the UTF-8 sample with the fields of some lines changed.
func edit(t *testing.T, change func(line int, fields []string) []string) []byte {
	t.Helper()
	lines := strings.Split(string(readFile(t, sampleUTF8)), "\n")
	for i, l := range lines {
		if l == "" {
			continue
		}
		rec, err := readLine(l)
		if err != nil {
			t.Fatal(err)
		}
		if out := change(i+1, rec); out != nil {
			lines[i] = writeLine(out)
		}
	}
	return []byte(strings.Join(lines, "\n"))
}

func readLine(l string) ([]string, error) {
	return csv.NewReader(strings.NewReader(l)).Read()
}

func writeLine(fields []string) string {
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write(fields)
	w.Flush()
	return strings.TrimSuffix(b.String(), "\n")
}

func TestBadRows(t *testing.T) {
	tests := []struct {
		name     string
		change   func(line int, f []string) []string
		rejected []models.RowError // Msg checked by substring
		warning  string
		records  int
	}{
		{"unknown country in To", func(line int, f []string) []string {
			if line == 3 {
				f[0] = "Atlantis"
				return f
			}
			return nil
		}, []models.RowError{{File: "edited.csv", Row: 3, Field: "To", Msg: `unknown country "Atlantis"`}}, "", 269},
		{"unknown country in From", func(line int, f []string) []string {
			if line == 4 {
				f[4] = "Austria, Ruritania"
				return f
			}
			return nil
		}, []models.RowError{{File: "edited.csv", Row: 4, Field: "From", Msg: `unknown recommending State "Ruritania"`}}, "", 269},
		{"empty text", func(line int, f []string) []string {
			if line == 10 {
				f[3] = "  "
				return f
			}
			return nil
		}, []models.RowError{{File: "edited.csv", Row: 10, Field: "Text", Msg: "text is empty"}}, "", 269},
		{"session not a number", func(line int, f []string) []string {
			if line == 20 {
				f[10] = "fifth"
				return f
			}
			return nil
		}, []models.RowError{{File: "edited.csv", Row: 20, Field: "Session", Msg: `session "fifth"`}}, "", 269},
		{"action out of range kept", func(line int, f []string) []string {
			if line == 30 {
				f[8] = "7"
				return f
			}
			return nil
		}, nil, `edited.csv row 30: action "7"`, 270},
		{"unknown issue kept", func(line int, f []string) []string {
			if line == 31 {
				f[9] = "Justice,Space law"
				return f
			}
			return nil
		}, nil, `edited.csv row 31: issue "Space law"`, 270},
		{"several States in From", func(line int, f []string) []string {
			if line == 2 {
				f[4] = "Austria, France and Trinidad & Tobago"
				return f
			}
			return nil
		}, nil, "", 270},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := run(t, CSV, "edited.csv", edit(t, tt.change))
			if len(res.Records) != tt.records || len(res.Rejected) != len(tt.rejected) {
				t.Fatalf("got %d records, rejected %v; want %d records, %d rejected", len(res.Records), res.Rejected, tt.records, len(tt.rejected))
			}
			for i, w := range tt.rejected {
				g := res.Rejected[i]
				if g.File != w.File || g.Row != w.Row || g.Field != w.Field || !strings.Contains(g.Msg, w.Msg) {
					t.Errorf("rejected %+v, want %+v", g, w)
				}
			}
			if tt.warning != "" && !strings.Contains(strings.Join(res.Warnings, "\n"), tt.warning) {
				t.Errorf("warnings %q lack %q", res.Warnings, tt.warning)
			}
			rows := byRow(res.Records)
			switch tt.name {
			case "action out of range kept":
				if r := rows["row 30"]; r.ActionCategory != 0 || len(labels(r)) == 0 || strings.HasPrefix(labels(r)[len(r.Labels)-1], "upr-info-action") {
					t.Errorf("row 30 action %d labels %v", r.ActionCategory, labels(r))
				}
			case "unknown issue kept":
				if got := labels(rows["row 31"]); !reflect.DeepEqual(got, []string{"upr-info-issue:Justice", "upr-info-issue:Space law", "upr-info-action:4"}) {
					t.Errorf("row 31 labels %v", got)
				}
			case "several States in From":
				if got := rows["row 2"].RecommendingStates; !reflect.DeepEqual(got, []string{"AUT", "FRA", "TTO"}) {
					t.Errorf("row 2 states %v", got)
				}
			}
		})
	}
}

func TestBadFiles(t *testing.T) {
	mac := readFile(t, sampleMac)
	garbage := make([]byte, 4096)
	for i := range garbage {
		garbage[i] = byte(i * 7 % 251)
	}
	// Cut the file 40 bytes into the quoted text of line 6.
	lines := bytes.SplitAfter(mac, []byte("\r"))
	head := bytes.Join(lines[:5], nil)
	quote := bytes.Index(lines[5], []byte(`OIC,"`)) + 4
	truncated := append(append([]byte{}, head...), lines[5][:quote+40]...)

	tests := []struct {
		name string
		im   *Importer
		data []byte
		want string // substring of the error
	}{
		{"empty", CSV, nil, "file is empty"},
		{"html page", CSV, readFile(t, "testdata/download-error-page.csv"), "HTML page"},
		{"binary", CSV, garbage, "not a CSV table"},
		{"header without Text", CSV, bytes.Replace(mac, []byte(",Text,"), []byte(",Txt,"), 1), "missing required column(s) Text"},
		{"header without Text and Session", CSV, bytes.Replace(bytes.Replace(mac, []byte(",Text,"), []byte(",Txt,"), 1), []byte(",Session\r"), []byte(",Sess\r"), 1),
			"missing required column(s) Text, Session"},
		// The From column mistitled "Text": the header names Text twice.
		{"duplicated header", CSV, bytes.Replace(mac, []byte(",From,"), []byte(",Text,"), 1), `duplicated column header "Text" (columns 4 and 5)`},
		{"csv as xls", XLS, mac, "not an .xls workbook"},
		{"html as xls", XLS, readFile(t, "testdata/download-error-page.csv"), "HTML page"},
		{"ole2 header then garbage", XLS, append([]byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}, garbage...), "xls"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := &extract.Input{Path: "in/" + tt.name, Name: tt.name, Data: tt.data}
			res, err := tt.im.Import(context.Background(), in, extract.Options{})
			if err == nil {
				t.Fatalf("no error; %d records", len(res.Records))
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "in/"+tt.name) {
				t.Errorf("error %q lacks %q or the file name", err, tt.want)
			}
			if models.CodeOf(err) != models.ExitBadInput {
				t.Errorf("exit code %d, want %d", models.CodeOf(err), models.ExitBadInput)
			}
		})
	}

	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := CSV.Import(ctx, input(t, "sample.csv", mac), extract.Options{}); !errors.Is(err, context.Canceled) {
			t.Errorf("error %v, want context.Canceled", err)
		}
	})

	t.Run("truncated mid-quote", func(t *testing.T) {
		res := run(t, CSV, "cut.csv", truncated)
		if len(res.Records) != 4 || len(res.Rejected) != 1 {
			t.Fatalf("got %d records, rejected %v; want 4 and 1", len(res.Records), res.Rejected)
		}
		if r := res.Rejected[0]; r.Row != 6 || !strings.Contains(r.Msg, "cut short") {
			t.Errorf("rejected %+v", r)
		}
	})
}

func TestSniff(t *testing.T) {
	mac := readFile(t, sampleMac)
	tests := []struct {
		name     string
		data     []byte
		csv, xls int
	}{
		{"macroman csv", mac, 95, 0},
		{"utf8 csv", readFile(t, sampleUTF8), 95, 0},
		{"html", readFile(t, "testdata/download-error-page.csv"), 0, 0},
		{"other csv", []byte("Goal,Target,Indicator,Value\n1,1.1,1.1.1,3\n"), 0, 0},
		{"csv missing two columns", bytes.Replace(bytes.Replace(mac, []byte(",Action,"), []byte(",A,"), 1), []byte(",Session\r"), []byte(",S\r"), 1), 40, 0},
	}
	for _, tt := range tests {
		in := input(t, tt.name, tt.data)
		if got := CSV.Sniff(in); got != tt.csv {
			t.Errorf("%s: CSV.Sniff = %d, want %d", tt.name, got, tt.csv)
		}
		if got := XLS.Sniff(in); got != tt.xls {
			t.Errorf("%s: XLS.Sniff = %d, want %d", tt.name, got, tt.xls)
		}
	}
}

func TestFullData(t *testing.T) {
	files := []struct {
		name string
		rows int
	}{{"1-5.csv", 6094}, {"6-9.csv", 8343}, {"10-13.csv", 9047}, {"14-16.csv", 6777}}
	total := 0
	responses := map[string]int{}
	raw := map[string]int{}
	sessions := map[int]int{}
	actions := map[int]int{}
	issues := map[string]int{}
	for _, f := range files {
		path := shared.Path(t, filepath.Join("upr-info", f.name))
		res := run(t, CSV, path, readFile(t, path))
		if len(res.Records) != f.rows || len(res.Rejected) != 0 {
			t.Errorf("%s: %d records, %d rejected (first: %v); want %d, none", f.name, len(res.Records), len(res.Rejected), res.Rejected[:min(3, len(res.Rejected))], f.rows)
		}
		for _, w := range res.Warnings {
			if !strings.Contains(w, "name no recommending State") {
				t.Errorf("%s: warning %s", f.name, w)
			}
		}
		for _, r := range res.Records {
			total++
			responses[r.Response]++
			raw[r.ResponseRaw]++
			sessions[r.Session]++
			actions[r.ActionCategory]++
			want := 1 // UPR cycle 1 is sessions 1–12
			if r.Session > 12 {
				want = 2
			}
			if r.Cycle != want {
				t.Errorf("%s %s: session %d cycle %d, want %d", f.name, r.Sources[0].Locator, r.Session, r.Cycle, want)
			}
			for _, l := range r.Labels {
				if l.Scheme == models.SchemeUPRInfoIssue {
					issues[l.Value]++
				}
			}
		}
	}
	if total != 30261 {
		t.Errorf("total %d, want 30261", total)
	}
	if want := map[string]int{models.ResponseSupported: 22423, models.ResponseNoted: 7838}; !reflect.DeepEqual(responses, want) {
		t.Errorf("responses %v, want %v", responses, want)
	}
	if want := map[string]int{"Accepted": 22423, "Noted": 7838}; !reflect.DeepEqual(raw, want) {
		t.Errorf("raw responses %v, want %v", raw, want)
	}
	wantSessions := map[int]int{1: 430, 2: 855, 3: 1335, 4: 1804, 5: 1670, 6: 2038, 7: 2147, 8: 2107,
		9: 2051, 10: 2306, 11: 2179, 12: 2434, 13: 2128, 14: 2179, 15: 1847, 16: 2751}
	if !reflect.DeepEqual(sessions, wantSessions) {
		t.Errorf("sessions %v, want %v", sessions, wantSessions)
	}
	if want := map[int]int{1: 543, 2: 4953, 3: 2764, 4: 11850, 5: 10151}; !reflect.DeepEqual(actions, want) {
		t.Errorf("actions %v, want %v", actions, want)
	}
	if len(issues) != 54 || issues["International instruments"] != 6244 || issues["Women's rights"] != 5313 ||
		issues["Freedom of association and peaceful assembly"] != 505 || issues["Torture and other CID treatment"] != 2422 {
		t.Errorf("%d issues; International instruments %d, Women's rights %d, association %d, torture %d",
			len(issues), issues["International instruments"], issues["Women's rights"],
			issues["Freedom of association and peaceful assembly"], issues["Torture and other CID treatment"])
	}
}

func TestXLSMatchesCSV(t *testing.T) {
	xlsPath := shared.Path(t, "upr-info/1-5.xls")
	csvPath := shared.Path(t, "upr-info/1-5.csv")
	xlsData := readFile(t, xlsPath)
	in := input(t, xlsPath, xlsData)
	if got := XLS.Sniff(in); got != 95 {
		t.Errorf("XLS.Sniff = %d, want 95", got)
	}
	if got := CSV.Sniff(in); got != 0 {
		t.Errorf("CSV.Sniff on .xls = %d, want 0", got)
	}
	x := run(t, XLS, xlsPath, xlsData)
	c := run(t, CSV, csvPath, readFile(t, csvPath))
	if len(x.Records) != 6094 || len(x.Rejected) != 0 || len(c.Records) != 6094 {
		t.Fatalf("xls %d records, rejected %v; csv %d records", len(x.Records), x.Rejected, len(c.Records))
	}
	for i := range x.Records {
		a, b := x.Records[i], c.Records[i]
		if a.Sources[0].Format != "upr-info-xls" || a.Labels[0].Source != "upr-info-xls" {
			t.Fatalf("record %d: format %q", i, a.Sources[0].Format)
		}
		if a.Sources[0].Locator != b.Sources[0].Locator || a.Sources[0].RawText != b.Sources[0].RawText {
			t.Fatalf("record %d: xls source %+v, csv %+v", i, a.Sources[0], b.Sources[0])
		}
		a.Sources, b.Sources = nil, nil
		for j := range a.Labels {
			a.Labels[j].Source = ""
		}
		for j := range b.Labels {
			b.Labels[j].Source = ""
		}
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("record %d differs:\nxls %+v\ncsv %+v", i, a, b)
		}
	}

	for _, n := range []int{len(xlsData) / 2, len(xlsData) - 4096, 1000, 600} {
		in := &extract.Input{Path: "cut.xls", Name: "cut.xls", Data: xlsData[:n]}
		res, err := XLS.Import(context.Background(), in, extract.Options{})
		if err == nil {
			t.Errorf("xls cut to %d bytes: no error, %d records", n, len(res.Records))
			continue
		}
		if !strings.Contains(err.Error(), "cut.xls") {
			t.Errorf("xls cut to %d bytes: error %q does not name the file", n, err)
		}
	}
}

// TestXLSDamaged overwrites parts of the real workbook: every damage must end
// in an error or a result, never a panic or a hang.
func TestXLSDamaged(t *testing.T) {
	data := readFile(t, shared.Path(t, "upr-info/1-5.xls"))
	for _, off := range []int{0, 512, 1024, 4096, 70000, len(data) / 3, len(data) / 2, len(data) - 600} {
		bad := append([]byte{}, data...)
		for i := off; i < off+256 && i < len(bad); i++ {
			bad[i] = 0xFF
		}
		in := &extract.Input{Path: "damaged.xls", Name: "damaged.xls", Data: bad}
		start := time.Now()
		res, err := XLS.Import(context.Background(), in, extract.Options{})
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("damage at %d: import took %v", off, took)
		}
		if err == nil {
			t.Logf("damage at %d: %d records, %d rejected", off, len(res.Records), len(res.Rejected))
		} else if !strings.Contains(err.Error(), "damaged.xls") {
			t.Errorf("damage at %d: error %q does not name the file", off, err)
		}
	}
}

func BenchmarkImportCSV(b *testing.B) {
	path := shared.Path(b, "upr-info/1-5.csv")
	in := input(b, path, readFile(b, path))
	b.SetBytes(int64(len(in.Data)))
	for b.Loop() {
		if _, err := CSV.Import(context.Background(), in, extract.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestUnclosedQuote checks that a quote left open in row 2, which makes its
// text swallow row 3 whole, refuses the file naming the row instead of
// importing five records from six rows.
func TestUnclosedQuote(t *testing.T) {
	lines := strings.SplitAfter(string(readFile(t, sampleUTF8)), "\n")[:7] // header and six rows
	// Row 2 as a hand-edited export has it: its text cut short and the
	// closing quote lost.
	broken := "Afghanistan,Asia,OIC,\"Enact legislation,Austria,WEOG,EU,Accepted,5,Women's rights,5\n"
	for _, nl := range []string{"\n", "\r\n", "\r"} {
		data := strings.ReplaceAll(lines[0]+broken+strings.Join(lines[2:], ""), "\n", nl)
		in := input(t, "in/unclosed.csv", []byte(data))
		res, err := CSV.Import(context.Background(), in, extract.Options{})
		if err == nil {
			t.Fatalf("line end %q: no error; %d records, %d rejected", nl, len(res.Records), len(res.Rejected))
		}
		for _, want := range []string{"in/unclosed.csv", "row at line 2", `"Text"`, "line 3", "unclosed quote?"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("line end %q: error %q lacks %q", nl, err, want)
			}
		}
		if models.CodeOf(err) != models.ExitBadInput {
			t.Errorf("exit code %d, want %d", models.CodeOf(err), models.ExitBadInput)
		}
	}
	// The unbroken rows still import: the check is no false alarm.
	res := run(t, CSV, "in/ok.csv", []byte(strings.Join(lines, "")))
	if len(res.Records) != 6 || len(res.Rejected) != 0 {
		t.Errorf("intact file: %d records, %d rejected; want 6, 0", len(res.Records), len(res.Rejected))
	}
}

// TestTwoSavesAreOneSource merges the records of the MacRoman/CR and the
// UTF-8/LF saves of the same export: each recommendation keeps one source.
func TestTwoSavesAreOneSource(t *testing.T) {
	mac := run(t, CSV, sampleMac, readFile(t, sampleMac))
	utf := run(t, CSV, sampleUTF8, readFile(t, sampleUTF8))
	if len(mac.Records) == 0 || len(mac.Records) != len(utf.Records) {
		t.Fatalf("%d and %d records", len(mac.Records), len(utf.Records))
	}
	for i := range mac.Records {
		a, b := mac.Records[i], utf.Records[i]
		if a.Sources[0].FileSHA256 == b.Sources[0].FileSHA256 {
			t.Fatal("the two saves have the same bytes; the test proves nothing")
		}
		a.Merge(b)
		if len(a.Sources) != 1 {
			t.Fatalf("%s: %d sources after merging the two saves, want 1", a.Sources[0].Locator, len(a.Sources))
		}
	}
}
