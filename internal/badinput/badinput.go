// Package badinput makes broken inputs for the tests that feed them to
// nmirf: zip bombs built from a real archive (small on disk, gigabytes
// inflated), truncated and corrupted copies, UTF-16 text, very wide rows.
// Everything is generated at test time so no large file is committed. It
// is used by tests only and must not be imported by the program.
package badinput

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"io"
	"regexp"
	"strings"
	"unicode/utf16"
)

// Split cuts an archive member into the part before its repeated unit
// (a spreadsheet row, a table row), one unit, and the rest.
type Split func(member []byte) (prefix, unit, suffix []byte, err error)

// cellRef matches the optional position attributes of SpreadsheetML rows
// and cells, dropped from repeated rows so the sheet stays valid.
var cellRef = regexp.MustCompile(` r="[A-Z]*[0-9]+"`)

// SheetRows splits an XLSX worksheet after its first row (the header): the
// unit is the second row, without position attributes.
func SheetRows(sheet []byte) (prefix, unit, suffix []byte, err error) {
	return rows(sheet, []byte("</row>"), true)
}

// TableRows splits a WordprocessingML document after the first row of its
// first table (the header): the unit is the table's second row.
func TableRows(doc []byte) (prefix, unit, suffix []byte, err error) {
	return rows(doc, []byte("</w:tr>"), false)
}

// Paragraphs splits a WordprocessingML document after its first paragraph:
// the unit is the second paragraph (for documents of running text).
func Paragraphs(doc []byte) (prefix, unit, suffix []byte, err error) {
	return rows(doc, []byte("</w:p>"), false)
}

func rows(b, end []byte, dropRefs bool) (prefix, unit, suffix []byte, err error) {
	i := bytes.Index(b, end)
	if i < 0 {
		return nil, nil, nil, fmt.Errorf("no %s", end)
	}
	i += len(end)
	j := bytes.Index(b[i:], end)
	if j < 0 {
		return nil, nil, nil, fmt.Errorf("only one %s", end)
	}
	j += i + len(end)
	u := b[i:j]
	if dropRefs {
		u = cellRef.ReplaceAll(u, nil)
	}
	return b[:i], u, b[j:], nil
}

// Bomb rewrites the zip archive src so that member inflates to about
// inflated bytes: its unit (see Split) is repeated until then. The other
// members are copied as they are, so the archive is what its kind expects
// (an XLSX workbook, a DOCX document). The deflate stream is built from one
// compressed block of about a mebibyte repeated, so the archive stays a few
// megabytes. With lie, the member's header declares a small inflated size,
// as a hostile file would, so only counting what is inflated catches it.
func Bomb(src []byte, member string, split Split, inflated int64, lie bool) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(src), int64(len(src)))
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	found := false
	for _, f := range zr.File {
		if f.Name != member {
			if err := zw.Copy(f); err != nil {
				return nil, err
			}
			continue
		}
		found = true
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		orig, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
		prefix, unit, suffix, err := split(orig)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", member, err)
		}
		block := bytes.Repeat(unit, max(1, (1<<20)/len(unit)))
		n := max(1, (inflated-int64(len(prefix)+len(suffix)))/int64(len(block)))
		var comp bytes.Buffer
		crc := uint32(0)
		size := int64(0)
		add := func(b []byte, last bool) error {
			crc = crc32.Update(crc, crc32.IEEETable, b)
			size += int64(len(b))
			return deflateSegment(&comp, b, last)
		}
		if err := add(prefix, false); err != nil {
			return nil, err
		}
		var seg bytes.Buffer
		if err := deflateSegment(&seg, block, false); err != nil {
			return nil, err
		}
		for i := int64(0); i < n; i++ {
			// Each segment was compressed alone, so its back-references stay
			// inside it and the copies decode to the same block.
			comp.Write(seg.Bytes())
			crc = crc32.Update(crc, crc32.IEEETable, block)
			size += int64(len(block))
		}
		if err := add(suffix, true); err != nil {
			return nil, err
		}
		declared := uint64(size)
		if lie {
			declared = uint64(len(orig))
		}
		w, err := zw.CreateRaw(&zip.FileHeader{
			Name: f.Name, Method: zip.Deflate, Modified: f.Modified,
			CRC32: crc, CompressedSize64: uint64(comp.Len()), UncompressedSize64: declared,
		})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(comp.Bytes()); err != nil {
			return nil, err
		}
	}
	if !found {
		return nil, fmt.Errorf("no member %s", member)
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// deflateSegment appends b compressed alone to w, ending on a byte
// boundary (a sync flush) unless it is the last segment.
func deflateSegment(w io.Writer, b []byte, last bool) error {
	fw, err := flate.NewWriter(w, flate.BestCompression)
	if err != nil {
		return err
	}
	if _, err := fw.Write(b); err != nil {
		return err
	}
	if last {
		return fw.Close()
	}
	return fw.Flush()
}

// Truncate returns the first frac of b, as a download cut off.
func Truncate(b []byte, frac float64) []byte {
	return append([]byte(nil), b[:int(float64(len(b))*frac)]...)
}

// Corrupt returns b with a run of bytes in its middle overwritten, as a bad
// disk or transfer leaves a file: the length and the ends are intact.
func Corrupt(b []byte) []byte {
	c := append([]byte(nil), b...)
	for i := len(c) / 2; i < len(c)/2+64 && i < len(c); i++ {
		c[i] ^= 0x5a
	}
	return c
}

// UTF16LE encodes s as UTF-16 little-endian, as Excel's "Unicode text" and
// Windows tools write it, with or without the byte-order mark.
func UTF16LE(s string, bom bool) []byte {
	var b []byte
	if bom {
		b = append(b, 0xff, 0xfe)
	}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

// WideCSV returns header and row (CSV lines without line end) with extra
// empty columns appended until each line has cols columns.
func WideCSV(header, row string, cols int) string {
	n := strings.Count(header, ",") + 1
	pad := strings.Repeat(",", max(0, cols-n))
	var b strings.Builder
	b.WriteString(header)
	for i := n; i < cols; i++ {
		fmt.Fprintf(&b, ",x%d", i)
	}
	b.WriteString("\n")
	b.WriteString(row)
	b.WriteString(pad)
	b.WriteString("\n")
	return b.String()
}

// Junk returns n bytes of deterministic binary noise, NULs included.
func Junk(n int) []byte {
	b := make([]byte, n)
	x := uint32(2463534242)
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	return b
}
