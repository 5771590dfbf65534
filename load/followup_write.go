package load

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/nmirf/nmirf/models"
)

// WarehouseID is the id given to the warehouse when it was created; the
// workbooks sent out for review carry it so that a returned file is checked
// against the warehouse it came from.
func (w *Warehouse) WarehouseID(ctx context.Context) (string, error) {
	var id string
	if err := w.db.QueryRowContext(ctx, `SELECT value FROM warehouse_info WHERE key = 'warehouse_id'`).Scan(&id); err != nil {
		return "", fmt.Errorf("read warehouse id: %w", err)
	}
	return id, nil
}

// SetResponsibility writes the entities of the responsibility mapping
// (replacing entities with the same codes; others keep their rows) and
// replaces the responsibility rules, in one transaction.
func (w *Warehouse) SetResponsibility(ctx context.Context, runID string, r *models.Responsibility) error {
	return w.inTx(ctx, nil, func(conn *sql.Conn) error {
		var ents, rules [][]driver.Value
		for _, e := range r.Entities {
			ents = append(ents, []driver.Value{e.Code, e.Name, e.Kind, nullStr(e.Parent), nullStr(e.FocalPointName), nullStr(e.FocalPointEmail),
				nullStr(e.DeputyName), nullStr(e.DeputyEmail), r.Source, runID})
		}
		for _, u := range r.Rules {
			rules = append(rules, []driver.Value{u.Scheme, u.Label, u.Entity, int32(u.Priority), r.Source})
		}
		if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE new_entities AS SELECT * FROM entities LIMIT 0`); err != nil {
			return err
		}
		if err := appendRows(ctx, conn, "new_entities", ents); err != nil {
			return fmt.Errorf("write entities: %w", err)
		}
		for _, q := range []string{
			`DELETE FROM entities WHERE entity_code IN (SELECT entity_code FROM temp.new_entities)`,
			`INSERT INTO entities SELECT * FROM temp.new_entities`,
			`DROP TABLE temp.new_entities`,
			`DELETE FROM responsibility_rules`,
		} {
			if _, err := conn.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("write entities: %w", err)
			}
		}
		if err := appendRows(ctx, conn, "responsibility_rules", rules); err != nil {
			return fmt.Errorf("write responsibility rules: %w", err)
		}
		return nil
	})
}

// Entities returns the entities, by code.
func (w *Warehouse) Entities(ctx context.Context) ([]models.Entity, error) {
	rows, err := w.db.QueryContext(ctx, `SELECT entity_code, name, kind, coalesce(parent_code,''), coalesce(focal_point_name,''), coalesce(focal_point_email,''),
		coalesce(deputy_name,''), coalesce(deputy_email,'') FROM entities ORDER BY entity_code`)
	if err != nil {
		return nil, fmt.Errorf("read entities: %w", err)
	}
	defer rows.Close()
	var out []models.Entity
	for rows.Next() {
		var e models.Entity
		if err := rows.Scan(&e.Code, &e.Name, &e.Kind, &e.Parent, &e.FocalPointName, &e.FocalPointEmail, &e.DeputyName, &e.DeputyEmail); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// RecordExports records the workbooks an export wrote, with the export's
// run row.
func (w *Warehouse) RecordExports(ctx context.Context, run *models.Run, exports []models.FollowupExport) error {
	return w.inTx(ctx, run, func(conn *sql.Conn) error {
		var rows [][]driver.Value
		for _, e := range exports {
			ids := make([]any, len(e.RecIDs))
			for i, id := range e.RecIDs {
				ids[i] = id
			}
			rows = append(rows, []driver.Value{e.ExportID, e.File, e.Entity, nullStr(e.Country), e.ExportedAt.UTC(), ids})
		}
		return appendRows(ctx, conn, "followup_exports", rows)
	})
}

// writeFollowup checks follow-up inputs against the warehouse and appends
// what passes, inside the ingest transaction: status updates and reviews
// not already stored (by their content keys), new actions and entities.
// What fails is added to run.Rejected with its file, sheet, row and
// column; conflicts with later updates become warnings.
func writeFollowup(ctx context.Context, conn *sql.Conn, run *models.Run, fus []*models.Followup, acceptOtherWarehouse bool) error {
	if len(fus) == 0 {
		return nil
	}
	var whID string
	if err := conn.QueryRowContext(ctx, `SELECT value FROM warehouse_info WHERE key = 'warehouse_id'`).Scan(&whID); err != nil {
		return fmt.Errorf("read warehouse id: %w", err)
	}
	known, err := stringSet(ctx, conn, `SELECT entity_code FROM entities`)
	if err != nil {
		return err
	}
	for _, fu := range fus {
		for _, e := range fu.Entities {
			known[e.Code] = true
		}
	}
	// Tracking sheets name entities as they like: a code, or the name.
	names, err := stringMap(ctx, conn, `SELECT lower(name), entity_code FROM entities`)
	if err != nil {
		return err
	}
	entityCode := func(s string) (string, bool) {
		if known[s] {
			return s, true
		}
		if c, ok := names[strings.ToLower(strings.TrimSpace(s))]; ok {
			return c, true
		}
		if known[strings.ToUpper(s)] {
			return strings.ToUpper(s), true
		}
		return s, false
	}
	actionIDs, err := stringSet(ctx, conn, `SELECT DISTINCT action_id FROM actions`)
	if err != nil {
		return err
	}
	existingActions, err := stringMap(ctx, conn, `SELECT action_id, concat_ws('|', title, coalesce(description, ''), coalesce(lead_entity, ''),
		coalesce(array_to_string(supporting_entities, ','), ''), coalesce(CAST(target_date AS VARCHAR), ''), coalesce(outcome, ''), CAST(public AS VARCHAR))
		FROM actions QUALIFY row_number() OVER (PARTITION BY action_id ORDER BY imported_at DESC, run_id DESC) = 1`)
	if err != nil {
		return err
	}
	existingLinks, err := stringSet(ctx, conn, `SELECT action_id || chr(31) || CASE WHEN rec_id IS NOT NULL THEN 'r' || rec_id ELSE 'c' || cluster_id END FROM action_links`)
	if err != nil {
		return err
	}
	updateIDs, err := stringSet(ctx, conn, `SELECT update_id FROM status_updates`)
	if err != nil {
		return err
	}
	reviewIDs, err := stringSet(ctx, conn, `SELECT review_id FROM reviewed_labels`)
	if err != nil {
		return err
	}
	var seq int64
	if err := conn.QueryRowContext(ctx, `SELECT coalesce(max(s), 0) FROM (SELECT max(import_seq) s FROM status_updates UNION ALL SELECT max(import_seq) FROM reviewed_labels)`).Scan(&seq); err != nil {
		return err
	}
	reject := func(e models.RowError) {
		run.Rejected = append(run.Rejected, e)
		run.Counts.Rejected++
	}
	now := time.Now().UTC()
	var recIDs []string
	type accepted struct {
		updates []models.StatusUpdate
		reviews []models.ReviewedLabel
	}
	var good []accepted
	var ents, acts, links [][]driver.Value
	for _, fu := range fus {
		var a accepted
		if fu.ExportID != "" {
			if msg := checkExport(ctx, conn, fu, whID, acceptOtherWarehouse); msg != "" {
				reject(models.RowError{File: fu.File, Field: "sheet _nmirf", Msg: msg + "; nothing of this workbook was imported"})
				continue
			}
		}
		for _, e := range fu.Entities {
			if e.Validate() != nil {
				continue
			}
			ents = append(ents, []driver.Value{e.Code, e.Name, e.Kind, nullStr(e.Parent), nullStr(e.FocalPointName), nullStr(e.FocalPointEmail),
				nullStr(e.DeputyName), nullStr(e.DeputyEmail), "import", run.RunID})
		}
		for _, ac := range fu.Actions {
			actionIDs[ac.ActionID] = true
			if c, ok := entityCode(ac.LeadEntity); ok {
				ac.LeadEntity = c
			}
			for _, ref := range ac.RecRefs {
				ids, err := resolveRef(ctx, conn, ref, ac.CountryISO3)
				if err != nil {
					return err
				}
				if len(ids) == 0 {
					run.Warnings = append(run.Warnings, fmt.Sprintf("%s row %d: action %s: recommendation %q not found in this warehouse; not linked", ac.Source.File, ac.Source.Row, ac.ActionID, ref))
				}
				ac.RecIDs = append(ac.RecIDs, ids...)
			}
			// An action stored as it is, or a link already made, is not
			// added again: importing again adds nothing.
			if existingActions[ac.ActionID] != actionFingerprint(ac) {
				existingActions[ac.ActionID] = actionFingerprint(ac)
				acts = append(acts, []driver.Value{ac.ActionID, nullStr(ac.CountryISO3), ac.Title, nullStr(ac.Description), nullStr(ac.LeadEntity),
					valueList(ac.SupportingEntities), nullDate(ac.StartDate), nullDate(ac.TargetDate), valueList(ac.SDGIndicators), nullStr(ac.BudgetLine),
					nullStr(ac.Outcome), ac.Public, ac.Source.File, nullInt(ac.Source.Row), now, run.RunID})
			}
			for _, id := range ac.RecIDs {
				if !existingLinks[ac.ActionID+"\x1fr"+id] {
					existingLinks[ac.ActionID+"\x1fr"+id] = true
					links = append(links, []driver.Value{ac.ActionID, id, nil, run.RunID})
					recIDs = append(recIDs, id)
				}
			}
			for _, id := range ac.ClusterIDs {
				if !existingLinks[ac.ActionID+"\x1fc"+id] {
					existingLinks[ac.ActionID+"\x1fc"+id] = true
					links = append(links, []driver.Value{ac.ActionID, nil, id, run.RunID})
				}
			}
		}
		for _, u := range fu.Updates {
			if c, ok := entityCode(u.ReportingEntity); ok {
				u.ReportingEntity = c
			}
			if u.ReportingEntity != "" && !known[u.ReportingEntity] {
				reject(u.Source.Locate("entity", fmt.Sprintf("unknown entity %q (not in the entities table)", u.ReportingEntity)))
				continue
			}
			if u.ActionID != "" && !actionIDs[u.ActionID] {
				reject(u.Source.Locate("action", fmt.Sprintf("unknown action %q", u.ActionID)))
				continue
			}
			a.updates = append(a.updates, u)
			if u.RecID != "" {
				recIDs = append(recIDs, u.RecID)
			}
		}
		for _, r := range fu.Reviews {
			if r.Scheme == models.ReviewLeadEntity {
				if len(r.Labels) == 1 {
					c, _ := entityCode(r.Labels[0])
					r.Labels = []string{c}
				}
				if len(r.Labels) != 1 || !known[r.Labels[0]] {
					reject(r.Source.Locate("lead entity", fmt.Sprintf("unknown entity %q (not in the entities table)", strings.Join(r.Labels, "; "))))
					continue
				}
			}
			a.reviews = append(a.reviews, r)
			recIDs = append(recIDs, r.RecID)
		}
		good = append(good, a)
	}
	existing, err := existingRecs(ctx, conn, recIDs)
	if err != nil {
		return err
	}
	latest, err := latestUpdates(ctx, conn)
	if err != nil {
		return err
	}
	var upRows, revRows [][]driver.Value
	batchUpdates := map[string]models.FollowupSource{}
	target := func(u models.StatusUpdate) string { return u.RecID + u.ActionID }
	for _, a := range good {
		for _, u := range a.updates {
			if u.RecID != "" && !existing[u.RecID] {
				reject(u.Source.Locate("recommendation id", fmt.Sprintf("unknown recommendation %q (not in this warehouse)", u.RecID)))
				continue
			}
			key := u.Key()
			if prev, ok := batchUpdates[key]; ok {
				run.Warnings = append(run.Warnings, fmt.Sprintf("%s row %d repeats the update of %s row %d (%s, %s, %s); stored once",
					u.Source.File, u.Source.Row, prev.File, prev.Row, target(u), u.Date, u.Status))
				continue
			}
			batchUpdates[key] = u.Source
			if updateIDs[key] {
				continue // already stored: importing again adds nothing
			}
			updateIDs[key] = true
			tk := target(u)
			if l, ok := latest[tk]; ok && l.date > u.Date {
				run.Warnings = append(run.Warnings, fmt.Sprintf("%s row %d: %s: this update (%s, %s) is older than the update already stored (%s, %s, from %s); both are kept, the later one is current",
					u.Source.File, u.Source.Row, tk, u.Date, u.Status, l.date, l.status, l.file))
			}
			if l, ok := latest[tk]; !ok || l.date <= u.Date {
				latest[tk] = latestUpdate{u.Date, string(u.Status), u.Source.File}
			}
			seq++
			upRows = append(upRows, []driver.Value{key, nullStr(u.RecID), nullStr(u.ActionID), string(u.Status), nullStr(u.StatusRaw), nullDate(u.Date),
				nullStr(u.Text), nullStr(u.EvidenceURL), nullStr(u.ReportingEntity), u.Public, u.Source.Format, u.Source.File, nullStr(u.Source.Sheet),
				nullInt(u.Source.Row), u.Source.SHA256, nullStr(u.ExportID), now, seq, run.RunID})
		}
		for _, r := range a.reviews {
			if !existing[r.RecID] {
				reject(r.Source.Locate("recommendation id", fmt.Sprintf("unknown recommendation %q (not in this warehouse)", r.RecID)))
				continue
			}
			key := r.Key()
			if reviewIDs[key] {
				continue
			}
			reviewIDs[key] = true
			seq++
			revRows = append(revRows, []driver.Value{key, r.RecID, r.Scheme, valueList(r.Labels), nullStr(r.Reviewer), nullDate(r.Date), r.Source.File,
				nullStr(r.Source.Sheet), nullInt(r.Source.Row), r.Source.SHA256, now, seq, run.RunID})
		}
	}
	if len(ents) > 0 {
		// Entities named by an input are added; configured ones are kept.
		if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE new_entities AS SELECT * FROM entities LIMIT 0`); err != nil {
			return err
		}
		if err := appendRows(ctx, conn, "new_entities", ents); err != nil {
			return fmt.Errorf("write entities: %w", err)
		}
		if _, err := conn.ExecContext(ctx, `INSERT INTO entities SELECT DISTINCT ON (entity_code) * FROM temp.new_entities n
			WHERE NOT EXISTS (SELECT 1 FROM entities e WHERE e.entity_code = n.entity_code)`); err != nil {
			return fmt.Errorf("write entities: %w", err)
		}
	}
	for _, t := range []struct {
		name string
		rows [][]driver.Value
	}{{"actions", acts}, {"action_links", links}, {"status_updates", upRows}, {"reviewed_labels", revRows}} {
		if err := appendRows(ctx, conn, t.name, t.rows); err != nil {
			return fmt.Errorf("write %s: %w", t.name, err)
		}
	}
	run.Counts.Updates += len(upRows)
	run.Counts.Reviews += len(revRows)
	return nil
}

