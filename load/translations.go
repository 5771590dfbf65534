package load

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"

	"github.com/nmirf/nmirf/models"
)

// translationsView links each recommendation not in English to the English
// recommendation of the same paragraph: the same country, body and kind,
// the same UPR session (or, outside the UPR, the same document symbol) and
// the same paragraph number. A Working Group report imported in English and
// in French thus has each French paragraph linked to its English one.
// Migration 4 creates it; a later change is a new migration.
const translationsView = `CREATE OR REPLACE VIEW recommendation_translations AS
SELECT e.rec_id, t.rec_id AS translation_rec_id, t.language
FROM recommendations e JOIN recommendations t
  ON t.country_iso3 = e.country_iso3 AND t.body = e.body AND t.kind = e.kind
 AND t.paragraph = e.paragraph
 AND (t.upr_session = e.upr_session
      OR (t.upr_session IS NULL AND e.upr_session IS NULL AND upper(t.symbol) = upper(e.symbol)))
WHERE e.language = 'en' AND t.language IS NOT NULL AND t.language <> 'en'`

// Inherited is a text in another language whose labels come from its
// English twin, or, when From is empty, a text no model can judge.
type Inherited struct {
	RecID, TextSHA256, Language string
	From                        string // rec_id of the English twin; "" for none
	Reason                      string // why no label, when From is ""
}

// WriteInherited records, in one transaction, the labels of texts in another
// language for one task: each text with an English twin gets a copy of the
// twin's assignments by the same model, and a note naming the twin; a text
// without one (or whose twin the model has not classified) gets the label
// unclassified and a note with the reason. Earlier assignments and notes of
// these texts for the task are replaced.
func (w *Warehouse) WriteInherited(ctx context.Context, run *models.Run, model ModelInfo, texts []Inherited) error {
	if len(texts) == 0 {
		return nil
	}
	table, scheme, err := assignmentTarget(model.Task)
	if err != nil {
		return err
	}
	return w.inTx(ctx, run, func(conn *sql.Conn) error {
		if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE inherit (rec_id VARCHAR, text_sha256 VARCHAR, language VARCHAR, src VARCHAR, reason VARCHAR)`); err != nil {
			return err
		}
		rows := make([][]driver.Value, len(texts))
		for i, t := range texts {
			rows[i] = []driver.Value{t.RecID, t.TextSHA256, t.Language, nullStr(t.From), nullStr(t.Reason)}
		}
		if err := appendRows(ctx, conn, "inherit", rows); err != nil {
			return err
		}
		// A twin the model has not classified gives nothing to copy.
		cond := ` AND a.model_id = $1`
		if scheme != "" {
			cond += ` AND a.scheme = $2`
		}
		args := []any{model.ModelID}
		if scheme != "" {
			args = append(args, scheme)
		}
		if _, err := conn.ExecContext(ctx, `UPDATE temp.inherit SET reason = 'language ' || language || ': no model; English text not classified', src = NULL
			WHERE src IS NOT NULL AND NOT EXISTS (SELECT 1 FROM `+table+` a WHERE a.rec_id = inherit.src`+cond+`)`, args...); err != nil {
			return fmt.Errorf("check twins: %w", err)
		}
		del := `DELETE FROM ` + table + ` WHERE rec_id IN (SELECT rec_id FROM temp.inherit)`
		var delArgs []any
		if scheme != "" {
			del += ` AND scheme = ?`
			delArgs = append(delArgs, scheme)
		}
		if _, err := conn.ExecContext(ctx, del, delArgs...); err != nil {
			return fmt.Errorf("replace %s: %w", table, err)
		}
		if _, err := conn.ExecContext(ctx, `DELETE FROM assignment_notes WHERE task = ? AND rec_id IN (SELECT rec_id FROM temp.inherit)`, model.Task); err != nil {
			return fmt.Errorf("replace assignment notes: %w", err)
		}
		var copyQ, noneQ string
		if table == models.TableSDGAssignments {
			copyQ = `INSERT INTO sdg_assignments SELECT i.rec_id, a.goal, a.target, a.score, a.rank, a.fallback, a.model_id, a.evidence, i.text_sha256, $2
				FROM temp.inherit i JOIN sdg_assignments a ON a.rec_id = i.src AND a.model_id = $1`
			noneQ = `INSERT INTO sdg_assignments SELECT rec_id, '` + models.Unclassified + `', NULL, 0, 1, false, $1, NULL, text_sha256, $2
				FROM temp.inherit WHERE src IS NULL`
		} else {
			copyQ = `INSERT INTO theme_assignments SELECT i.rec_id, a.scheme, a.label, a.score, a.rank, a.fallback, a.model_id, a.evidence, i.text_sha256, $2
				FROM temp.inherit i JOIN theme_assignments a ON a.rec_id = i.src AND a.model_id = $1 AND a.scheme = $3`
			noneQ = `INSERT INTO theme_assignments SELECT rec_id, $3, '` + models.Unclassified + `', 0, 1, false, $1, NULL, text_sha256, $2
				FROM temp.inherit WHERE src IS NULL`
		}
		qa := []any{model.ModelID, run.RunID}
		if scheme != "" {
			qa = append(qa, scheme)
		}
		for _, q := range []string{copyQ, noneQ} {
			if _, err := conn.ExecContext(ctx, q, qa...); err != nil {
				return fmt.Errorf("write %s: %w", table, err)
			}
		}
		if _, err := conn.ExecContext(ctx, `INSERT INTO assignment_notes SELECT rec_id, ?, ?, language, src, reason, ? FROM temp.inherit`,
			model.Task, model.ModelID, run.RunID); err != nil {
			return fmt.Errorf("write assignment notes: %w", err)
		}
		return nil
	})
}
