package load

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
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
	prev := w.previousSnapshot()
	prints := &snapshotPrints{}
	var err error
	if err = w.db.QueryRowContext(ctx, `SELECT 'nmirf snapshot 1, snappy, DuckDB ' || version()`).Scan(&prints.Format); err != nil {
		return err
	}
	if prints.Tables, err = w.allPrints(ctx); err != nil {
		return fmt.Errorf("fingerprint the tables: %w", err)
	}
	if prints.Next, err = w.nextRowids(ctx); err != nil {
		return fmt.Errorf("read the tables' row ids: %w", err)
	}
	for _, t := range exportTables {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := w.exportOrReuse(ctx, t.name, t.orderBy, t.partition, tmp, snapshotID, prev, prints); err != nil {
			return fmt.Errorf("export %s to Parquet: %w", t.name, err)
		}
	}
	if err := prints.write(tmp); err != nil {
		return err
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
	return w.copyParquet(ctx, name, "", orderBy, partition, filepath.Join(dir, name))
}

// copyParquet writes the rows of a table that where selects ("" all) to
// the folder dir: one file, or a Hive partition folder per value of
// partition.
func (w *Warehouse) copyParquet(ctx context.Context, name, where, orderBy, partition, dir string) error {
	// DuckDB writes the snapshot itself: measured 1.7–2.4× faster than
	// scanning rows into Go and writing them with parquet-go (see
	// BenchmarkSnapshot), with the exact column types and Hive partitions.
	target := filepath.Join(dir, "part-0.parquet")
	// Snappy: DuckDB's default, and a fifth faster to write than zstd here.
	opts := "FORMAT parquet, COMPRESSION snappy"
	if partition != "" {
		target = dir
		opts += ", PARTITION_BY (" + partition + "), FILENAME_PATTERN 'part-{i}'"
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	query := `SELECT * FROM ` + name
	if where != "" {
		query += ` WHERE ` + where
	}
	if orderBy != "" {
		query += ` ORDER BY ` + orderBy
	}
	_, err := w.db.ExecContext(ctx, `COPY (`+query+`) TO `+sqlString(target)+` (`+opts+`)`)
	return err
}

// printsFile, in each snapshot folder, records what rows the snapshot's
// files hold: for each table (and each partition of a partitioned table)
// a fingerprint of its columns and of its rows as a multiset. The next
// publication links the files of tables and partitions whose fingerprint
// did not change instead of writing them again, so a run that touched a
// few countries or tables rewrites only those. Its name starts with a dot:
// readers globbing a table's folder never see it.
const printsFile = ".fingerprints.json"

// snapshotPrints is the content of printsFile. Format names the snapshot
// layout and the DuckDB version (whose hash function the fingerprints
// use): a snapshot of another format is never reused.
type snapshotPrints struct {
	Format string                       `json:"format"`
	Tables map[string]map[string]string `json:"tables"` // table → partition value ("" for a whole table) → fingerprint
	// Next is, for each table, one more than its largest rowid when the
	// snapshot was written: rows appended since have a rowid from there.
	// It only proposes which rows are new; the fingerprints decide (see
	// appendable).
	Next map[string]int64 `json:"next_rowid,omitempty"`
}

// previousSnapshot returns the folder and fingerprints of the snapshot the
// parquet link points at, or nil when there is none or it records no
// fingerprints (written by an older nmirf, or unreadable).
func (w *Warehouse) previousSnapshot() *previous {
	target, err := os.Readlink(filepath.Join(w.Dir, ParquetLink))
	if err != nil {
		return nil
	}
	if !filepath.IsAbs(target) {
		target = filepath.Join(w.Dir, target)
	}
	b, err := os.ReadFile(filepath.Join(target, printsFile))
	if err != nil {
		return nil
	}
	var p snapshotPrints
	if json.Unmarshal(b, &p) != nil || p.Tables == nil {
		return nil
	}
	return &previous{dir: target, prints: p}
}

type previous struct {
	dir    string
	prints snapshotPrints
}

func (p *previous) dirOrEmpty() string {
	if p == nil {
		return ""
	}
	return p.dir
}

func (p *snapshotPrints) write(dir string) error {
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, printsFile), b, 0o644)
}

