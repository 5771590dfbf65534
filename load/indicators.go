package load

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"fmt"

	"github.com/nmirf/nmirf/models"
)

// WriteFramework replaces the SDG goal, target and indicator tables.
func (w *Warehouse) WriteFramework(ctx context.Context, fw *models.SDGFramework) error {
	return w.inTx(ctx, nil, func(conn *sql.Conn) error {
		for _, t := range []string{"sdg_goals", "sdg_targets", "sdg_indicators", "sdg_indicator_targets"} {
			if _, err := conn.ExecContext(ctx, `DELETE FROM `+t); err != nil {
				return err
			}
		}
		var g, t, i, l [][]driver.Value
		for _, x := range fw.Goals {
			g = append(g, []driver.Value{x.Code, x.Title})
		}
		for _, x := range fw.Targets {
			t = append(t, []driver.Value{x.Code, x.Goal, x.Title})
		}
		for _, x := range fw.Indicators {
			i = append(i, []driver.Value{x.Code, x.Target, x.Title, nullStr(x.UNSDCode), nullStr(x.Tier)})
		}
		for _, x := range fw.Links {
			l = append(l, []driver.Value{x.Indicator, x.Target})
		}
		for _, tb := range []struct {
			name string
			rows [][]driver.Value
		}{{"sdg_goals", g}, {"sdg_targets", t}, {"sdg_indicators", i}, {"sdg_indicator_targets", l}} {
			if err := appendRows(ctx, conn, tb.name, tb.rows); err != nil {
				return fmt.Errorf("write %s: %w", tb.name, err)
			}
		}
		return nil
	})
}

// ObservationFile is the observations read from one published file.
type ObservationFile struct {
	Dataset, File, SHA256 string
	Observations          []models.Observation
	Rejected              int
}

// WriteObservations replaces, in one transaction, the observations of each
// (dataset, file): importing the same file again replaces it, never
// duplicates it.
func (w *Warehouse) WriteObservations(ctx context.Context, run *models.Run, files []ObservationFile) error {
	return w.inTx(ctx, run, func(conn *sql.Conn) error {
		for _, f := range files {
			if err := ctx.Err(); err != nil {
				return err
			}
			for _, q := range []string{`DELETE FROM indicator_observations WHERE dataset = ? AND file = ?`, `DELETE FROM indicator_files WHERE dataset = ? AND file = ?`} {
				if _, err := conn.ExecContext(ctx, q, f.Dataset, f.File); err != nil {
					return err
				}
			}
			rows := make([][]driver.Value, 0, len(f.Observations))
			for _, o := range f.Observations {
				// The appender marshals whatever it is given for a JSON
				// column: a string would be stored as a JSON string holding
				// the object's text, and dimensions->>'Sex' would be NULL.
				dims := json.RawMessage("{}")
				if len(o.Dimensions) > 0 {
					b, err := json.Marshal(o.Dimensions)
					if err != nil {
						return err
					}
					dims = b
				}
				var v driver.Value
				if o.Value != nil {
					v = *o.Value
				}
				rows = append(rows, []driver.Value{o.IndicatorCode, nullStr(o.SeriesCode), nullStr(o.GeoCode), nullStr(o.GeoName), nullStr(o.CountryISO3),
					int32(o.YearStart), int32(o.YearEnd), nullStr(o.Period), nullStr(o.TimeRaw), v, o.ValueRaw, nullStr(o.Unit), dims, o.IsTotal,
					nullStr(o.Source), o.Dataset, o.File, nullInt(o.Row), run.RunID})
			}
			if err := appendRows(ctx, conn, "indicator_observations", rows); err != nil {
				return fmt.Errorf("write observations of %s: %w", f.File, err)
			}
			if _, err := conn.ExecContext(ctx, `INSERT INTO indicator_files VALUES (?, ?, ?, ?, ?, ?)`,
				f.Dataset, f.File, f.SHA256, len(f.Observations), f.Rejected, run.RunID); err != nil {
				return err
			}
		}
		return nil
	})
}
