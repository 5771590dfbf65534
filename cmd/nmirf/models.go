package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/nmirf/nmirf/classify"
	defaultmodels "github.com/nmirf/nmirf/data/models"
	m "github.com/nmirf/nmirf/models"
)

// defaultTasks are the tasks whose models ship in the binary.
var defaultTasks = []string{m.TaskUPRInfoIssues, m.TaskUHRIThemes, m.TaskSDG}

// taskAliases accept the short names of the command line.
var taskAliases = map[string]string{
	"issues": m.TaskUPRInfoIssues, m.TaskUPRInfoIssues: m.TaskUPRInfoIssues,
	"uhri-themes": m.TaskUHRIThemes, "themes": m.TaskUHRIThemes,
	"sdg": m.TaskSDG, "sdgs": m.TaskSDG,
}

func taskName(s string) (string, error) {
	if t, ok := taskAliases[strings.ToLower(s)]; ok {
		return t, nil
	}
	return "", m.UsageError("unknown task %q (issues, uhri-themes, sdg)", s)
}

// loadModels reads the model files named, or the embedded default models
// when none is.
func loadModels(files []string) ([]*classify.Model, error) {
	var out []*classify.Model
	if len(files) == 0 {
		for _, task := range defaultTasks {
			r, err := defaultmodels.Open(task)
			if err != nil {
				return nil, fmt.Errorf("embedded %s model: %w", task, err)
			}
			md, err := classify.ReadModel(r, task)
			if err != nil {
				return nil, fmt.Errorf("embedded %s model: %w", task, err)
			}
			out = append(out, md)
		}
		return out, nil
	}
	for _, f := range files {
		md, err := readModelFile(f, "")
		if err != nil {
			return nil, err
		}
		out = append(out, md)
	}
	return out, nil
}

func readModelFile(path, task string) (*classify.Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, m.InputError(path, err)
	}
	defer f.Close()
	md, err := classify.ReadModel(f, task)
	if err != nil {
		return nil, m.InputError(path, err)
	}
	return md, nil
}
