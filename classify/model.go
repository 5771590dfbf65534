package classify

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"strings"
)

// The saved form of a Model:
//
//	magic "nmirf model\n", format version (uvarint)
//	header: uvarint length, then JSON (ModelHeader)
//	vectoriser: uvarint length, then its own saved form (Vectorizer.WriteTo)
//	weights: uvarint length, then float32 little-endian, term-major (columns × labels)
//	CRC-32 (IEEE) of all the bytes before it, little-endian
//
// The header is JSON so that a model can be inspected with head(1) and jq.
const (
	fileMagic   = "nmirf model\n"
	fileVersion = 1
	maxHeader   = 64 << 20
	maxSection  = 1 << 31
)

// ErrBadModel is wrapped by every error about a model file that is not a
// whole, valid model of the expected version and task.
var ErrBadModel = errors.New("not a valid nmirf classification model")

// ModelHeader describes a saved model: what it is for, what it was trained
// on and with, and how well it did.
type ModelHeader struct {
	Task     string `json:"task"`     // e.g. "upr-info-issues", "uhri-themes", "sdg"
	ModelID  string `json:"model_id"` // task-<12 hex digits of the content hash>
	DataHash string `json:"data_hash"`
	Docs     int    `json:"docs"` // training texts
	Params   Params `json:"params"`
	// Metrics are those measured at training time (cross-validation or a
	// held-out split), as the trainer reports them; may be nil.
	Metrics map[string]float64 `json:"metrics,omitempty"`
}

// fileHeader is the JSON header: the description and the small per-label
// parameters of the MultiLabel (its weights follow in binary).
type fileHeader struct {
	ModelHeader
	Labels    []string  `json:"labels"`
	Positives []int     `json:"positives"`
	Threshold []float64 `json:"threshold"`
	// KindThreshold was added after format version 1 was first written:
	// files without it read as models not calibrated by kind.
	KindThreshold map[string][]float64 `json:"kind_thresholds,omitempty"`
	KindMaxGroups map[string]int       `json:"kind_max_groups,omitempty"`
	// KindGroupMargin and KindFloor were added later still: files without
	// them need no margin for a second group and use Floor for every kind.
	KindGroupMargin map[string]float64 `json:"kind_group_margin,omitempty"`
	KindFloor       map[string]float64 `json:"kind_floor,omitempty"`
	Global          float64            `json:"global_threshold"`
	Floor           float64            `json:"floor"`
	Platt           [][2]float64       `json:"platt"`
	Bias            []float64          `json:"bias"`
	Lambda          []float64          `json:"lambda"`
	Descriptions    map[string]string  `json:"descriptions,omitempty"`
	Columns         int                `json:"columns"`
}

// Params are the settings a model was trained with.
type Params struct {
	Vectorizer Options `json:"vectorizer"`
	// MultiLabel's Descriptions are saved in ModelHeader; the copy here is dropped.
	MultiLabel MultiLabelOptions `json:"multilabel"`
}

// Model is a MultiLabel with the header describing it, as saved in one file.
type Model struct {
	ModelHeader
	*MultiLabel
}

// NewModel wraps a trained MultiLabel for saving; ModelID is set from the
// content. task must be a non-empty name without spaces.
func NewModel(task string, m *MultiLabel, dataHash string, docs int, p Params, metrics map[string]float64) (*Model, error) {
	if task == "" || strings.ContainsAny(task, " \t\n/") {
		return nil, fmt.Errorf("new model: task name %q must be non-empty, without spaces or slashes", task)
	}
	p.MultiLabel.Descriptions = nil
	p.MultiLabel.OutOfFold = nil
	md := &Model{MultiLabel: m, ModelHeader: ModelHeader{Task: task, DataHash: dataHash, Docs: docs, Params: p, Metrics: metrics}}
	_, vz, w, err := md.sections()
	if err != nil {
		return nil, err
	}
	md.ModelID = modelID(md.fileHeader(), vz, w)
	return md, nil
}

