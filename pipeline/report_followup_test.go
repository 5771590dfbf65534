package pipeline

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nmirf/nmirf/data"
	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/extract/formats"
	"github.com/nmirf/nmirf/load"
	"github.com/nmirf/nmirf/models"
)

// TestSampleFollowupReports runs the sample batch with the sample returned
// workbook, as `make run` does, and writes the followup and parliament
// reports in every format through WriteReports. The text formats are
// kept as golden files (testdata/golden, -update); a value of each is
// checked here.
func TestSampleFollowupReports(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	o := sampleBatch(t, dir)
	o.Reports = nil
	sample := data.SampleFollowup()
	in, err := extract.NewInput(sample.Name, sample.Data)
	if err != nil {
		t.Fatal(err)
	}
	o.Followup = []FollowupImportOptions{{Inputs: []*extract.Input{in}, Responsibility: defaultResponsibility(t), AcceptOtherWarehouse: true, Importers: formats.All()}}
	var inc *models.IncompleteError
	if _, err := RunBatch(ctx, o); err != nil && !errors.As(err, &inc) {
		t.Fatal(err)
	}
	w, err := load.OpenReadOnly(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	out := t.TempDir()
	var paths []string
	for _, ro := range []ReportOptions{
		{Kind: "followup", Countries: []string{"GBR"}, Formats: []string{"html", "md", "csv", "xlsx", "docx"}},
		{Kind: "parliament", Countries: []string{"GBR"}, Formats: []string{"docx", "html", "md"},
			Followup: FollowupReportOptions{From: time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)}},
	} {
		ro.Out, ro.Now, ro.Warehouse = out, goldenNow, "sample"
		p, err := WriteReports(ctx, w, ro)
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p...)
	}
	if len(paths) != 8 {
		t.Fatalf("wrote %v, want 8 files", paths)
	}
	for _, p := range paths {
		got, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		switch filepath.Ext(p) {
		case ".docx", ".xlsx":
			if !bytes.HasPrefix(got, []byte("PK")) {
				t.Errorf("%s is not a zip archive", p)
			}
			continue
		}
		golden := filepath.Join("testdata", "golden", filepath.Base(p))
		if *update {
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s; rerun with -update if the change is intended\n%s", p, golden, firstDiff(got, want))
		}
	}
	md, _ := os.ReadFile(filepath.Join(out, "parliament-GBR-2025-07-01_2026-06-30.md"))
	// The workbook's updates dated from July 2025 to June 2026.
	if !strings.Contains(string(md), "4 status updates received in the period, on 4 recommendations") {
		t.Errorf("parliament report summary:\n%s", md[:min(len(md), 800)])
	}
	// Reports of one entity or body do not overwrite the country's.
	p, err := WriteReports(ctx, w, ReportOptions{Kind: "followup", Countries: []string{"GBR"}, Formats: []string{"md"}, Out: out, Now: goldenNow,
		Followup: FollowupReportOptions{Entity: "moj", Body: "UPR"}})
	if err != nil || len(p) != 1 || filepath.Base(p[0]) != "followup-GBR-MOJ-UPR.md" {
		t.Errorf("entity and body report written to %v (%v), want followup-GBR-MOJ-UPR.md", p, err)
	}
	if _, err := WriteReports(ctx, w, ReportOptions{Kind: "parliament", Countries: []string{"GBR"}, Out: out}); models.CodeOf(err) != models.ExitUsage {
		t.Errorf("parliament report without a period: %v, want a usage error", err)
	}
}
