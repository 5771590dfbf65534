package indicators

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// ReadPath picks the reader by what a path is: an Open SDG repository, one
// Global Database export, or a folder of exports where a bad file is
// skipped with a warning naming it.
func TestReadPath(t *testing.T) {
	ctx := context.Background()
	gdb := filepath.Join("testdata", "un-sdg-global-database")
	repo, err := ReadPath(ctx, filepath.Join("testdata", "open-sdg-uk"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir, err := ReadOpenSDGDir(ctx, filepath.Join("testdata", "open-sdg-uk"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(repo.Observations) != len(dir.Observations) || repo.Observations[0].CountryISO3 != "GBR" {
		t.Errorf("Open SDG repository: %d observations (%s), want the %d of ReadOpenSDGDir", len(repo.Observations), repo.Observations[0].CountryISO3, len(dir.Observations))
	}
	one, err := ReadPath(ctx, filepath.Join(gdb, "Goal1-slice.csv"), Options{})
	if err != nil || len(one.Observations) != 8 || one.Observations[2].IndicatorCode != "1.3.1" {
		t.Fatalf("Global Database file: %v, %+v", err, one)
	}
	folder := t.TempDir()
	b, err := os.ReadFile(filepath.Join(gdb, "Goal1-slice.csv"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(folder, "Goal1-slice.csv"), b, 0o644)
	os.WriteFile(filepath.Join(folder, "notes.csv"), []byte("Country,Remark\nFrance,none\n"), 0o644)
	both, err := ReadPath(ctx, folder, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(both.Observations) != 8 || len(both.Warnings) != 1 || !strings.Contains(both.Warnings[0], "notes.csv") {
		t.Errorf("folder of exports: %d observations, warnings %q; want 8 and one naming notes.csv", len(both.Observations), both.Warnings)
	}
	if _, err := ReadPath(ctx, filepath.Join(folder, "missing.csv"), Options{}); err == nil || !strings.Contains(err.Error(), "missing.csv") {
		t.Errorf("missing path: %v", err)
	}
}
