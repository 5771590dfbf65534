package main

import (
	"fmt"
	"os"

	"github.com/nmirf/nmirf/classify"
	defaultmodels "github.com/nmirf/nmirf/data/models"
	"github.com/nmirf/nmirf/data/taxonomy"
	m "github.com/nmirf/nmirf/models"
)

// embeddedTaxonomy is the label tables shipped in the binary.
func embeddedTaxonomy() (*classify.Taxonomy, error) {
	tx, err := classify.ParseTaxonomy(classify.TaxonomyTables{UHRIThemes: taxonomy.UHRIThemes, UHRIOldTo2026: taxonomy.UHRIOldTo2026,
		UPRIssueToSDG: taxonomy.UPRIssueToSDG, UPRIssueToUHRI: taxonomy.UPRIssueToUHRI})
	if err != nil {
		return nil, fmt.Errorf("embedded taxonomy: %w", err)
	}
	return tx, nil
}

// loadModels reads the model files named, or the embedded default models
// when none is.
func loadModels(files []string) ([]*classify.Model, error) {
	var out []*classify.Model
	if len(files) == 0 {
		for _, t := range m.Tasks {
			task := t.Name
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
