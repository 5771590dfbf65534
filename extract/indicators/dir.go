package indicators

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

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
	dataDir := filepath.Join(dir, "data")
	if st, err := os.Stat(dataDir); err != nil || !st.IsDir() {
		return nil, models.InputError(dir, errors.New("not an Open SDG repository: no data folder"))
	}
	out := &Result{}
	if opt.Dataset == "" {
		opt.Dataset = filepath.Base(filepath.Clean(dir))
	}
	if opt.CountryISO3 == "" {
		if iso, ok := CountryFromDirName(dir); ok {
			opt.CountryISO3 = iso
		} else {
			out.Warnings = append(out.Warnings, fmt.Sprintf("%s: country not given and not in the folder name; observations have no country", dir))
		}
	}
	if opt.Meta == nil {
		opt.Meta = readMetaDir(ctx, filepath.Join(dir, "meta"), out)
	}
	out.Meta = opt.Meta

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
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if strings.HasPrefix(strings.ToLower(filepath.Base(path)), "archived") {
			archived++
			continue
		}
		if strings.EqualFold(filepath.Ext(path), ".xlsx") && csvStems[strings.TrimSuffix(path, filepath.Ext(path))] {
			continue // the workbook's sheets are exported beside it as stem.Sheet.csv
		}
		in, err := extract.ReadInput(path)
		if err == nil {
			var r *Result
			if r, err = ReadOpenSDGFile(ctx, in, opt); err == nil {
				merge(out, r)
				continue
			}
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		msg := err.Error()
		var ue *models.Error
		if errors.As(err, &ue) && ue.Err != nil {
			msg = ue.Err.Error() // the path is already in File
		}
		out.Rejected = append(out.Rejected, models.RowError{File: path, Msg: msg})
	}
	if archived > 0 {
		out.Warnings = append(out.Warnings, fmt.Sprintf("%s: %d archived indicator file(s) skipped", dataDir, archived))
	}
	return out, nil
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
