package pipeline

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"time"

	"github.com/nmirf/nmirf/classify"
	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/internal/atomicfile"
	"github.com/nmirf/nmirf/load"
	"github.com/nmirf/nmirf/load/followup"
	"github.com/nmirf/nmirf/models"
)

// FollowupExportOptions say which review workbooks to write where.
type FollowupExportOptions struct {
	Warehouse    string
	DuckDBMemory string // DuckDB's memory limit; "" the default
	Country      string // ISO3; empty: every country
	Entity       string // entity code; empty: one workbook per entity plus the secretariat's
	Out          string // folder
	// Language, when not English, shows each recommendation in that
	// language where a version in it was imported ("fr", "es").
	Language string
	// Responsibility is the mapping of entities and lead rules, written to
	// the warehouse before exporting; nil keeps what the warehouse has.
	Responsibility *models.Responsibility
	Version        string
	Wait           bool
	Now            func() time.Time
}

// FollowupExport writes the review workbooks as a run of its own.
func FollowupExport(ctx context.Context, opt FollowupExportOptions) (*models.Run, error) {
	return RunStage(ctx, BatchOptions{Warehouse: opt.Warehouse, DuckDBMemory: opt.DuckDBMemory, Version: opt.Version, Wait: opt.Wait},
		recorded("followup export", func(ctx context.Context, w *load.Warehouse, _ *Env) (*models.Run, error) {
			return followupExportInto(ctx, w, opt)
		}))
}

// followupExportInto writes one workbook per entity leading at least one
// of the selected recommendations (or the one entity asked for), and the
// secretariat's workbook with every recommendation, and records what each
// holds. The run's Inputs list the files written.
func followupExportInto(ctx context.Context, w *load.Warehouse, opt FollowupExportOptions) (*models.Run, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Out == "" {
		return nil, models.UsageError("followup export needs --out DIR")
	}
	if opt.Language != "" && !validLanguage(opt.Language) {
		return nil, models.UsageError("--lang %q: want a two-letter ISO 639-1 code such as fr or es", opt.Language)
	}
	now := opt.Now()
	run := &models.Run{RunID: models.NewRunID(now), Command: "followup export", Version: opt.Version, StartedAt: now}
	if opt.Responsibility != nil {
		if err := w.SetResponsibility(ctx, run.RunID, opt.Responsibility); err != nil {
			return nil, err
		}
	}
	whID, err := w.WarehouseID(ctx)
	if err != nil {
		return nil, err
	}
	entities, err := w.Entities(ctx)
	if err != nil {
		return nil, err
	}
	names := map[string]string{models.SecretariatCode: "NMIRF secretariat (all recommendations)"}
	for _, e := range entities {
		names[e.Code] = e.Name
	}
	if opt.Entity != "" && names[opt.Entity] == "" {
		return nil, models.UsageError("unknown entity %q (known: %s)", opt.Entity, codesOf(entities))
	}
	rows, err := followup.Rows(ctx, w.DB(), opt.Country, opt.Language)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, models.UsageError("no recommendations to export (country %q)", opt.Country)
	}
	byEntity := map[string][]followup.Row{models.SecretariatCode: rows}
	for _, r := range rows {
		if r.LeadEntity != "" {
			byEntity[r.LeadEntity] = append(byEntity[r.LeadEntity], r)
		}
	}
	var codes []string
	if opt.Entity != "" {
		codes = []string{opt.Entity}
	} else {
		for c := range byEntity {
			codes = append(codes, c)
		}
		sort.Strings(codes)
	}
	var exports []models.FollowupExport
	for _, code := range codes {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		name := "followup"
		if opt.Country != "" {
			name += "-" + opt.Country
		}
		name += "-" + code + ".xlsx"
		path := filepath.Join(opt.Out, name)
		wb := &followup.Workbook{
			Meta: followup.Meta{WarehouseID: whID, ExportID: run.RunID, ExportedAt: now, Entity: code, EntityName: names[code], Country: opt.Country},
			Rows: byEntity[code], Entities: entities,
		}
		if err := atomicfile.Write(path, func(out io.Writer) error { return followup.Write(out, wb) }); err != nil {
			return nil, fmt.Errorf("write %s: %w", path, err)
		}
		ids := make([]string, len(wb.Rows))
		for i, r := range wb.Rows {
			ids[i] = r.RecID
		}
		exports = append(exports, models.FollowupExport{ExportID: run.RunID, File: name, Entity: code, Country: opt.Country, ExportedAt: now, RecIDs: ids})
		run.Inputs = append(run.Inputs, models.RunInput{Path: path, Name: name, Format: "followup-export", Records: len(ids)})
		run.Counts.Read += len(ids)
	}
	settle(run)
	if err := w.RecordExports(ctx, run, exports); err != nil {
		return nil, fmt.Errorf("record exports: %w", err)
	}
	return run, nil
}

