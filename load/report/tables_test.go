package report

import (
	"bytes"
	"encoding/csv"
	"testing"
)

func TestCSVCellsAreNotFormulas(t *testing.T) {
	// A recommendation text beginning like a formula, and real numbers.
	tb := table{name: "t", cols: []column{{key: "text"}, {key: "n"}}, rows: [][]string{
		{"=HYPERLINK(\"http://example.org\",\"Ratify OP-CAT\")", "-1.5"},
		{"+ratify", "12"}, {"@SUM(A1)", "0"}, {"Ratify the ICRMW", "-"},
	}}
	var b bytes.Buffer
	if err := writeCSV(&b, tb); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"text", "n"}, {"'=HYPERLINK(\"http://example.org\",\"Ratify OP-CAT\")", "-1.5"}, {"'+ratify", "12"}, {"'@SUM(A1)", "0"}, {"Ratify the ICRMW", "'-"}}
	for i := range want {
		for j := range want[i] {
			if rows[i][j] != want[i][j] {
				t.Errorf("row %d col %d = %q, want %q", i, j, rows[i][j], want[i][j])
			}
		}
	}
}
