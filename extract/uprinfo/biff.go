package uprinfo

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"unicode/utf16"

	"github.com/richardlehane/mscfb"

	"github.com/nmirf/nmirf/extract"
)

// readXLS reads the first worksheet of a legacy BIFF8 .xls workbook as a
// table. It parses the records itself rather than through extrame/xls,
// because that library splices shared strings wrongly wherever the string
// table crosses a CONTINUE record: on the real UPR Info 1-5.xls it returned
// 6,053 of 6,094 rows with texts shifted into the wrong cells.
func readXLS(data []byte) (t *extract.Table, err error) {
	defer func() {
		// The compound-file reader indexes sector chains taken from the
		// file; a damaged file must come back as an error, not a crash.
		if r := recover(); r != nil {
			t, err = nil, fmt.Errorf("unreadable .xls workbook: %v", r)
		}
	}()
	stream, err := workbookStream(data)
	if err != nil {
		return nil, err
	}
	sst, sheetPos, err := readGlobals(stream)
	if err != nil {
		return nil, err
	}
	cells, err := readSheet(stream, sheetPos, sst)
	if err != nil {
		return nil, err
	}
	return cellsTable(cells), nil
}

func workbookStream(data []byte) ([]byte, error) {
	doc, err := mscfb.New(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("unreadable .xls compound file: %w", err)
	}
	for {
		f, err := doc.Next()
		if err == io.EOF {
			return nil, errors.New(".xls file has no Workbook stream")
		}
		if err != nil {
			return nil, fmt.Errorf("unreadable .xls compound file: %w", err)
		}
		if f.Name == "Workbook" || f.Name == "Book" {
			b, err := io.ReadAll(f)
			if err != nil {
				return nil, fmt.Errorf("read .xls Workbook stream: %w", err)
			}
			return b, nil
		}
	}
}

// BIFF8 record types used here.
const (
	recEOF        = 0x000A
	recFormula    = 0x0006
	recContinue   = 0x003C
	recBoundSheet = 0x0085
	recMulRK      = 0x00BD
	recSST        = 0x00FC
	recLabelSST   = 0x00FD
	recNumber     = 0x0203
	recLabel      = 0x0204
	recString     = 0x0207
	recRK         = 0x027E
	recBOF        = 0x0809
)

type record struct {
	id   uint16
	data []byte
}

// records walks the BIFF records from pos until an EOF record.
type records struct {
	b   []byte
	pos int
}

func (r *records) next() (record, error) {
	if r.pos+4 > len(r.b) {
		return record{}, fmt.Errorf("workbook stream ends at byte %d before its end-of-file record (file truncated?)", r.pos)
	}
	id := binary.LittleEndian.Uint16(r.b[r.pos:])
	n := int(binary.LittleEndian.Uint16(r.b[r.pos+2:]))
	if r.pos+4+n > len(r.b) {
		return record{}, fmt.Errorf("record 0x%04x at byte %d runs past the end of the workbook stream (file truncated?)", id, r.pos)
	}
	rec := record{id: id, data: r.b[r.pos+4 : r.pos+4+n]}
	r.pos += 4 + n
	return rec, nil
}

// readGlobals reads the workbook globals: the shared string table and the
// stream offset of the first worksheet.
func readGlobals(stream []byte) ([]string, int, error) {
	rs := &records{b: stream}
	first, err := rs.next()
	if err != nil {
		return nil, 0, err
	}
	if first.id != recBOF || len(first.data) < 2 {
		return nil, 0, errors.New("workbook stream does not start with a BIFF BOF record")
	}
	if v := binary.LittleEndian.Uint16(first.data); v != 0x0600 {
		return nil, 0, fmt.Errorf("workbook is BIFF version 0x%04x; only BIFF8 (Excel 97–2003) is supported", v)
	}
	var sstSegs [][]byte
	sheetPos := -1
	prev := uint16(0)
	for {
		rec, err := rs.next()
		if err != nil {
			return nil, 0, err
		}
		switch rec.id {
		case recEOF:
			if sheetPos < 0 {
				return nil, 0, errors.New("workbook has no worksheet")
			}
			sst, err := parseSST(sstSegs)
			if err != nil {
				return nil, 0, err
			}
			return sst, sheetPos, nil
		case recSST:
			sstSegs = [][]byte{rec.data}
		case recContinue:
			if prev == recSST {
				sstSegs = append(sstSegs, rec.data)
				continue // keep prev at SST for further CONTINUE records
			}
		case recBoundSheet:
			// dt (byte 5) 0 is a worksheet; charts and macro sheets are skipped.
			if len(rec.data) >= 6 && rec.data[5] == 0 && sheetPos < 0 {
				sheetPos = int(binary.LittleEndian.Uint32(rec.data))
			}
		}
		prev = rec.id
	}
}

