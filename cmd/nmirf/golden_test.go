package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/ with the current output")

// TestClassifyStandaloneGolden pins the bytes of standalone classification
// with the embedded models, in both output formats, so that a change of
// what a reader gets is seen in review.
func TestClassifyStandaloneGolden(t *testing.T) {
	dir := filepath.Join("testdata", "standalone")
	for _, tc := range []struct {
		golden string
		args   []string
	}{
		{"upr-info-14-16.jsonl.golden", []string{"--in", filepath.Join(dir, "upr-info-14-16.csv"), "--text-col", "Text", "--top", "2"}},
		{"upr-info-14-16.csv.golden", []string{"--in", filepath.Join(dir, "upr-info-14-16.csv"), "--text-col", "Text", "--top", "2", "--format", "csv"}},
		{"mixed.jsonl.golden", []string{"--in", filepath.Join(dir, "mixed.jsonl"), "--evidence", "3"}},
		{"mixed.csv.golden", []string{"--in", filepath.Join(dir, "mixed.jsonl"), "--format", "csv"}},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			code, out, stderr := run(t, append([]string{"classify"}, tc.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			path := filepath.Join(dir, tc.golden)
			if *update {
				if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (create it with -update)", err)
			}
			if !bytes.Equal([]byte(out), want) {
				t.Errorf("output differs from %s (run with -update if the change is meant):\n got: %s\nwant: %s", path, firstDiff(out, string(want)), firstDiff(string(want), out))
			}
		})
	}
}

// firstDiff returns a of its first line that differs from b.
func firstDiff(a, b string) string {
	al, bl := bytes.Split([]byte(a), []byte("\n")), bytes.Split([]byte(b), []byte("\n"))
	for i, l := range al {
		if i >= len(bl) || !bytes.Equal(l, bl[i]) {
			return string(l)
		}
	}
	return "(end)"
}
