package classify

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestDisplay(t *testing.T) {
	docs := append(slices.Clone(tiny),
		"Combat discrimination against women and girls.",
		"Eliminate all forms of discrimination; criminalize discriminatory acts.",
		"Ensure access to treatment and fight AIDS, and the discrimination of persons with AIDS.",
		"Punishment of discrimination.",
	)
	vz, err := Fit(context.Background(), docs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ term, want string }{
		{"discrimin", "discrimination"}, // 4 × discrimination, 1 × discriminatory
		{"women", "women"},
		{"death penalti", "death penalty"},
		{"crimin", "criminalize"},
		{"op-cat", "op-cat"}, // a code is shown as it is
		{"aids", "AIDS"},     // an acronym keeps its capitals
		{"punish", "punishment"},
	}
	for _, tt := range tests {
		i := vz.Index(tt.term)
		if i < 0 {
			t.Errorf("%q not in the vocabulary", tt.term)
			continue
		}
		if got := vz.Display(i); got != tt.want {
			t.Errorf("Display(%q) = %q, want %q", tt.term, got, tt.want)
		}
	}
	if got := vz.Readable([]string{"discrimin", "not-a-term"}); !slices.Equal(got, []string{"discrimination", "not-a-term"}) {
		t.Errorf("Readable = %q", got)
	}
	v := vz.Vector("Discrimination against women")
	if top, disp := vz.TopTerms(v, 1), vz.TopDisplay(v, 1); len(top) != 1 || vz.Readable(top)[0] != disp[0] {
		t.Errorf("TopTerms %q, TopDisplay %q disagree", top, disp)
	}

	// Pruning and a save/load round trip keep the readable forms.
	pr, err := vz.Prune(Pruning{MinDF: 2})
	if err != nil {
		t.Fatal(err)
	}
	data, err := pr.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	back, err := ReadVectorizer(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if i := back.Index("discrimin"); i < 0 || back.Display(i) != "discrimination" {
		t.Errorf("after prune and reload: discrimin shown as %q", back.Display(max(i, 0)))
	}

	// A version 1 file, written before readable forms, is refused clearly.
	old := slices.Clone(data)
	old[len(modelMagic)] = 1
	if _, err := ReadVectorizer(bytes.NewReader(old)); !errors.Is(err, ErrModelFormat) || !strings.Contains(err.Error(), "refit") {
		t.Errorf("version 1 file: %v, want ErrModelFormat asking to refit", err)
	}
}
