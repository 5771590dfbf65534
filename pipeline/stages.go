package pipeline

import (
	"context"
	"errors"
	"path/filepath"
	"strings"

	"github.com/nmirf/nmirf/load"
	"github.com/nmirf/nmirf/models"
)

// registry is the order of the stages of a batch run, one line per stage.
// Each entry builds its stage from the batch's options, or returns nil when
// the configuration leaves the stage out. A stage with no field in
// BatchOptions is configured by name in BatchOptions.Stages and registered
// with configured("name").
var registry = []func(o *BatchOptions) []Stage{
	one(fetchStage),
	one(ingestStage),
	one(classifyStage),
	one(clusterStage),
	followupStages,
	one(indicatorsStage),
	one(reportsStage),
}

// one is the registry entry of a stage that runs once, or not at all when
// build returns nil.
func one(build func(o *BatchOptions) Stage) func(o *BatchOptions) []Stage {
	return func(o *BatchOptions) []Stage {
		if s := build(o); s != nil {
			return []Stage{s}
		}
		return nil
	}
}

// configured returns the registry entry of a stage configured by name in
// BatchOptions.Stages.
func configured(name string) func(o *BatchOptions) []Stage {
	return one(func(o *BatchOptions) Stage { return o.Stages[name] })
}

// batchStages lists the stages a batch run goes through, in registry order.
func batchStages(o *BatchOptions) []Stage {
	var out []Stage
	for _, build := range registry {
		out = append(out, build(o)...)
	}
	return out
}

// stageFunc makes a Stage of a name and a function.
type stageFunc struct {
	name string
	run  func(ctx context.Context, w *load.Warehouse, env *Env) (*Result, error)
}

func (s stageFunc) Name() string { return s.name }
func (s stageFunc) Run(ctx context.Context, w *load.Warehouse, env *Env) (*Result, error) {
	return s.run(ctx, w, env)
}

// recordedStage is a stage that records its own row in runs: its Result is
// that row's inputs, warnings and rejected rows.
type recordedStage struct {
	name   string
	run    func(ctx context.Context, w *load.Warehouse, env *Env) (*models.Run, error)
	counts bool // its counts are the recommendation counts of the run
}

func recorded(name string, run func(ctx context.Context, w *load.Warehouse, env *Env) (*models.Run, error)) *recordedStage {
	return &recordedStage{name: name, run: run}
}

func (s *recordedStage) Name() string { return s.name }
func (s *recordedStage) Run(ctx context.Context, w *load.Warehouse, env *Env) (*Result, error) {
	run, err := s.run(ctx, w, env)
	if err != nil {
		return nil, err
	}
	r := &Result{Run: run, Inputs: run.Inputs, Warnings: run.Warnings, Rejected: run.Rejected}
	if s.counts {
		r.Counts = &run.Counts
	}
	return r, nil
}

func fetchStage(o *BatchOptions) Stage {
	if o.Fetch == nil {
		return nil
	}
	return stageFunc{"fetch", func(ctx context.Context, _ *load.Warehouse, _ *Env) (*Result, error) {
		files, warns, err := o.Fetch(ctx)
		return &Result{Warnings: warns, Files: files, FilesOnly: true}, err
	}}
}

// ingestStage reads the configured files and those downloaded before it.
// In a batch run an empty inbox is not an error: the run goes on and says
// so.
func ingestStage(o *BatchOptions) Stage {
	if o.Fetch == nil && len(o.Ingest.Paths)+len(o.Ingest.Inputs) == 0 {
		return nil
	}
	return stageFunc{"ingest", func(ctx context.Context, w *load.Warehouse, env *Env) (*Result, error) {
		opt := o.Ingest
		opt.Paths = append(append([]string{}, opt.Paths...), env.Downloaded...)
		if len(opt.Paths)+len(opt.Inputs) == 0 {
			return &Result{Idle: true}, nil
		}
		opt.Warehouse, opt.Version, opt.Progress = env.Warehouse, env.Version, env.Progress
		plan, err := prepareIngest(opt)
		if err != nil {
			return nil, err
		}
		if len(plan.files) == 0 {
			return &Result{Idle: true, Warnings: append(plan.notes, "ingest: no files to import under "+strings.Join(opt.Paths, ", "))}, nil
		}
		return ingestPlanned(plan, opt).Run(ctx, w, env)
	}}
}

