package pipeline

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/nmirf/nmirf/classify"
	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/models"
)

// StandaloneOptions classify a file of texts without a warehouse.
type StandaloneOptions struct {
	TextCol  string
	IDCol    string // "" uses an "id" column if there is one, else numbers the rows
	Format   string // jsonl or csv
	TopK     int
	Evidence int
}

// textRow is one input text and its id.
type textRow struct {
	id, text string
}

// batchSize bounds memory: texts are classified and written in batches, so
// a file of any length is handled with the memory of one batch.
const batchSize = 4096

// ClassifyFile classifies the texts of a CSV, XLSX or JSONL input and
// writes one record per row, in input order, to w.
func ClassifyFile(ctx context.Context, in *extract.Input, mods []*classify.Model, o StandaloneOptions, w io.Writer) error {
	rows, err := readTexts(in, o)
	if err != nil {
		return models.InputError(in.Path, err)
	}
	out, err := newRecordWriter(w, o.Format, mods)
	if err != nil {
		return err
	}
	for lo := 0; lo < len(rows); lo += batchSize {
		batch := rows[lo:min(lo+batchSize, len(rows))]
		texts := make([]string, len(batch))
		for i, r := range batch {
			texts[i] = r.text
		}
		per := make([][][]models.Assignment, len(mods))
		for k, m := range mods {
			if per[k], err = Assign(ctx, m, texts, o.TopK, o.Evidence); err != nil {
				return err
			}
		}
		for i, r := range batch {
			rec := outRecord{ID: r.id, Flags: textFlags(r.text, mods)}
			for k := range mods {
				rec.add(per[k][i])
			}
			if err := out.write(rec); err != nil {
				return err
			}
		}
	}
	return out.flush()
}

// textFlags marks texts a model cannot judge: empty ones, ones that read as
// another language, and ones whose words are mostly unknown to every model
// (noise, or a language whose words the vocabulary shares by accident).
func textFlags(text string, mods []*classify.Model) []string {
	if strings.TrimSpace(text) == "" {
		return []string{"empty"}
	}
	var flags []string
	if notEnglish(text) {
		flags = append(flags, "not-english")
	}
	best := 0.0
	for _, m := range mods {
		vz := m.Vectorizer()
		toks := vz.Tokenizer().Tokens(text)
		if len(toks) == 0 {
			continue
		}
		known := 0
		for _, t := range toks {
			if vz.Index(t) >= 0 {
				known++
			}
		}
		best = max(best, float64(known)/float64(len(toks)))
	}
	if best < 0.3 {
		flags = append(flags, "mostly-unknown-words")
	}
	return flags
}

// Function words of English and of the other languages UN recommendations
// are published in with Latin script (French, Spanish) or that national
// spreadsheets often hold (German, Portuguese). A text is "not English"
// when at least two of its words are such foreign function words and they
// outnumber the English ones: a terse English recommendation ("Ratify
// OP-CAT") has none of either and is not flagged.
var (
	englishWords = wordSet("the of and to in for on with its all that by as be an or are which is from at this their")
	foreignWords = wordSet("le la les des du et une un pour dans sur aux au avec est qui que ses leurs " +
		"el los las del y para por con una su sus se lo " +
		"der die das und zu für mit von den dem eine ist auf " +
		"os as da do dos das em uma com não")
)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

func notEnglish(text string) bool {
	en, other := 0, 0
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if englishWords[w] {
			en++
		} else if foreignWords[w] {
			other++
		}
	}
	return other >= 2 && other > en
}

type scored struct {
	Label    string   `json:"label"`
	Score    float64  `json:"score"`
	Evidence []string `json:"evidence,omitempty"`
	Extra    bool     `json:"extra,omitempty"` // below threshold: top-1 fallback or --top
}

type outRecord struct {
	ID           string   `json:"id"`
	Issues       []scored `json:"issues,omitempty"`
	UHRIThemes   []scored `json:"uhri_themes,omitempty"`
	SDGGoals     []scored `json:"sdg_goals,omitempty"`
	SDGTargets   []scored `json:"sdg_targets,omitempty"`
	Unclassified []string `json:"unclassified,omitempty"` // schemes where every score was below the floor
	Flags        []string `json:"flags,omitempty"`
}

func (r *outRecord) add(as []models.Assignment) {
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
		case "sdg-goal":
			r.SDGGoals = append(r.SDGGoals, s)
		case "sdg-target":
			r.SDGTargets = append(r.SDGTargets, s)
		}
	}
}

