package indicators

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/extract/norm"
	"github.com/nmirf/nmirf/models"
)

// ReadOpenSDGDir reads an Open SDG data repository: every CSV (and XLSX
// without a CSV export beside it) under dir/data, with the metadata of
// dir/meta/*.yml. A file that cannot be read is reported in Rejected with
// row 0 and the others are read; files named "archived-…" hold indicators
// withdrawn from the framework and are skipped with a warning. The country
// and dataset default to what the folder name says ("open-sdg-uk" → GBR).
func ReadOpenSDGDir(ctx context.Context, dir string, opt Options) (*Result, error) {
	repo, err := OpenOpenSDGRepo(dir, opt)
	if err != nil {
		return nil, err
	}
	out := &Result{Warnings: repo.Warnings}
	for _, path := range repo.Files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		in, err := extract.ReadInput(path)
		if err == nil {
			var r *Result
			if r, err = repo.ReadFile(ctx, in); err == nil {
				merge(out, r)
				continue
			}
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		out.Rejected = append(out.Rejected, FileError(path, err))
	}
	out.Warnings = append(out.Warnings, repo.metaWarnings(ctx)...)
	out.Meta = repo.opt.Meta
	return out, nil
}

// FileError is the rejected entry of a whole file that could not be read.
func FileError(path string, err error) models.RowError {
	msg := err.Error()
	var ue *models.Error
	if errors.As(err, &ue) && ue.Err != nil {
		msg = ue.Err.Error() // the path is already in File
	}
	return models.RowError{File: path, Msg: msg}
}

// OpenSDGRepo is an Open SDG data repository listed for reading one file at
// a time, so that a caller can skip the files it already holds unchanged.
type OpenSDGRepo struct {
	Dir      string
	Files    []string // the data files to read, sorted
	Warnings []string // about the repository: country unknown, archived files skipped
	opt      Options  // Dataset and CountryISO3 resolved
	metaOnce sync.Once
	metaWarn []string
}

// OpenOpenSDGRepo lists the data files of an Open SDG repository (see
// ReadOpenSDGDir for which) and resolves its dataset and country; the
// metadata is read at the first ReadFile.
func OpenOpenSDGRepo(dir string, opt Options) (*OpenSDGRepo, error) {
	dataDir := filepath.Join(dir, "data")
	if st, err := os.Stat(dataDir); err != nil || !st.IsDir() {
		return nil, models.InputError(dir, errors.New("not an Open SDG repository: no data folder"))
	}
	r := &OpenSDGRepo{Dir: dir}
	if opt.Dataset == "" {
		opt.Dataset = filepath.Base(filepath.Clean(dir))
	}
	if opt.CountryISO3 == "" {
		if iso, ok := CountryFromDirName(dir); ok {
			opt.CountryISO3 = iso
		} else {
			r.Warnings = append(r.Warnings, fmt.Sprintf("%s: country not given and not in the folder name; observations have no country", dir))
		}
	}
	r.opt = opt
	var files []string
	err := filepath.WalkDir(dataDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		ext := strings.ToLower(filepath.Ext(path))
		if !d.IsDir() && (ext == ".csv" || ext == ".xlsx") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		return nil, models.InputError(dir, err)
	}
	sort.Strings(files)
	csvStems := map[string]bool{}
	for _, f := range files {
		if strings.EqualFold(filepath.Ext(f), ".csv") {
			stem := strings.TrimSuffix(f, filepath.Ext(f))
			csvStems[strings.TrimSuffix(stem, filepath.Ext(stem))] = true
		}
	}
	archived := 0
	for _, path := range files {
		if strings.HasPrefix(strings.ToLower(filepath.Base(path)), "archived") {
			archived++
			continue
		}
		if strings.EqualFold(filepath.Ext(path), ".xlsx") && csvStems[strings.TrimSuffix(path, filepath.Ext(path))] {
			continue // the workbook's sheets are exported beside it as stem.Sheet.csv
		}
		r.Files = append(r.Files, path)
	}
	if archived > 0 {
		r.Warnings = append(r.Warnings, fmt.Sprintf("%s: %d archived indicator file(s) skipped", dataDir, archived))
	}
	return r, nil
}