// checkExport compares a workbook's hidden sheet with the warehouse: the
// same warehouse, a known export, and the rows that export wrote.
func checkExport(ctx context.Context, conn *sql.Conn, fu *models.Followup, whID string, acceptOther bool) string {
	if fu.WarehouseID != whID {
		if acceptOther {
			return ""
		}
		return fmt.Sprintf("workbook was exported from another warehouse (%s), not this one (%s)", fu.WarehouseID, whID)
	}
	var ids []any
	err := conn.QueryRowContext(ctx, `SELECT rec_ids FROM followup_exports WHERE export_id = ? AND entity_code = ?`, fu.ExportID, fu.Entity).Scan(&ids)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Sprintf("export %s for entity %s is not recorded in this warehouse", fu.ExportID, fu.Entity)
	}
	if err != nil {
		return "cannot read export " + fu.ExportID + ": " + err.Error()
	}
	if len(ids) != len(fu.RowIDs) {
		return fmt.Sprintf("the hidden sheet lists %d rows but export %s wrote %d", len(fu.RowIDs), fu.ExportID, len(ids))
	}
	for _, id := range ids {
		if _, ok := fu.RowIDs[fmt.Sprint(id)]; !ok {
			return fmt.Sprintf("the hidden sheet does not list %v, which export %s wrote", id, fu.ExportID)
		}
	}
	return ""
}

