package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/nmirf/nmirf/internal/shared"
)

// sampleFill is what the shipped sample workbook says: illustrative
// updates written as a focal point of the justice ministry would, not
// statements of any government.
var sampleFill = map[string]string{
	"M2": "in_progress", "N2": "Illustrative update: a review of the relevant legislation has started.", "O2": "https://example.org/followup/review", "P2": "2026-03-02",
	"M3": "partially_implemented", "N3": "Illustrative update: guidance issued; legislation pending.", "P3": "2026-02-16",
	"M4": "not_started", "P4": "2026-01-12",
	"M5": "implemented", "N5": "Illustrative update: measure completed.", "O5": "https://example.org/followup/completed", "P5": "2025-12-01",
	"Q6": "Administration of justice & fair trial", "R6": "16.3",
	"S7": "MOI",
}

const sampleWorkbook = "followup-GBR-MOJ.xlsx"

// TestFollowupSample checks that `nmirf run` on the default configuration
// imports the shipped filled workbook and writes the follow-up report, so
// `make run` shows the round trip;
// with -update it rebuilds that workbook: run without it, export the
// justice ministry's workbook, fill it in.
func TestFollowupSample(t *testing.T) {
	shipped := filepath.Join(shared.Root(), "data", "sample", sampleWorkbook)
	if *update {
		wh := t.TempDir()
		cfg := filepath.Join(t.TempDir(), "nmirf.toml")
		noFollowup := strings.Split(string(defaultConfig), "[followup]")[0]
		if err := os.WriteFile(cfg, []byte(noFollowup), 0o644); err != nil {
			t.Fatal(err)
		}
		if code, _, stderr := run(t, "run", "--warehouse", wh, "--config", cfg); code != 0 {
			t.Fatalf("run exit %d: %s", code, stderr)
		}
		out := t.TempDir()
		if code, _, stderr := run(t, "followup", "export", "--warehouse", wh, "--country", "GBR", "--entity", "MOJ", "--out", out); code != 0 {
			t.Fatalf("export exit %d: %s", code, stderr)
		}
		f, err := excelize.OpenFile(filepath.Join(out, sampleWorkbook))
		if err != nil {
			t.Fatal(err)
		}
		for c, v := range sampleFill {
			if err := f.SetCellStr("Recommendations", c, v); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.SaveAs(shipped); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}

	wh := t.TempDir()
	code, _, stderr := run(t, "run", "--warehouse", wh)
	if code != 0 {
		t.Fatalf("run exit %d: %s", code, stderr)
	}
	code, out, stderr := run(t, "sql", "--warehouse", wh, "--format", "csv",
		`SELECT s.status, s.status_date, s.reporting_entity, s.source_row FROM v_followup_status s WHERE s.status IS NOT NULL ORDER BY s.source_row`)
	if code != 0 {
		t.Fatalf("sql exit %d: %s", code, stderr)
	}
	want := "status,status_date,reporting_entity,source_row\n" +
		"in_progress,2026-03-02,MOJ,2\npartially_implemented,2026-02-16,MOJ,3\nnot_started,2026-01-12,MOJ,4\nimplemented,2025-12-01,MOJ,5\n"
	if out != want {
		t.Errorf("statuses after make run:\n%s\nwant\n%s", out, want)
	}
	// The default configuration writes the follow-up report, which names
	// the country and counts the workbook's four statuses.
	md, err := os.ReadFile(filepath.Join(wh, "reports", "followup-GBR.md"))
	if err != nil {
		t.Fatalf("follow-up report of make run: %v", err)
	}
	lines := strings.Split(string(md), "\n")
	if want := "# Follow-up of recommendations: United Kingdom of Great Britain and Northern Ireland (GBR)"; lines[0] != want {
		t.Errorf("follow-up report title %q, want %q", lines[0], want)
	}
	if !strings.Contains(string(md), " recommendations: 1 implemented, 1 partially implemented, 1 in progress, 1 not started,") {
		t.Errorf("follow-up report summary does not count the sample's four statuses:\n%s", strings.Join(lines[:10], "\n"))
	}
	for _, f := range []string{"followup-GBR.html", "followup-GBR.csv", "followup-GBR.xlsx", "followup-GBR.docx"} {
		if st, err := os.Stat(filepath.Join(wh, "reports", f)); err != nil || st.Size() == 0 {
			t.Errorf("make run wrote no %s (%v)", f, err)
		}
	}
	code, out, _ = run(t, "sql", "--warehouse", wh, "--format", "csv",
		`SELECT lead_source, count(*) AS n FROM v_responsibility WHERE lead_source = 'confirmed' GROUP BY 1`)
	if code != 0 || out != "lead_source,n\nconfirmed,1\n" {
		t.Errorf("confirmed leads (exit %d):\n%s", code, out)
	}
	// The corrected themes are training examples; the sample corrects no
	// UPR Info issue.
	code, _, stderr = run(t, "train", "--warehouse", wh, "--task", "issues", "--reviewed", "--out", filepath.Join(t.TempDir(), "m.nmm"))
	if code != 2 || !strings.Contains(stderr, "no reviewed labels of upr-info-issues in "+wh) {
		t.Errorf("train --reviewed without reviews: exit %d: %s", code, stderr)
	}
	// The next night adds nothing.
	if code, _, stderr := run(t, "run", "--warehouse", wh); code != 0 {
		t.Fatalf("second run exit %d: %s", code, stderr)
	}
	if code, out, _ = run(t, "sql", "--warehouse", wh, "--format", "csv", `SELECT count(*) AS n FROM status_updates`); out != "n\n4\n" {
		t.Errorf("status_updates after a second run (exit %d): %s", code, out)
	}
}

// TestIngestTakesReturnedWorkbooks: `nmirf ingest` recognises a returned
// workbook by content; a bad cell makes the exit code 3 and is named with
// its file, sheet, row and column.
func TestIngestTakesReturnedWorkbooks(t *testing.T) {
	wh := t.TempDir()
	if code, _, stderr := run(t, "run", "--warehouse", wh); code != 0 {
		t.Fatalf("run exit %d: %s", code, stderr)
	}
	out := t.TempDir()
	if code, _, stderr := run(t, "followup", "export", "--warehouse", wh, "--country", "GBR", "--out", out); code != 0 {
		t.Fatalf("export exit %d: %s", code, stderr)
	}
	f, err := excelize.OpenFile(filepath.Join(out, "followup-GBR-SECRETARIAT.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	for c, v := range map[string]string{"M2": "implemented", "P2": "2026-01-05", "M3": "implemented", "N3": "=cmd()", "P3": "2026-01-05"} {
		f.SetCellStr("Recommendations", c, v)
	}
	back := filepath.Join(t.TempDir(), "returned.xlsx")
	if err := f.SaveAs(back); err != nil {
		t.Fatal(err)
	}
	f.Close()
	code, _, stderr := run(t, "ingest", "--warehouse", wh, back)
	if code != 3 || !strings.Contains(stderr, `returned.xlsx row 3 field "sheet Recommendations, column N (Update: what was done (fill in))": cell starts with "="`) {
		t.Errorf("ingest exit %d:\n%s", code, stderr)
	}
	code, out2, _ := run(t, "sql", "--warehouse", wh, "--format", "csv", `SELECT count(*) AS n FROM status_updates WHERE source_format = 'followup-workbook' AND source_row = 2 AND source_file = 'returned.xlsx'`)
	if code != 0 || out2 != "n\n1\n" {
		t.Errorf("the good row (exit %d): %s", code, out2)
	}
}
