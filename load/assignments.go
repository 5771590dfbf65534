package load

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/nmirf/nmirf/models"
)

// RecText is a recommendation's text as a classifier needs it.
type RecText struct {
	RecID      string
	Text       string
	TextSHA256 string
	Language   string // ISO 639-1, "" when unknown
	// EnglishTwin is the rec_id of the English text of the same paragraph
	// (recommendation_translations), "" when none was imported or the text
	// is English.
	EnglishTwin string
	Kind        string // recommendation | concern
}

// ModelInfo describes a model for the models table.
type ModelInfo struct {
	ModelID string
	Task    string
	Labels  int
	Header  any // marshalled to JSON
}

// assignmentTarget returns the table a task's assignments go to and the
// scheme that tells them from other tasks' there; "" in sdg_assignments,
// which holds one task's goals and targets.
func assignmentTarget(task string) (table, scheme string, err error) {
	t, ok := models.TaskOf(task)
	if !ok {
		return "", "", fmt.Errorf("no assignment table for task %q", task)
	}
	if t.Table == models.TableSDGAssignments {
		return t.Table, "", nil
	}
	return t.Table, t.Scheme, nil
}

// PendingTexts returns the recommendations a model of task has not yet
// classified in their current text: new ones, changed ones, and every one
// when the model changed (its id differs) or all is set.
func (w *Warehouse) PendingTexts(ctx context.Context, task, modelID string, all bool) ([]RecText, error) {
	per, err := w.PendingTextsOf(ctx, []Pending{{Task: task, ModelID: modelID}}, all)
	if err != nil {
		return nil, err
	}
	return per[0], nil
}

// Pending names a model whose pending recommendations PendingTextsOf reads.
type Pending struct{ Task, ModelID string }

