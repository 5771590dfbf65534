package followup

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/extract/norm"
	"github.com/nmirf/nmirf/models"
)

// The hidden sheet of a workbook nmirf exported (load/followup writes it).
const (
	metaSheet = "_nmirf"
	metaTitle = "nmirf follow-up workbook"
)

// Format is the importer name of returned follow-up workbooks.
const Format = "followup-workbook"

// Workbook reads a follow-up workbook nmirf exported and a focal point
// filled in.
type Workbook struct {
	// Now gives today's date, beyond which an update date is refused;
	// nil: time.Now.
	Now func() time.Time
}

// Name implements extract.Importer.
func (Workbook) Name() string { return Format }

// Sniff is certain when the workbook has nmirf's hidden export sheet.
func (Workbook) Sniff(in *extract.Input) (score int) {
	defer func() {
		if recover() != nil {
			score = 0
		}
	}()
	if in.Kind() != extract.KindZip {
		return 0
	}
	zr, err := zip.NewReader(bytes.NewReader(in.Data), int64(len(in.Data)))
	if err != nil {
		return 0
	}
	for _, f := range zr.File {
		if f.Name != "xl/workbook.xml" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return 0
		}
		head, _ := io.ReadAll(io.LimitReader(rc, 1<<20))
		rc.Close()
		if bytes.Contains(head, []byte(`name="`+metaSheet+`"`)) {
			return 100
		}
	}
	return 0
}

// column roles of the data sheet, found by header words.
const (
	colID = iota
	colStatus
	colText
	colEvidence
	colDate
	colThemes
	colTargets
	colLead
	nCols
)

var roleNames = [nCols]string{"recommendation id", "status", "update", "evidence link", "date", "corrected themes", "corrected SDG targets", "lead entity"}

// role tells what a header is: identifying columns name an id; fill-in
// columns say "fill in" and what goes in them.
func role(h string) int {
	l := strings.ToLower(h)
	if !strings.Contains(l, "fill in") {
		if strings.Contains(l, "recommendation") && idWord.MatchString(l) {
			return colID
		}
		return -1
	}
	switch {
	case strings.Contains(l, "status"):
		return colStatus
	case strings.Contains(l, "evidence") || strings.Contains(l, "link"):
		return colEvidence
	case dateWord.MatchString(l):
		return colDate
	case strings.Contains(l, "theme"):
		return colThemes
	case strings.Contains(l, "sdg") || strings.Contains(l, "target"):
		return colTargets
	case strings.Contains(l, "lead") || strings.Contains(l, "entity"):
		return colLead
	case strings.Contains(l, "update") || strings.Contains(l, "done"):
		return colText
	}
	return -1
}

var (
	idWord   = regexp.MustCompile(`\bid\b`)
	dateWord = regexp.MustCompile(`\bdate\b`)
)

var targetRE = regexp.MustCompile(`^\d{1,2}\.[0-9a-z]{1,2}$`)

