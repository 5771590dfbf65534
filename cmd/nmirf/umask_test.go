//go:build unix

package main

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// Files nmirf publishes are readable by others under the usual umask 022
// (0644), as a colleague or a web server needs: standalone output and a
// trained model here; reports and run manifests go through the same writer.
func TestPublishedFilesReadableByOthers(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	dir := t.TempDir()
	out := filepath.Join(dir, "classified.jsonl")
	if code, _, stderr := run(t, "classify", "--in", filepath.Join("testdata", "standalone", "upr-info-14-16.csv"), "--text-col", "Text", "--out", out); code != 0 {
		t.Fatalf("classify: exit %d: %s", code, stderr)
	}
	b, _ := os.ReadFile(out)
	if recs := readJSONL(t, string(b)); len(recs) != 12 || recs[0]["id"] != "R1" || recs[11]["id"] != "R12" {
		t.Errorf("classify --out wrote %d records, want R1…R12", len(recs))
	}
	model := filepath.Join(dir, "issues.nmm")
	if code, _, stderr := run(t, "train", "--task", "issues", "--in", filepath.Join("..", "..", "extract", "uprinfo", "testdata", "upr-info-sample-macroman-cr.csv"),
		"--min-df", "1", "--folds", "3", "--out", model); code != 0 {
		t.Fatalf("train: exit %d: %s", code, stderr)
	}
	for _, p := range []string{out, model} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o644 {
			t.Errorf("%s: mode %v, want -rw-r--r-- under umask 022", filepath.Base(p), st.Mode().Perm())
		}
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 2 {
		t.Errorf("%d files in the output folder, want 2 (no temporary file left)", len(ents))
	}
}
