package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nmirf/nmirf/load"
)

// uprTestdata is a real UPR Info export kept for the importer's tests.
var uprTestdata = filepath.Join("..", "..", "extract", "uprinfo", "testdata")

func writeFile(t *testing.T, path, text string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func copyFile(t *testing.T, from, to string) string {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	return writeFile(t, to, string(b))
}

func sqlInt(t *testing.T, wh, q string) int {
	t.Helper()
	w, err := load.OpenReadOnly(context.Background(), wh)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var n int
	if err := w.DB().QueryRow(q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// TestLogsAndReportsFollowTheConfigWarehouse runs the job from another
// folder with --config naming the warehouse: the log, the manifest and the
// reports go under that warehouse, nothing under ./out.
func TestLogsAndReportsFollowTheConfigWarehouse(t *testing.T) {
	wh := filepath.Join(t.TempDir(), "warehouse")
	cwd := t.TempDir()
	cfg := writeFile(t, filepath.Join(t.TempDir(), "nmirf.toml"), fmt.Sprintf(`warehouse = %q
[ingest]
sample = true
[[reports]]
kind = "clusters"
countries = ["GBR"]
formats = ["csv"]
out = "published-reports"
`, wh))
	t.Chdir(cwd)
	code, _, stderr := run(t, "run", "--config", cfg)
	if code != 0 {
		t.Fatalf("run exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(cwd, "out")); err == nil {
		entries, _ := filepath.Glob(filepath.Join(cwd, "out", "*", "*"))
		t.Errorf("the run wrote under ./out of the current folder: %v", entries)
	}
	logs, _ := filepath.Glob(filepath.Join(wh, "logs", "nmirf-*.jsonl"))
	if len(logs) != 1 {
		t.Fatalf("log files under the warehouse: %v", logs)
	}
	b, _ := os.ReadFile(logs[0])
	if !strings.Contains(string(b), `"msg":"run finished"`) || !strings.Contains(string(b), wh) {
		t.Errorf("the warehouse's log lacks the run:\n%s", b)
	}
	if m, _ := filepath.Glob(filepath.Join(wh, "runs", "*.json")); len(m) == 0 {
		t.Error("no manifest under the warehouse")
	}
	reports, _ := filepath.Glob(filepath.Join(wh, "published-reports", "*GBR*.csv"))
	if len(reports) == 0 {
		t.Fatal("the report with a relative out is not under the warehouse")
	}
	rb, _ := os.ReadFile(reports[0])
	if lines := strings.Count(string(rb), "\n"); lines < 2 {
		t.Errorf("cluster report has %d lines", lines)
	}
}

func TestConfigErrorsNameTheFileAndKey(t *testing.T) {
	tests := []struct {
		name, toml string
		want       []string
	}{
		{"boolean as text", "[ingest]\nkeep_going = \"yes\"\n", []string{"line 2", "[ingest] keep_going", "expected a boolean"}},
		{"list as text", "[ingest]\npaths = \"inbox\"\n", []string{"[ingest] paths", "expected a list"}},
		{"negative stale years", "[[reports]]\nkind = \"gaps\"\nstale_years = -5\n", []string{"[[reports]] #1 stale_years", "-5"}},
		{"unknown key", "[ingest]\nkeepgoing = true\n", []string{"[ingest] keepgoing", "unknown setting"}},
		{"unknown report format", "[[reports]]\nkind = \"gaps\"\nformats = [\"pdf\"]\n", []string{"[[reports]] #1 formats", `"pdf"`}},
		{"threshold out of range", "[cluster]\nthreshold = 2.5\n", []string{"[cluster] threshold", "2.5"}},
		{"bad glob", "[ingest]\nexclude = [\"[a-\"]\n", []string{"[ingest] exclude", `"[a-"`}},
		{"unknown country", "[indicators]\ncountry = \"Atlantis\"\n", []string{"[indicators] country", "Atlantis"}},
		{"broken syntax", "[ingest\nsample = true\n", []string{"line 2", "table name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wh := filepath.Join(t.TempDir(), "wh")
			cfg := writeFile(t, filepath.Join(t.TempDir(), "nmirf.toml"), tt.toml)
			code, _, stderr := run(t, "run", "--warehouse", wh, "--config", cfg)
			if code != 2 {
				t.Errorf("exit %d, want 2 (usage): %s", code, stderr)
			}
			for _, w := range append([]string{cfg + ":"}, tt.want...) {
				if !strings.Contains(stderr, w) {
					t.Errorf("message lacks %q: %s", w, stderr)
				}
			}
			if _, err := os.Stat(wh); err == nil {
				t.Error("a bad config created the warehouse")
			}
		})
	}
}

func TestIngestOfAnEmptyFolderFails(t *testing.T) {
	wh := t.TempDir()
	inbox := t.TempDir()
	code, _, stderr := run(t, "ingest", "--warehouse", wh, inbox)
	if code != 65 || !strings.Contains(stderr, "no files to import") || !strings.Contains(stderr, inbox) {
		t.Errorf("exit %d: %s; want 65 saying no files were found under %s", code, stderr, inbox)
	}
	// Only notes in the folder: nothing to import either, and the message
	// says what was left out.
	writeFile(t, filepath.Join(inbox, "README.md"), "# Inbox\nDrop the UPR Info exports here.\n")
	code, _, stderr = run(t, "ingest", "--warehouse", wh, inbox)
	if code != 65 || !strings.Contains(stderr, "README.md: left out: a .md file") {
		t.Errorf("exit %d: %s", code, stderr)
	}
	for _, p := range []string{load.DBFile, "runs", load.ParquetLink, "snapshots"} {
		if _, err := os.Lstat(filepath.Join(wh, p)); err == nil {
			t.Errorf("an ingest of nothing created %s", p)
		}
	}
	// A nightly job's inbox may be empty: the run goes on and says so.
	cfg := writeFile(t, filepath.Join(t.TempDir(), "nmirf.toml"), fmt.Sprintf("warehouse = %q\n[ingest]\npaths = [%q]\n[classify]\nskip = true\n", wh, inbox))
	code, _, stderr = run(t, "run", "--config", cfg)
	if code != 0 || !strings.Contains(stderr, "ingest: no files to import under "+inbox) {
		t.Errorf("run with an empty inbox: exit %d: %s", code, stderr)
	}
}

// TestInboxLinksAndNotes: a file linked into the inbox is read, a link back
// to the inbox is not followed twice, and the .md notes are left out with a
// counted note in the summary and a listed one in the manifest.
func TestInboxLinksAndNotes(t *testing.T) {
	wh := t.TempDir()
	inbox := t.TempDir()
	src, _ := filepath.Abs(filepath.Join(uprTestdata, "upr-info-sample-utf8-lf.csv"))
	if err := os.Symlink(src, filepath.Join(inbox, "latest.csv")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(inbox, filepath.Join(inbox, "again")); err != nil {
		t.Fatal(err)
	}
	os.Symlink(filepath.Join(inbox, "gone.csv"), filepath.Join(inbox, "dangling.csv"))
	for i := 1; i <= 12; i++ {
		writeFile(t, filepath.Join(inbox, "notes", fmt.Sprintf("session-%02d.md", i)), "# Notes\n")
	}
	code, _, stderr := run(t, "ingest", "--warehouse", wh, inbox)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if n := sqlInt(t, wh, `SELECT count(*) FROM recommendations`); n == 0 {
		t.Error("the linked file was not imported")
	}
	if n := sqlInt(t, wh, `SELECT count(*) FROM input_files`); n != 1 {
		t.Errorf("%d input files recorded, want the linked one once", n)
	}
	// Twelve notes: one counted line, not twelve.
	if !strings.Contains(stderr, "warning ×12: left out: a .md file") || strings.Count(stderr, "session-") != 1 {
		t.Errorf("summary does not count the notes in one line:\n%s", stderr)
	}
	for _, want := range []string{"again: left out: a symbolic link to a folder already read", "dangling.csv: left out: a symbolic link to nothing"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("summary lacks %q:\n%s", want, stderr)
		}
	}
	manifests, _ := filepath.Glob(filepath.Join(wh, "runs", "*.json"))
	var m struct {
		Warnings []string `json:"warnings"`
	}
	b, _ := os.ReadFile(manifests[0])
	json.Unmarshal(b, &m)
	notes := 0
	for _, w := range m.Warnings {
		if strings.Contains(w, ".md: left out") {
			notes++
		}
	}
	if notes != 12 {
		t.Errorf("manifest lists %d of the 12 notes", notes)
	}
}

// TestExcludeEndsTheNightlyIncomplete: a file that cannot be read, skipped
// with keep_going, makes the run incomplete and is named once; listed in
// exclude, it is left out and the run is ok.
func TestExcludeEndsTheNightlyIncomplete(t *testing.T) {
	wh := t.TempDir()
	inbox := t.TempDir()
	copyFile(t, filepath.Join(uprTestdata, "upr-info-sample-utf8-lf.csv"), filepath.Join(inbox, "upr-info.csv"))
	// A download that returned the site's error page instead of the export.
	copyFile(t, filepath.Join(uprTestdata, "download-error-page.csv"), filepath.Join(inbox, "2026", "upr-info-failed.csv"))
	cfgText := func(exclude string) string {
		return fmt.Sprintf("warehouse = %q\n[ingest]\npaths = [%q]\nkeep_going = true\n%s\n[classify]\nskip = true\n", wh, inbox, exclude)
	}
	cfg := writeFile(t, filepath.Join(t.TempDir(), "nmirf.toml"), cfgText(""))
	code, _, stderr := run(t, "run", "--config", cfg)
	if code != 3 {
		t.Fatalf("exit %d, want 3: %s", code, stderr)
	}
	if n := strings.Count(stderr, "upr-info-failed.csv"); n != 1 {
		t.Errorf("the skipped file is named %d times, want once:\n%s", n, stderr)
	}
	if !strings.Contains(stderr, "not imported: "+filepath.Join(inbox, "2026", "upr-info-failed.csv")) {
		t.Errorf("summary does not say which file was not imported:\n%s", stderr)
	}
	writeFile(t, cfg, cfgText(`exclude = ["2026/upr-info-failed.csv"]`))
	code, _, stderr = run(t, "run", "--config", cfg)
	if code != 0 {
		t.Fatalf("with the file excluded: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, `upr-info-failed.csv: left out: matches exclude pattern "2026/upr-info-failed.csv"`) {
		t.Errorf("summary does not say the file was excluded:\n%s", stderr)
	}
}

func TestIndicatorsImportOfAParentFolder(t *testing.T) {
	wh := t.TempDir()
	parent := filepath.Join("..", "..", "extract", "indicators")
	code, _, stderr := run(t, "indicators", "import", "--warehouse", wh, parent)
	if code != 0 && code != 3 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if n := sqlInt(t, wh, `SELECT count(DISTINCT dataset) FROM indicator_observations`); n < 3 {
		t.Errorf("%d datasets imported from the parent folder, want the repositories and the exports below it", n)
	}
	code, _, stderr = run(t, "indicators", "import", "--warehouse", wh, parent)
	if !strings.Contains(stderr, "unchanged input file(s) skipped") || strings.Contains(stderr, "observations read, 0 rejected") && !strings.Contains(stderr, " 0 observations read") {
		t.Errorf("second import (exit %d) does not say the files were skipped:\n%s", code, stderr)
	}
	empty := t.TempDir()
	writeFile(t, filepath.Join(empty, "notes.txt"), "nothing here")
	code, _, stderr = run(t, "indicators", "import", "--warehouse", wh, empty)
	if code != 65 || !strings.Contains(stderr, "no indicator data found") {
		t.Errorf("folder without data: exit %d: %s", code, stderr)
	}
}

func TestWarningKinds(t *testing.T) {
	same := [][2]string{
		{"/data/a.csv: 3 row(s) without a value skipped", "/data/b.csv: 12 row(s) without a value skipped"},
		{"x/indicator_1.csv: 2 value(s) superseded: row 4 (1.5) by row 9 (2); row 5 (3) by row 10 (4)",
			"y/indicator_2.csv: 7 value(s) superseded: row 4 (1.5) by row 9 (2); row 5 (3) by row 10 (4); row 6 (3) by row 11 (4); … 4 more"},
		{`a.csv row 3 field "From": no State named "Atlantis"`, `b.csv row 40 field "From": no State named "Utopia"`},
	}
	for _, p := range same {
		k1, _ := warningKind(p[0])
		k2, _ := warningKind(p[1])
		if k1 != k2 {
			t.Errorf("%q and %q are one kind, got %q and %q", p[0], p[1], k1, k2)
		}
	}
	k1, where := warningKind("/in/notes.md: left out: a .md file (notes, not data)")
	k2, _ := warningKind(`/in/old.csv: left out: matches exclude pattern "old*"`)
	if k1 == k2 || where != "/in/notes.md" {
		t.Errorf("kinds %q, %q; where %q", k1, k2, where)
	}
}