// partitionValue is what a partition value may be for its folder to be
// reused: the folder's name is then known (column=value).
var partitionValue = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// exportOrReuse writes one table's folder of the snapshot in dir, linking
// from the previous snapshot the files of the table, or of its partitions,
// whose rows are the same, and records the table's fingerprints in prints.
// A table or partition whose rows were only added to (see grownParts) has
// its previous files linked and the new rows written beside them in a part
// file of their own, named after the snapshot.
func (w *Warehouse) exportOrReuse(ctx context.Context, name, orderBy, partition, dir, snapshotID string, prev *previous, prints *snapshotPrints) error {
	fps := prints.Tables[name]
	var old map[string]string
	if prev != nil && prev.prints.Format == prints.Format {
		old = prev.prints.Tables[name]
	}
	// A table without partitions, or empty (one empty file), is linked,
	// grown or written whole.
	if partition == "" || emptyPrint(fps) != "" {
		src := filepath.Join(prev.dirOrEmpty(), name)
		if old != nil && old[""] == fps[""] && isDir(src) {
			return linkTree(src, filepath.Join(dir, name))
		}
		if partition == "" && orderBy == "" && old != nil {
			grown, err := w.grownParts(ctx, name, "", []string{""}, prev, old, fps)
			if err != nil {
				return err
			}
			if len(grown) == 1 {
				if err := linkTree(src, filepath.Join(dir, name)); err != nil {
					return err
				}
				return w.writeNewRows(ctx, name, "", nil, prev.prints.Next[name], filepath.Join(dir, name), snapshotID)
			}
		}
		return w.exportTable(ctx, name, orderBy, partition, dir)
	}
	// A table with a partition value that names no plain folder is
	// written whole.
	reusable := old != nil
	for v := range fps {
		if !partitionValue.MatchString(v) {
			reusable = false
		}
	}
	if !reusable {
		return w.exportTable(ctx, name, orderBy, partition, dir)
	}
	var same, changed []string
	for v, fp := range fps {
		if old[v] == fp && isDir(filepath.Join(prev.dir, name, partition+"="+v)) {
			same = append(same, v)
		} else {
			changed = append(changed, v)
		}
	}
	sort.Strings(changed)
	var grown []string
	if orderBy == "" && len(changed) > 0 {
		var err error
		if grown, err = w.grownParts(ctx, name, partition, changed, prev, old, fps); err != nil {
			return err
		}
		changed = without(changed, grown)
	}
	if len(same) == 0 && len(grown) == 0 {
		return w.exportTable(ctx, name, orderBy, partition, dir)
	}
	sort.Strings(same)
	if len(changed) > 0 {
		if err := w.copyParquet(ctx, name, inList(partition, changed), orderBy, partition, filepath.Join(dir, name)); err != nil {
			return err
		}
	} else if err := os.MkdirAll(filepath.Join(dir, name), 0o755); err != nil {
		return err
	}
	for _, v := range append(same, grown...) {
		part := partition + "=" + v
		if err := linkTree(filepath.Join(prev.dir, name, part), filepath.Join(dir, name, part)); err != nil {
			return err
		}
	}
	if len(grown) == 0 {
		return nil
	}
	return w.writeNewRows(ctx, name, partition, grown, prev.prints.Next[name], filepath.Join(dir, name), snapshotID)
}

// maxPartFiles is how many files a table's folder, or a partition's, may
// hold: one that has that many is written again whole, in one file, rather
// than given another part file, so that readers open few files.
const maxPartFiles = 8

