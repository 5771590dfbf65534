package matrix

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/extract/norm"
	"github.com/nmirf/nmirf/models"
)

// assessment is the "Assessment/comments on level of implementation" cell
// of a record, read once the records are complete (their ids depend on
// the symbol filled in after the rows).
type assessment struct {
	record int // index in Result.Records
	text   string
	row    int
	table  int
}

var assessDateRe = regexp.MustCompile(`(?i)\b(\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{4}|\d{1,2} (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* \d{4}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* \d{1,2}, \d{4})\b`)

var coreModifiedRe = regexp.MustCompile(`<dcterms:modified[^>]*>(\d{4}-\d{2}-\d{2})`)

// assessments turns filled-in assessment cells into status updates: the
// status from the assessment wording the cell begins with ("Partially
// implemented: …", "Non mis en œuvre"), dated by a date the cell names,
// else by the document's last modification. A cell of comments without an
// assessment is a warning, not an update.
func assessments(in *extract.Input, res *extract.Result, pending []assessment) {
	if len(pending) == 0 {
		return
	}
	fileDate := ""
	if zr, err := zip.NewReader(bytes.NewReader(in.Data), int64(len(in.Data))); err == nil {
		for _, f := range zr.File {
			if f.Name == "docProps/core.xml" {
				if rc, err := f.Open(); err == nil {
					b, _ := io.ReadAll(io.LimitReader(rc, 64<<10))
					rc.Close()
					if m := coreModifiedRe.FindSubmatch(b); m != nil {
						fileDate = string(m[1])
					}
				}
			}
		}
	}
	today := time.Now().Format(time.DateOnly)
	fu := &models.Followup{File: in.Path}
	for _, a := range pending {
		text := models.CleanText(a.text)
		field := "assessment/comments on level of implementation"
		st, err := models.ParseStatus(text)
		if err != nil {
			res.Warnings = append(res.Warnings, fmt.Sprintf("%s table %d row %d: assessment %q names no level of implementation; not recorded as a status", in.Path, a.table, a.row, truncate(text, 60)))
			continue
		}
		date := fileDate
		if m := assessDateRe.FindString(text); m != "" {
			if d, err := norm.Date(m); err == nil {
				date = d
			}
		}
		if date == "" || date > today {
			res.Rejected = append(res.Rejected, models.RowError{File: in.Path, Row: a.row, Field: field,
				Msg: fmt.Sprintf("assessment has no usable date (%q) (table %d)", date, a.table)})
			continue
		}
		r := res.Records[a.record]
		r.Normalize()
		fu.Updates = append(fu.Updates, models.StatusUpdate{RecID: models.RecID(&r), Status: st, StatusRaw: text, Date: date, Text: text, Public: true,
			Source: models.FollowupSource{Format: Format, File: in.Path, Sheet: fmt.Sprintf("table %d", a.table), Row: a.row, SHA256: in.SHA256}})
	}
	res.Followup = fu
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.TrimSpace(s[:n]) + "…"
}
