package report

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
)

// The follow-up and parliament reports and their formats.
func init() {
	RegisterKind(&Kind{Name: "followup", Short: "Where recommendations stand: status by cluster, entity, mechanism and SDG goal; actions, overdue, stale",
		OwnCommand: true,
		Read: func(ctx context.Context, db *sql.DB, r Request) (Report, error) {
			return Followup(ctx, db, FollowupOptions{Country: r.Country, Entity: r.Entity, Body: r.Body, StaleMonths: r.StaleMonths, Now: r.Now, Names: r.Names})
		}})
	RegisterFormat(Format{"followup", "html", followupWriter(WriteFollowupHTML)})
	RegisterFormat(Format{"followup", "md", followupWriter(WriteFollowupMarkdown)})
	RegisterFormat(Format{"followup", "csv", followupWriter(WriteFollowupCSV)})
	RegisterFormat(Format{"followup", "xlsx", followupWriter(WriteFollowupXLSX)})
	RegisterFormat(Format{"followup", "docx", followupWriter(WriteFollowupDocx)})

	RegisterKind(&Kind{Name: "parliament", Short: "The periodic progress report to parliament: by cluster, what was recommended, done, overdue; indicator trends",
		OwnCommand: true,
		Read: func(ctx context.Context, db *sql.DB, r Request) (Report, error) {
			if r.Country == "" {
				return nil, errUsage("report parliament needs --country")
			}
			if r.From.IsZero() || r.To.IsZero() {
				return nil, errUsage("report parliament needs --period FROM..TO")
			}
			return Parliament(ctx, db, ParliamentOptions{Country: r.Country, From: r.From, To: r.To, Now: r.Now, Names: r.Names})
		}})
	RegisterFormat(Format{"parliament", "docx", parliamentWriter(WriteParliamentDocx)})
	RegisterFormat(Format{"parliament", "html", parliamentWriter(WriteParliamentHTML)})
	RegisterFormat(Format{"parliament", "md", parliamentWriter(WriteParliamentMarkdown)})
}

// errUsage is a request the report cannot be made from; the caller turns
// it into a usage error.
type errUsage string

func (e errUsage) Error() string { return string(e) }

// IsUsage says whether err is a request a report cannot be made from.
func IsUsage(err error) bool {
	var u errUsage
	return errors.As(err, &u)
}

func followupWriter(write func(io.Writer, *FollowupReport) error) func(io.Writer, Report) error {
	return func(w io.Writer, r Report) error { return write(w, r.(*FollowupReport)) }
}

func parliamentWriter(write func(io.Writer, *ParliamentReport) error) func(io.Writer, Report) error {
	return func(w io.Writer, r Report) error { return write(w, r.(*ParliamentReport)) }
}

// Empty: a follow-up report with no recommendation says why; one with
// recommendations but no update yet is written (it shows them all as
// "no update", which is what a secretariat needs to see).
func (r *FollowupReport) Empty(warehouse string) string {
	if len(r.Recs.rows) > 0 {
		return ""
	}
	return fmt.Sprintf("no follow-up report: no recommendation matches in %s: run `nmirf ingest` for the country, or check --country, --entity and --body", warehouse)
}

// Empty: the report to parliament is written whenever the country has
// recommendations; a period with no update says so inside.
func (r *ParliamentReport) Empty(warehouse string) string {
	if r.Totals["recommendations"] > 0 {
		return ""
	}
	return fmt.Sprintf("no report to parliament: no recommendations for the country in %s: run `nmirf ingest` first", warehouse)
}
