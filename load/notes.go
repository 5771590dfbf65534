package load

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"

	"github.com/nmirf/nmirf/models"
)

// Note is a remark on the labels a model gave a recommendation, kept in
// assignment_notes with the text's language: for a French or Spanish text
// read through a bilingual lexicon, how much of it the lexicon translated,
// and whether that is too little for the labels to be trusted.
type Note struct {
	RecID    string
	Language string
	Reason   string
}

// replaceNotes drops the notes of the texts just classified for res's task
// (temp.classified_ids, filled by WriteAssignments) and writes res.Notes.
func replaceNotes(ctx context.Context, conn *sql.Conn, run *models.Run, res TaskResult) error {
	if _, err := conn.ExecContext(ctx, `DELETE FROM assignment_notes WHERE task = ? AND rec_id IN (SELECT rec_id FROM temp.classified_ids)`, res.Model.Task); err != nil {
		return fmt.Errorf("replace assignment notes: %w", err)
	}
	if len(res.Notes) == 0 {
		return nil
	}
	rows := make([][]driver.Value, len(res.Notes))
	for i, n := range res.Notes {
		rows[i] = []driver.Value{n.RecID, res.Model.Task, res.Model.ModelID, n.Language, nil, nullStr(n.Reason), run.RunID}
	}
	if err := appendRows(ctx, conn, "assignment_notes", rows); err != nil {
		return fmt.Errorf("write assignment notes: %w", err)
	}
	return nil
}
