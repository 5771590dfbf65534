// Command gen writes data/lexicon/sdg-{fr,es}.tsv, the French and Spanish
// lexicons learnt from the official SDG texts (`make lexicon`).
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/nmirf/nmirf/internal/atomicfile"
	"github.com/nmirf/nmirf/internal/lexgen"
)

func main() {
	shared := flag.String("shared", "../shared/data", "the shared data folder")
	out := flag.String("out", "data/lexicon", "where to write the lexicons")
	flag.Parse()
	if err := run(*shared, *out); err != nil {
		fmt.Fprintln(os.Stderr, "lexicon:", err)
		os.Exit(1)
	}
}

func run(shared, out string) error {
	dir := filepath.Join(shared, "sdg-framework", "open-sdg-translations")
	for _, lang := range []string{"fr", "es"} {
		pairs, err := lexgen.ReadAligned(dir, lang)
		if err != nil {
			return err
		}
		lex := lexgen.Learn(lang, pairs)
		path := filepath.Join(out, "sdg-"+lang+".tsv")
		if err := atomicfile.Write(path, func(w io.Writer) error { _, err := lex.WriteTo(w); return err }); err != nil {
			return err
		}
		fmt.Printf("%s: %d stems from %d aligned texts\n", path, lex.Len(), len(pairs))
	}
	return nil
}
