package lexgen

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/nmirf/nmirf/internal/shared"
)

func TestCodes(t *testing.T) {
	for key, want := range map[string][2]string{
		"5-title": {"5", "5"}, "5-short": {"5", "5"}, "5-2-title": {"5", "5.2"}, "16-a-title": {"16", "16.a"}, "16-10-2-title": {"16", "16.10.2"},
	} {
		if g, c := Goal(key), Code(key); g != want[0] || c != want[1] {
			t.Errorf("%s: goal %s code %s, want %v", key, g, c, want)
		}
	}
}

// TestShippedLexiconsReproduced: the lexicons in data/lexicon are what
// `make lexicon` learns from the shared data, byte for byte.
func TestShippedLexiconsReproduced(t *testing.T) {
	dir := shared.Path(t, filepath.Join("sdg-framework", "open-sdg-translations"))
	for _, lang := range []string{"fr", "es"} {
		pairs, err := ReadAligned(dir, lang)
		if err != nil {
			t.Fatal(err)
		}
		// 17 goal titles, 17 short names, 169 targets, 252 indicators.
		if len(pairs) != 455 {
			t.Errorf("%s: %d aligned texts, want 455", lang, len(pairs))
		}
		var got bytes.Buffer
		if _, err := Learn(lang, pairs).WriteTo(&got); err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join(shared.Root(), "data", "lexicon", "sdg-"+lang+".tsv"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want) {
			t.Errorf("data/lexicon/sdg-%s.tsv differs from what the shared data teaches: run make lexicon", lang)
		}
	}
}