// Import implements extract.Importer. A workbook without nmirf's hidden
// sheet, or whose data sheet lost its id, status or date column, is
// refused whole. A row whose id differs from what was exported at that row,
// or with a bad cell, is rejected, naming sheet, row and column of each bad
// cell; the other rows are read.
func (wb Workbook) Import(ctx context.Context, in *extract.Input, _ extract.Options) (res *extract.Result, err error) {
	defer func() { err = fileError(in, err) }()
	sheets, err := extract.ReadXLSX(in)
	if err != nil {
		return nil, err
	}
	var meta, data *extract.Sheet
	for i := range sheets {
		if sheets[i].Name == metaSheet {
			meta = &sheets[i]
		}
	}
	if meta == nil || len(meta.Header) == 0 || meta.Header[0] != metaTitle {
		return nil, fmt.Errorf("not a follow-up workbook exported by nmirf (no %s sheet)", metaSheet)
	}
	fu := &models.Followup{File: in.Name, RowIDs: map[string]int{}}
	rowAt := map[int]string{}
	kv := map[string]string{}
	for _, r := range meta.Rows {
		k, v := r.Get(0), strings.TrimSpace(r.Get(1))
		if n, err := strconv.Atoi(k); err == nil && v != "" {
			rowAt[n] = v
			fu.RowIDs[v] = n
			continue
		}
		kv[k] = v
	}
	fu.WarehouseID, fu.ExportID, fu.Entity = kv["warehouse_id"], kv["export_id"], kv["entity"]
	if fu.WarehouseID == "" || fu.ExportID == "" || fu.Entity == "" {
		return nil, fmt.Errorf("sheet %s: warehouse_id, export_id or entity missing", metaSheet)
	}
	dataName := kv["sheet"]
	for i := range sheets {
		if sheets[i].Name == dataName {
			data = &sheets[i]
		}
	}
	if data == nil {
		return nil, fmt.Errorf("sheet %q, which the export wrote, is missing (renamed or deleted)", dataName)
	}
	var cols [nCols]int
	for i := range cols {
		cols[i] = -1
	}
	for i, h := range data.Header {
		if r := role(h); r >= 0 && cols[r] < 0 {
			cols[r] = i
		}
	}
	for _, r := range []int{colID, colStatus, colDate} {
		if cols[r] < 0 {
			return nil, fmt.Errorf("sheet %s: no %s column (headers: %s)", data.Name, roleNames[r], strings.Join(data.Header, " | "))
		}
	}
	now := time.Now
	if wb.Now != nil {
		now = wb.Now
	}
	today := now().Format(time.DateOnly)
	reporter := fu.Entity
	if reporter == models.SecretariatCode {
		reporter = ""
	}
	res = &extract.Result{Followup: fu}
	for n, row := range data.Rows {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		src := models.FollowupSource{Format: Format, File: in.Name, Sheet: data.Name, Row: row.Line, SHA256: in.SHA256}
		cell := func(r int) string {
			if cols[r] < 0 {
				return ""
			}
			return strings.TrimSpace(row.Get(cols[r]))
		}
		where := func(r int) string {
			c, _ := excelize.ColumnNumberToName(cols[r] + 1)
			return c + " (" + data.Header[cols[r]] + ")"
		}
		var bad []models.RowError
		fail := func(r int, format string, a ...any) {
			bad = append(bad, src.Locate(where(r), fmt.Sprintf(format, a...)))
		}

		id, want := cell(colID), rowAt[row.Line]
		filled := false
		for r := colStatus; r < nCols; r++ {
			filled = filled || cell(r) != ""
		}
		if id != want {
			switch {
			case want == "" && !filled && id == "":
				continue // an empty row below the export
			case want == "":
				fail(colID, "row %d was not exported in this workbook (rows added or moved between files are not imported)", row.Line)
			case fu.RowIDs[id] != 0:
				fail(colID, "recommendation id %s was exported at row %d, not here (rows were moved; export %s wrote %s here)", id, fu.RowIDs[id], fu.ExportID, want)
			case id == "":
				fail(colID, "recommendation id %s was deleted", want)
			default:
				fail(colID, "recommendation id changed from %s to %s (not in this workbook's export: the id was edited or the row comes from another workbook)", want, id)
			}
			res.Rejected = append(res.Rejected, bad...)
			continue
		}
		if !filled {
			continue
		}
		var st models.Status
		if s := cell(colStatus); s != "" {
			var ok bool
			if st, ok = models.StatusInList(s); !ok {
				fail(colStatus, "status %q is not in the list (%s)", s, strings.Join(models.StatusNames(), ", "))
			}
		}
		date := ""
		if d := cell(colDate); d != "" {
			var err error
			if date, err = norm.Date(d); err != nil {
				fail(colDate, "%v; write the date as YYYY-MM-DD", err)
			} else if date > today {
				fail(colDate, "date %s is in the future", date)
			}
		}
		text, evidence := cell(colText), cell(colEvidence)
		for _, r := range []int{colText, colEvidence, colThemes} {
			if v := cell(r); v != "" && strings.ContainsAny(v[:1], "=+@") {
				fail(r, "cell starts with %q, as a formula would; write text", v[:1])
			}
		}
		switch {
		case cell(colStatus) == "" && (text != "" || evidence != ""):
			fail(colStatus, "an update needs a status")
		case cell(colStatus) != "" && cell(colDate) == "":
			fail(colDate, "a status needs the date it applies to")
		}
		var reviews []models.ReviewedLabel
		review := func(scheme string, labels []string) {
			reviews = append(reviews, models.ReviewedLabel{RecID: id, Scheme: scheme, Labels: labels, Reviewer: reporter, Date: date, Source: src})
		}
		if v := cell(colThemes); v != "" {
			review(models.SchemeUHRITheme, splitList(v))
		}
		if v := cell(colTargets); v != "" {
			ts := splitList(strings.ReplaceAll(v, ",", ";"))
			for _, t := range ts {
				if !targetRE.MatchString(strings.ToLower(t)) {
					fail(colTargets, "%q is not an SDG target code such as 5.2 or 16.a", t)
				}
			}
			for i := range ts {
				ts[i] = strings.ToLower(ts[i])
			}
			review(models.ReviewSDGTarget, ts)
		}
		if v := cell(colLead); v != "" {
			review(models.ReviewLeadEntity, []string{strings.ToUpper(strings.Fields(v)[0])})
			reviews[len(reviews)-1].Source.Column = where(colLead)
		}
		if len(bad) > 0 {
			res.Rejected = append(res.Rejected, bad...)
			continue
		}
		if st != "" {
			fu.Updates = append(fu.Updates, models.StatusUpdate{RecID: id, Status: st, StatusRaw: cell(colStatus), Date: date, Text: text,
				EvidenceURL: evidence, ReportingEntity: reporter, ExportID: fu.ExportID, Source: src})
		}
		fu.Reviews = append(fu.Reviews, reviews...)
	}
	if len(fu.Updates)+len(fu.Reviews) == 0 && len(res.Rejected) == 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%s: no row was filled in", in.Name))
	}
	return res, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ";") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// fileError makes an error that refuses a whole file a bad-input error
// naming it, as every importer's are; cancellation and errors that already
// carry a code are left as they are.
func fileError(in *extract.Input, err error) error {
	var me *models.Error
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || errors.As(err, &me) {
		return err
	}
	return models.InputError(in.Path, err)
}
