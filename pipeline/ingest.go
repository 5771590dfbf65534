package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/internal/atomicfile"
	"github.com/nmirf/nmirf/load"
	"github.com/nmirf/nmirf/models"
)

// IngestOptions are the plain options of an ingest, resolved by cmd.
type IngestOptions struct {
	Paths     []string
	Inputs    []*extract.Input // inputs already in memory (the embedded sample)
	Format    string           // "auto" or an importer name
	Mapping   string           // mapping file for the generic importer
	Country   string           // State under review to assume when a file does not say
	Warehouse string
	Version   string
	Force     bool // re-read files already imported unchanged
	KeepGoing bool // skip unreadable files instead of failing the batch
	Wait      bool // wait for the warehouse lock
	Importers []extract.Importer
	Progress  Progress
	// AcceptOtherWarehouse takes follow-up workbooks exported from another
	// warehouse (the shipped sample) instead of refusing them.
	AcceptOtherWarehouse bool
	// Now returns the time; tests set it for reproducible run ids.
	Now func() time.Time
}

// Ingest imports the files into the warehouse. Either the whole batch is
// committed, or, on any error, the warehouse is left exactly as it was.
// Rejected rows do not stop the batch: the good rows are committed and the
// returned error is an *models.IncompleteError (exit code "incomplete").
func Ingest(ctx context.Context, opt IngestOptions) (*models.Run, error) {
	files, preread, forced, err := prepareIngest(opt)
	if err != nil {
		return nil, err
	}
	return withWarehouse(ctx, opt.Warehouse, opt.Wait, func(w *load.Warehouse) (*models.Run, error) {
		return ingestInto(ctx, w, files, preread, forced, opt)
	})
}

// withWarehouse runs one stage as a command of its own: it takes the lock,
// opens the warehouse, runs the stage (which commits its own transaction),
// publishes the Parquet snapshot and writes the run manifest. Rejected
// records make the result an *models.IncompleteError.
func withWarehouse(ctx context.Context, dir string, wait bool, stage func(*load.Warehouse) (*models.Run, error)) (*models.Run, error) {
	lock, err := AcquireLock(dir, wait, time.Time{})
	if err != nil {
		return nil, err
	}
	defer lock.Release()
	w, err := load.Open(ctx, dir)
	if err != nil {
		return nil, err
	}
	defer w.Close()
	run, err := stage(w)
	if err != nil {
		return nil, err
	}
	t0 := time.Now()
	if err := w.ExportParquet(ctx, run.RunID); err != nil {
		return run, fmt.Errorf("the database is updated but the Parquet snapshot is not (rerun to publish it): %w", err)
	}
	run.Time("publish", t0)
	if err := writeManifest(dir, run); err != nil {
		return run, err
	}
	logRun(ctx, run)
	if run.Counts.Rejected > 0 {
		return run, &models.IncompleteError{Rejected: run.Rejected}
	}
	return run, nil
}

// prepareIngest lists the files to read and the importer --format forces.
func prepareIngest(opt IngestOptions) (files []string, preread map[string]*extract.Input, forced extract.Importer, err error) {
	if len(opt.Paths) == 0 && len(opt.Inputs) == 0 {
		return nil, nil, nil, models.UsageError("ingest needs at least one file or folder")
	}
	if files, err = expandPaths(opt.Paths); err != nil {
		return nil, nil, nil, err
	}
	for _, in := range opt.Inputs {
		files = append(files, in.Path)
	}
	preread = map[string]*extract.Input{}
	for _, in := range opt.Inputs {
		preread[in.Path] = in
	}
	if opt.Format != "" && opt.Format != "auto" {
		if forced = findImporter(opt.Importers, opt.Format); forced == nil {
			return nil, nil, nil, models.UsageError("unknown --format %q (known: auto, %s)", opt.Format, strings.Join(importerNames(opt.Importers), ", "))
		}
	}
	return files, preread, forced, nil
}