// DataHash returns a SHA-256 (hex) of training texts and their labels, to
// record in the model which data it was trained on.
func DataHash(texts []string, labels [][]string) string {
	h := sha256.New()
	var n [binary.MaxVarintLen64]byte
	put := func(s string) {
		h.Write(binary.AppendUvarint(n[:0], uint64(len(s))))
		h.Write([]byte(s))
	}
	for i, t := range texts {
		put(t)
		var ls []string
		if i < len(labels) {
			ls = labels[i]
		}
		h.Write(binary.AppendUvarint(n[:0], uint64(len(ls))))
		for _, l := range ls {
			put(l)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

func (m *Model) fileHeader() fileHeader {
	return fileHeader{ModelHeader: m.ModelHeader, Labels: m.Labels, Positives: m.Positives, Threshold: m.Threshold, KindThreshold: m.KindThreshold, KindMaxGroups: m.KindMaxGroups, KindGroupMargin: m.KindGroupMargin, KindFloor: m.KindFloor,
		Global: m.Global, Floor: m.Floor, Platt: m.Platt, Bias: m.Bias, Lambda: m.Lambda,
		Descriptions: m.Descriptions, Columns: m.cols}
}

// modelID hashes everything saved but the id itself.
func modelID(h fileHeader, vz, w []byte) string {
	h.ModelID = ""
	head, _ := json.Marshal(h)
	s := sha256.New()
	s.Write(head)
	s.Write(vz)
	s.Write(w)
	return h.Task + "-" + hex.EncodeToString(s.Sum(nil))[:12]
}

// sections returns the header JSON, the vectoriser and the weights as saved.
func (m *Model) sections() (head, vz, w []byte, err error) {
	head, err = json.Marshal(m.fileHeader())
	if err != nil {
		return nil, nil, nil, fmt.Errorf("encode model header: %w", err)
	}
	vz, err = m.vz.MarshalBinary()
	if err != nil {
		return nil, nil, nil, err
	}
	w = make([]byte, 4*len(m.w))
	for i, x := range m.w {
		binary.LittleEndian.PutUint32(w[4*i:], math.Float32bits(x))
	}
	return head, vz, w, nil
}

// WriteTo writes the model in its saved form.
func (m *Model) WriteTo(w io.Writer) (int64, error) {
	head, vz, wt, err := m.sections()
	if err != nil {
		return 0, fmt.Errorf("write model %s: %w", m.ModelID, err)
	}
	cw := &countWriter{w: bufio.NewWriter(w), crc: crc32.NewIEEE()}
	cw.bytes([]byte(fileMagic))
	cw.uint(fileVersion)
	for _, sec := range [][]byte{head, vz, wt} {
		cw.uint(uint64(len(sec)))
		cw.bytes(sec)
	}
	var sum [4]byte
	binary.LittleEndian.PutUint32(sum[:], cw.crc.Sum32())
	cw.raw(sum[:])
	if cw.err == nil {
		cw.err = cw.w.Flush()
	}
	if cw.err != nil {
		return cw.n, fmt.Errorf("write model %s: %w", m.ModelID, cw.err)
	}
	return cw.n, nil
}

// ReadModel reads a model written by WriteTo and checks it is for task
// (any task when task is ""). A truncated or corrupted file, one of another
// format version, or one for another task gives an error wrapping ErrBadModel.
func ReadModel(r io.Reader, task string) (*Model, error) {
	cr := &checkReader{r: bufio.NewReader(r), crc: crc32.NewIEEE()}
	m, err := readModelFile(cr, task)
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			err = fmt.Errorf("truncated after %d bytes", cr.n)
		}
		return nil, fmt.Errorf("read model: %w: %w", ErrBadModel, err)
	}
	return m, nil
}

func readModelFile(cr *checkReader, task string) (*Model, error) {
	magic := make([]byte, len(fileMagic))
	if _, err := io.ReadFull(cr, magic); err != nil {
		return nil, err
	}
	if string(magic) != fileMagic {
		return nil, fmt.Errorf("no %q header", strings.TrimSpace(fileMagic))
	}
	if v, err := cr.uint(); err != nil || v != fileVersion {
		return nil, versionErr("model format", v, fileVersion, err)
	}
	var secs [3][]byte
	for i, limit := range []uint64{maxHeader, maxSection, maxSection} {
		n, err := cr.uint()
		if err != nil {
			return nil, err
		}
		if n > limit {
			return nil, fmt.Errorf("section %d of %d bytes is too large", i+1, n)
		}
		// Read in bounded steps so a corrupt length cannot allocate gigabytes
		// before the file runs out.
		var b bytes.Buffer
		if _, err := io.CopyN(&b, cr, int64(n)); err != nil {
			return nil, err
		}
		secs[i] = b.Bytes()
	}
	want := cr.crc.Sum32()
	var sum [4]byte
	if _, err := io.ReadFull(cr.r, sum[:]); err != nil {
		return nil, err
	}
	if got := binary.LittleEndian.Uint32(sum[:]); got != want {
		return nil, fmt.Errorf("checksum %08x, expected %08x (corrupted)", got, want)
	}
	var h fileHeader
	if err := json.Unmarshal(secs[0], &h); err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	if task != "" && h.Task != task {
		return nil, fmt.Errorf("model %s is for task %q, expected %q", h.ModelID, h.Task, task)
	}
	vz, err := ReadVectorizer(bytes.NewReader(secs[1]))
	if err != nil {
		return nil, err
	}
	ml, err := h.multiLabel(vz, secs[2])
	if err != nil {
		return nil, fmt.Errorf("model %s: %w", h.ModelID, err)
	}
	if id := modelID(h, secs[1], secs[2]); id != h.ModelID {
		return nil, fmt.Errorf("model id %s does not match its content (%s)", h.ModelID, id)
	}
	return &Model{ModelHeader: h.ModelHeader, MultiLabel: ml}, nil
}

// multiLabel rebuilds the classifier from the header, checking that the
// per-label lists and the weights agree in size.
func (h *fileHeader) multiLabel(vz *Vectorizer, w []byte) (*MultiLabel, error) {
	L := len(h.Labels)
	if L == 0 {
		return nil, errors.New("no labels")
	}
	for name, n := range map[string]int{"positives": len(h.Positives), "threshold": len(h.Threshold),
		"platt": len(h.Platt), "bias": len(h.Bias), "lambda": len(h.Lambda)} {
		if n != L {
			return nil, fmt.Errorf("%d %s values for %d labels", n, name, L)
		}
	}
	for kind, t := range h.KindThreshold {
		if len(t) != L {
			return nil, fmt.Errorf("%d %s thresholds for %d labels", len(t), kind, L)
		}
	}
	if h.Columns != vz.Len() {
		return nil, fmt.Errorf("weights over %d columns, vocabulary of %d terms", h.Columns, vz.Len())
	}
	if len(w) != 4*h.Columns*L {
		return nil, fmt.Errorf("%d weight bytes, expected %d (%d columns × %d labels × 4)", len(w), 4*h.Columns*L, h.Columns, L)
	}
	m := &MultiLabel{Labels: h.Labels, Positives: h.Positives, Threshold: h.Threshold, KindThreshold: h.KindThreshold, KindMaxGroups: h.KindMaxGroups, KindGroupMargin: h.KindGroupMargin, KindFloor: h.KindFloor, Global: h.Global,
		Floor: h.Floor, Platt: h.Platt, Bias: h.Bias, Lambda: h.Lambda, Descriptions: h.Descriptions,
		vz: vz, cols: h.Columns, w: make([]float32, h.Columns*L), desc: make([]Vector, L)}
	for i := range m.w {
		m.w[i] = math.Float32frombits(binary.LittleEndian.Uint32(w[4*i:]))
	}
	for l, name := range h.Labels {
		if l > 0 && name <= h.Labels[l-1] {
			return nil, fmt.Errorf("labels out of order at %q", name)
		}
		if d, ok := h.Descriptions[name]; ok {
			m.desc[l] = vz.Vector(d)
		}
	}
	return m, nil
}
