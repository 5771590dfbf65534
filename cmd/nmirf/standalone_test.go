package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestClassifyStandaloneErrorOrder checks that reading the input while the
// models load keeps the errors as the user saw them: a bad model file is
// named first even when the input is bad too, and a bad input with good
// models names the input, with nothing written to --out.
func TestClassifyStandaloneErrorOrder(t *testing.T) {
	dir := t.TempDir()
	badModel := filepath.Join(dir, "m.nmm")
	os.WriteFile(badModel, []byte("not a model\n"), 0o644)
	missing := filepath.Join(dir, "missing.jsonl")
	badInput := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(badInput, []byte("{\"text\":\"Ratify the ICESCR\"}\n{\"text\": 5}\n"), 0o644)
	out := filepath.Join(dir, "out.jsonl")

	code, _, stderr := run(t, "classify", "--model", badModel, "--in", missing)
	if code != 65 || !strings.Contains(stderr, "m.nmm") || !strings.Contains(stderr, "not a valid nmirf classification model") {
		t.Errorf("bad model and missing input: exit %d, %s", code, stderr)
	}
	code, _, stderr = run(t, "classify", "--in", badInput, "--out", out)
	if code != 65 || !strings.Contains(stderr, "bad.jsonl") || !strings.Contains(stderr, `line 2: field "text" is not a string`) {
		t.Errorf("bad input: exit %d, %s", code, stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("--out written after a bad input: %v", err)
	}
	code, _, stderr = run(t, "classify", "--in", missing)
	if code == 0 || !strings.Contains(stderr, "missing.jsonl") || strings.Contains(stderr, "goroutine") {
		t.Errorf("missing input: exit %d, %s", code, stderr)
	}
}