// Dataset is the dataset name the repository's observations carry.
func (r *OpenSDGRepo) Dataset() string { return r.opt.Dataset }

// ReadFile reads one data file of the repository.
func (r *OpenSDGRepo) ReadFile(ctx context.Context, in *extract.Input) (*Result, error) {
	r.readMeta(ctx)
	return ReadOpenSDGFile(ctx, in, r.opt)
}

func (r *OpenSDGRepo) readMeta(ctx context.Context) {
	r.metaOnce.Do(func() {
		if r.opt.Meta == nil {
			res := &Result{}
			r.opt.Meta = readMetaDir(ctx, filepath.Join(r.Dir, "meta"), res)
			r.metaWarn = res.Warnings
		}
	})
}

// metaWarnings are the warnings of reading the metadata, once read.
func (r *OpenSDGRepo) metaWarnings(ctx context.Context) []string {
	r.readMeta(ctx)
	return r.metaWarn
}

// MetaWarnings are the warnings of reading the repository's metadata, if a
// file was read (the metadata is not read when no file is).
func (r *OpenSDGRepo) MetaWarnings() []string { return r.metaWarn }

// Source is indicator data found below a folder: an Open SDG repository
// (a folder with data/) or a Global Database export (CSV or XLSX).
type Source struct {
	Path    string
	OpenSDG bool
}

// FindSources finds the indicator data at or below path: path itself when
// it is a file or an Open SDG repository; otherwise every repository below
// it (not looked into further) and every CSV/XLSX file outside them that
// has the Global Database columns. Other files are left out with a note
// saying why; hidden files and folders are skipped. A folder with no
// indicator data is an input error saying what was looked for.
func FindSources(ctx context.Context, path string) (sources []Source, notes []string, err error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, nil, models.InputError(path, errors.Unwrap(err))
	}
	if !st.IsDir() {
		return []Source{{Path: path}}, nil, nil
	}
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if p != path && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if st, err := os.Stat(filepath.Join(p, "data")); err == nil && st.IsDir() {
				sources = append(sources, Source{Path: p, OpenSDG: true})
				return filepath.SkipDir
			}
			return nil
		}
		switch strings.ToLower(filepath.Ext(p)) {
		case ".csv":
			if ok, why := hasGlobalDatabaseHeader(p); ok {
				sources = append(sources, Source{Path: p})
			} else {
				notes = append(notes, p+": left out: "+why)
			}
		case ".xlsx":
			sources = append(sources, Source{Path: p}) // its sheets are checked when read
		}
		return nil
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		return nil, nil, models.InputError(path, err)
	}
	if len(sources) == 0 {
		return nil, notes, models.InputError(path, fmt.Errorf("no indicator data found below it: no Open SDG repository (a folder with a data folder) "+
			"and no Global Database export (a CSV or XLSX file with GeoAreaCode, TimePeriod and Value columns)%s", leftOut(notes)))
	}
	return sources, notes, nil
}

func leftOut(notes []string) string {
	if len(notes) == 0 {
		return ""
	}
	if len(notes) > 3 {
		return fmt.Sprintf("; %d files left out, as %s", len(notes), notes[0])
	}
	return "; left out: " + strings.Join(notes, "; ")
}

// hasGlobalDatabaseHeader tells from a CSV file's first line whether it is
// a Global Database export, and if not, why.
func hasGlobalDatabaseHeader(path string) (bool, string) {
	f, err := os.Open(path)
	if err != nil {
		return false, err.Error()
	}
	defer f.Close()
	buf := make([]byte, 64<<10)
	n, _ := io.ReadFull(f, buf)
	line, _, _ := bytes.Cut(buf[:n], []byte("\n"))
	line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
	for _, h := range strings.FieldsFunc(string(line), func(r rune) bool { return r == ',' || r == ';' || r == '\t' }) {
		if strings.EqualFold(strings.Trim(strings.TrimSpace(h), `"`), "GeoAreaCode") {
			return true, ""
		}
	}
	return false, "a CSV file without the Global Database columns (no GeoAreaCode in its header)"
}