// ingestPlanned is the ingest of files already found; its counts are the
// run's.
func ingestPlanned(plan *ingestPlan, opt IngestOptions) Stage {
	s := recorded("ingest", func(ctx context.Context, w *load.Warehouse, _ *Env) (*models.Run, error) {
		return ingestInto(ctx, w, plan, opt)
	})
	s.counts = true
	return s
}

func classifyStage(o *BatchOptions) Stage {
	if len(o.Models) == 0 {
		return nil
	}
	return classifyWith(ClassifyOptions{Models: o.Models, Projection: o.Projection, All: o.ReclassAll})
}

func classifyWith(opt ClassifyOptions) Stage {
	return recorded("classify", func(ctx context.Context, w *load.Warehouse, env *Env) (*models.Run, error) {
		opt.Version, opt.Progress = env.Version, env.Progress
		return classifyInto(ctx, w, opt)
	})
}

// clusterStage reclusters the countries whose recommendations changed, with
// the vocabulary of the first model.
func clusterStage(o *BatchOptions) Stage {
	if len(o.Models) == 0 {
		return nil
	}
	return clusterWith(ClusterOptions{Vectorizer: o.Models[0].Vectorizer(), Threshold: o.ClusterThreshold, StaleOnly: true})
}

func clusterWith(opt ClusterOptions) Stage {
	return recorded("cluster", func(ctx context.Context, w *load.Warehouse, env *Env) (*models.Run, error) {
		opt.Version, opt.Progress = env.Version, env.Progress
		return clusterInto(ctx, w, opt)
	})
}

// followupStages import the returned review workbooks and other follow-up
// files, one import per configured entry, after clustering.
func followupStages(o *BatchOptions) []Stage {
	var out []Stage
	for _, fo := range o.Followup {
		out = append(out, followupImportWith(fo, false))
	}
	return out
}

// followupImportWith is a follow-up import; its counts are the run's when
// it is a command of its own.
func followupImportWith(opt FollowupImportOptions, counts bool) Stage {
	s := recorded("followup", func(ctx context.Context, w *load.Warehouse, env *Env) (*models.Run, error) {
		opt.Warehouse, opt.Version, opt.Progress = env.Warehouse, env.Version, env.Progress
		return followupImportInto(ctx, w, opt)
	})
	s.counts = counts
	return s
}

// indicatorsStage imports the configured indicator data; without any, it
// still loads the SDG framework the reports need.
func indicatorsStage(o *BatchOptions) Stage {
	if len(o.Indicators)+len(o.IndicatorInputs) == 0 {
		return stageFunc{"indicators", func(ctx context.Context, w *load.Warehouse, _ *Env) (*Result, error) {
			return &Result{}, LoadFramework(ctx, w)
		}}
	}
	return indicatorsWith(IndicatorOptions{Paths: o.Indicators, Exclude: o.IndicatorExclude, Inputs: o.IndicatorInputs, Dataset: o.IndicatorDataset,
		Country: o.IndicatorCountry})
}

func indicatorsWith(opt IndicatorOptions) Stage {
	return recorded("indicators", func(ctx context.Context, w *load.Warehouse, env *Env) (*models.Run, error) {
		opt.Version = env.Version
		return indicatorsInto(ctx, w, opt)
	})
}

// reportsStage writes the configured reports (under WAREHOUSE/reports unless
// told otherwise) from the working database, before it is published. A
// report that would be empty is a warning: the run publishes what it did.
func reportsStage(o *BatchOptions) Stage {
	return stageFunc{"reports", func(ctx context.Context, w *load.Warehouse, env *Env) (*Result, error) {
		res := &Result{}
		for _, ro := range o.Reports {
			if ro.Out == "" {
				ro.Out = filepath.Join(env.Warehouse, "reports")
			}
			ro.RunID, ro.Warehouse = env.RunID, env.Warehouse
			paths, err := WriteReports(ctx, w, ro)
			var empty *EmptyReportError
			if errors.As(err, &empty) { // the batch still publishes what it did
				res.Warnings = append(res.Warnings, empty.Reasons...)
			} else if err != nil {
				return nil, err
			}
			for _, p := range paths {
				res.Inputs = append(res.Inputs, models.RunInput{Path: p, Name: filepath.Base(p), Format: "report:" + ro.Kind})
			}
		}
		return res, nil
	}}
}
