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
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/extract/lang"
	"github.com/nmirf/nmirf/internal/atomicfile"
	"github.com/nmirf/nmirf/load"
	"github.com/nmirf/nmirf/models"
)

// IngestOptions are the plain options of an ingest, resolved by cmd.
type IngestOptions struct {
	Paths        []string
	Exclude      []string         // globs of files under Paths not to read (see findInputs)
	Inputs       []*extract.Input // inputs already in memory (the embedded sample)
	Format       string           // "auto" or an importer name
	Mapping      string           // mapping file for the generic importer
	Country      string           // State under review to assume when a file does not say
	Warehouse    string
	DuckDBMemory string // DuckDB's memory limit; "" the default
	Version      string
	Force        bool // re-read files already imported unchanged
	KeepGoing    bool // skip unreadable files instead of failing the batch
	Wait         bool // wait for the warehouse lock
	Importers    []extract.Importer
	Progress     Progress
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
// Paths under which no file is found are bad input: nothing is written, no
// run is recorded.
func Ingest(ctx context.Context, opt IngestOptions) (*models.Run, error) {
	plan, err := prepareIngest(opt)
	if err != nil {
		return nil, err
	}
	if len(plan.files) == 0 {
		return nil, plan.nothingFound(opt.Paths)
	}
	return RunStage(ctx, BatchOptions{Warehouse: opt.Warehouse, DuckDBMemory: opt.DuckDBMemory, Version: opt.Version, Wait: opt.Wait, Progress: opt.Progress}, ingestPlanned(plan, opt))
}

// ingestPlan is what an ingest will read: the files found under its paths
// and the inputs already in memory, the importer --format forces, and notes
// on the files left out, for the run's manifest and summary.
type ingestPlan struct {
	files   []string
	preread map[string]*extract.Input
	forced  extract.Importer
	notes   []string
}

// nothingFound is the error of an ingest with no file to read.
func (p *ingestPlan) nothingFound(paths []string) error {
	what := "no files to import under " + strings.Join(paths, ", ")
	var left []string
	for _, n := range p.notes {
		if strings.Contains(n, ": left out: ") {
			left = append(left, n)
		}
	}
	switch {
	case len(left) > 5:
		what += fmt.Sprintf(" (%d files left out, as %s)", len(left), left[0])
	case len(left) > 0:
		what += fmt.Sprintf(" (left out: %s)", strings.Join(left, "; "))
	}
	return &models.Error{Code: models.ExitBadInput, Msg: what}
}

// prepareIngest lists the files to read and the importer --format forces.
func prepareIngest(opt IngestOptions) (*ingestPlan, error) {
	if len(opt.Paths) == 0 && len(opt.Inputs) == 0 {
		return nil, models.UsageError("ingest needs at least one file or folder")
	}
	p := &ingestPlan{preread: map[string]*extract.Input{}}
	var err error
	if p.files, p.notes, err = findInputs(opt.Paths, opt.Exclude); err != nil {
		return nil, err
	}
	for _, in := range opt.Inputs {
		p.files = append(p.files, in.Path)
		p.preread[in.Path] = in
	}
	if opt.Format != "" && opt.Format != "auto" {
		if p.forced = findImporter(opt.Importers, opt.Format); p.forced == nil {
			return nil, models.UsageError("unknown --format %q (known: auto, %s)", opt.Format, strings.Join(importerNames(opt.Importers), ", "))
		}
	}
	return p, nil
}

// ingestInto reads, merges and writes the files on an open, locked
// warehouse.
func ingestInto(ctx context.Context, w *load.Warehouse, plan *ingestPlan, opt IngestOptions) (*models.Run, error) {
	files, preread, forced := plan.files, plan.preread, plan.forced
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Progress == nil {
		opt.Progress = NoProgress{}
	}
	run := &models.Run{RunID: models.NewRunID(opt.Now()), Command: "ingest", Version: opt.Version, StartedAt: opt.Now()}
	run.Warnings = append(run.Warnings, plan.notes...)
	// Records are merged in place: at UHRI scale a second copy of them
	// would double the peak memory.
	var index map[string]int
	var recs []models.Recommendation
	var fus []*models.Followup
	opt.Progress.Start("read", len(files))
	t0 := time.Now()
	var known map[string]bool
	if !opt.Force {
		var err error
		if known, err = w.KnownFiles(ctx); err != nil {
			return nil, err
		}
	}
	parsed := importAll(ctx, files, preread, forced, opt, known)
	run.Time("parse", t0)
	t0 = time.Now()
	total := 0
	for i := range parsed {
		if parsed[i].res != nil {
			total += len(parsed[i].res.Records)
		}
	}
	index = make(map[string]int, total)
	recs = make([]models.Recommendation, 0, total)
	for i, path := range files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		opt.Progress.Step(i, path)
		res, in, imp, err := parsed[i].res, parsed[i].in, parsed[i].imp, parsed[i].err
		if err != nil {
			if opt.KeepGoing && models.CodeOf(err) == models.ExitBadInput {
				// One rejected entry with no row: the summary names the
				// file and why once, the manifest and ingest_errors keep it.
				run.Rejected = append(run.Rejected, models.RowError{File: path, Msg: "file not imported: " + errorText(err)})
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
		invalid := prepareRecords(res.Records)
		for j := range res.Records {
			r := &res.Records[j]
			if err := invalid[j]; err != nil {
				loc := ""
				if len(r.Sources) > 0 {
					loc = r.Sources[0].Locator
				}
				run.Rejected = append(run.Rejected, models.RowError{File: path, Msg: fmt.Sprintf("%s: %v", loc, err)})
				ri.Rejected++
				continue
			}
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
	settle(run)
	run.Counts.Distinct = len(recs)
	index = nil
	batch := load.Batch{Run: run, Records: recs, Followup: fus, AcceptOtherWarehouse: opt.AcceptOtherWarehouse, Settle: settle}
	run.Time("merge", t0)
	t0 = time.Now()
	// The parse's garbage (the files' bytes, records merged away) would be
	// held beside the memory DuckDB takes for the write, and set the peak
	// of a UHRI-scale run; a small batch is not worth a full collection.
	if len(recs) >= 50_000 {
		debug.FreeOSMemory()
	}
	if err := w.Ingest(ctx, batch); err != nil {
		return nil, fmt.Errorf("write warehouse: %w", err)
	}
	run.Time("write", t0)
	return run, nil
}

// prepareRecords validates each record and readies the valid ones for
// merging: normalised, their language detected when the importer did not
// give it, their id computed. This work depends on no other record, and is
// done on every core; it returns each record's validation error.
func prepareRecords(recs []models.Recommendation) []error {
	invalid := make([]error, len(recs))
	workers := min(runtime.GOMAXPROCS(0), (len(recs)+511)/512)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for j := w; j < len(recs); j += workers {
				r := &recs[j]
				if invalid[j] = r.Validate(); invalid[j] != nil {
					continue
				}
				r.Normalize()
				if r.Language == "" {
					r.Language = lang.Detect(r.Text)
				}
				r.RecID = models.RecID(r)
			}
		})
	}
	wg.Wait()
	return invalid
}

type parsedFile struct {
	res *extract.Result
	in  *extract.Input
	imp extract.Importer
	err error
}

// importAll parses the files on all cores; results keep the files' order so
// that merging, and so the warehouse, does not depend on scheduling.
func importAll(ctx context.Context, files []string, preread map[string]*extract.Input, forced extract.Importer, opt IngestOptions, known map[string]bool) []parsedFile {
	out := make([]parsedFile, len(files))
	next := make(chan int)
	var wg sync.WaitGroup
	for n := min(runtime.GOMAXPROCS(0), len(files)); n > 0; n-- {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				p := &out[i]
				p.res, p.in, p.imp, p.err = importFile(ctx, files[i], preread[files[i]], forced, opt, known)
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
// file was already imported unchanged (known holds it; nil with opt.Force).
func importFile(ctx context.Context, path string, in *extract.Input, forced extract.Importer, opt IngestOptions, known map[string]bool) (*extract.Result, *extract.Input, extract.Importer, error) {
	if in == nil {
		var err error
		if in, err = extract.ReadInput(path); err != nil {
			return nil, nil, nil, err
		}
	}
	imp := forced
	if imp == nil {
		// A file already imported unchanged is recognised by its hash
		// before its format is guessed: guessing decodes the whole text,
		// which for a UHRI export of 270,000 records is most of a nightly
		// run's ingest when nothing in it changed. Detection depends only
		// on the content, so it would name the importer it named then.
		if imp = knownImporter(opt.Importers, in.SHA256, known); imp != nil {
			return nil, in, imp, nil
		}
		if imp = Detect(opt.Importers, in); imp == nil {
			return nil, in, nil, models.InputError(path, fmt.Errorf("cannot tell its format (%s content); name it with --format (%s)",
				in.Kind(), strings.Join(importerNames(opt.Importers), ", ")))
		}
	}
	if known[load.KnownFileKey(in.SHA256, imp.Name())] {
		return nil, in, imp, nil
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

// knownImporter returns the importer the file of hash sha was imported
// with, when known holds it under exactly one; nil otherwise (a file
// imported under two formats, with --format, is detected again).
func knownImporter(imps []extract.Importer, sha string, known map[string]bool) extract.Importer {
	if len(known) == 0 {
		return nil
	}
	var found extract.Importer
	for _, imp := range imps {
		if known[load.KnownFileKey(sha, imp.Name())] {
			if found != nil {
				return nil
			}
			found = imp
		}
	}
	return found
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

// expandPaths turns folders into the files under them (see findInputs).
func expandPaths(paths []string) ([]string, error) {
	files, _, err := findInputs(paths, nil)
	return files, err
}

// findInputs turns folders into the regular files under them, sorted, and
// checks that every named path exists. Symbolic links are followed, to
// files and to folders, with a guard against loops; a file reached twice is
// read once. Hidden files and folders are skipped; .md files (notes beside
// the data), files matching an exclude glob, and anything that is not a
// regular file are left out with a note saying which and why. A glob
// matches a file's name, its path below the named folder, or its whole
// path (filepath.Match syntax: *.xls, drafts/*, /srv/inbox/old-*.csv).
func findInputs(paths, exclude []string) (files, notes []string, err error) {
	seenFile := map[string]string{} // real path → first path it was found at
	seenDir := map[string]bool{}    // real paths of folders read: the loop guard
	consider := func(root, path string) {
		if note, ok := excluded(root, path, exclude); ok {
			notes = append(notes, note)
			return
		}
		if strings.EqualFold(filepath.Ext(path), ".md") {
			notes = append(notes, path+": left out: a .md file (notes, not data)")
			return
		}
		real, err := filepath.EvalSymlinks(path)
		if err != nil {
			real = path
		}
		if first, ok := seenFile[real]; ok {
			notes = append(notes, fmt.Sprintf("%s: left out: the same file as %s (a symbolic link)", path, first))
			return
		}
		seenFile[real] = path
		files = append(files, path)
	}
	var walk func(root, dir string) error
	walk = func(root, dir string) error {
		real, err := filepath.EvalSymlinks(dir)
		if err != nil {
			return err
		}
		if seenDir[real] {
			notes = append(notes, dir+": left out: a symbolic link to a folder already read (a loop or a second way in)")
			return nil
		}
		seenDir[real] = true
		entries, err := os.ReadDir(dir)
		if err != nil {
			return err
		}
		for _, e := range entries {
			path := filepath.Join(dir, e.Name())
			if strings.HasPrefix(e.Name(), ".") {
				continue
			}
			mode := e.Type()
			if mode&fs.ModeSymlink != 0 {
				st, err := os.Stat(path)
				if err != nil {
					why := err
					var pe *fs.PathError
					if errors.As(err, &pe) {
						why = pe.Err
					}
					notes = append(notes, path+": left out: a symbolic link to nothing ("+why.Error()+")")
					continue
				}
				mode = st.Mode().Type()
			}
			switch {
			case mode.IsDir():
				if err := walk(root, path); err != nil {
					return err
				}
			case mode.IsRegular():
				consider(root, path)
			default:
				notes = append(notes, path+": left out: not a regular file ("+mode.String()+")")
			}
		}
		return nil
	}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, nil, models.InputError(p, errors.Unwrap(err))
		}
		if !st.IsDir() {
			consider(filepath.Dir(p), p)
			continue
		}
		before := len(files)
		if err := walk(p, p); err != nil {
			return nil, nil, models.InputError(p, err)
		}
		sort.Strings(files[before:])
		if len(files) == before {
			notes = append(notes, p+": no files to import in this folder")
		}
	}
	return files, notes, nil
}

// excluded tells whether an exclude glob matches the file at path (found
// under root), and returns the note that says so.
func excluded(root, path string, globs []string) (string, bool) {
	rel, _ := filepath.Rel(root, path)
	for _, g := range globs {
		for _, cand := range []string{filepath.Base(path), rel, path} {
			if ok, _ := filepath.Match(g, cand); ok {
				return fmt.Sprintf("%s: left out: matches exclude pattern %q", path, g), true
			}
		}
	}
	return "", false
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
