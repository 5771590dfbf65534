package load

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"strings"
	"time"

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
	table, scheme, err := assignmentTarget(task)
	if err != nil {
		return nil, err
	}
	q := `SELECT r.rec_id, r.text, r.text_sha256, coalesce(r.language, ''), coalesce(t.rec_id, ''), r.kind
		FROM recommendations r LEFT JOIN (
			SELECT translation_rec_id, min(rec_id) AS rec_id FROM recommendation_translations GROUP BY ALL
		) t ON t.translation_rec_id = r.rec_id`
	var args []any
	if !all {
		cond := `a.rec_id = r.rec_id AND a.model_id = ? AND a.text_sha256 = r.text_sha256`
		args = append(args, modelID)
		if scheme != "" {
			cond += ` AND a.scheme = ?`
			args = append(args, scheme)
		}
		q += ` WHERE NOT EXISTS (SELECT 1 FROM ` + table + ` a WHERE ` + cond + `)`
	}
	q += ` ORDER BY r.rec_id`
	rows, err := w.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RecText
	for rows.Next() {
		var r RecText
		if err := rows.Scan(&r.RecID, &r.Text, &r.TextSHA256, &r.Language, &r.EnglishTwin, &r.Kind); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
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
	// One row per label of a distinct text: k, the label (the goal in
	// sdg_assignments), the target (sdg_assignments only), score, rank,
	// fallback and the evidence terms joined. Every label is the model's
	// (assignmentsOf gives each its ModelID).
	if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE text_labels (k INTEGER, label VARCHAR, target VARCHAR, score DOUBLE, rank INTEGER, fallback BOOLEAN, evidence VARCHAR)`); err != nil {
		return err
	}
	var rows [][]driver.Value
	var ev strings.Builder
	for k, as := range res.Labels {
		for _, a := range as {
			ev.Reset()
			for _, e := range a.Evidence {
				ev.WriteString(evidenceSep)
				ev.WriteString(e)
			}
			label, target := a.Label, driver.Value(nil)
			if table == models.TableSDGAssignments && a.Scheme == models.SchemeSDGTarget {
				label, target = models.SDGGoalOf(a.Label), a.Label
			}
			rows = append(rows, []driver.Value{int32(k), label, target, a.Score, int32(a.Rank), a.Fallback, ev.String()})
		}
	}
	if err := appendRows(ctx, conn, "text_labels", rows); err != nil {
		return fmt.Errorf("write %s: %w", table, err)
	}
	cols := `c.rec_id, ?, l.label`
	args = []any{scheme}
	if table == models.TableSDGAssignments {
		cols, args = `c.rec_id, l.label, l.target`, nil
	}
	args = append(args, res.Model.ModelID)
	ins := `INSERT INTO ` + table + ` SELECT ` + cols + `, l.score, l.rank, l.fallback, ?,
		string_split(l.evidence, chr(31))[2:], c.text_sha256, ?
		FROM temp.classified_ids c JOIN temp.text_labels l ON l.k = c.k`
	if _, err := conn.ExecContext(ctx, ins, append(args, run.RunID)...); err != nil {
		return fmt.Errorf("write %s: %w", table, err)
	}
	return nil
}
