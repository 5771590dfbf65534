// Package extracttest holds what the importers' tests share: reading a file
// and importing it, failing the test on any whole-file error.
package extracttest

import (
	"context"
	"testing"

	"github.com/nmirf/nmirf/extract"
)

// Import reads path and imports it with imp.
func Import(t testing.TB, imp extract.Importer, path string) *extract.Result {
	t.Helper()
	in, err := extract.ReadInput(path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := imp.Import(context.Background(), in, extract.Options{})
	if err != nil {
		t.Fatalf("import %s: %v", path, err)
	}
	return res
}
