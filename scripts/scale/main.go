package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"

	"github.com/nmirf/nmirf/internal/atomicfile"
)

// File names: the full export is named as UHRI names its download.
const (
	corpusFile = "export-full-en.json"
	extraFile  = "export-new-en.json"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "scale:", err)
		os.Exit(1)
	}
}

type options struct {
	n        int
	seed     uint64
	extra    float64
	out      string
	extraOut string
	data     string
}

func run(ctx context.Context, args []string, log io.Writer) error {
	var o options
	fs := flag.NewFlagSet("scale", flag.ContinueOnError)
	fs.SetOutput(log)
	fs.IntVar(&o.n, "n", 270000, "number of distinct records in the corpus")
	fs.Uint64Var(&o.seed, "seed", 1, "random seed; a seed always gives the same corpus")
	fs.StringVar(&o.out, "out", "", "folder to write "+corpusFile+" in (required)")
	fs.Float64Var(&o.extra, "extra", 0, "also write this fraction of n as NEW distinct records, for an incremental run")
	fs.StringVar(&o.extraOut, "extra-out", "", "file for the new records (default: "+extraFile+" in the folder beside -out named <out>-new)")
	fs.StringVar(&o.data, "data", "", "shared data folder (default: $NMIRF_SHARED_DATA, else ../shared/data beside the module root)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.out == "" || o.n <= 0 || o.extra < 0 || fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("need -out DIR, -n > 0 and -extra >= 0")
	}
	if o.data == "" {
		o.data = defaultDataDir()
	}
	if o.extraOut == "" {
		o.extraOut = filepath.Join(filepath.Clean(o.out)+"-new", extraFile)
	}
	src, err := loadSources(o.data)
	if err != nil {
		return err
	}
	fmt.Fprintf(log, "scale: %d UPR Info and %d matrix texts, %d concluding-observations paragraphs (%d recommendations, %d concerns), %d countries\n",
		src.uprInfoN, src.matricesN, len(src.tbRec)+len(src.tbConcern), len(src.tbRec), len(src.tbConcern), src.countriesN)
	g := newGenerator(src, o.seed)
	full := filepath.Join(o.out, corpusFile)
	if err := writeFile(ctx, full, g, o.n); err != nil {
		return err
	}
	report(log, full, g.st)
	if n := int(float64(o.n)*o.extra + 0.5); n > 0 {
		if err := writeFile(ctx, o.extraOut, g, n); err != nil {
			return err
		}
		fmt.Fprintf(log, "scale: wrote %d new records to %s (%d distinct in all)\n", n, o.extraOut, g.st.Distinct)
	}
	return nil
}

// defaultDataDir is $NMIRF_SHARED_DATA, else ../shared/data beside the
// module root found above the working directory.
func defaultDataDir() string {
	if d := os.Getenv("NMIRF_SHARED_DATA"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		return filepath.Join("..", "shared", "data")
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(d, "..", "shared", "data")
		}
		if filepath.Dir(d) == d {
			return filepath.Join(dir, "..", "shared", "data")
		}
	}
}

// writeFile writes n new records of g as a UHRI JSON export, one record a
// line, atomically so that a killed run leaves no half file for nmirf to
// read.
func writeFile(ctx context.Context, path string, g *generator, n int) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false) // UHRI's export writes its HTML as it is
		io.WriteString(w, "[\n")
		for i := 0; i < n; i++ {
			r, err := g.next(ctx)
			if err != nil {
				return err
			}
			buf.Reset()
			if err := enc.Encode(r); err != nil {
				return fmt.Errorf("record %d: %w", i+1, err)
			}
			if i > 0 {
				io.WriteString(w, ",\n")
			}
			if _, err := w.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n"))); err != nil {
				return err
			}
		}
		_, err := io.WriteString(w, "\n]\n")
		return err
	})
}

func report(log io.Writer, path string, st stats) {
	fmt.Fprintf(log, "scale: wrote %d records to %s: %d distinct (country, body, session or symbol, text), %d countries, %d redraws\n",
		st.Records, path, st.Distinct, st.Countries, st.Redraws)
	fmt.Fprintf(log, "scale: types %s; dates %s to %s; UPR sessions up to %d; texts %d UPR, %d concluding observations\n",
		counts(st.ByType), st.MinDate, st.MaxDate, st.MaxSession, st.UPRTexts, st.CoTexts)
	fmt.Fprintf(log, "scale: bodies %s\n", counts(st.ByBody))
}

// counts formats a tally largest first.
func counts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return m[keys[i]] > m[keys[j]] || m[keys[i]] == m[keys[j]] && keys[i] < keys[j] })
	parts := make([]string, 0, len(keys))
	for i, k := range keys {
		if i == 12 {
			parts = append(parts, fmt.Sprintf("… %d more", len(keys)-i))
			break
		}
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}
