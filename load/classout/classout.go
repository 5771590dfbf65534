// Package classout writes the records of standalone classification (nmirf
// classify --in): one per input text, with its labels by scheme, as JSONL or
// CSV. It knows nothing of models or inputs: it gets ids, flags and
// assignments.
package classout

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/nmirf/nmirf/models"
)

type scored struct {
	Label    string   `json:"label"`
	Score    float64  `json:"score"`
	Evidence []string `json:"evidence,omitempty"`
	Extra    bool     `json:"extra,omitempty"` // below threshold: top-1 fallback or --top
}

type record struct {
	ID           string   `json:"id"`
	Issues       []scored `json:"issues,omitempty"`
	UHRIThemes   []scored `json:"uhri_themes,omitempty"`
	SDGGoals     []scored `json:"sdg_goals,omitempty"`
	SDGTargets   []scored `json:"sdg_targets,omitempty"`
	Unclassified []string `json:"unclassified,omitempty"` // schemes where every score was below the floor
	Flags        []string `json:"flags,omitempty"`
}

// reset empties r for the next text, keeping its lists' storage.
func (r *record) reset(id string, flags []string) {
	*r = record{ID: id, Flags: flags, Issues: r.Issues[:0], UHRIThemes: r.UHRIThemes[:0],
		SDGGoals: r.SDGGoals[:0], SDGTargets: r.SDGTargets[:0], Unclassified: r.Unclassified[:0]}
}

func (r *record) add(as []models.Assignment) {
	for _, a := range as {
		s := scored{Label: a.Label, Score: round4(a.Score), Evidence: a.Evidence, Extra: a.Fallback}
		if a.Label == models.Unclassified {
			r.Unclassified = append(r.Unclassified, a.Scheme)
			continue
		}
		switch a.Scheme {
		case models.SchemeUPRInfoIssue:
			r.Issues = append(r.Issues, s)
		case models.SchemeUHRITheme:
			r.UHRIThemes = append(r.UHRIThemes, s)
		case models.SchemeSDGGoal:
			r.SDGGoals = append(r.SDGGoals, s)
		case models.SchemeSDGTarget:
			r.SDGTargets = append(r.SDGTargets, s)
		}
	}
}

// round4 rounds x to 4 decimals as printing it with 4 decimals and reading
// that back does. Below 10⁹, x·10⁴ is within 10⁻⁷ of its exact value, so
// where it is not within 10⁻⁶ of halfway between two integers, rounding it
// is the same decision, and dividing the integer by 10⁴ (one correctly
// rounded operation) gives the double nearest that decimal, as reading it
// does; otherwise it prints.
func round4(x float64) float64 {
	y := x * 1e4
	if r := math.Round(y); math.Abs(y) < 1e9 && math.Abs(math.Abs(y-r)-0.5) > 1e-6 {
		return r / 1e4
	}
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', 4, 64), 64)
	return v
}

// Writer writes records in one format; Flush must be called at the end.
type Writer struct {
	jsonl bool
	buf   []byte // the JSONL record being written
	csv   *csv.Writer
	bw    *bufio.Writer
}

// Formats are the output formats New accepts.
const Formats = "jsonl, csv"

// New returns a Writer of format ("" or "jsonl", "csv") to w.
func New(w io.Writer, format string) (*Writer, error) {
	bw := bufio.NewWriter(w)
	switch format {
	case "", "jsonl":
		return &Writer{jsonl: true, bw: bw}, nil
	case "csv":
		cw := csv.NewWriter(bw)
		cw.Write([]string{"id", "issues", "uhri_themes", "sdg_goals", "sdg_targets", "unclassified", "flags"})
		return &Writer{csv: cw, bw: bw}, nil
	}
	return nil, models.UsageError("unknown --format %q (%s)", format, Formats)
}

// Write writes the record of one text: its id, flags, and the assignments
// each model gave it.
func (rw *Writer) Write(id string, flags []string, perModel ...[]models.Assignment) error {
	r := record{ID: id, Flags: flags}
	for _, as := range perModel {
		r.add(as)
	}
	if rw.jsonl {
		var err error
		if rw.buf, err = appendRecord(rw.buf[:0], &r); err != nil {
			return err
		}
		_, err = rw.bw.Write(rw.buf)
		return err
	}
	return rw.csv.Write(csvFields(&r))
}

// csvFields are the CSV columns of r.
func csvFields(r *record) []string {
	join := func(ss []scored) string {
		parts := make([]string, len(ss))
		for i, s := range ss {
			parts[i] = s.Label + "=" + strconv.FormatFloat(s.Score, 'f', 3, 64)
		}
		return strings.Join(parts, "; ")
	}
	return []string{r.ID, join(r.Issues), join(r.UHRIThemes), join(r.SDGGoals), join(r.SDGTargets),
		strings.Join(r.Unclassified, "; "), strings.Join(r.Flags, "; ")}
}

// Records are records encoded in memory in a Writer's format, so that
// goroutines can each encode a part of the output that WriteRecords then
// writes in order. A Records is used by one goroutine at a time.
type Records struct {
	jsonl bool
	buf   bytes.Buffer
	line  []byte // the JSONL record being encoded
	rec   record // the record being encoded, its lists reused
	csv   *csv.Writer
}

// NewRecords returns an empty Records in rw's format.
func (rw *Writer) NewRecords() *Records {
	r := &Records{jsonl: rw.jsonl}
	if !r.jsonl {
		r.csv = csv.NewWriter(&r.buf)
	}
	return r
}

// Add encodes the record of one text, as Writer.Write writes it.
func (rs *Records) Add(id string, flags []string, perModel ...[]models.Assignment) error {
	r := &rs.rec
	r.reset(id, flags)
	for _, as := range perModel {
		r.add(as)
	}
	if rs.jsonl {
		var err error
		if rs.line, err = appendRecord(rs.line[:0], r); err != nil {
			return err
		}
		rs.buf.Write(rs.line)
		return nil
	}
	return rs.csv.Write(csvFields(r))
}

// WriteRecords writes the records of rs after those written before, and
// empties rs.
func (rw *Writer) WriteRecords(rs *Records) error {
	if rw.csv != nil {
		// What Write and New put in the CSV writer's buffer comes first.
		rw.csv.Flush()
		if err := rw.csv.Error(); err != nil {
			return err
		}
	}
	if rs.csv != nil {
		rs.csv.Flush()
		if err := rs.csv.Error(); err != nil {
			return err
		}
	}
	_, err := rw.bw.Write(rs.buf.Bytes())
	rs.buf.Reset()
	return err
}

// Flush writes what is buffered.
func (rw *Writer) Flush() error {
	if rw.csv != nil {
		rw.csv.Flush()
		if err := rw.csv.Error(); err != nil {
			return err
		}
	}
	return rw.bw.Flush()
}
