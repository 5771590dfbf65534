// Package data holds the reference data and sample inputs shipped inside the
// nmirf binary (go:embed), each with its provenance in PROVENANCE.md. It has
// no logic beyond handing the bytes out.
package data

import (
	"embed"
	"io/fs"
	"sort"
	"strings"
)

//go:embed sample
var sample embed.FS

//go:embed sample-indicators
var sampleIndicators embed.FS

// SampleIndicators returns the embedded indicator data of the sample: a few
// of the United Kingdom's Open SDG indicator files (ONS, OGL v3), for the
// targets the sample's recommendations are about.
func SampleIndicators() ([]SampleFile, error) { return readTree(sampleIndicators, "sample-indicators") }

//go:embed sdg/global-indicator-framework-2025.csv
var sdgFramework []byte

// SDGFramework returns the official SDG global indicator framework after the
// 2025 review, as UNSD publishes it (CSV; see sdg/PROVENANCE.md).
func SDGFramework() []byte { return sdgFramework }

// SampleFile is one embedded sample input.
type SampleFile struct {
	Name string
	Data []byte
}

// Sample returns the embedded sample inputs that `nmirf run` uses by default:
// one country's (the United Kingdom's) real recommendations from several
// sources.
func Sample() ([]SampleFile, error) { return readTree(sample, "sample") }

func readTree(fsys embed.FS, root string) ([]SampleFile, error) {
	var out []SampleFile
	err := fs.WalkDir(fsys, root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".csv") && !strings.HasSuffix(path, ".txt") {
			return err
		}
		b, err := fsys.ReadFile(path)
		if err != nil {
			return err
		}
		out = append(out, SampleFile{Name: path, Data: b})
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, err
}
