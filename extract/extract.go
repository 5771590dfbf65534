package extract

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"

	"github.com/nmirf/nmirf/models"
)

// MaxFileSize bounds what one input may be; larger files are refused before
// they are read rather than exhausting memory.
const MaxFileSize = 1 << 30

// MaxFieldSize bounds one text field. Real recommendations are at most a few
// thousand characters; a field beyond this is a broken file (an unclosed
// quote swallowing the rest), and the row is rejected.
const MaxFieldSize = 64 << 10

// Input is one file to import, read whole. Detection and import both look
// at it, so what is costly to derive from it (decoded text, a parsed
// archive) is computed once and kept (Text, Memo). An Input is used by one
// goroutine at a time.
type Input struct {
	Path   string // as given by the user, used in messages
	Name   string // base name, recorded in provenance
	Data   []byte
	SHA256 string

	memo map[string]memoEntry
}

type memoEntry struct {
	v   any
	err error
}

// Memo returns f's result for key, calling f only the first time.
func (in *Input) Memo(key string, f func() (any, error)) (any, error) {
	if e, ok := in.memo[key]; ok {
		return e.v, e.err
	}
	v, err := f()
	if in.memo == nil {
		in.memo = map[string]memoEntry{}
	}
	in.memo[key] = memoEntry{v, err}
	return v, err
}

// Kind returns SniffKind of the content. Every importer's Sniff asks it
// during detection, and its Import again; the head is decoded once.
func (in *Input) Kind() string {
	v, _ := in.Memo("extract.kind", func() (any, error) { return SniffKind(in.Data), nil })
	return v.(string)
}

type decoded struct{ text, enc string }

// Text returns the content decoded by DecodeText, and the encoding used.
func (in *Input) Text() (string, string, error) {
	v, err := in.Memo("extract.text", func() (any, error) {
		t, enc, err := DecodeText(in.Data)
		return decoded{t, enc}, err
	})
	if err != nil {
		return "", "", err
	}
	d := v.(decoded)
	return d.text, d.enc, nil
}

// ReadInput reads a file into an Input, refusing empty and oversized files.
func ReadInput(path string) (*Input, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, models.InputError(path, err)
	}
	if st.IsDir() {
		return nil, models.InputError(path, fmt.Errorf("is a directory"))
	}
	if st.Size() > MaxFileSize {
		return nil, models.InputError(path, fmt.Errorf("file is %d bytes, larger than the %d-byte limit", st.Size(), MaxFileSize))
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, models.InputError(path, err)
	}
	return NewInput(path, data)
}

// NewInput wraps bytes already in memory as an Input.
func NewInput(path string, data []byte) (*Input, error) {
	if len(data) == 0 {
		return nil, models.InputError(path, fmt.Errorf("file is empty"))
	}
	sum := sha256.Sum256(data)
	return &Input{Path: path, Name: filepath.Base(path), Data: data, SHA256: hex.EncodeToString(sum[:])}, nil
}

// Result is what an importer made of one input.
type Result struct {
	Records  []models.Recommendation
	Rejected []models.RowError // records skipped, each with its location
	Warnings []string          // things a user should know that cost no record
	// Followup is what a follow-up input (a returned workbook, a tracking
	// sheet with statuses) says beyond recommendations; nil for others.
	Followup *models.Followup
}

// Options carry what an importer may need beyond the file itself.
type Options struct {
	// MappingPath is the TOML or YAML mapping file for the generic importer.
	MappingPath string
	// Country is the State under review to assume when a file does not name it
	// (e.g. a Working Group report whose country is only in the file name).
	Country string
}

// Importer reads one input format.
//
// Import returns an error only when the whole file is unusable (wrong format,
// truncated archive, missing required columns); nothing of it is then kept.
// A record that cannot be read is put in Result.Rejected with its location,
// and the rest are imported. Every returned record has Kind, Text, country,
// mechanism and body set and one Source; the caller sets RecID.
type Importer interface {
	// Name is the format name used with --format and in provenance.
	Name() string
	// Sniff scores how sure the importer is that in is its format, from 0
	// (not mine) to 100 (certain), from content alone.
	Sniff(in *Input) int
	Import(ctx context.Context, in *Input, opt Options) (*Result, error)
}
