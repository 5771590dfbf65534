// Package defaultmodels hands out nmirf's default classification models,
// embedded in the binary: UPR Info issues, UHRI themes and SDG goals and
// targets (see MODELS.md for how each was trained and how well it does).
// `make models` regenerates them; this package only serves the bytes.
package defaultmodels

import (
	"bytes"
	"embed"
	"fmt"
	"io"
	"io/fs"
)

//go:embed *.nmm
var files embed.FS

// Open returns the saved model of task (models.TaskUPRInfoIssues,
// TaskUHRIThemes or TaskSDG), to read with classify.ReadModel.
func Open(task string) (io.Reader, error) {
	b, err := files.ReadFile(task + ".nmm")
	if err != nil {
		if _, ok := err.(*fs.PathError); ok {
			return nil, fmt.Errorf("open default model: no model for task %q", task)
		}
		return nil, fmt.Errorf("open default model %s: %w", task, err)
	}
	return bytes.NewReader(b), nil
}