// grownParts returns those of the partitions parts (values of partition,
// or "" for a whole table) whose rows are the rows of the previous
// snapshot plus rows appended since: the previous fingerprint (old) and
// that of the rows from the previous snapshot's next rowid add up to the
// current fingerprint (fps), count, hash sum and hash xor alike. A row
// changed or removed since, or an appended row that rowids do not tell
// (DuckDB renumbers them when it compacts deleted rows), breaks the sums,
// and the partition is written whole. So does a partition folder that
// already has maxPartFiles files.
func (w *Warehouse) grownParts(ctx context.Context, name, partition string, parts []string, prev *previous, old, fps map[string]string) ([]string, error) {
	from, ok := prev.prints.Next[name]
	if !ok {
		return nil, nil // a snapshot of an older nmirf
	}
	var candidates []string
	for _, v := range parts {
		folder := filepath.Join(prev.dir, name)
		if partition != "" {
			folder = filepath.Join(folder, partition+"="+v)
		}
		if n := parquetFiles(folder); old[v] != "" && n > 0 && n < maxPartFiles {
			candidates = append(candidates, v)
		}
	}
	if len(candidates) == 0 {
		return nil, nil
	}
	key := `''`
	if partition != "" {
		key = `coalesce(` + partition + `::VARCHAR, '/null')`
	}
	rows, err := w.db.QueryContext(ctx, `SELECT `+key+`, count(*), sum(hash(t)::HUGEINT)::VARCHAR, bit_xor(hash(t, 'nmirf'))
		FROM `+name+` t WHERE t.rowid >= $1 GROUP BY ALL`, from)
	if err != nil {
		return nil, fmt.Errorf("fingerprint the new rows of %s: %w", name, err)
	}
	defer rows.Close()
	added := map[string]string{}
	for rows.Next() {
		var v, sum string
		var n int64
		var xor uint64
		if err := rows.Scan(&v, &n, &sum, &xor); err != nil {
			return nil, err
		}
		added[v] = addPrint(old[v], n, sum, xor)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []string
	for _, v := range candidates {
		if fp := added[v]; fp != "" && fp == fps[v] {
			out = append(out, v)
		}
	}
	return out, nil
}

// addPrint returns the fingerprint of the rows of fingerprint fp (as
// allPrints writes it: columns|count:sum:xor) and n more rows whose hash sum
// and xor are sum and xor, or "" when fp is not such a fingerprint.
func addPrint(fp string, n int64, sum string, xor uint64) string {
	i := strings.LastIndex(fp, "|")
	if i < 0 {
		return ""
	}
	f := strings.Split(fp[i+1:], ":")
	if len(f) != 3 {
		return ""
	}
	n0, err1 := strconv.ParseInt(f[0], 10, 64)
	x0, err2 := strconv.ParseUint(f[2], 10, 64)
	s0, ok1 := new(big.Int).SetString(f[1], 10)
	s1, ok2 := new(big.Int).SetString(sum, 10)
	if err1 != nil || err2 != nil || !ok1 || !ok2 {
		return ""
	}
	return fp[:i+1] + strconv.FormatInt(n0+n, 10) + ":" + s0.Add(s0, s1).String() + ":" + strconv.FormatUint(x0^xor, 10)
}

// writeNewRows writes the rows of a table from rowid from, those of the
// partitions parts of a partitioned table, as a new part file in the
// table's folder dir (or in each partition's), named after the snapshot.
// DuckDB writes them to a folder of its own, from which they are moved.
func (w *Warehouse) writeNewRows(ctx context.Context, name, partition string, parts []string, from int64, dir, snapshotID string) error {
	where := fmt.Sprintf("rowid >= %d", from)
	if partition == "" {
		target := filepath.Join(dir, "part-"+snapshotID+".parquet")
		if _, err := os.Lstat(target); err == nil {
			return fmt.Errorf("%s already exists", target)
		}
		_, err := w.db.ExecContext(ctx, `COPY (SELECT * FROM `+name+` WHERE `+where+`) TO `+sqlString(target)+` (FORMAT parquet, COMPRESSION snappy)`)
		return err
	}
	staging := filepath.Join(filepath.Dir(dir), "."+name+".new")
	if err := os.RemoveAll(staging); err != nil {
		return err
	}
	defer os.RemoveAll(staging)
	_, err := w.db.ExecContext(ctx, `COPY (SELECT * FROM `+name+` WHERE `+where+` AND `+inList(partition, parts)+`) TO `+sqlString(staging)+
		` (FORMAT parquet, COMPRESSION snappy, PARTITION_BY (`+partition+`), FILENAME_PATTERN 'part-`+snapshotID+`-{i}')`)
	if err != nil {
		return err
	}
	for _, v := range parts {
		part := partition + "=" + v
		files, err := os.ReadDir(filepath.Join(staging, part))
		if err != nil {
			return fmt.Errorf("new rows of %s %s: %w", name, part, err)
		}
		for _, f := range files {
			target := filepath.Join(dir, part, f.Name())
			if _, err := os.Lstat(target); err == nil {
				return fmt.Errorf("%s already exists", target)
			}
			if err := os.Rename(filepath.Join(staging, part, f.Name()), target); err != nil {
				return err
			}
		}
	}
	return nil
}

// inList is the condition that partition is one of values.
// sqlString quotes s as an SQL string literal.
func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func inList(partition string, values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = sqlString(v)
	}
	return partition + `::VARCHAR IN (` + strings.Join(quoted, ", ") + `)`
}

