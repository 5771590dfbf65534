package main

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/nmirf/nmirf/models"
	"github.com/nmirf/nmirf/pipeline"
)

// newSiteCmd is `nmirf report site`: the public static site of a country.
func init() { reportCommands = append(reportCommands, newSiteCmd) }

func newSiteCmd(g *globals) *cobra.Command {
	var (
		o       pipeline.SiteOptions
		country string
		wait    bool
	)
	c := &cobra.Command{
		Use:   "site --country ISO3 [--lang en,fr,es] [--out DIR]",
		Short: "The public static site of a country: pages, search, downloads; no server needed",
		Long: `Writes a static website of a country's recommendations, follow-up and SDG links:
any static host, a USB stick or a browser opening index.html from disk serves it.
Only what is marked public is published. A rerun rewrites only the pages that changed.`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if country == "" {
				return models.UsageError("report site needs --country")
			}
			cs, err := isoCodes([]string{country})
			if err != nil {
				return err
			}
			o.Country = cs[0]
			if o.Out == "" {
				o.Out = filepath.Join(g.warehouse, "site", o.Country)
			}
			w, err := openForReport(cmd, g, wait)
			if err != nil {
				return err
			}
			defer w.Close()
			t0 := time.Now()
			st, err := pipeline.WriteSite(cmd.Context(), w, o)
			if err != nil {
				return err
			}
			fmt.Fprintf(g.stdout, "%s: %d files (%d written, %d unchanged of which %d not rendered again, %d removed), %.1f MB in %s\n",
				o.Out, st.Files, st.Written, st.Unchanged, st.Skipped, st.Removed, float64(st.Bytes)/1e6, time.Since(t0).Round(time.Millisecond))
			return nil
		},
	}
	c.Flags().StringVar(&country, "country", "", "the country (name or ISO3)")
	c.Flags().StringSliceVar(&o.Langs, "lang", []string{"en"}, "interface languages, comma-separated (en, fr, es); the first is the default")
	c.Flags().StringVar(&o.Out, "out", "", "site folder (default: WAREHOUSE/site/ISO3)")
	c.Flags().StringSliceVar(&o.HideEntities, "hide-entity", nil, "entity code never to publish (repeatable)")
	c.Flags().StringSliceVar(&o.HideFields, "hide-field", nil, "field never to publish: update_text, reporting_entity, lead_entity, action_description (repeatable)")
	c.Flags().BoolVar(&wait, "wait", false, "first wait for a run in progress on the warehouse to finish")
	return c
}
