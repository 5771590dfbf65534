package pipeline

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/nmirf/nmirf/extract/formats"
	"github.com/nmirf/nmirf/load"
)

// probeStage is a stage from outside the built-in ones: it counts the
// recommendations the stages before it committed, warns, and fails when
// told to.
type probeStage struct {
	seen int
	fail error
}

func (p *probeStage) Name() string { return "probe" }
func (p *probeStage) Run(ctx context.Context, w *load.Warehouse, env *Env) (*Result, error) {
	n, err := w.CountRecommendations(ctx)
	if err != nil {
		return nil, err
	}
	p.seen = n
	return &Result{Warnings: []string{"probe: saw the run " + env.RunID}}, p.fail
}

// withProbe registers the probe stage by name after indicators, as a new
// stage's line in the registry does, for the length of a test.
func withProbe(t *testing.T) {
	saved := registry
	registry = append(append(append([]func(*BatchOptions) []Stage{}, saved[:6]...), configured("probe")), saved[6:]...)
	t.Cleanup(func() { registry = saved })
}

// TestStageConfiguredByName: a stage that has no field in BatchOptions runs
// in its registry place, sees what the stages before it committed, and its
// warnings reach the batch run; when it fails, the run says which stages
// were kept and is recorded failed.
func TestStageConfiguredByName(t *testing.T) {
	withProbe(t)
	dir := t.TempDir()
	probe := &probeStage{}
	o := BatchOptions{Warehouse: dir, Version: "test", Ingest: IngestOptions{Inputs: sampleInputs(t), Importers: formats.All()},
		Stages: map[string]Stage{"probe": probe}}
	run, err := RunBatch(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if probe.seen != run.Counts.Total || probe.seen == 0 {
		t.Errorf("probe saw %d recommendations; the run committed %d", probe.seen, run.Counts.Total)
	}
	var names []string
	for _, s := range run.Stages {
		names = append(names, s.Name)
	}
	if got := strings.Join(names, ","); got != "ingest,indicators,probe,reports,publish" {
		t.Errorf("stages %s, want the probe after indicators", got)
	}
	if !strings.Contains(strings.Join(run.Warnings, "\n"), "probe: saw the run "+run.RunID) {
		t.Errorf("the probe's warning is not the run's: %q", run.Warnings)
	}

	probe.fail = errors.New("probe broke")
	run, err = RunBatch(context.Background(), o)
	if err == nil || !strings.Contains(err.Error(), "probe broke") || run.Status != "failed" {
		t.Fatalf("failed probe: run %v, err %v", run, err)
	}
	// The failed run's row is in the working database; the published copy
	// still shows the run before.
	w, err := load.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	rows, err := w.RunRows(context.Background(), "run")
	if err != nil || len(rows) != 2 || rows[1].RunID != run.RunID || rows[1].Status != "failed" {
		t.Errorf("runs rows: %+v, %v; want the second failed", rows, err)
	}
	if !strings.Contains(strings.Join(run.Warnings, "\n"), "probe failed: probe broke") {
		t.Errorf("warnings do not say the probe failed: %q", run.Warnings)
	}
}