// ingestInto reads, merges and writes the files on an open, locked
// warehouse.
func ingestInto(ctx context.Context, w *load.Warehouse, files []string, preread map[string]*extract.Input, forced extract.Importer, opt IngestOptions) (*models.Run, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Progress == nil {
		opt.Progress = NoProgress{}
	}
	run := &models.Run{RunID: models.NewRunID(opt.Now()), Command: "ingest", Version: opt.Version, StartedAt: opt.Now(), Status: "failed"}
	// Records are merged in place: at UHRI scale a second copy of them
	// would double the peak memory.
	index := map[string]int{}
	var recs []models.Recommendation
	var fus []*models.Followup
	opt.Progress.Start("read", len(files))
	t0 := time.Now()
	parsed := importAll(ctx, files, preread, forced, opt, w)
	run.Time("parse", t0)
	t0 = time.Now()
	for i, path := range files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		opt.Progress.Step(i, path)
		res, in, imp, err := parsed[i].res, parsed[i].in, parsed[i].imp, parsed[i].err
		if err != nil {
			if opt.KeepGoing && models.CodeOf(err) == models.ExitBadInput {
				run.Warnings = append(run.Warnings, "skipped: "+err.Error())
				run.Rejected = append(run.Rejected, models.RowError{File: path, Msg: errorText(err)})
				continue
			}
			return nil, err
		}
		ri := models.RunInput{Path: path, Name: in.Name, SHA256: in.SHA256, Format: imp.Name()}
		if res == nil {
			ri.Skipped = true
			run.Inputs = append(run.Inputs, ri)
			continue
		}
		for _, wmsg := range res.Warnings {
			if !strings.Contains(wmsg, in.Name) {
				wmsg = path + ": " + wmsg
			}
			run.Warnings = append(run.Warnings, wmsg)
		}
		run.Rejected = append(run.Rejected, res.Rejected...)
		ri.Rejected = len(res.Rejected)
		if res.Followup != nil {
			fus = append(fus, res.Followup)
		}
		for j := range res.Records {
			r := &res.Records[j]
			if err := r.Validate(); err != nil {
				loc := ""
				if len(r.Sources) > 0 {
					loc = r.Sources[0].Locator
				}
				run.Rejected = append(run.Rejected, models.RowError{File: path, Msg: fmt.Sprintf("%s: %v", loc, err)})
				ri.Rejected++
				continue
			}
			r.Normalize()
			r.RecID = models.RecID(r)
			ri.Records++
			if k, ok := index[r.RecID]; ok {
				recs[k].Merge(*r)
				continue
			}
			index[r.RecID] = len(recs)
			recs = append(recs, *r)
		}
		parsed[i].res = nil // merged; let the parse result go
		run.Counts.Read += ri.Records
		run.Inputs = append(run.Inputs, ri)
	}
	opt.Progress.Done()
	run.Counts.Rejected = len(run.Rejected)
	run.Counts.Distinct = len(recs)
	index = nil
	batch := load.Batch{Run: run, Records: recs, Followup: fus, AcceptOtherWarehouse: opt.AcceptOtherWarehouse}
	run.Time("merge", t0)
	t0 = time.Now()
	if err := w.Ingest(ctx, batch); err != nil {
		return nil, fmt.Errorf("write warehouse: %w", err)
	}
	run.Time("write", t0)
	return run, nil
}

type parsedFile struct {
	res *extract.Result
	in  *extract.Input
	imp extract.Importer
	err error
}

