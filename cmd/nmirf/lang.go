package main

import (
	"bytes"
	"fmt"
	"io"

	"github.com/nmirf/nmirf/classify"
	"github.com/nmirf/nmirf/data"
)

// embeddedProjection reads the shipped glossary and French and Spanish
// lexicons (data/lexicon), through which the English models read French and
// Spanish texts.
func embeddedProjection() (*classify.Projection, error) {
	var rs []io.Reader
	for _, name := range []string{"glossary.tsv", "sdg-fr.tsv", "sdg-es.tsv"} {
		b, err := data.Lexicon(name)
		if err != nil {
			return nil, fmt.Errorf("embedded lexicon %s: %w", name, err)
		}
		rs = append(rs, bytes.NewReader(b))
	}
	p, err := classify.ReadProjection(classify.NewTokenizer(classify.TokenizerOptions{NGram: 1}), rs[0], rs[1:]...)
	if err != nil {
		return nil, fmt.Errorf("embedded lexicons: %w", err)
	}
	return p, nil
}
