package load

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// ParquetLink is the name of the link, inside a warehouse, that points at the
// current Parquet snapshot. Readers use out/parquet/<table>/*.parquet.
const ParquetLink = "parquet"

const snapshotsDir = "snapshots"

// keepSnapshots is how many snapshots stay on disk: the current one and the
// one before, so a reader that opened the previous snapshot can finish.
const keepSnapshots = 2

// ExportParquet writes every table to a new snapshot folder and then
// switches the parquet link to it in one rename, so readers see either the
// old snapshot or the new one, never a mix. Older snapshots beyond the last
// keepSnapshots are removed.
func (w *Warehouse) ExportParquet(ctx context.Context, snapshotID string) error {
	base := filepath.Join(w.Dir, snapshotsDir)
	final := filepath.Join(base, snapshotID)
	tmp := final + ".partial"
	if err := os.RemoveAll(tmp); err != nil {
		return err
	}
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return err
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(tmp)
		}
	}()
	for _, t := range exportTables {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := w.exportTable(ctx, t.name, t.orderBy, t.partition, tmp); err != nil {
			return fmt.Errorf("export %s to Parquet: %w", t.name, err)
		}
	}
	// Every file and folder of the snapshot is on disk before the link
	// points at it: after a crash the link never names a snapshot whose
	// files were still in the page cache.
	if err := syncTree(tmp); err != nil {
		return fmt.Errorf("sync the Parquet snapshot: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := os.Rename(tmp, final); err != nil {
		return err
	}
	if err := syncDir(base); err != nil {
		return err
	}
	link := filepath.Join(w.Dir, ParquetLink)
	newLink := link + ".new"
	if err := removeIfExists(newLink); err != nil {
		return fmt.Errorf("remove a link left by an interrupted publication: %w", err)
	}
	if err := os.Symlink(filepath.Join(snapshotsDir, snapshotID), newLink); err != nil {
		return err
	}
	if err := os.Rename(newLink, link); err != nil {
		os.Remove(newLink)
		return fmt.Errorf("switch Parquet snapshot: %w", err)
	}
	ok = true
	if err := syncDir(w.Dir); err != nil {
		return fmt.Errorf("sync %s after switching the Parquet snapshot: %w", w.Dir, err)
	}
	return pruneSnapshots(base, snapshotID)
}

func pruneSnapshots(base, current string) error {
	entries, err := os.ReadDir(base)
	if err != nil {
		return err
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() && !strings.HasSuffix(e.Name(), ".partial") {
			names = append(names, e.Name())
		} else if strings.HasSuffix(e.Name(), ".partial") && e.Name() != current+".partial" {
			// Left by an interrupted export.
			if err := os.RemoveAll(filepath.Join(base, e.Name())); err != nil {
				return err
			}
		}
	}
	sort.Strings(names) // run ids sort by time
	for len(names) > keepSnapshots {
		if names[0] != current {
			if err := os.RemoveAll(filepath.Join(base, names[0])); err != nil {
				return err
			}
		}
		names = names[1:]
	}
	return nil
}

func (w *Warehouse) exportTable(ctx context.Context, name, orderBy, partition, dir string) error {
	// DuckDB writes the snapshot itself: measured 1.7–2.4× faster than
	// scanning rows into Go and writing them with parquet-go (see
	// BenchmarkSnapshot), with the exact column types and Hive partitions.
	target := filepath.Join(dir, name, "part-0.parquet")
	// Snappy: DuckDB's default, and a fifth faster to write than zstd here.
	opts := "FORMAT parquet, COMPRESSION snappy"
	if partition != "" {
		// An empty table gets one empty, unpartitioned file: readers
		// globbing the folder then find its schema instead of no file.
		var any bool
		if err := w.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM `+name+`)`).Scan(&any); err != nil {
			return err
		}
		if !any {
			partition = ""
		}
	}
	if partition != "" {
		target = filepath.Join(dir, name)
		opts += ", PARTITION_BY (" + partition + "), FILENAME_PATTERN 'part-{i}'"
	} else if err := os.MkdirAll(filepath.Join(dir, name), 0o755); err != nil {
		return err
	}
	query := `SELECT * FROM ` + name
	if orderBy != "" {
		query += ` ORDER BY ` + orderBy
	}
	_, err := w.db.ExecContext(ctx, `COPY (`+query+`) TO '`+strings.ReplaceAll(target, "'", "''")+`' (`+opts+`)`)
	return err
}
