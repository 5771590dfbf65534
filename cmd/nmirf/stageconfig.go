package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/nmirf/nmirf/pipeline"
)

// stageSetting is the [stage.NAME] section of the config file of a stage
// that has no section of its own in config: the file of the stage's
// command adds one to stageSettings, and the batch run builds the stage
// from it (pipeline.BatchOptions.Stages; the pipeline's registry says when
// it runs).
type stageSetting struct {
	// decode reads the section into the stage's settings, checking them;
	// an error is reported as the section's.
	decode func(md toml.MetaData, section toml.Primitive) (any, error)
	// build makes the stage of the decoded settings.
	build func(settings any, g *globals) (pipeline.Stage, error)
}

// stageSettings are the [stage.NAME] sections nmirf knows, by NAME.
var stageSettings = map[string]stageSetting{}

// decodeStages reads the [stage.NAME] sections of a config file.
func (c *config) decodeStages(md toml.MetaData) error {
	c.Stages = map[string]any{}
	for name, section := range c.Stage {
		s, ok := stageSettings[name]
		if !ok {
			var known []string
			for n := range stageSettings {
				known = append(known, n)
			}
			slices.Sort(known)
			return fmt.Errorf("[stage.%s]: unknown stage (known: %s)", name, strings.Join(known, ", "))
		}
		v, err := s.decode(md, section)
		if err != nil {
			return fmt.Errorf("[stage.%s] %w", name, err)
		}
		c.Stages[name] = v
	}
	return nil
}

// buildStages makes the stages configured in [stage.NAME] sections.
func (c *config) buildStages(g *globals) (map[string]pipeline.Stage, error) {
	out := map[string]pipeline.Stage{}
	for name, v := range c.Stages {
		st, err := stageSettings[name].build(v, g)
		if err != nil {
			return nil, err
		}
		out[name] = st
	}
	return out, nil
}
