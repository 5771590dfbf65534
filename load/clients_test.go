package load_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/nmirf/nmirf/data"
	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/extract/formats"
	"github.com/nmirf/nmirf/internal/shared"
	"github.com/nmirf/nmirf/pipeline"
)

// TestStockClientReadsWarehouse opens a warehouse written by nmirf with the
// stock DuckDB client for Node.js (scripts/clients, installed by .ci/run),
// so that a change of storage format or Parquet layout that other DuckDB
// clients cannot read is caught.
func TestStockClientReadsWarehouse(t *testing.T) {
	script := filepath.Join(shared.Root(), "scripts", "clients", "check.mjs")
	if _, err := os.Stat(filepath.Join(filepath.Dir(script), "node_modules", "@duckdb", "node-api")); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("the DuckDB Node.js client is not installed (npm install in scripts/clients); .ci/run installs it")
		}
		t.Skip("the DuckDB Node.js client is not installed; run: npm install --prefix scripts/clients")
	}
	dir := t.TempDir()
	files, err := data.Sample()
	if err != nil {
		t.Fatal(err)
	}
	var ins []*extract.Input
	for _, f := range files {
		in, _ := extract.NewInput(f.Name, f.Data)
		ins = append(ins, in)
	}
	run, err := pipeline.Ingest(context.Background(), pipeline.IngestOptions{Inputs: ins, Warehouse: dir, Importers: formats.All(), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("node", script, dir).CombinedOutput()
	if err != nil {
		t.Fatalf("node client: %v\n%s", err, out)
	}
	var got map[string]any
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("node client output: %v\n%s", err, out)
	}
	want := float64(run.Counts.Total)
	if got["recommendations"] != want || got["parquet_recommendations"] != want || got["parquet_countries"] != 1.0 {
		t.Errorf("stock client saw %v, want %v recommendations of one country", got, want)
	}
	t.Logf("stock client: %s", out)
}
