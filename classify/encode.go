package classify

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"strings"
)

// The saved form of a Vectorizer:
//
//	magic "nmirf tf-idf\n", format version, TokenizerVersion (uvarints)
//	tokeniser: NGram, MaxTokens, NoStem, stop-word count, each stop word
//	document count, term count, then each term, its document frequency and
//	its readable form ("" when the term itself; see Vectorizer.Display)
//	CRC-32 (IEEE) of all the bytes before it, little-endian
//
// Numbers are uvarints and strings a uvarint length then the bytes. idf is
// recomputed on load rather than stored, so it cannot disagree with df.
const (
	modelMagic = "nmirf tf-idf\n"
	// modelVersion 2 added the readable form of each term; version 1 files
	// lack it and are refused with a request to refit.
	modelVersion = 2
	maxModelStr  = 1 << 20
	maxModelLen  = 1 << 28
)

// ErrModelFormat is wrapped by every error about a saved model that is not a
// whole, valid, compatible one.
var ErrModelFormat = errors.New("not a valid nmirf tf-idf model")

// WriteTo writes v in its saved form.
func (v *Vectorizer) WriteTo(w io.Writer) (int64, error) {
	cw := &countWriter{w: bufio.NewWriter(w), crc: crc32.NewIEEE()}
	cw.bytes([]byte(modelMagic))
	cw.uint(modelVersion)
	cw.uint(TokenizerVersion)
	o := v.tok.opt
	cw.uint(uint64(o.NGram))
	cw.uint(uint64(o.MaxTokens))
	cw.uint(b2u(o.NoStem))
	cw.uint(uint64(len(o.StopWords)))
	for _, s := range o.StopWords {
		cw.str(s)
	}
	cw.uint(uint64(v.nDocs))
	cw.uint(uint64(len(v.terms)))
	for i, t := range v.terms {
		cw.str(t)
		cw.uint(uint64(v.df[i]))
		cw.str(v.display[i])
	}
	var sum [4]byte
	binary.LittleEndian.PutUint32(sum[:], cw.crc.Sum32())
	cw.raw(sum[:])
	if cw.err == nil {
		cw.err = cw.w.Flush()
	}
	if cw.err != nil {
		return cw.n, fmt.Errorf("write tf-idf model: %w", cw.err)
	}
	return cw.n, nil
}

// MarshalBinary returns v in its saved form.
func (v *Vectorizer) MarshalBinary() ([]byte, error) {
	var b bytes.Buffer
	_, err := v.WriteTo(&b)
	return b.Bytes(), err
}

// UnmarshalBinary replaces v with the model saved in data.
func (v *Vectorizer) UnmarshalBinary(data []byte) error {
	m, err := ReadVectorizer(bytes.NewReader(data))
	if err != nil {
		return err
	}
	*v = *m
	return nil
}

// ReadVectorizer reads a model written by WriteTo. A truncated, corrupted or
// foreign file, or one from an incompatible tokeniser, gives an error
// wrapping ErrModelFormat.
func ReadVectorizer(r io.Reader) (*Vectorizer, error) {
	cr := &checkReader{r: bufio.NewReader(r), crc: crc32.NewIEEE()}
	v, err := readModel(cr)
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			err = fmt.Errorf("truncated after %d bytes", cr.n)
		}
		return nil, fmt.Errorf("read tf-idf model: %w: %w", ErrModelFormat, err)
	}
	return v, nil
}