// validLanguage reports whether s is shaped as an ISO 639-1 code.
func validLanguage(s string) bool {
	return len(s) == 2 && s[0] >= 'a' && s[0] <= 'z' && s[1] >= 'a' && s[1] <= 'z'
}

func codesOf(es []models.Entity) string {
	s := ""
	for i, e := range es {
		if i > 0 {
			s += ", "
		}
		s += e.Code
	}
	return s
}

// FollowupImportOptions are the plain options of a follow-up import.
type FollowupImportOptions struct {
	Paths  []string
	Inputs []*extract.Input // inputs already in memory (the sample workbook)
	// Responsibility, when set, is written before importing, so that the
	// entities a workbook names are known.
	Responsibility       *models.Responsibility
	AcceptOtherWarehouse bool
	Format               string
	Mapping              string
	Country              string // State to assume when a file does not name it (IMPACT OSS exports)
	Force                bool
	Warehouse            string
	DuckDBMemory         string // DuckDB's memory limit; "" the default
	Version              string
	Wait                 bool
	Importers            []extract.Importer
	Progress             Progress
	Now                  func() time.Time
}

// FollowupImport reads returned workbooks and other follow-up inputs as a
// run of its own.
func FollowupImport(ctx context.Context, opt FollowupImportOptions) (*models.Run, error) {
	return RunStage(ctx, BatchOptions{Warehouse: opt.Warehouse, DuckDBMemory: opt.DuckDBMemory, Version: opt.Version, Wait: opt.Wait, Progress: opt.Progress},
		followupImportWith(opt, true))
}

// followupImportInto is an ingest of follow-up inputs: new status updates
// and reviews are appended, what was already stored is skipped, bad rows
// are rejected cell by cell (the run is then incomplete).
func followupImportInto(ctx context.Context, w *load.Warehouse, opt FollowupImportOptions) (*models.Run, error) {
	if opt.Responsibility != nil {
		if err := w.SetResponsibility(ctx, models.NewRunID(time.Now()), opt.Responsibility); err != nil {
			return nil, err
		}
	}
	ingest := IngestOptions{Paths: opt.Paths, Inputs: opt.Inputs, Format: opt.Format, Mapping: opt.Mapping, Country: opt.Country, Force: opt.Force,
		Warehouse: opt.Warehouse, Version: opt.Version, Importers: opt.Importers, Progress: opt.Progress, Now: opt.Now,
		AcceptOtherWarehouse: opt.AcceptOtherWarehouse}
	plan, err := prepareIngest(ingest)
	if err != nil {
		return nil, err
	}
	return ingestInto(ctx, w, plan, ingest)
}

// ReviewedExamples reads the labels people corrected in returned workbooks
// as training examples of task, from the warehouse in dir.
func ReviewedExamples(ctx context.Context, dir, task string, tx *classify.Taxonomy, opts ...load.Option) ([]classify.Example, error) {
	w, err := load.OpenReadOnly(ctx, dir, opts...)
	if err != nil {
		return nil, err
	}
	defer w.Close()
	rows, err := w.ReviewedTexts(ctx, task)
	if err != nil {
		return nil, err
	}
	var out []classify.Example
	for _, r := range rows {
		var labels []string
		for _, l := range r.Labels {
			if tx != nil {
				labels = append(labels, tx.TaskLabels(task, l)...)
			} else {
				labels = append(labels, l)
			}
		}
		if len(labels) > 0 {
			out = append(out, classify.Example{Text: r.Text, Labels: labels, Group: "reviewed"})
		}
	}
	return out, nil
}