// importAll parses the files on all cores; results keep the files' order so
// that merging, and so the warehouse, does not depend on scheduling.
func importAll(ctx context.Context, files []string, preread map[string]*extract.Input, forced extract.Importer, opt IngestOptions, w *load.Warehouse) []parsedFile {
	out := make([]parsedFile, len(files))
	next := make(chan int)
	var wg sync.WaitGroup
	for n := min(runtime.GOMAXPROCS(0), len(files)); n > 0; n-- {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				p := &out[i]
				p.res, p.in, p.imp, p.err = importFile(ctx, files[i], preread[files[i]], forced, opt, w)
				if p.in != nil && preread[files[i]] == nil {
					p.in.Data = nil // the records hold what is needed; free the bytes early
				}
			}
		}()
	}
	for i := range files {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

// importFile reads and parses one file. It returns a nil Result when the
// file was already imported unchanged (and opt.Force is off).
func importFile(ctx context.Context, path string, in *extract.Input, forced extract.Importer, opt IngestOptions, w *load.Warehouse) (*extract.Result, *extract.Input, extract.Importer, error) {
	if in == nil {
		var err error
		if in, err = extract.ReadInput(path); err != nil {
			return nil, nil, nil, err
		}
	}
	imp := forced
	if imp == nil {
		if imp = Detect(opt.Importers, in); imp == nil {
			return nil, in, nil, models.InputError(path, fmt.Errorf("cannot tell its format (%s content); name it with --format (%s)",
				extract.SniffKind(in.Data), strings.Join(importerNames(opt.Importers), ", ")))
		}
	}
	if !opt.Force {
		known, err := w.KnownFile(ctx, in.SHA256, imp.Name())
		if err != nil {
			return nil, in, imp, err
		}
		if known {
			return nil, in, imp, nil
		}
	}
	res, err := safeImport(ctx, imp, in, extract.Options{MappingPath: opt.Mapping, Country: opt.Country})
	if err != nil {
		if ctx.Err() != nil {
			return nil, in, imp, ctx.Err()
		}
		var ue *models.Error
		if errors.As(err, &ue) {
			return nil, in, imp, err
		}
		return nil, in, imp, models.InputError(path, fmt.Errorf("as %s: %w", imp.Name(), err))
	}
	for i := range res.Rejected {
		if res.Rejected[i].File == "" || res.Rejected[i].File == in.Name {
			res.Rejected[i].File = path
		}
	}
	if len(res.Records) == 0 && len(res.Rejected) == 0 && res.Followup == nil {
		return nil, in, imp, models.InputError(path, fmt.Errorf("as %s: no recommendations found", imp.Name()))
	}
	return res, in, imp, nil
}

// safeImport turns a panic inside an importer (a third-party parser meeting
// a malformed file) into an error naming the file.
func safeImport(ctx context.Context, imp extract.Importer, in *extract.Input, o extract.Options) (res *extract.Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			res, err = nil, fmt.Errorf("malformed file (parser failed: %v)", p)
		}
	}()
	return imp.Import(ctx, in, o)
}

// Detect chooses the importer most sure of the content, or nil.
func Detect(imps []extract.Importer, in *extract.Input) extract.Importer {
	var best extract.Importer
	bestScore := 0
	for _, imp := range imps {
		s := func() (s int) {
			defer func() {
				if recover() != nil {
					s = 0
				}
			}()
			return imp.Sniff(in)
		}()
		if s > bestScore {
			best, bestScore = imp, s
		}
	}
	return best
}

func findImporter(imps []extract.Importer, name string) extract.Importer {
	for _, imp := range imps {
		if imp.Name() == name {
			return imp
		}
	}
	return nil
}

func importerNames(imps []extract.Importer) []string {
	var names []string
	for _, imp := range imps {
		names = append(names, imp.Name())
	}
	return names
}

// expandPaths turns folders into the regular files under them (sorted,
// hidden ones skipped) and checks that every named path exists.
func expandPaths(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, models.InputError(p, errors.Unwrap(err))
		}
		if !st.IsDir() {
			out = append(out, p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if strings.HasPrefix(d.Name(), ".") && path != p {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() && !strings.HasSuffix(strings.ToLower(d.Name()), ".md") {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, models.InputError(p, err)
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, nil
}

func errorText(err error) string {
	var ue *models.Error
	if errors.As(err, &ue) && ue.Err != nil {
		return ue.Err.Error()
	}
	return err.Error()
}

// writeManifest writes out/runs/<run_id>.json atomically.
func writeManifest(dir string, run *models.Run) error {
	runs := filepath.Join(dir, "runs")
	if err := os.MkdirAll(runs, 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(run, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(filepath.Join(runs, run.RunID+".json"), b)
}
