package main

import (
	"bytes"
	_ "embed"
	"os"

	"github.com/BurntSushi/toml"

	"github.com/nmirf/nmirf/models"
)

// config is the batch job's configuration file (nmirf.toml). Values
// resolve in this order: the embedded default config (when no file is
// given), the file, NMIRF_* environment variables, then flags.
type config struct {
	Warehouse string `toml:"warehouse" json:"warehouse"`
	Ingest    struct {
		Paths     []string `toml:"paths" json:"paths"`
		Sample    bool     `toml:"sample" json:"sample"` // the sample embedded in the binary
		Format    string   `toml:"format" json:"format"`
		Mapping   string   `toml:"mapping" json:"mapping"`
		Country   string   `toml:"country" json:"country"`
		KeepGoing bool     `toml:"keep_going" json:"keep_going"`
	} `toml:"ingest" json:"ingest"`
	Fetch    fetchConfig `toml:"fetch" json:"fetch"`
	Classify struct {
		Models []string `toml:"models" json:"models"`
		All    bool     `toml:"all" json:"all"`
		Skip   bool     `toml:"skip" json:"skip"`
	} `toml:"classify" json:"classify"`
	Cluster struct {
		Threshold float64 `toml:"threshold" json:"threshold"`
	} `toml:"cluster" json:"cluster"`
	Indicators struct {
		Paths   []string `toml:"paths" json:"paths"`
		Country string   `toml:"country" json:"country"`
		Sample  bool     `toml:"sample" json:"sample"`
	} `toml:"indicators" json:"indicators"`
	Followup struct {
		Responsibility string   `toml:"responsibility" json:"responsibility"` // mapping file; "": the embedded default
		Paths          []string `toml:"paths" json:"paths"`                   // returned workbooks and other follow-up files
		Sample         bool     `toml:"sample" json:"sample"`                 // the filled workbook embedded in the binary
	} `toml:"followup" json:"followup"`
	Reports []struct {
		Kind       string   `toml:"kind" json:"kind"`
		Countries  []string `toml:"countries" json:"countries"`
		Formats    []string `toml:"formats" json:"formats"`
		Out        string   `toml:"out" json:"out"`
		StaleYears int      `toml:"stale_years" json:"stale_years"`
	} `toml:"reports" json:"reports"`
}

//go:embed default.toml
var defaultConfig []byte

// loadConfig reads the config file, or the embedded default when path is "".
func loadConfig(path string) (*config, error) {
	data, name := defaultConfig, "embedded default config"
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, models.UsageError("read config: %v", err)
		}
		data, name = b, path
	}
	var c config
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&c)
	if err != nil {
		return nil, models.UsageError("%s: %v", name, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		return nil, models.UsageError("%s: unknown setting %q", name, und[0].String())
	}
	for i, r := range c.Reports {
		if r.Kind != "gaps" && r.Kind != "clusters" {
			return nil, models.UsageError("%s: reports[%d]: kind %q is neither gaps nor clusters", name, i, r.Kind)
		}
	}
	return &c, nil
}
