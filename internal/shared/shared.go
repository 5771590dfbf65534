// Package shared locates the real data kept beside a checkout
// (../shared/data) for the heavier tests. On a user's machine it is absent
// and those tests skip; in CI (CI=true) its absence fails them instead.
package shared

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Root returns the module root (the folder holding go.mod).
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// Dir returns the shared data folder, or "" when it is absent. NMIRF_SHARED_DATA
// overrides where it is looked for.
func Dir() string {
	d := os.Getenv("NMIRF_SHARED_DATA")
	if d == "" {
		d = filepath.Join(Root(), "..", "shared", "data")
	}
	if st, err := os.Stat(d); err == nil && st.IsDir() {
		return d
	}
	return ""
}

// Path returns the path of rel inside the shared data, skipping the test
// when the shared data is absent (failing it when CI=true).
func Path(t testing.TB, rel string) string {
	t.Helper()
	d := Dir()
	if d == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared data not found beside the checkout (../shared/data); CI must have it")
		}
		t.Skip("shared data not found beside the checkout (../shared/data); skipping the heavier real-data test")
	}
	p := filepath.Join(d, rel)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("shared data: %v", err)
	}
	return p
}
