package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/nmirf/nmirf/extract/scrape"
	"github.com/nmirf/nmirf/models"
)

// fetchConfig configures the scrapers of the fetch stage ([fetch] in
// nmirf.toml). Nothing is fetched unless a source is named.
type fetchConfig struct {
	Dest         string   `toml:"dest" json:"dest"`         // default WAREHOUSE/downloads
	UHRI         []string `toml:"uhri" json:"uhri"`         // export URLs; ["default"] means the official ones
	UPRInfo      string   `toml:"upr_info" json:"upr_info"` // Uwazi base URL; "default" means the official one
	TreatyBodies struct {
		Base      string   `toml:"base" json:"base"`               // "" or "default": the official database
		Countries []string `toml:"countries" json:"countries"`     // ISO3 codes or names
		Treaties  []string `toml:"treaties" json:"treaties"`       // CCPR, CESCR, CRC, …
		DocType   string   `toml:"doc_type" json:"doc_type"`       // exact name; default "Concluding Observations"
		DocTypeID string   `toml:"doc_type_id" json:"doc_type_id"` // its DocTypeID, when the search form cannot tell it
	} `toml:"treaty_bodies" json:"treaty_bodies"`
	DelaySeconds float64 `toml:"delay_seconds" json:"delay_seconds"` // between requests to one host; default 1
	CacheHours   float64 `toml:"cache_hours" json:"cache_hours"`     // cache expiry; default 12
	// Response size limits in MiB; a larger response is an error. Defaults:
	// pages and API answers 64, treaty body documents 256, UHRI exports 2048.
	MaxPageMB   float64 `toml:"max_page_mb" json:"max_page_mb"`
	MaxDocMB    float64 `toml:"max_doc_mb" json:"max_doc_mb"`
	MaxExportMB float64 `toml:"max_export_mb" json:"max_export_mb"`
}

func (f fetchConfig) fetchers() []scrape.Fetcher {
	mb := func(n float64) int64 { return int64(n * (1 << 20)) }
	opt := scrape.Options{UserAgent: "nmirf/" + version + " (+https://github.com/nmirf/nmirf)",
		Delay: time.Duration(f.DelaySeconds * float64(time.Second)), CacheMaxAge: time.Duration(f.CacheHours * float64(time.Hour)),
		MaxPageBytes: mb(f.MaxPageMB), MaxDocBytes: mb(f.MaxDocMB), MaxExportBytes: mb(f.MaxExportMB)}
	def := func(s string) string {
		if s == "default" {
			return ""
		}
		return s
	}
	var out []scrape.Fetcher
	if len(f.UHRI) > 0 {
		var urls []string
		for _, u := range f.UHRI {
			if u != "default" {
				urls = append(urls, u)
			}
		}
		out = append(out, scrape.NewUHRI(opt, urls...))
	}
	if f.UPRInfo != "" {
		out = append(out, scrape.NewUPRInfo(opt, def(f.UPRInfo)))
	}
	if tb := f.TreatyBodies; len(tb.Countries) > 0 {
		t := scrape.NewTreatyBodies(opt, def(tb.Base), tb.Countries, tb.Treaties)
		if tb.DocType != "" {
			t.DocType = tb.DocType
		}
		t.DocTypeID = tb.DocTypeID
		out = append(out, t)
	}
	return out
}

// fetcher returns the fetch stage of a batch run, or nil when no source is
// configured.
func (f fetchConfig) fetcher(g *globals) (func(context.Context) ([]string, []string, error), error) {
	fs := f.fetchers()
	if len(fs) == 0 {
		return nil, nil
	}
	return func(ctx context.Context) ([]string, []string, error) {
		dest := f.Dest
		if dest == "" {
			dest = filepath.Join(g.warehouse, "downloads")
		}
		return runFetchers(ctx, fs, dest)
	}, nil
}

