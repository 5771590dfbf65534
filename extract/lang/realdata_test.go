package lang

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/nmirf/nmirf/internal/shared"
)

// Real English recommendations are never taken for French or Spanish, and
// nearly all are recognised as English: the 217 gold paragraphs and the
// 1,061 texts of OHCHR's thematic lists.
func TestDetectRealEnglish(t *testing.T) {
	var texts []string
	b, err := os.ReadFile(filepath.Join(shared.Path(t, "upr-paragraphs"), "text", "labels.json"))
	if err != nil {
		t.Fatal(err)
	}
	var gold []struct{ Label string }
	if err := json.Unmarshal(b, &gold); err != nil {
		t.Fatal(err)
	}
	for _, g := range gold {
		texts = append(texts, g.Label)
	}
	f, err := os.Open(filepath.Join(shared.Path(t, "uhri-matrices"), "matrices-parsed.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows[1:] {
		texts = append(texts, r[6])
	}
	if len(texts) < 1200 {
		t.Fatalf("%d texts, want the 217 + 1,061", len(texts))
	}
	count := map[string]int{}
	for _, s := range texts {
		l := Detect(s)
		count[l]++
		if l != English && l != "" {
			t.Errorf("Detect(%q) = %q", s, l)
		}
	}
	t.Logf("%d English texts: %v", len(texts), count)
	if float64(count[English]) < 0.97*float64(len(texts)) {
		t.Errorf("%d of %d recognised as English, want at least 97%%", count[English], len(texts))
	}
}

// The official English, French and Spanish titles of the 169 SDG targets
// (open-sdg/sdg-translations) are each told apart: UN prose in the three
// languages, as recommendations are written.
func TestDetectSDGTargetTranslations(t *testing.T) {
	dir := filepath.Join(shared.Path(t, "sdg-framework"), "open-sdg-translations")
	for _, l := range []string{English, French, Spanish} {
		b, err := os.ReadFile(filepath.Join(dir, "global_targets."+l+".yml"))
		if err != nil {
			t.Fatal(err)
		}
		var titles map[string]string
		if err := yaml.Unmarshal(b, &titles); err != nil {
			t.Fatal(err)
		}
		n, wrong := 0, 0
		for k, v := range titles {
			if !strings.HasSuffix(k, "-title") {
				continue
			}
			n++
			switch got := Detect(v); got {
			case l:
			case "":
				wrong++
				t.Logf("%s %s: too little to tell: %s", l, k, v)
			default:
				t.Errorf("%s %s: Detect = %q: %s", l, k, got, v)
			}
		}
		if n != 169 {
			t.Errorf("%s: %d target titles, want 169", l, n)
		}
		// A target title is one sentence, often a short one; a few give
		// too few function words to tell, none may be read as another
		// language.
		if wrong > 2 {
			t.Errorf("%s: %d of %d titles not recognised", l, wrong, n)
		}
	}
}
