package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestMain fails the test run if it wrote anything under out/ beside the
// tests: every test must write to its own temporary warehouse, never to the
// default one in the source tree.
func TestMain(m *testing.M) {
	start := time.Now()
	code := m.Run()
	var written []string
	filepath.WalkDir("out", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if info, err := d.Info(); err == nil && !info.ModTime().Before(start) {
			written = append(written, p)
		}
		return nil
	})
	if len(written) > 0 {
		fmt.Fprintf(os.Stderr, "FAIL: the tests wrote into the source tree (cmd/nmirf/out): %v\n", written)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}