// runFetchers runs each fetcher into its own folder under dest and returns
// the files that are new or changed.
func runFetchers(ctx context.Context, fs []scrape.Fetcher, dest string) ([]string, []string, error) {
	var files, warns []string
	for _, f := range fs {
		rep, err := f.Fetch(ctx, filepath.Join(dest, f.Name()))
		if rep != nil { // a failed fetch still tells what it warned about
			warns = append(warns, rep.Warnings...)
		}
		if err != nil {
			return files, warns, fmt.Errorf("fetch %s: %w", f.Name(), err)
		}
		files = append(files, rep.Files...)
	}
	return files, warns, nil
}

func init() { commands = append(commands, newFetchCmd) }

func newFetchCmd(g *globals) *cobra.Command {
	var (
		cfgPath string
		f       fetchConfig
		dryRun  bool
	)
	c := &cobra.Command{
		Use:   "fetch [--config nmirf.toml] [--uhri default|URL] [--upr-info default|URL] [--tb-country ISO3 --tb-treaty CCPR] [--dry-run]",
		Short: "Download what is new from UHRI, the UPR Info database and the treaty body database",
		Long: `Download new or changed files from the official sources into WAREHOUSE/downloads (or [fetch] dest):
UHRI exports (conditional download), the UPR Info database (as a UPR Info export CSV), and treaty-body
concluding observations per country and treaty. robots.txt is honoured, each host gets one request a
second, and an interrupted fetch resumes. The files are imported by nmirf ingest or the run's ingest stage.
--dry-run sends nothing and prints the requests a fetch starts with, to try once by hand on the live sites.`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cfgPath != "" {
				cfg, err := loadConfig(cfgPath)
				if err != nil {
					return err
				}
				f = cfg.Fetch
			}
			fs := f.fetchers()
			if len(fs) == 0 {
				return models.UsageError("nothing to fetch: name a source (--uhri, --upr-info, --tb-country) or a config with [fetch]")
			}
			if dryRun {
				printPlan(g, fs)
				return nil
			}
			dest := f.Dest
			if dest == "" {
				dest = filepath.Join(g.warehouse, "downloads")
			}
			files, warns, err := runFetchers(cmd.Context(), fs, dest)
			for _, p := range files {
				fmt.Fprintln(g.stdout, p)
			}
			for _, w := range warns {
				fmt.Fprintln(g.stderr, "  warning:", w)
			}
			return err
		},
	}
	fl := c.Flags()
	fl.StringVar(&cfgPath, "config", "", "read the [fetch] section of this configuration file")
	fl.StringSliceVar(&f.UHRI, "uhri", nil, `UHRI export URL(s), or "default" for the official exports`)
	fl.StringVar(&f.UPRInfo, "upr-info", "", `UPR Info database base URL, or "default"`)
	fl.StringSliceVar(&f.TreatyBodies.Countries, "tb-country", nil, "treaty body database: countries (repeatable)")
	fl.StringSliceVar(&f.TreatyBodies.Treaties, "tb-treaty", nil, "treaty body database: treaties such as CCPR, CRC (repeatable; default all)")
	fl.StringVar(&f.Dest, "dest", "", "download folder (default WAREHOUSE/downloads)")
	fl.Float64Var(&f.DelaySeconds, "delay", 1, "seconds between requests to one host")
	fl.BoolVar(&dryRun, "dry-run", false, "send nothing; print the requests a fetch starts with, one a line")
	return changesWarehouse(c)
}

// printPlan prints, per source, the requests its fetch starts with: method,
// URL with its query, the headers that matter, and a note. Values only the
// site can give (a State's sharedId, a CountryID) stand as upper-case
// placeholders the note explains.
func printPlan(g *globals, fs []scrape.Fetcher) {
	for _, f := range fs {
		fmt.Fprintf(g.stdout, "# %s\n", f.Name())
		p, ok := f.(scrape.Planner)
		if !ok {
			fmt.Fprintln(g.stdout, "# (this source cannot list its requests)")
			continue
		}
		for _, r := range p.Plan() {
			fmt.Fprintln(g.stdout, r.String())
		}
	}
}