// without returns the strings of all that are not in drop.
func without(all, drop []string) []string {
	skip := map[string]bool{}
	for _, s := range drop {
		skip[s] = true
	}
	var out []string
	for _, s := range all {
		if !skip[s] {
			out = append(out, s)
		}
	}
	return out
}

// parquetFiles counts the Parquet files of a folder (0 when it is none).
func parquetFiles(dir string) int {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0
	}
	n := 0
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".parquet") {
			n++
		}
	}
	return n
}

// nextRowids returns, for each exported table, one more than its largest
// rowid (0 when it is empty).
func (w *Warehouse) nextRowids(ctx context.Context) (map[string]int64, error) {
	var parts []string
	for _, t := range exportTables {
		parts = append(parts, `SELECT '`+t.name+`', coalesce(max(rowid) + 1, 0) FROM `+t.name)
	}
	rows, err := w.db.QueryContext(ctx, strings.Join(parts, " UNION ALL "))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var name string
		var n int64
		if err := rows.Scan(&name, &n); err != nil {
			return nil, err
		}
		out[name] = n
	}
	return out, rows.Err()
}

// allPrints returns, for each exported table, the fingerprint of each of
// its partitions (or of the whole table, under "", when it has none): its
// column names and types, its row count, and two sums of row hashes, which
// do not depend on the order of the rows. An empty table has one, under
// "", that says so. Two queries for all the tables: most are small, and a
// query each cost more than their scans.
func (w *Warehouse) allPrints(ctx context.Context) (map[string]map[string]string, error) {
	cols := map[string]string{}
	rows, err := w.db.QueryContext(ctx, `SELECT table_name, string_agg(column_name || ' ' || data_type, ', ' ORDER BY column_index)
		FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'main' GROUP BY table_name`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var name, c string
		if err := rows.Scan(&name, &c); err != nil {
			rows.Close()
			return nil, err
		}
		cols[name] = c
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	var parts []string
	for _, t := range exportTables {
		key := `''`
		if t.partition != "" {
			key = `coalesce(` + t.partition + `::VARCHAR, '/null')`
		}
		parts = append(parts, `SELECT '`+t.name+`' AS tbl, `+key+` AS part, count(*) || ':' || sum(hash(t)::HUGEINT) || ':' || bit_xor(hash(t, 'nmirf')) AS fp
		FROM `+t.name+` t GROUP BY ALL HAVING count(*) > 0`)
	}
	rows, err = w.db.QueryContext(ctx, strings.Join(parts, " UNION ALL "))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]map[string]string{}
	for rows.Next() {
		var name, part, fp string
		if err := rows.Scan(&name, &part, &fp); err != nil {
			return nil, err
		}
		if out[name] == nil {
			out[name] = map[string]string{}
		}
		out[name][part] = cols[name] + "|" + fp
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, t := range exportTables {
		if out[t.name] == nil {
			out[t.name] = map[string]string{"": cols[t.name] + "|empty"}
		}
	}
	return out, nil
}

// emptyPrint is the fingerprint allPrints gives an empty table, or ""
// when fps is not that of an empty table.
func emptyPrint(fps map[string]string) string {
	if fp, ok := fps[""]; ok && len(fps) == 1 && strings.HasSuffix(fp, "|empty") {
		return fp
	}
	return ""
}

func isDir(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}

// linkTree makes dst a copy of the folder src whose files are hard links
// to src's (snapshot files are never changed once written), or copies
// where the file system does not link.
func linkTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if err := os.Link(path, target); err == nil {
			return nil
		}
		return copyPlain(path, target)
	})
}

// copyPlain copies a file; syncTree syncs the snapshot afterwards.
func copyPlain(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
