package load

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"fmt"
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

// TaskResult is what one model produced for a set of recommendations.
type TaskResult struct {
	Model       ModelInfo
	Texts       []RecText           // the recommendations classified
	Assignments []models.Assignment // their labels; Scheme sdg-goal/sdg-target for the SDG task
}

// WriteAssignments replaces, in one transaction, the assignments of the
// classified recommendations for each task, records the models and the run,
// and leaves everything as it was on error.
func (w *Warehouse) WriteAssignments(ctx context.Context, run *models.Run, results []TaskResult) error {
	return w.inTx(ctx, run, func(conn *sql.Conn) error {
		for _, res := range results {
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
			if len(res.Texts) == 0 {
				continue
			}
			if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE classified_ids (rec_id VARCHAR)`); err != nil {
				return err
			}
			hash := make(map[string]string, len(res.Texts))
			ids := make([][]driver.Value, len(res.Texts))
			for i, t := range res.Texts {
				ids[i] = []driver.Value{t.RecID}
				hash[t.RecID] = t.TextSHA256
			}
			if err := appendRows(ctx, conn, "classified_ids", ids); err != nil {
				return err
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
			rows := make([][]driver.Value, 0, len(res.Assignments))
			for _, a := range res.Assignments {
				ev := make([]any, len(a.Evidence))
				for i, e := range a.Evidence {
					ev[i] = e
				}
				if table == models.TableSDGAssignments {
					goal, target := a.Label, driver.Value(nil)
					if a.Scheme == models.SchemeSDGTarget {
						goal, target = models.SDGGoalOf(a.Label), a.Label
					}
					rows = append(rows, []driver.Value{a.RecID, goal, target, a.Score, int32(a.Rank), a.Fallback, a.ModelID, ev, hash[a.RecID], run.RunID})
				} else {
					rows = append(rows, []driver.Value{a.RecID, scheme, a.Label, a.Score, int32(a.Rank), a.Fallback, a.ModelID, ev, hash[a.RecID], run.RunID})
				}
			}
			if err := appendRows(ctx, conn, table, rows); err != nil {
				return fmt.Errorf("write %s: %w", table, err)
			}
		}
		return nil
	})
}
