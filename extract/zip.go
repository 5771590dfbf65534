package extract

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Limits on what a zipped input (.xlsx, .docx) may inflate to. A zip bomb
// (a few megabytes that inflate to gigabytes) is refused from what its
// directory declares, before anything is inflated; archive/zip then refuses
// to inflate a part beyond its declared size, so what is declared bounds
// what is read.
const (
	// MaxInflatedPart bounds one part of the archive (a worksheet, the
	// shared strings, word/document.xml).
	MaxInflatedPart = 1 << 30
	// MaxInflatedTotal bounds the whole archive inflated.
	MaxInflatedTotal = 2 << 30
	// MaxInflateRatio bounds how much a part larger than ratioFloor may
	// grow: real workbooks and documents inflate 5–30 times, zip bombs
	// hundreds or thousands of times.
	MaxInflateRatio = 100
	ratioFloor      = 16 << 20
)

// MaxColumns bounds the columns of a table row: Excel's own limit
// (column XFD), so anything a spreadsheet can hold is accepted and a row of
// a million columns is refused before it exhausts memory.
const MaxColumns = 16384

// MaxRows bounds the rows of a worksheet likewise: Excel's own limit.
const MaxRows = 1 << 20

// ErrNotZip is the error for data that starts like a zip archive but whose
// directory cannot be read: a truncated or damaged .xlsx or .docx.
var ErrNotZip = errors.New("not a valid zip file (truncated or damaged?)")

// OpenZip opens a zipped input and checks the sizes its directory declares
// against the limits above, so that a zip bomb fails at once with a clear
// message instead of running for minutes.
func OpenZip(data []byte) (*zip.Reader, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		if errors.Is(err, zip.ErrFormat) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, ErrNotZip
		}
		return nil, fmt.Errorf("%w: %v", ErrNotZip, err)
	}
	var total uint64
	for _, f := range zr.File {
		size := f.UncompressedSize64
		if size > MaxInflatedPart {
			return nil, fmt.Errorf("zip part %s declares %d bytes inflated, over the %d-byte limit (a zip bomb?)", f.Name, size, MaxInflatedPart)
		}
		if size > ratioFloor && size > MaxInflateRatio*max(f.CompressedSize64, 1) {
			return nil, fmt.Errorf("zip part %s inflates %d bytes to %d, over %d times (a zip bomb?)", f.Name, f.CompressedSize64, size, MaxInflateRatio)
		}
		if total += size; total > MaxInflatedTotal {
			return nil, fmt.Errorf("zip archive declares over %d bytes inflated, over the limit (a zip bomb?)", uint64(MaxInflatedTotal))
		}
	}
	return zr, nil
}

// VerifyZip inflates every part of an archive opened with OpenZip and
// throws the bytes away, so that a part inflating to more than it declares,
// or to other bytes than its checksum says, is an error before a reader
// that trusts the declaration (excelize reads a part up to its declared
// size and no further) silently takes a truncated part for the whole.
func VerifyZip(zr *zip.Reader) error {
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return fmt.Errorf("open %s in zip: %w", f.Name, err)
		}
		_, err = io.Copy(io.Discard, rc)
		rc.Close()
		if err != nil {
			return fmt.Errorf("zip part %s does not inflate to what it declares (damaged, or a zip bomb?): %w", f.Name, err)
		}
	}
	return nil
}

// ReadZipPart reads one part of an archive opened with OpenZip whole,
// refusing more than limit bytes whatever the part declares.
func ReadZipPart(f *zip.File, limit int64) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("open %s in zip: %w", f.Name, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s in zip: %w", f.Name, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("read %s in zip: larger than %d bytes", f.Name, limit)
	}
	return b, nil
}

// ZipEntryNames lists the part names in the local headers of a zip
// archive, reading from its start: it still works on a truncated archive
// whose directory (at the end) is gone, to tell a cut .docx ("word/…")
// from a cut .xlsx ("xl/…").
func ZipEntryNames(data []byte) []string {
	var names []string
	for off := 0; off+30 <= len(data) && len(names) < 64; {
		if !bytes.Equal(data[off:off+4], []byte("PK\x03\x04")) {
			break
		}
		flags := binary.LittleEndian.Uint16(data[off+6:])
		csize := int(binary.LittleEndian.Uint32(data[off+18:]))
		nlen := int(binary.LittleEndian.Uint16(data[off+26:]))
		xlen := int(binary.LittleEndian.Uint16(data[off+28:]))
		if off+30+nlen > len(data) {
			break
		}
		names = append(names, string(data[off+30:off+30+nlen]))
		if flags&0x8 != 0 {
			// Sizes follow the data: find the next local header.
			next := bytes.Index(data[off+30+nlen:], []byte("PK\x03\x04"))
			if next < 0 {
				break
			}
			off += 30 + nlen + next
			continue
		}
		off += 30 + nlen + xlen + csize
	}
	return names
}

// BrokenZipOf tells a zip archive that OpenZip or VerifyZip refuses (its
// directory cannot be read, it declares more than the limits allow, or a
// part inflates to other than it declares) but whose parts
// are named under prefix ("word/" for .docx, "xl/" for .xlsx): a file of
// that kind cut short, damaged, or a zip bomb. Importers claim such a file
// with a low sniff score, so that detection reports what is wrong with it,
// as naming the format does, rather than that its format is unknown.
func BrokenZipOf(data []byte, prefix string) bool {
	if SniffKind(data) != KindZip {
		return false
	}
	if zr, err := OpenZip(data); err == nil && VerifyZip(zr) == nil {
		return false
	}
	var names []string
	if zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data))); err == nil {
		for _, f := range zr.File {
			names = append(names, f.Name)
		}
	} else {
		names = ZipEntryNames(data)
	}
	for _, n := range names {
		if strings.HasPrefix(strings.TrimPrefix(n, "/"), prefix) {
			return true
		}
	}
	return false
}
