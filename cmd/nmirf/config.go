package main

import (
	"bytes"
	_ "embed"
	"fmt"
	"os"

	"github.com/BurntSushi/toml"

	"github.com/nmirf/nmirf/models"
)

// config is the batch job's configuration file (nmirf.toml). Values
// resolve in this order: the embedded default config (when no file is
// given), the file, NMIRF_* environment variables, then flags.
type config struct {
	Warehouse string `toml:"warehouse"`
	Ingest    struct {
		Paths     []string `toml:"paths"`
		Sample    bool     `toml:"sample"` // the sample embedded in the binary
		Format    string   `toml:"format"`
		Mapping   string   `toml:"mapping"`
		Country   string   `toml:"country"`
		KeepGoing bool     `toml:"keep_going"`
	} `toml:"ingest"`
	Fetch    fetchConfig `toml:"fetch"`
	Classify struct {
		Models []string `toml:"models"`
		All    bool     `toml:"all"`
		Skip   bool     `toml:"skip"`
	} `toml:"classify"`
	Cluster struct {
		Threshold float64 `toml:"threshold"`
	} `toml:"cluster"`
	Indicators struct {
		Paths   []string `toml:"paths"`
		Country string   `toml:"country"`
		Sample  bool     `toml:"sample"`
	} `toml:"indicators"`
	Reports []struct {
		Kind       string   `toml:"kind"`
		Countries  []string `toml:"countries"`
		Formats    []string `toml:"formats"`
		Out        string   `toml:"out"`
		StaleYears int      `toml:"stale_years"`
	} `toml:"reports"`
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

func (c *config) String() string { return fmt.Sprintf("%+v", *c) }
