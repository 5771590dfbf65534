package wgreport

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nmirf/nmirf/internal/shared"
)

// firstByRegexp is the plain search endMark.first replaces: every match of
// the pattern, the first that ok accepts.
func firstByRegexp(e endMark, s string, ok func(int) bool) int {
	for _, m := range e.re.FindAllStringIndex(s, -1) {
		if ok(m[0]) {
			return m[0]
		}
	}
	return -1
}

// TestEndMarksFindWhatRegexpFinds checks the literal-first search of each
// section end against the plain regexp search, on the English, French and
// Spanish reports of testdata and every report of the shared corpus, from
// every heading onwards, accepting any match and only matches at a line's
// start (as section does for the last two).
func TestEndMarksFindWhatRegexpFinds(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.txt"))
	if dir := shared.Dir(); dir != "" {
		more, _ := filepath.Glob(filepath.Join(dir, "upr-wg-reports", "*.txt"))
		files = append(files, more...)
	}
	if len(files) < 8 {
		t.Fatalf("found %d reports", len(files))
	}
	found := make([]int, len(sectionEnds))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lower := lowerASCII(string(b))
		starts := []int{0}
		for _, m := range headingRe.FindAllStringIndex(lower, -1) {
			starts = append(starts, m[1])
		}
		for _, start := range starts {
			s := lower[start:]
			for i, e := range sectionEnds {
				for _, ok := range []func(int) bool{
					func(int) bool { return true },
					func(at int) bool { return lineStart(lower, start+at) },
				} {
					want, got := firstByRegexp(e, s, ok), e.first(s, ok)
					if got != want {
						t.Errorf("%s from %d, end %d: found at %d, regexp at %d", filepath.Base(f), start, i, got, want)
					}
					if want >= 0 {
						found[i]++
					}
				}
			}
		}
	}
	for i, n := range found {
		if n == 0 {
			t.Errorf("end %d (%s) found nowhere: the comparison proves nothing for it", i, strings.Join(sectionEnds[i].starts, ", "))
		}
	}
}
