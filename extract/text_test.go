package extract

import (
	"strings"
	"testing"
)

// TestReadCSVUnclosedQuote covers every reader built on ReadCSV (UPR Info,
// mapped spreadsheets, indicator CSVs, standalone tables): a quote left open
// that swallows a whole row is an error naming the row, whatever the
// delimiter; a field that genuinely spans lines is read as it is.
func TestReadCSVUnclosedQuote(t *testing.T) {
	tests := []struct {
		name, data string
		want       string // substring of the error; "" for no error
		rows       int
	}{
		{"comma, swallowed row", "Text,From,Response\n\"Ratify CAT,France,Supported\nAbolish the death penalty,Spain,Noted\nRatify \"OP-CAT\",Chile,Supported\n",
			`row at line 2: the quoted field "Text" runs over the line end into line 3`, 0},
		{"semicolon, swallowed row", "Indicator;Year;Value\n1.1.1;2015;\"3.5\n1.1.1;2016;3.4\n1.1.1;2017;\"3.3\"\n",
			`row at line 2: the quoted field "Value" runs over the line end into line 3`, 0},
		{"unclosed to the end of file", "Text,From,Response\nRatify CAT,France,Supported\n\"Abolish the death penalty,Spain,Noted\nRatify OP-CAT,Chile,Supported\n",
			`row at line 3: the quoted field "Text" runs over the line end into line 4`, 0},
		{"wide table, swallowed row whatever its first line", "A,B,C,D,E,F\n1,2,3,\"four\n1,2,3,4,5,6\n1,2,3,\"4\",5,6\n",
			`row at line 2: the quoted field "D" runs over the line end into line 3`, 0},
		{"genuine multi-line field", "Text,From,Response\n\"Ratify CAT:\n(a) soon, with, care\n(b) fully\",France,Supported\nRatify OP-CAT,Chile,Supported\n", "", 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in, err := NewInput("in/t.csv", []byte(tc.data))
			if err != nil {
				t.Fatal(err)
			}
			tab, _, err := ReadCSV(in)
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if len(tab.Rows) != tc.rows || !strings.Contains(tab.Rows[0].Fields[0], "(b) fully") {
					t.Errorf("rows = %v", tab.Rows)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error; rows %v", tab.Rows)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "unclosed quote?") {
				t.Errorf("error %q lacks %q", err, tc.want)
			}
		})
	}
}
