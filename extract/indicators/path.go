package indicators

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/models"
)

// ReadPath reads indicator data at p, picking the reader by what p is: an
// Open SDG repository (a folder with data/), a folder of Global Database
// exports (a file that cannot be read is skipped with a warning), or one
// Global Database export file (CSV/XLSX). opt.CountryISO3 names the
// country of an Open SDG platform when its folder name does not tell.
func ReadPath(ctx context.Context, p string, opt Options) (*Result, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, models.InputError(p, err)
	}
	if st.IsDir() {
		if _, err := os.Stat(filepath.Join(p, "data")); err == nil {
			return ReadOpenSDGDir(ctx, p, opt)
		}
		// A folder of Global Database exports.
		out := &Result{}
		entries, err := os.ReadDir(p)
		if err != nil {
			return nil, models.InputError(p, err)
		}
		for _, e := range entries {
			if e.IsDir() {
				continue
			}
			r, err := ReadPath(ctx, filepath.Join(p, e.Name()), opt)
			if err != nil {
				out.Warnings = append(out.Warnings, fmt.Sprintf("skipped %s: %v", filepath.Join(p, e.Name()), err))
				continue
			}
			out.Observations = append(out.Observations, r.Observations...)
			out.Rejected = append(out.Rejected, r.Rejected...)
			out.Warnings = append(out.Warnings, r.Warnings...)
		}
		return out, nil
	}
	in, err := extract.ReadInput(p)
	if err != nil {
		return nil, err
	}
	res, err := ReadGlobalDatabase(ctx, in)
	if err != nil {
		return nil, models.InputError(p, err)
	}
	return res, nil
}
