package extract

import (
	"strings"
	"testing"
)

func textsOf(t *testing.T, name, data string, c TextColumns) ([]TextRow, error) {
	t.Helper()
	in, err := NewInput(name, []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	return ReadTexts(in, c)
}

// Real recommendations (UPR Info export, sessions 14–16) as a national
// spreadsheet and as JSON lines hold them.
func TestReadTexts(t *testing.T) {
	csv := "Ref,Recommendation\nR1,Ratify the ICESCR at an early stage\nR2,\"Undertake further measures to protect women and children, particularly from violence and exploitation\"\n"
	rows, err := textsOf(t, "new.csv", csv, TextColumns{Text: "Recommendation", ID: "Ref"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[1].ID != "R2" || !strings.HasPrefix(rows[1].Text, "Undertake further measures to protect women and children,") {
		t.Errorf("csv rows %+v", rows)
	}
	// Without an id column rows are numbered by their line.
	rows, err = textsOf(t, "new.csv", csv, TextColumns{Text: "Recommendation"})
	if err != nil || rows[0].ID != "2" {
		t.Errorf("numbered rows %+v, %v", rows, err)
	}
	jsonl := "{\"id\":7,\"text\":\"Ratify the ICESCR at an early stage\"}\n\n{\"text\":\"Abolish the death penalty\"}\n"
	rows, err = textsOf(t, "new.jsonl", jsonl, TextColumns{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].ID != "7" || rows[1].ID != "3" || rows[1].Text != "Abolish the death penalty" {
		t.Errorf("jsonl rows %+v", rows)
	}
	for _, tc := range []struct{ name, data, want string }{
		{"new.csv", csv, `no column "text" (columns: Ref, Recommendation)`},
		{"new.jsonl", "{\"text\":\"Ratify the ICESCR\"}\n{\"text\": 5}\n", `line 2: field "text" is not a string`},
		{"new.jsonl", "{\"text\":\"Ratify the ICESCR\"}\n{\"text\":\n", "line 2:"},
	} {
		if _, err := textsOf(t, tc.name, tc.data, TextColumns{}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
	if _, err := textsOf(t, "new.csv", csv, TextColumns{Text: "Recommendation", ID: "Code"}); err == nil || !strings.Contains(err.Error(), `no column "Code" for --id-col`) {
		t.Errorf("missing id column: %v", err)
	}
}

func TestNotEnglish(t *testing.T) {
	for text, want := range map[string]bool{
		"Ratifier le Protocole facultatif se rapportant à la Convention contre la torture et mettre en place un mécanisme national de prévention.": true,
		"Ratify the Optional Protocol to the Convention against Torture and establish a national preventive mechanism.":                            false,
		"Ratify OP-CAT": false,
	} {
		if NotEnglish(text) != want {
			t.Errorf("NotEnglish(%q) = %v", text, !want)
		}
	}
}

// Labelled texts as a national spreadsheet might hold them: rows without a
// text or a label teach nothing and are left out.
func TestReadLabelledTexts(t *testing.T) {
	csv := "Recommendation,Issues\nRatify the ICESCR at an early stage,International instruments; ESC rights - general\nAbolish the death penalty,\n,Death penalty\n"
	in, err := NewInput("labelled.csv", []byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	got, err := ReadLabelledTexts(in, "Recommendation", "Issues", ";")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Text != "Ratify the ICESCR at an early stage" || strings.Join(got[0].Labels, "|") != "International instruments|ESC rights - general" {
		t.Errorf("got %+v", got)
	}
	if _, err := ReadLabelledTexts(in, "Text", "Issues", ";"); err == nil || !strings.Contains(err.Error(), `needs columns "Text" and "Issues" (has: Recommendation, Issues)`) {
		t.Errorf("missing column: %v", err)
	}
}