// segments reads across the SST record and its CONTINUE records.
type segments struct {
	segs [][]byte
	i    int // current segment
	off  int // offset in it
}

func (s *segments) bytes(n int) ([]byte, error) {
	out := make([]byte, 0, n)
	for len(out) < n {
		// Advance lazily: a string's characters that start in the next
		// record are preceded there by an option byte, its header is not.
		if s.i < len(s.segs) && s.off == len(s.segs[s.i]) {
			s.i, s.off = s.i+1, 0
		}
		if s.i >= len(s.segs) {
			return nil, errors.New("shared string table ends inside a string")
		}
		seg := s.segs[s.i]
		k := min(n-len(out), len(seg)-s.off)
		out = append(out, seg[s.off:s.off+k]...)
		s.off += k
	}
	return out, nil
}

// skip passes over n bytes without keeping them; n comes from the file and
// may be anything.
func (s *segments) skip(n int) error {
	for n > 0 {
		if s.i < len(s.segs) && s.off == len(s.segs[s.i]) {
			s.i, s.off = s.i+1, 0
		}
		if s.i >= len(s.segs) {
			return errors.New("shared string table ends inside a string")
		}
		k := min(n, len(s.segs[s.i])-s.off)
		s.off += k
		n -= k
	}
	return nil
}

// chars reads cch characters. Where they cross into a CONTINUE record, that
// record starts with a fresh option byte saying whether the rest is stored
// as 8-bit or 16-bit characters.
func (s *segments) chars(cch int, wide bool) (string, error) {
	units := make([]uint16, 0, cch)
	for len(units) < cch {
		if s.i >= len(s.segs) {
			return "", errors.New("shared string table ends inside a string")
		}
		if s.off == len(s.segs[s.i]) {
			s.i, s.off = s.i+1, 0
			if s.i >= len(s.segs) || len(s.segs[s.i]) == 0 {
				return "", errors.New("shared string table ends inside a string")
			}
			wide = s.segs[s.i][0]&1 != 0
			s.off = 1
		}
		seg := s.segs[s.i]
		avail := len(seg) - s.off
		if wide {
			k := min(cch-len(units), avail/2)
			if k == 0 {
				return "", errors.New("shared string table splits a 16-bit character")
			}
			for j := 0; j < k; j++ {
				units = append(units, binary.LittleEndian.Uint16(seg[s.off+2*j:]))
			}
			s.off += 2 * k
		} else {
			k := min(cch-len(units), avail)
			for j := 0; j < k; j++ {
				units = append(units, uint16(seg[s.off+j]))
			}
			s.off += k
		}
	}
	return string(utf16.Decode(units)), nil
}

func parseSST(segs [][]byte) ([]string, error) {
	if len(segs) == 0 {
		return nil, nil
	}
	s := &segments{segs: segs}
	head, err := s.bytes(8)
	if err != nil {
		return nil, fmt.Errorf("shared string table: %w", err)
	}
	count := int(binary.LittleEndian.Uint32(head[4:]))
	// The count comes from the file; cap the allocation by what the table
	// can hold (at least 3 bytes a string).
	total := 0
	for _, seg := range segs {
		total += len(seg)
	}
	if count > total/3+1 {
		return nil, fmt.Errorf("shared string table claims %d strings in %d bytes", count, total)
	}
	out := make([]string, 0, count)
	for i := 0; i < count; i++ {
		h, err := s.bytes(3)
		if err != nil {
			return nil, fmt.Errorf("shared string %d: %w", i, err)
		}
		cch, flags := int(binary.LittleEndian.Uint16(h)), h[2]
		runs, ext := 0, 0
		if flags&0x08 != 0 {
			b, err := s.bytes(2)
			if err != nil {
				return nil, fmt.Errorf("shared string %d: %w", i, err)
			}
			runs = int(binary.LittleEndian.Uint16(b))
		}
		if flags&0x04 != 0 {
			b, err := s.bytes(4)
			if err != nil {
				return nil, fmt.Errorf("shared string %d: %w", i, err)
			}
			ext = int(binary.LittleEndian.Uint32(b))
		}
		str, err := s.chars(cch, flags&0x01 != 0)
		if err != nil {
			return nil, fmt.Errorf("shared string %d: %w", i, err)
		}
		// Formatting runs and phonetic data are not needed, only skipped.
		if err := s.skip(4*runs + ext); err != nil {
			return nil, fmt.Errorf("shared string %d: %w", i, err)
		}
		out = append(out, str)
	}
	return out, nil
}

