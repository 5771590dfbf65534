package report

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"sort"
	"time"
)

// zipEpoch is the time every part of a workbook is dated: the zip format's
// first day, so that the same report gives the same bytes.
var zipEpoch = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// canonicalZip rewrites a workbook as excelize wrote it with its parts in
// one order ([Content_Types].xml first, the rest by name) and one date, so
// that the same report is the same file whenever it is written: golden
// files compare byte for byte, and an unchanged report does not look
// changed to a reader's sync or backup.
func canonicalZip(w io.Writer, b []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return fmt.Errorf("reread workbook: %w", err)
	}
	files := append([]*zip.File(nil), zr.File...)
	sort.SliceStable(files, func(i, j int) bool {
		ci, cj := files[i].Name == "[Content_Types].xml", files[j].Name == "[Content_Types].xml"
		if ci != cj {
			return ci
		}
		return files[i].Name < files[j].Name
	})
	zw := zip.NewWriter(w)
	for _, f := range files {
		r, err := f.Open()
		if err != nil {
			return fmt.Errorf("reread workbook part %s: %w", f.Name, err)
		}
		out, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, Modified: zipEpoch})
		if err == nil {
			_, err = io.Copy(out, r)
		}
		r.Close()
		if err != nil {
			return fmt.Errorf("write workbook part %s: %w", f.Name, err)
		}
	}
	return zw.Close()
}
