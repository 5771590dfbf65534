package pipeline

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/nmirf/nmirf/classify"
	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/models"
)

// ExampleSource says where the labels of a file are: named columns of a
// table, or (TextCol empty) the source labels an importer finds.
type ExampleSource struct {
	TextCol, LabelsCol string
	Sep                string // label separator in LabelsCol; default ";"
	Importers          []extract.Importer
	// Taxonomy maps old UHRI theme labels to current ones (task uhri-themes).
	Taxonomy *classify.Taxonomy
}

// LoadExamples reads labelled texts from files. Texts without a label are
// kept out: they would teach every label "no".
func LoadExamples(ctx context.Context, paths []string, task string, src ExampleSource) ([]classify.Example, error) {
	files, err := expandPaths(paths)
	if err != nil {
		return nil, err
	}
	if src.Sep == "" {
		src.Sep = ";"
	}
	if src.Taxonomy == nil && src.TextCol == "" && task == models.TaskUHRIThemes {
		return nil, fmt.Errorf("load examples of %s: no taxonomy to map theme labels with", task)
	}
	var out []classify.Example
	for _, p := range files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		in, err := extract.ReadInput(p)
		if err != nil {
			return nil, err
		}
		var ex []classify.Example
		if src.TextCol != "" {
			ex, err = tableExamples(in, src)
		} else {
			ex, err = importedExamples(ctx, in, task, src)
		}
		if err != nil {
			return nil, models.InputError(p, err)
		}
		out = append(out, ex...)
	}
	if len(out) == 0 {
		return nil, models.UsageError("no labelled texts found in %s", strings.Join(paths, ", "))
	}
	return out, nil
}

func tableExamples(in *extract.Input, src ExampleSource) ([]classify.Example, error) {
	rows, err := extract.ReadLabelledTexts(in, src.TextCol, src.LabelsCol, src.Sep)
	if err != nil {
		return nil, err
	}
	out := make([]classify.Example, len(rows))
	for i, r := range rows {
		out[i] = classify.Example{Text: r.Text, Labels: r.Labels, Group: in.Name}
	}
	return out, nil
}

func importedExamples(ctx context.Context, in *extract.Input, task string, src ExampleSource) ([]classify.Example, error) {
	tk, ok := models.TaskOf(task)
	if !ok {
		return nil, fmt.Errorf("task %s has no source-label scheme; give --text-col and --labels-col", task)
	}
	imp := Detect(src.Importers, in)
	if imp == nil {
		return nil, fmt.Errorf("cannot tell its format; give --text-col and --labels-col for a table")
	}
	res, err := safeImport(ctx, imp, in, extract.Options{})
	if err != nil {
		return nil, err
	}
	var out []classify.Example
	for _, r := range res.Records {
		seen := map[string]bool{}
		var labels []string
		for _, l := range r.Labels {
			if l.Scheme != tk.SourceScheme {
				continue
			}
			for _, v := range src.Taxonomy.TaskLabels(task, l.Value) {
				if !seen[v] {
					seen[v] = true
					labels = append(labels, v)
				}
			}
		}
		if len(labels) > 0 {
			sort.Strings(labels)
			out = append(out, classify.Example{Text: r.Text, Labels: labels, Group: in.Name, Kind: r.Kind})
		}
	}
	return out, nil
}