// readSheet collects the cell values of the worksheet whose BOF is at pos,
// keyed by 0-based row and column.
func readSheet(stream []byte, pos int, sst []string) (map[int]map[int]string, error) {
	if pos < 0 || pos >= len(stream) {
		return nil, fmt.Errorf("worksheet offset %d is outside the workbook stream (file truncated?)", pos)
	}
	rs := &records{b: stream, pos: pos}
	cells := map[int]map[int]string{}
	set := func(row, col int, v string) {
		if cells[row] == nil {
			cells[row] = map[int]string{}
		}
		cells[row][col] = v
	}
	pendingRow, pendingCol := -1, -1 // a formula whose string result follows
	for {
		rec, err := rs.next()
		if err != nil {
			return nil, err
		}
		d := rec.data
		if rec.id == recEOF {
			return cells, nil
		}
		if rec.id == recString && pendingRow >= 0 {
			v, err := unicodeString(d)
			if err != nil {
				return nil, fmt.Errorf("row %d column %d: %w", pendingRow+1, pendingCol+1, err)
			}
			set(pendingRow, pendingCol, v)
			pendingRow = -1
			continue
		}
		if len(d) < 6 {
			continue
		}
		row, col := int(binary.LittleEndian.Uint16(d)), int(binary.LittleEndian.Uint16(d[2:]))
		switch rec.id {
		case recLabelSST:
			if len(d) < 10 {
				return nil, fmt.Errorf("row %d column %d: short LABELSST record", row+1, col+1)
			}
			i := int(binary.LittleEndian.Uint32(d[6:]))
			if i >= len(sst) {
				return nil, fmt.Errorf("row %d column %d: shared string %d of %d does not exist", row+1, col+1, i, len(sst))
			}
			set(row, col, sst[i])
		case recLabel:
			v, err := unicodeString(d[6:])
			if err != nil {
				return nil, fmt.Errorf("row %d column %d: %w", row+1, col+1, err)
			}
			set(row, col, v)
		case recNumber:
			if len(d) >= 14 {
				set(row, col, formatNumber(math.Float64frombits(binary.LittleEndian.Uint64(d[6:]))))
			}
		case recRK:
			if len(d) >= 10 {
				set(row, col, formatNumber(rkValue(binary.LittleEndian.Uint32(d[6:]))))
			}
		case recMulRK:
			for off := 4; off+6 <= len(d)-2; off += 6 {
				set(row, col, formatNumber(rkValue(binary.LittleEndian.Uint32(d[off+2:]))))
				col++
			}
		case recFormula:
			if len(d) >= 14 {
				if d[12] == 0xFF && d[13] == 0xFF {
					if d[6] == 0 { // string result, in the STRING record that follows
						pendingRow, pendingCol = row, col
					}
				} else {
					set(row, col, formatNumber(math.Float64frombits(binary.LittleEndian.Uint64(d[6:]))))
				}
			}
		}
	}
}

// unicodeString decodes an XLUnicodeString (LABEL and STRING records).
func unicodeString(d []byte) (string, error) {
	if len(d) < 3 {
		return "", errors.New("short string record")
	}
	cch, wide := int(binary.LittleEndian.Uint16(d)), d[2]&1 != 0
	d = d[3:]
	units := make([]uint16, 0, cch)
	if wide {
		if len(d) < 2*cch {
			return "", errors.New("string record shorter than its length")
		}
		for j := 0; j < cch; j++ {
			units = append(units, binary.LittleEndian.Uint16(d[2*j:]))
		}
	} else {
		if len(d) < cch {
			return "", errors.New("string record shorter than its length")
		}
		for j := 0; j < cch; j++ {
			units = append(units, uint16(d[j]))
		}
	}
	return string(utf16.Decode(units)), nil
}

func rkValue(rk uint32) float64 {
	var v float64
	if rk&2 != 0 {
		v = float64(int32(rk) >> 2)
	} else {
		v = math.Float64frombits(uint64(rk&^3) << 32)
	}
	if rk&1 != 0 {
		v /= 100
	}
	return v
}

func formatNumber(f float64) string {
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// cellsTable turns cells into a table whose header is the first non-empty
// row; Row.Line is the 1-based sheet row, which for an export is also the
// line of the same record in its CSV twin.
func cellsTable(cells map[int]map[int]string) *extract.Table {
	rows := make([]int, 0, len(cells))
	for r := range cells {
		rows = append(rows, r)
	}
	sort.Ints(rows)
	t := &extract.Table{}
	for _, r := range rows {
		width := 0
		empty := true
		for c, v := range cells[r] {
			width = max(width, c+1)
			if v != "" {
				empty = false
			}
		}
		if empty {
			continue
		}
		if t.Header != nil {
			width = max(width, len(t.Header))
		}
		fields := make([]string, width)
		for c, v := range cells[r] {
			fields[c] = v
		}
		if t.Header == nil {
			t.Header = fields
			continue
		}
		t.Rows = append(t.Rows, extract.Row{Line: r + 1, Fields: fields})
	}
	return t
}
