package models

import (
	"slices"
	"strings"
)

// Task is what a classification model does: the labels it gives, the
// source labels that train it, and where its assignments are stored.
type Task struct {
	Name string // as saved in a model file: "upr-info-issues", "uhri-themes", "sdg"
	// SourceScheme is the scheme of the imported labels that train it.
	SourceScheme string
	// Scheme is the scheme of the assignments it gives; the SDG task gives
	// SchemeSDGTarget rows and, implied by them, SchemeSDGGoal rows.
	Scheme string
	// Table is the warehouse table its assignments go to.
	Table string
	// Short is the name the command line shows; Aliases are the other
	// names it accepts besides Name.
	Short   string
	Aliases []string
}

// Tables of the assignments.
const (
	TableThemeAssignments = "theme_assignments"
	TableSDGAssignments   = "sdg_assignments"
)

// Tasks are the tasks nmirf has models for, in the order their default
// models are applied.
var Tasks = []Task{
	{Name: TaskUPRInfoIssues, SourceScheme: SchemeUPRInfoIssue, Scheme: SchemeUPRInfoIssue, Table: TableThemeAssignments, Short: "issues"},
	{Name: TaskUHRIThemes, SourceScheme: SchemeUHRITheme, Scheme: SchemeUHRITheme, Table: TableThemeAssignments, Short: "uhri-themes", Aliases: []string{"themes"}},
	{Name: TaskSDG, SourceScheme: SchemeUHRISDG, Scheme: SchemeSDGTarget, Table: TableSDGAssignments, Short: "sdg", Aliases: []string{"sdgs"}},
}

// TaskOf returns the task a model file names, or false for an unknown one.
func TaskOf(name string) (Task, bool) {
	i := slices.IndexFunc(Tasks, func(t Task) bool { return t.Name == name })
	if i < 0 {
		return Task{}, false
	}
	return Tasks[i], true
}

// ParseTask returns the task a command-line name or alias (any case) means.
func ParseTask(s string) (Task, error) {
	s = strings.ToLower(s)
	for _, t := range Tasks {
		if t.Name == s || t.Short == s || slices.Contains(t.Aliases, s) {
			return t, nil
		}
	}
	names := make([]string, len(Tasks))
	for i, t := range Tasks {
		names[i] = t.Short
	}
	return Task{}, UsageError("unknown task %q (%s)", s, strings.Join(names, ", "))
}

// SchemeOf returns the scheme of the assignments a model of task gives;
// an unknown task's scheme is its name.
func SchemeOf(task string) string {
	if t, ok := TaskOf(task); ok {
		return t.Scheme
	}
	return task
}
