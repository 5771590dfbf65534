package classout

import (
	"bytes"
	"testing"

	"github.com/nmirf/nmirf/models"
)

// TestRecordsMatchWrite checks, in both formats, that records encoded in
// parts (Records, as goroutines prepare them) and written in order give the
// bytes of writing them one by one, also when both ways are mixed.
func TestRecordsMatchWrite(t *testing.T) {
	type rec struct {
		id    string
		flags []string
		as    []models.Assignment
	}
	var recs []rec
	for i, s := range hostile {
		recs = append(recs, rec{s, []string{"not-english"}, []models.Assignment{
			{Scheme: models.SchemeUPRInfoIssue, Label: "Death penalty", Score: 0.91234567, Evidence: []string{s, "abolish"}},
			{Scheme: models.SchemeSDGTarget, Label: "16.1", Score: float64(i) / 9, Fallback: true},
			{Scheme: models.SchemeUHRITheme, Label: models.Unclassified, Score: 0.02},
		}}, rec{id: "row, with \"quotes\""})
	}
	for _, format := range []string{"jsonl", "csv"} {
		var one, parts bytes.Buffer
		w1, err := New(&one, format)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			if err := w1.Write(r.id, r.flags, r.as); err != nil {
				t.Fatal(err)
			}
		}
		if err := w1.Flush(); err != nil {
			t.Fatal(err)
		}
		w2, _ := New(&parts, format)
		a, b := w2.NewRecords(), w2.NewRecords()
		for i, r := range recs {
			switch i % 3 {
			case 0:
				if err := w2.Write(r.id, r.flags, r.as); err != nil {
					t.Fatal(err)
				}
			case 1:
				if err := a.Add(r.id, r.flags, r.as); err != nil {
					t.Fatal(err)
				}
				if err := w2.WriteRecords(a); err != nil {
					t.Fatal(err)
				}
			case 2:
				if err := b.Add(r.id, r.flags, r.as); err != nil {
					t.Fatal(err)
				}
				if err := w2.WriteRecords(b); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := w2.Flush(); err != nil {
			t.Fatal(err)
		}
		if one.Len() < 1000 || !bytes.Equal(parts.Bytes(), one.Bytes()) {
			t.Errorf("%s: written in parts:\n%s\none by one:\n%s", format, parts.Bytes(), one.Bytes())
		}
	}
}
