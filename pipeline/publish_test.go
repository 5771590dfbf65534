package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/load"
)

// TestIncrementalRunSnapshotEqualsAFullOne: a run after a new file was
// added (the UK's 2012 Working Group report, after its 2008 report and the
// UPR Info export) publishes a snapshot that links the previous files and
// adds part files of the new rows where rows were only added, and that
// reads back, table by table and both ways, exactly as a snapshot of the
// same database written from scratch.
func TestIncrementalRunSnapshotEqualsAFullOne(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	o := batch(t, dir)
	all := o.Ingest.Inputs
	var first []*extract.Input
	for _, in := range all {
		if !strings.Contains(in.Name, "2012") {
			first = append(first, in)
		}
	}
	if len(first) == len(all) {
		t.Fatal("no 2012 report among the sample inputs")
	}
	o.Ingest.Inputs = first
	if _, err := RunBatch(ctx, o); err != nil {
		t.Fatal(err)
	}
	o = batch(t, dir)
	run, err := RunBatch(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	incremental := filepath.Join(dir, "snapshots", run.RunID)
	appended, _ := filepath.Glob(filepath.Join(incremental, "*", "part-"+run.RunID+"*.parquet"))
	inParts, _ := filepath.Glob(filepath.Join(incremental, "*", "*", "part-"+run.RunID+"*.parquet"))
	appended = append(appended, inParts...)
	if len(appended) == 0 {
		t.Errorf("no table of the incremental snapshot gained a part file of new rows")
	}

	w, err := load.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	// The same database written from scratch: no link to a previous
	// snapshot.
	if err := os.Rename(filepath.Join(dir, load.ParquetLink), filepath.Join(dir, "parquet.kept")); err != nil {
		t.Fatal(err)
	}
	fresh := run.RunID[:len(run.RunID)-1] + "x"
	if err := w.ExportParquet(ctx, fresh); err != nil {
		t.Fatal(err)
	}
	tables, err := filepath.Glob(filepath.Join(incremental, "*"))
	if err != nil || len(tables) < 20 {
		t.Fatalf("incremental snapshot tables %v (%v)", tables, err)
	}
	rows := 0
	for _, tdir := range tables {
		name := filepath.Base(tdir)
		if st, err := os.Stat(tdir); err != nil || !st.IsDir() {
			continue // .fingerprints.json
		}
		read := func(snapshot string) string {
			return `(SELECT * FROM read_parquet('` + filepath.Join(dir, "snapshots", snapshot, name, "**", "*.parquet") + `', hive_partitioning = true, union_by_name = true))`
		}
		var n, diff int
		q := `SELECT (SELECT count(*) FROM ` + read(run.RunID) + `), (SELECT count(*) FROM ((FROM ` + read(run.RunID) + ` EXCEPT ALL FROM ` + read(fresh) + `) UNION ALL (FROM ` + read(fresh) + ` EXCEPT ALL FROM ` + read(run.RunID) + `)))`
		if err := w.DB().QueryRow(q).Scan(&n, &diff); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if diff != 0 {
			t.Errorf("%s: %d rows differ between the incremental snapshot and one written from scratch", name, diff)
		}
		rows += n
	}
	if rows < 1000 {
		t.Errorf("the snapshots hold %d rows in all", rows)
	}
}
