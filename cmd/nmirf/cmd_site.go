package main

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/nmirf/nmirf/load"
	"github.com/nmirf/nmirf/models"
	"github.com/nmirf/nmirf/pipeline"
)

// newSiteCmd is `nmirf report site`: the public static site of a country.
func init() { reportCommands = append(reportCommands, newSiteCmd) }

func newSiteCmd(g *globals) *cobra.Command {
	var (
		o       pipeline.SiteOptions
		country string
		cfgPath string
		wait    bool
	)
	c := &cobra.Command{
		Use:   "site --country ISO3 [--lang en,fr,es] [--out DIR] [--config nmirf.toml]",
		Short: "The public static site of a country: pages, search, downloads; no server needed",
		Long: `Writes a static website of a country's recommendations, follow-up and SDG links:
any static host, a USB stick or a browser opening index.html from disk serves it.
Only what is marked public is published. A rerun rewrites only the pages that changed.

With --config, the file's [site] section gives the settings the flags do not.`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cfgPath != "" {
				cfg, err := loadConfig(cfgPath)
				if err != nil {
					return err
				}
				if err := overrideSite(cmd, &o, cfg.Site.options(g.warehouse)); err != nil {
					return err
				}
			}
			if country != "" {
				cs, err := isoCodes([]string{country})
				if err != nil {
					return err
				}
				o.Country = cs[0]
			}
			if o.Country == "" {
				return models.UsageError("report site needs --country (or a [site] section in --config)")
			}
			if o.Out == "" {
				o.Out = filepath.Join(g.warehouse, "site", o.Country)
			}
			w, err := openForReport(cmd, g, wait)
			if err != nil {
				return err
			}
			defer w.Close()
			return writeSite(cmd, g, w, o)
		},
	}
	c.Flags().StringVar(&country, "country", "", "the country (name or ISO3)")
	c.Flags().StringVar(&cfgPath, "config", envOr("NMIRF_CONFIG", ""), "configuration file whose [site] section gives the defaults of these flags [env NMIRF_CONFIG]")
	c.Flags().StringVar(&o.Title, "title", "", "the site's title (default: \"Recommendations to COUNTRY\" in each language)")
	c.Flags().StringSliceVar(&o.Langs, "lang", []string{"en"}, "interface languages, comma-separated (en, fr, es); the first is the default")
	c.Flags().StringVar(&o.Out, "out", "", "site folder (default: WAREHOUSE/site/ISO3)")
	c.Flags().StringSliceVar(&o.HideEntities, "hide-entity", nil, "entity code never to publish (repeatable)")
	c.Flags().StringSliceVar(&o.HideFields, "hide-field", nil, "field never to publish: update_text, reporting_entity, lead_entity, action_description (repeatable)")
	c.Flags().BoolVar(&wait, "wait", false, "first wait for a run in progress on the warehouse to finish")
	return c
}

// overrideSite starts from the config's site options and keeps what a
// flag set.
func overrideSite(cmd *cobra.Command, o *pipeline.SiteOptions, cfg pipeline.SiteOptions) error {
	f := cmd.Flags()
	if !f.Changed("lang") {
		o.Langs = cfg.Langs
		if len(o.Langs) == 0 {
			o.Langs = []string{"en"}
		}
	}
	if !f.Changed("out") {
		o.Out = cfg.Out
	}
	if !f.Changed("title") {
		o.Title = cfg.Title
	}
	if !f.Changed("hide-entity") {
		o.HideEntities = cfg.HideEntities
	}
	if !f.Changed("hide-field") {
		o.HideFields = cfg.HideFields
	}
	o.Country = cfg.Country
	return nil
}

// writeSite builds the site and says what it did.
func writeSite(cmd *cobra.Command, g *globals, w *load.Warehouse, o pipeline.SiteOptions) error {
	t0 := time.Now()
	st, err := pipeline.WriteSite(cmd.Context(), w, o)
	if err != nil {
		return err
	}
	fmt.Fprintf(g.stdout, "%s: %d files (%d written, %d unchanged of which %d not rendered again, %d removed), %.1f MB in %s\n",
		o.Out, st.Files, st.Written, st.Unchanged, st.Skipped, st.Removed, float64(st.Bytes)/1e6, time.Since(t0).Round(time.Millisecond))
	return nil
}

// runSite writes the [site] of the run's configuration from the warehouse
// the run has just published; no [site] country, no site.
func runSite(cmd *cobra.Command, g *globals, cfg *config) error {
	if cfg.Site.Country == "" {
		return nil
	}
	o := cfg.Site.options(g.warehouse)
	if len(o.Langs) == 0 {
		o.Langs = []string{"en"}
	}
	w, err := openForReport(cmd, g, false)
	if err != nil {
		return err
	}
	defer w.Close()
	if err := writeSite(cmd, g, w, o); err != nil {
		return fmt.Errorf("write the site: %w", err)
	}
	return nil
}