type latestUpdate struct{ date, status, file string }

func latestUpdates(ctx context.Context, conn *sql.Conn) (map[string]latestUpdate, error) {
	rows, err := conn.QueryContext(ctx, `SELECT coalesce(rec_id, '') || coalesce(action_id, ''), CAST(status_date AS VARCHAR), status, source_file FROM status_updates
		QUALIFY row_number() OVER (PARTITION BY rec_id, action_id ORDER BY status_date DESC, import_seq DESC) = 1`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]latestUpdate{}
	for rows.Next() {
		var k string
		var l latestUpdate
		if err := rows.Scan(&k, &l.date, &l.status, &l.file); err != nil {
			return nil, err
		}
		out[k] = l
	}
	return out, rows.Err()
}

func existingRecs(ctx context.Context, conn *sql.Conn, ids []string) (map[string]bool, error) {
	if err := stringTable(ctx, conn, "followup_ids", "rec_id", ids); err != nil {
		return nil, err
	}
	return stringSet(ctx, conn, `SELECT DISTINCT r.rec_id FROM recommendations r JOIN temp.followup_ids f ON f.rec_id = r.rec_id`)
}

func stringSet(ctx context.Context, conn *sql.Conn, q string) (map[string]bool, error) {
	rows, err := conn.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out[s] = true
	}
	return out, rows.Err()
}

