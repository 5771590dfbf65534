package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/nmirf/nmirf/pipeline"
)

// TestStageSections: a [stage.NAME] section is read by the stage that
// registered NAME, its bad values are usage errors naming the section and
// key, and an unknown NAME is refused with the known ones.
func TestStageSections(t *testing.T) {
	type probe struct {
		Inbox string `toml:"inbox"`
	}
	stageSettings["probe"] = stageSetting{
		decode: func(md toml.MetaData, section toml.Primitive) (any, error) {
			var p probe
			if err := md.PrimitiveDecode(section, &p); err != nil {
				return nil, err
			}
			if p.Inbox == "" {
				return nil, errors.New("inbox: must name a folder")
			}
			return p, nil
		},
		build: func(any, *globals) (pipeline.Stage, error) { return nil, nil },
	}
	t.Cleanup(func() { delete(stageSettings, "probe") })
	dir := t.TempDir()
	for _, tc := range []struct {
		name, toml string
		code       int
		want       string
	}{
		{"unknown stage", "[stage.followup]\ninbox = \"x\"\n", 2, "[stage.followup]: unknown stage (known: probe)"},
		{"bad value", "[stage.probe]\ninbox = \"\"\n", 2, "[stage.probe] inbox: must name a folder"},
		{"undecoded key", "[stage.probe]\ninbox = \"x\"\nspeed = 3\n", 2, "[stage.probe] speed: unknown setting"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".toml")
			if err := os.WriteFile(cfg, []byte(tc.toml), 0o644); err != nil {
				t.Fatal(err)
			}
			code, _, stderr := run(t, "run", "--warehouse", filepath.Join(dir, "wh"), "--config", cfg)
			if code != tc.code || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tc.code, tc.want)
			}
		})
	}
	ok := filepath.Join(dir, "ok.toml")
	if err := os.WriteFile(ok, []byte("[stage.probe]\ninbox = \"/srv/followup\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := loadConfig(ok)
	if err != nil {
		t.Fatal(err)
	}
	if p, ok := c.Stages["probe"].(probe); !ok || p.Inbox != "/srv/followup" {
		t.Errorf("decoded settings %#v", c.Stages)
	}
}