// PendingTextsOf returns, for each of ms, the recommendations PendingTexts
// returns for it, reading the recommendations once for all the models: the
// texts of a UHRI-scale warehouse are read, and held, once rather than once
// per model. Models with the same recommendations pending (nearly always
// all of them: the new ones) get the same slice.
func (w *Warehouse) PendingTextsOf(ctx context.Context, ms []Pending, all bool) ([][]RecText, error) {
	if len(ms) > 64 {
		return nil, fmt.Errorf("select recommendations for %d models at once: at most 64", len(ms))
	}
	if len(ms) == 0 {
		return nil, nil
	}
	// Each model's pending recommendations are an anti join on (rec_id,
	// text_sha256) against its assignments, tagged with the model's bit;
	// the texts are then read once for the union. As NOT EXISTS
	// sub-queries, one per model, the same selection took half as long
	// again at 270,000 recommendations, a nightly run's largest fixed cost
	// in classification.
	var anti []string
	var args []any
	for k, m := range ms {
		table, scheme, err := assignmentTarget(m.Task)
		if err != nil {
			return nil, err
		}
		if all {
			continue
		}
		cond := `model_id = ?`
		args = append(args, m.ModelID)
		if scheme != "" {
			cond += ` AND scheme = ?`
			args = append(args, scheme)
		}
		anti = append(anti, fmt.Sprintf(`SELECT r.rec_id, %d::UBIGINT AS bit FROM recommendations r
			ANTI JOIN (SELECT rec_id, text_sha256 FROM %s WHERE %s) a ON a.rec_id = r.rec_id AND a.text_sha256 = r.text_sha256`, uint64(1)<<k, table, cond))
	}
	from := `recommendations r`
	pendingOf := fmt.Sprintf(`%d::UBIGINT`, uint64(1)<<len(ms)-1)
	if !all {
		from = `(SELECT rec_id, bit_or(bit) AS pending_of FROM (` + strings.Join(anti, "\n\t\t\tUNION ALL ") + `) GROUP BY rec_id) p
			JOIN recommendations r USING (rec_id)`
		pendingOf = `p.pending_of`
	}
	q := `SELECT r.rec_id, r.text, r.text_sha256, coalesce(r.language, ''), coalesce(t.rec_id, ''), r.kind, ` + pendingOf + `
		FROM ` + from + ` LEFT JOIN (
			SELECT translation_rec_id, min(rec_id) AS rec_id FROM recommendation_translations GROUP BY ALL
		) t ON t.translation_rec_id = r.rec_id
		ORDER BY 1`
	rows, err := w.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var union []RecText
	var of []uint64 // bit k: pending for ms[k]
	count := make([]int, len(ms))
	for rows.Next() {
		var r RecText
		var bits uint64
		if err := rows.Scan(&r.RecID, &r.Text, &r.TextSHA256, &r.Language, &r.EnglishTwin, &r.Kind, &bits); err != nil {
			return nil, err
		}
		for k := range ms {
			if bits&(1<<k) != 0 {
				count[k]++
			}
		}
		union, of = append(union, r), append(of, bits)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([][]RecText, len(ms))
	for k := range ms {
		if count[k] == len(union) {
			out[k] = union
			continue
		}
		out[k] = make([]RecText, 0, count[k])
		for i, r := range union {
			if of[i]&(1<<k) != 0 {
				out[k] = append(out[k], r)
			}
		}
	}
	return out, nil
}

// AssignmentBatch is what the models of one classification produced for a
// set of recommendations. Recommendations with the same text share their
// labels: each text is classified once.
type AssignmentBatch struct {
	Texts []RecText // the recommendations classified
	// Of holds, for each of Texts, the index of its labels in every
	// result's Labels.
	Of      []int32
	Results []TaskResult
	// Alone tells that nothing else runs while the batch is written (the
	// last batch of a classification): DuckDB keeps all its threads, and
	// writes the rows' compressed blocks in parallel before COMMIT instead
	// of in it. Otherwise it gets half of them (writerThreads) while the
	// next batch is classified.
	Alone bool
}

// TaskResult is what one model produced for the distinct texts of an
// AssignmentBatch.
type TaskResult struct {
	Model ModelInfo
	// Labels are each distinct text's assignments (Scheme sdg-goal or
	// sdg-target for the SDG task); their RecID is not read.
	Labels [][]models.Assignment
	// Notes on recommendations read through a bilingual lexicon (language,
	// support); they replace the earlier notes of the texts classified
	// (notes.go).
	Notes []Note
}

// evidenceSep joins a label's evidence terms into one value for the bulk
// load, where DuckDB splits them again; each term is preceded by it, so
// that no terms and one empty term stay apart. Terms are words of the
// text, never control characters.
const evidenceSep = "\x1f"

// WriteAssignments replaces, in one transaction, the assignments of the
// classified recommendations for each task, records the models and the run,
// and leaves everything as it was on error.
//
// The rows are not appended one by one: each distinct text's labels are
// appended once, in a few typed columns, to a temporary table, and DuckDB
// joins them to the recommendations that have that text and builds the
// evidence lists itself, in one INSERT per table.
func (w *Warehouse) WriteAssignments(ctx context.Context, run *models.Run, b AssignmentBatch) error {
	if len(b.Of) != len(b.Texts) {
		return fmt.Errorf("write assignments: %d texts but %d label indexes", len(b.Texts), len(b.Of))
	}
	if !b.Alone {
		restore, err := w.limitThreads(ctx, writerThreads())
		if err != nil {
			return err
		}
		defer restore()
	}
	return w.inTx(ctx, run, func(conn *sql.Conn) error {
		if len(b.Texts) > 0 {
			if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE classified_ids (rec_id VARCHAR, text_sha256 VARCHAR, k INTEGER)`); err != nil {
				return err
			}
			ids := make([][]driver.Value, len(b.Texts))
			for i, t := range b.Texts {
				ids[i] = []driver.Value{t.RecID, t.TextSHA256, b.Of[i]}
			}
			if err := appendRows(ctx, conn, "classified_ids", ids); err != nil {
				return err
			}
		}
		for _, res := range b.Results {
			if err := writeTaskResult(ctx, conn, run, res, len(b.Texts) > 0); err != nil {
				return err
			}
			if len(b.Texts) == 0 {
				continue
			}
			if err := replaceNotes(ctx, conn, run, res); err != nil {
				return err
			}
		}
		return nil
	})
}

// writeTaskResult writes one model's labels of the recommendations in
// temp.classified_ids (when any), inside the caller's transaction.
func writeTaskResult(ctx context.Context, conn *sql.Conn, run *models.Run, res TaskResult, some bool) error {
	table, scheme, err := assignmentTarget(res.Model.Task)
	if err != nil {
		return err
	}
	head, err := json.Marshal(res.Model.Header)
	if err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, `DELETE FROM models WHERE model_id = ?`, res.Model.ModelID); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, `INSERT INTO models VALUES (?, ?, ?, ?, ?)`, res.Model.ModelID, res.Model.Task, res.Model.Labels, time.Now().UTC(), string(head)); err != nil {
		return fmt.Errorf("record model: %w", err)
	}
	if !some {
		return nil
	}
	del := `DELETE FROM ` + table + ` WHERE rec_id IN (SELECT rec_id FROM temp.classified_ids)`
	var args []any
	if scheme != "" {
		del += ` AND scheme = ?`
		args = append(args, scheme)
	}
	if _, err := conn.ExecContext(ctx, del, args...); err != nil {
		return fmt.Errorf("replace %s: %w", table, err)
	}
	// One row per label of a distinct text: k, the label's number in
	// temp.label_names, score, rank, fallback and the evidence terms
	// joined; label_names holds each label once (the goal and target in
	// sdg_assignments). Every label is the model's (assignmentsOf gives each
	// its ModelID).
	if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE text_labels (k INTEGER, li INTEGER, score DOUBLE, rank INTEGER, fallback BOOLEAN, evidence VARCHAR)`); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE label_names (li INTEGER, label VARCHAR, target VARCHAR)`); err != nil {
		return err
	}
	names, err := appendLabels(ctx, conn, table, res.Labels)
	if err != nil {
		return fmt.Errorf("write %s: %w", table, err)
	}
	if err := appendRows(ctx, conn, "label_names", names); err != nil {
		return fmt.Errorf("write %s: %w", table, err)
	}
	cols := `c.rec_id, ?, n.label`
	args = []any{scheme}
	if table == models.TableSDGAssignments {
		cols, args = `c.rec_id, n.label, n.target`, nil
	}
	args = append(args, res.Model.ModelID)
	ins := `INSERT INTO ` + table + ` SELECT ` + cols + `, l.score, l.rank, l.fallback, ?,
		string_split(l.evidence, chr(31))[2:], c.text_sha256, ?
		FROM temp.classified_ids c JOIN temp.text_labels l ON l.k = c.k JOIN temp.label_names n ON n.li = l.li`
	if _, err := conn.ExecContext(ctx, ins, append(args, run.RunID)...); err != nil {
		return fmt.Errorf("write %s: %w", table, err)
	}
	return nil
}

// labelKey tells a model's labels apart: an SDG model's goal and target
// schemes could in principle share a label.
type labelKey struct{ scheme, label string }

// appendLabels appends each distinct text's labels to temp.text_labels as
// they are read, one reused row at a time, and returns the rows of
// temp.label_names they refer to. The labels of a large batch are never
// held a second time as rows of boxed values, and each row carries the
// number of its label rather than its name: building those rows and
// passing each string to DuckDB cost as much as storing the assignments.
func appendLabels(ctx context.Context, conn *sql.Conn, table string, labels [][]models.Assignment) ([][]driver.Value, error) {
	var names [][]driver.Value
	num := map[labelKey]int32{}
	err := conn.Raw(func(dc any) error {
		a, err := duckdb.NewAppenderFromConn(dc.(driver.Conn), "", "text_labels")
		if err != nil {
			return err
		}
		row := make([]driver.Value, 6)
		var ev strings.Builder
		n := 0
		for k, as := range labels {
			for _, l := range as {
				if n%4096 == 0 {
					if err := ctx.Err(); err != nil {
						a.Close()
						return err
					}
				}
				n++
				li, ok := num[labelKey{l.Scheme, l.Label}]
				if !ok {
					label, target := l.Label, driver.Value(nil)
					if table == models.TableSDGAssignments && l.Scheme == models.SchemeSDGTarget {
						label, target = models.SDGGoalOf(l.Label), l.Label
					}
					li = int32(len(names))
					num[labelKey{l.Scheme, l.Label}] = li
					names = append(names, []driver.Value{li, label, target})
				}
				ev.Reset()
				for _, e := range l.Evidence {
					ev.WriteString(evidenceSep)
					ev.WriteString(e)
				}
				row[0], row[1], row[2], row[3], row[4], row[5] = int32(k), li, l.Score, int32(l.Rank), l.Fallback, ev.String()
				if err := a.AppendRow(row...); err != nil {
					a.Close()
					return fmt.Errorf("label %d: %w", n, err)
				}
			}
		}
		return a.Close()
	})
	return names, err
}

// writerThreads is how many threads DuckDB gets while it writes a batch of
// assignments: the classify stage classifies the next batch on the other
// cores meanwhile. On two cores a second DuckDB thread only waits for work
// (its scheduler polls) and took a third more CPU time for the same rows
// (BenchmarkWriteAssignments).
func writerThreads() int {
	return max(1, runtime.NumCPU()/2)
}

// limitThreads lowers DuckDB's thread count to n, when higher, until the
// returned function restores it. The setting is the database's, not the
// transaction's: it changes only how fast statements run, never what they
// write.
func (w *Warehouse) limitThreads(ctx context.Context, n int) (restore func(), err error) {
	var have int
	if err := w.db.QueryRowContext(ctx, `SELECT current_setting('threads')`).Scan(&have); err != nil {
		return nil, fmt.Errorf("read the thread setting: %w", err)
	}
	if have <= n {
		return func() {}, nil
	}
	if _, err := w.db.ExecContext(ctx, fmt.Sprintf(`SET threads = %d`, n)); err != nil {
		return nil, fmt.Errorf("limit threads: %w", err)
	}
	return func() {
		w.db.ExecContext(context.Background(), fmt.Sprintf(`SET threads = %d`, have))
	}, nil
}

// cacheFloor is the memory limit DuckDB is given for a moment by
// ShrinkCache: low enough to drop most of the cache of a UHRI-scale ingest,
// high enough for what DuckDB cannot drop between stages (a variable for
// tests).
var cacheFloor = "256MB"

// ShrinkCache makes DuckDB drop the table blocks it keeps cached from
// earlier statements, and give their memory back to the system, by lowering
// its memory limit for a moment to cacheFloor and setting it back to the
// warehouse's (MemoryLimit). An ingest leaves as much as its memory limit
// cached; the classify stage, which reads and holds every pending text,
// then set the peak of a whole run. Blocks a statement still uses cannot be
// dropped: DuckDB then refuses the lower limit, and the cache is left as it
// was. Only the memory held changes, never what a statement reads.
func (w *Warehouse) ShrinkCache(ctx context.Context) error {
	if _, err := w.db.ExecContext(ctx, `SET memory_limit = '`+cacheFloor+`'`); err != nil {
		return nil // blocks in use: nothing to drop now
	}
	if _, err := w.db.ExecContext(ctx, `SET memory_limit = '`+w.opts.memory+`'`); err != nil {
		return fmt.Errorf("set DuckDB's memory limit back to %s: %w", w.opts.memory, err)
	}
	return nil
}