// dirNoise are words of repository names that are not a country.
var dirNoise = map[string]bool{"open": true, "sdg": true, "sdgs": true, "data": true, "site": true, "starter": true,
	"platform": true, "national": true, "reporting": true, "repo": true, "indicators": true, "main": true, "master": true}

// CountryFromDirName guesses a platform's country from its folder name:
// "open-sdg-uk" → GBR, "sdg-data-kazakhstan" → KAZ.
func CountryFromDirName(dir string) (string, bool) {
	base := strings.ToLower(filepath.Base(filepath.Clean(dir)))
	var words []string
	for _, w := range strings.FieldsFunc(base, func(r rune) bool { return r == '-' || r == '_' || r == '.' || r == ' ' }) {
		if !dirNoise[w] {
			words = append(words, w)
		}
	}
	if len(words) == 0 {
		return "", false
	}
	if iso, ok := norm.Country(strings.Join(words, " ")); ok {
		return iso, true
	}
	for _, w := range words {
		if len(w) <= 3 {
			w = strings.ToUpper(w)
		}
		if iso, ok := norm.Country(w); ok {
			return iso, true
		}
	}
	return "", false
}

func readMetaDir(ctx context.Context, dir string, out *Result) map[string]Meta {
	metas := map[string]Meta{}
	paths, _ := filepath.Glob(filepath.Join(dir, "*.yml"))
	more, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	for _, p := range append(paths, more...) {
		if ctx.Err() != nil {
			return metas
		}
		data, err := os.ReadFile(p)
		if err == nil {
			var m Meta
			if m, err = ReadMeta(p, data); err == nil {
				metas[m.Indicator] = m
				continue
			}
		}
		out.Warnings = append(out.Warnings, fmt.Sprintf("%s: metadata not read: %v", p, err))
	}
	return metas
}

var (
	// Values that are keys into a platform's translation files, not text:
	// "global_indicators.1-2-1-title", "sources.1-2-1-source_data_1".
	translationKeyRe = regexp.MustCompile(`^[A-Za-z_]+\.[A-Za-z0-9_.-]+$`)
	htmlTagRe        = regexp.MustCompile(`<[^>]*>`)
	// "Indicator 1.2.1: …" (Canada), "5.5.1 - …" (UK)
	indicatorLabelRe = regexp.MustCompile(`^(?i:indicator\s+)?\d{1,2}\.[0-9a-z]{1,2}\.\d{1,2}(?:\.\d{1,2})?\s*[:–-]\s*`)
)

// ReadMeta reads an Open SDG meta/*.yml file. The indicator code comes from
// the file name ("1-2-1.yml"); title, units and source from whichever of the
// keys the platforms use is set with text rather than a translation key.
func ReadMeta(path string, data []byte) (Meta, error) {
	code, ok := IndicatorFromFileName(path) // "1-2-1.yml", "15.a.1.yml"
	if !ok {
		// "2-a-2.md-frontmatter.yml" is as good as "2-a-2.yml".
		base, _, _ := strings.Cut(filepath.Base(path), ".")
		code, ok = IndicatorFromFileName(base)
	}
	if !ok {
		return Meta{}, fmt.Errorf("file name has no indicator code like 1-2-1")
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var doc map[string]any
	err := safely("read YAML", func() error { return yaml.Unmarshal(data, &doc) })
	if err != nil {
		return Meta{}, err
	}
	pick := func(keys ...string) string {
		for _, k := range keys {
			s, ok := doc[k].(string)
			if !ok {
				continue
			}
			s = models.CleanText(html.UnescapeString(htmlTagRe.ReplaceAllString(s, " ")))
			if s != "" && !translationKeyRe.MatchString(s) {
				return indicatorLabelRe.ReplaceAllString(s, "")
			}
		}
		return ""
	}
	return Meta{
		Indicator: code,
		Title:     pick("indicator_available", "SDG_INDICATOR", "indicator_name", "graph_title"),
		Units:     pick("computation_units", "COMPUTATION_UNITS", "unit_of_measure"),
		Source:    pick("source_organisation_1", "CONTACT_ORGANISATION", "source_organisation"),
	}, nil
}
