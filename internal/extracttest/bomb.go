package extracttest

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"runtime"
	"testing"
)

// Part is one member of a zip archive built by Zip. Data is stored
// deflated; when Declare is set the directory states that size instead of
// len(Data), as a zip bomb does to slip past a size check.
type Part struct {
	Name    string
	Data    []byte
	Repeat  int    // Data is written this many times (a cheap way to a large part)
	Declare uint64 // uncompressed size written in the directory, when not 0
	// DeclareCompressed is the compressed size written in the directory,
	// when not 0: with Declare, a part that claims a modest ratio.
	DeclareCompressed uint64
}

// Zip builds a zip archive in memory. Parts made of a repeated unit deflate
// to a tiny fraction of their size, so a bomb of gigabytes takes a few
// hundred kilobytes and is built in the test, not stored.
func Zip(t testing.TB, parts ...Part) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		n := max(p.Repeat, 1)
		var raw bytes.Buffer
		fw, err := flate.NewWriter(&raw, flate.BestCompression)
		if err != nil {
			t.Fatal(err)
		}
		crc := crc32.NewIEEE()
		for i := 0; i < n; i++ {
			fw.Write(p.Data)
			crc.Write(p.Data)
		}
		if err := fw.Close(); err != nil {
			t.Fatal(err)
		}
		size := uint64(len(p.Data)) * uint64(n)
		if p.Declare != 0 {
			size = p.Declare
		}
		csize := uint64(raw.Len())
		if p.DeclareCompressed != 0 {
			csize = p.DeclareCompressed
		}
		w, err := zw.CreateRaw(&zip.FileHeader{Name: p.Name, Method: zip.Deflate, CRC32: crc.Sum32(),
			CompressedSize64: csize, UncompressedSize64: size})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(raw.Bytes()); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// XLSXParts are the parts of a minimal workbook with one sheet, whose XML
// the caller gives as the last part ("xl/worksheets/sheet1.xml").
func XLSXParts() []Part {
	return []Part{
		{Name: "[Content_Types].xml", Data: []byte(`<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`)},
		{Name: "_rels/.rels", Data: []byte(`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)},
		{Name: "xl/workbook.xml", Data: []byte(`<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`)},
		{Name: "xl/_rels/workbook.xml.rels", Data: []byte(`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`)},
	}
}

// Allocated returns the bytes allocated while f runs, to bound what a
// reader takes of a hostile input without timing it.
func Allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}
