package classout

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/nmirf/nmirf/models"
)

// viaJSON is the record as encoding/json writes it, the reference of
// appendRecord.
func viaJSON(t testing.TB, r *record) ([]byte, error) {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	err := enc.Encode(r)
	return buf.Bytes(), err
}

// hostile are strings whose JSON form differs from their bytes.
var hostile = []string{
	"", "plain", `quote " and backslash \`, "tab\tnew\nline\rcr", "\b\f\x00\x01\x1f\x7f",
	"<script>&amp;</script>", "line\u2028sep\u2029para", "bad \xff\xfe utf-8 \xc3", "truncated \xe2\x82",
	"accents: Côte d’Ivoire, Türkiye, São Tomé", "emoji 🇺🇳 and CJK 人权", "\uFFFD already", "surrogate \xed\xa0\x80",
	"mixed \"\u2028\xff\t<>",
}

func TestAppendRecordMatchesEncodingJSON(t *testing.T) {
	scores := []float64{0, math.Copysign(0, -1), 0.0001, 0.1234, 0.5, 1, -0.25, 12.3456, 1e-7, 3e21, 123456789}
	var recs []record
	for i, s := range hostile {
		r := record{ID: s, Flags: []string{s, "empty"}}
		r.add([]models.Assignment{
			{Scheme: models.SchemeUPRInfoIssue, Label: s, Score: scores[i%len(scores)], Evidence: []string{s, "death penalty"}},
			{Scheme: models.SchemeUPRInfoIssue, Label: "Women's rights", Score: 0.33333333, Fallback: true},
			{Scheme: models.SchemeUHRITheme, Label: models.Unclassified, Score: 0.01},
			{Scheme: models.SchemeSDGGoal, Label: "5", Score: 0.87654321, Evidence: []string{}},
			{Scheme: models.SchemeSDGTarget, Label: "5.2", Score: scores[(i+3)%len(scores)], Evidence: []string{s}},
		})
		recs = append(recs, r, record{ID: s})
	}
	for _, f := range scores {
		recs = append(recs, record{ID: "score", Issues: []scored{{Label: "x", Score: f}}})
	}
	for _, r := range recs {
		want, err := viaJSON(t, &r)
		if err != nil {
			t.Fatal(err)
		}
		got, err := appendRecord(nil, &r)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("record %q:\n got %s\nwant %s", r.ID, got, want)
		}
	}
}

func TestAppendRecordRefusesNaN(t *testing.T) {
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		r := record{ID: "x", SDGGoals: []scored{{Label: "5", Score: f}}}
		if _, err := viaJSON(t, &r); err == nil {
			t.Fatalf("encoding/json accepted %v", f)
		}
		_, err := appendRecord(nil, &r)
		if err == nil || !strings.Contains(err.Error(), "unsupported value") {
			t.Errorf("score %v: error %v, want unsupported value", f, err)
		}
	}
}

// TestWriterJSONL checks the Writer's lines through New and Flush.
func TestWriterJSONL(t *testing.T) {
	var buf bytes.Buffer
	w, err := New(&buf, "jsonl")
	if err != nil {
		t.Fatal(err)
	}
	as := []models.Assignment{{Scheme: models.SchemeUPRInfoIssue, Label: "Death penalty", Score: 0.912345, Evidence: []string{"death penalty", "abolish"}}}
	if err := w.Write("A/HRC/1\n", []string{"not-english"}, as); err != nil {
		t.Fatal(err)
	}
	if err := w.Write("2", nil); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	want := `{"id":"A/HRC/1\n","issues":[{"label":"Death penalty","score":0.9123,"evidence":["death penalty","abolish"]}],"flags":["not-english"]}` + "\n" + `{"id":"2"}` + "\n"
	if buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
}

func FuzzAppendRecord(f *testing.F) {
	for i, s := range hostile {
		f.Add(s, hostile[(i+1)%len(hostile)], float64(i)/7, i%2 == 0)
	}
	f.Fuzz(func(t *testing.T, id, text string, score float64, extra bool) {
		r := record{ID: id, Flags: []string{text}}
		r.add([]models.Assignment{
			{Scheme: models.SchemeUHRITheme, Label: text, Score: score, Evidence: []string{id, text}, Fallback: extra},
			{Scheme: models.SchemeSDGGoal, Label: models.Unclassified, Score: score},
		})
		want, werr := viaJSON(t, &r)
		got, gerr := appendRecord(nil, &r)
		if (werr == nil) != (gerr == nil) {
			t.Fatalf("encoding/json error %v, appendRecord error %v", werr, gerr)
		}
		if werr == nil && !bytes.Equal(got, want) {
			t.Fatalf("\n got %s\nwant %s", got, want)
		}
	})
}

// printedRound4 is round4 as it was: print with 4 decimals, read back.
func printedRound4(x float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', 4, 64), 64)
	return v
}

// TestRound4MatchesPrinting compares round4 bit for bit with printing and
// reading back, on scores of every kind and on values at and next to the
// halfway points of the fourth decimal.
func TestRound4MatchesPrinting(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	xs := []float64{0, math.Copysign(0, -1), 1, -1, 0.5, 0.00005, -0.00005, 0.00015, 0.12345, 0.99995, 1e-9, 1e11, 1e13, -3.33335,
		math.NaN(), math.Inf(1), math.Inf(-1), math.SmallestNonzeroFloat64, math.MaxFloat64}
	for range 1_000_000 {
		xs = append(xs, rng.Float64(), rng.NormFloat64()*3)
	}
	for range 200_000 {
		h := (float64(rng.IntN(2_000_000)-1_000_000) + 0.5) / 1e4 // a halfway point
		xs = append(xs, h, math.Nextafter(h, 2), math.Nextafter(h, -2))
	}
	for _, x := range xs {
		got, want := round4(x), printedRound4(x)
		if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Fatalf("round4(%v) = %v, printing gives %v", x, got, want)
		}
	}
}

func FuzzRound4(f *testing.F) {
	f.Add(0.12345)
	f.Add(-0.00005)
	f.Fuzz(func(t *testing.T, x float64) {
		got, want := round4(x), printedRound4(x)
		if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Fatalf("round4(%v) = %v, printing gives %v", x, got, want)
		}
	})
}
