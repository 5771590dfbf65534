package models

import "testing"

func TestParseStatus(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Status
	}{
		{"not_started", StatusNotStarted},
		{"In progress", StatusInProgress},
		{"IN-PROGRESS", StatusInProgress},
		{"partially_implemented", StatusPartiallyImplemented},
		{"Fully implemented", StatusImplemented},
		{"Partially implemented: the 2019 Act covers England only.", StatusPartiallyImplemented},
		{"Not implemented", StatusNotStarted},
		{"Partiellement mis en œuvre", StatusPartiallyImplemented},
		{"Non mise en œuvre", StatusNotStarted},
		{"Pleinement mis en oeuvre", StatusImplemented},
		{"Parcialmente implementada", StatusPartiallyImplemented},
		{"No implementada", StatusNotStarted},
		{"Not applicable", StatusNotApplicable},
		{" implemented ", StatusImplemented},
	} {
		got, err := ParseStatus(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseStatus(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "maybe", "implementedish", "partly"} {
		if got, err := ParseStatus(bad); err == nil {
			t.Errorf("ParseStatus(%q) = %q, want an error", bad, got)
		}
	}
}

func TestStatusInList(t *testing.T) {
	if s, ok := StatusInList(" In Progress "); !ok || s != StatusInProgress {
		t.Errorf("StatusInList(In Progress) = %q, %v", s, ok)
	}
	if _, ok := StatusInList("Fully implemented"); ok {
		t.Error("assessment wording is not in the drop-down list")
	}
}

func TestUpdateKeyIgnoresWhereItWasRead(t *testing.T) {
	u := StatusUpdate{RecID: "R1", Status: StatusImplemented, Date: "2026-01-02", Text: "Law adopted", ReportingEntity: "MOJ",
		Source: FollowupSource{File: "a.xlsx", Row: 3}}
	v := u
	v.Source = FollowupSource{File: "b.xlsx", Row: 9}
	if u.Key() != v.Key() {
		t.Error("the same update read from two files has two keys")
	}
	v.Date = "2026-01-03"
	if u.Key() == v.Key() {
		t.Error("updates with different dates share a key")
	}
}

func TestResponsibilityValidate(t *testing.T) {
	r := Responsibility{Entities: []Entity{{Code: "MOJ", Name: "Ministry of Justice", Kind: EntityMinistry}},
		Rules: []ResponsibilityRule{{Scheme: RespUHRITheme, Label: "Death penalty", Entity: "MOH"}}}
	if err := r.Validate(); err == nil {
		t.Error("a rule naming an unlisted entity passed")
	}
	r.Rules[0].Entity = "MOJ"
	if err := r.Validate(); err != nil {
		t.Error(err)
	}
	r.Entities = append(r.Entities, Entity{Code: "X", Name: "x", Kind: "club"})
	if err := r.Validate(); err == nil {
		t.Error("an unknown kind passed")
	}
}