// valueList is a VARCHAR[] for the appender.
func valueList(ss []string) driver.Value {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// actionFingerprint is what an action says, as the query of writeFollowup
// reads a stored one back.
func actionFingerprint(a models.Action) string {
	return strings.Join([]string{a.Title, a.Description, a.LeadEntity, strings.Join(a.SupportingEntities, ","), a.TargetDate, a.Outcome,
		fmt.Sprint(a.Public)}, "|")
}

// resolveRef finds the recommendations another tool's reference names: an
// nmirf rec_id, or a paragraph number within the country.
func resolveRef(ctx context.Context, conn *sql.Conn, ref, country string) ([]string, error) {
	rows, err := conn.QueryContext(ctx, `SELECT rec_id FROM recommendations WHERE (rec_id = $1 OR paragraph = $1) AND ($2 = '' OR country_iso3 = $2) ORDER BY rec_id`, ref, country)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

func stringMap(ctx context.Context, conn *sql.Conn, q string) (map[string]string, error) {
	rows, err := conn.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, rows.Err()
}

// ReviewedText is a recommendation's text with the labels a person gave it
// in one task's scheme.
type ReviewedText struct {
	RecID, Text string
	Labels      []string
}

// ReviewedTexts returns the reviewed labels of a task (uhri-themes,
// upr-info-issues, sdg) as training examples, from v_training_labels.
func (w *Warehouse) ReviewedTexts(ctx context.Context, task string) ([]ReviewedText, error) {
	rows, err := w.db.QueryContext(ctx, `SELECT rec_id, any_value(text), list(DISTINCT label ORDER BY label) FROM v_training_labels WHERE task = ? GROUP BY rec_id ORDER BY rec_id`, task)
	if err != nil {
		return nil, fmt.Errorf("read reviewed labels: %w", err)
	}
	defer rows.Close()
	var out []ReviewedText
	for rows.Next() {
		var r ReviewedText
		var labels []any
		if err := rows.Scan(&r.RecID, &r.Text, &labels); err != nil {
			return nil, err
		}
		for _, l := range labels {
			r.Labels = append(r.Labels, fmt.Sprint(l))
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