func round4(x float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', 4, 64), 64)
	return v
}

type recordWriter struct {
	jsonl *json.Encoder
	csv   *csv.Writer
	bw    *bufio.Writer
}

func newRecordWriter(w io.Writer, format string, mods []*classify.Model) (*recordWriter, error) {
	bw := bufio.NewWriter(w)
	switch format {
	case "", "jsonl":
		enc := json.NewEncoder(bw)
		enc.SetEscapeHTML(false)
		return &recordWriter{jsonl: enc, bw: bw}, nil
	case "csv":
		cw := csv.NewWriter(bw)
		cw.Write([]string{"id", "issues", "uhri_themes", "sdg_goals", "sdg_targets", "unclassified", "flags"})
		return &recordWriter{csv: cw, bw: bw}, nil
	}
	return nil, models.UsageError("unknown --format %q (jsonl, csv)", format)
}

func (rw *recordWriter) write(r outRecord) error {
	if rw.jsonl != nil {
		return rw.jsonl.Encode(r)
	}
	join := func(ss []scored) string {
		parts := make([]string, len(ss))
		for i, s := range ss {
			parts[i] = s.Label + "=" + strconv.FormatFloat(s.Score, 'f', 3, 64)
		}
		return strings.Join(parts, "; ")
	}
	return rw.csv.Write([]string{r.ID, join(r.Issues), join(r.UHRIThemes), join(r.SDGGoals), join(r.SDGTargets),
		strings.Join(r.Unclassified, "; "), strings.Join(r.Flags, "; ")})
}

func (rw *recordWriter) flush() error {
	if rw.csv != nil {
		rw.csv.Flush()
		if err := rw.csv.Error(); err != nil {
			return err
		}
	}
	return rw.bw.Flush()
}

// readTexts reads the text (and id) column of a CSV, XLSX or JSONL input.
func readTexts(in *extract.Input, o StandaloneOptions) ([]textRow, error) {
	if o.TextCol == "" {
		o.TextCol = "text"
	}
	var t *extract.Table
	switch kind := extract.SniffKind(in.Data); {
	case kind == extract.KindZip:
		sheets, err := extract.ReadXLSX(in)
		if err != nil {
			return nil, err
		}
		t = &sheets[0].Table
	case kind == extract.KindText && looksJSONL(in.Data):
		return readJSONL(in, o)
	default:
		var err error
		if t, _, err = extract.ReadCSV(in); err != nil {
			return nil, err
		}
	}
	tc := t.Col(o.TextCol)
	if tc < 0 {
		return nil, fmt.Errorf("no column %q (columns: %s); name it with --text-col", o.TextCol, strings.Join(t.Header, ", "))
	}
	ic := -1
	if o.IDCol == "" {
		ic = t.Col("id") // an id column is used when there is one
	} else {
		if ic = t.Col(o.IDCol); ic < 0 {
			return nil, fmt.Errorf("no column %q for --id-col (columns: %s)", o.IDCol, strings.Join(t.Header, ", "))
		}
	}
	out := make([]textRow, len(t.Rows))
	for i, r := range t.Rows {
		id := strconv.Itoa(r.Line)
		if ic >= 0 {
			id = r.Get(ic)
		}
		out[i] = textRow{id: id, text: r.Get(tc)}
	}
	return out, nil
}

func looksJSONL(data []byte) bool {
	return bytes.HasPrefix(bytes.TrimLeft(data, " \t\r\n\ufeff"), []byte("{"))
}

func readJSONL(in *extract.Input, o StandaloneOptions) ([]textRow, error) {
	sc := bufio.NewScanner(bytes.NewReader(in.Data))
	sc.Buffer(make([]byte, 0, 1<<20), extract.MaxFileSize)
	var out []textRow
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var rec map[string]any
		if err := json.Unmarshal(b, &rec); err != nil {
			return nil, fmt.Errorf("line %d: %v", line, err)
		}
		text, ok := rec[o.TextCol].(string)
		if !ok && rec[o.TextCol] != nil {
			return nil, fmt.Errorf("line %d: field %q is not a string", line, o.TextCol)
		}
		id := strconv.Itoa(line)
		idField := o.IDCol
		if idField == "" {
			idField = "id" // an id field is used when there is one
		}
		if rec[idField] != nil {
			id = fmt.Sprint(rec[idField])
		}
		out = append(out, textRow{id: id, text: text})
	}
	return out, sc.Err()
}