func readModel(cr *checkReader) (*Vectorizer, error) {
	head := make([]byte, len(modelMagic))
	if _, err := io.ReadFull(cr, head); err != nil {
		return nil, err
	}
	if string(head) != modelMagic {
		return nil, fmt.Errorf("no %q header", strings.TrimSpace(modelMagic))
	}
	if ver, err := cr.uint(); err != nil || ver != modelVersion {
		if err == nil && ver == 1 {
			return nil, errors.New("format version 1, saved before terms had readable forms; this build reads version 2 (refit the model)")
		}
		return nil, versionErr("format", ver, modelVersion, err)
	}
	if ver, err := cr.uint(); err != nil || ver != TokenizerVersion {
		return nil, versionErr("tokeniser", ver, TokenizerVersion, err)
	}
	var o TokenizerOptions
	var nstop, noStem uint64
	ngram, err := cr.uint()
	if err == nil {
		var mt uint64
		mt, err = cr.uint()
		o.NGram, o.MaxTokens = int(min(ngram, MaxNGram)), int(min(mt, maxModelLen))
	}
	if err == nil {
		noStem, err = cr.uint()
		o.NoStem = noStem == 1
	}
	if err == nil {
		nstop, err = cr.len()
	}
	o.StopWords = make([]string, 0, min(nstop, 1024))
	for i := uint64(0); err == nil && i < nstop; i++ {
		var s string
		s, err = cr.str()
		o.StopWords = append(o.StopWords, s)
	}
	if err != nil {
		return nil, err
	}
	if ngram == 0 || ngram > MaxNGram || o.MaxTokens == 0 || noStem > 1 {
		return nil, fmt.Errorf("bad tokeniser settings (n-gram %d, max tokens %d)", ngram, o.MaxTokens)
	}
	nDocs, err := cr.len()
	if err != nil {
		return nil, err
	}
	nTerms, err := cr.len()
	if err != nil {
		return nil, err
	}
	terms := make([]string, 0, min(nTerms, 1<<20))
	df := make([]int32, 0, min(nTerms, 1<<20))
	display := make([]string, 0, min(nTerms, 1<<20))
	for i := uint64(0); i < nTerms; i++ {
		t, err := cr.str()
		if err != nil {
			return nil, err
		}
		d, err := cr.uint()
		if err != nil {
			return nil, err
		}
		if d == 0 || d > nDocs {
			return nil, fmt.Errorf("term %d %q: document frequency %d outside 1..%d", i, t, d, nDocs)
		}
		shown, err := cr.str()
		if err != nil {
			return nil, err
		}
		if i > 0 && t <= terms[i-1] {
			return nil, fmt.Errorf("term %d %q: terms out of order", i, t)
		}
		terms = append(terms, t)
		df = append(df, int32(d))
		display = append(display, shown)
	}
	want := cr.crc.Sum32()
	var sum [4]byte
	if _, err := io.ReadFull(cr.r, sum[:]); err != nil {
		return nil, err
	}
	if got := binary.LittleEndian.Uint32(sum[:]); got != want {
		return nil, fmt.Errorf("checksum %08x, expected %08x (corrupted)", got, want)
	}
	return newVectorizer(NewTokenizer(o), int(nDocs), terms, df, display), nil
}

func versionErr(what string, got, want uint64, err error) error {
	if err != nil {
		return err
	}
	return fmt.Errorf("%s version %d, this build reads %d (refit the model)", what, got, want)
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

type countWriter struct {
	w   *bufio.Writer
	crc hash.Hash32
	n   int64
	err error
	buf [binary.MaxVarintLen64]byte
}

func (c *countWriter) raw(p []byte) {
	if c.err != nil {
		return
	}
	n, err := c.w.Write(p)
	c.n += int64(n)
	c.err = err
}

// bytes writes p as part of the summed content.
func (c *countWriter) bytes(p []byte) {
	c.crc.Write(p)
	c.raw(p)
}

func (c *countWriter) uint(x uint64) { c.bytes(binary.AppendUvarint(c.buf[:0], x)) }

func (c *countWriter) str(s string) {
	c.uint(uint64(len(s)))
	c.bytes([]byte(s))
}

// checkReader reads the saved form, summing what it reads.
type checkReader struct {
	r   *bufio.Reader
	crc hash.Hash32
	n   int64
	one [1]byte
}

func (c *checkReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.crc.Write(p[:n])
	c.n += int64(n)
	return n, err
}

func (c *checkReader) ReadByte() (byte, error) {
	b, err := c.r.ReadByte()
	if err == nil {
		c.one[0] = b
		c.crc.Write(c.one[:])
		c.n++
	}
	return b, err
}

func (c *checkReader) uint() (uint64, error) {
	x, err := binary.ReadUvarint(c)
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return x, err
}

// len reads a count, refusing absurd ones before anything is allocated.
func (c *checkReader) len() (uint64, error) {
	x, err := c.uint()
	if err == nil && x > maxModelLen {
		err = fmt.Errorf("count %d at byte %d is too large", x, c.n)
	}
	return x, err
}

func (c *checkReader) str() (string, error) {
	n, err := c.uint()
	if err != nil {
		return "", err
	}
	if n > maxModelStr {
		return "", fmt.Errorf("string of %d bytes at byte %d is too large", n, c.n)
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(c, b); err != nil {
		return "", err
	}
	return string(b), nil
}
