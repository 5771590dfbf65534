package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/nmirf/nmirf/load"
	"github.com/nmirf/nmirf/models"
	"github.com/nmirf/nmirf/pipeline"
)

// printRunSummary writes the short human summary of a run to stderr: what
// it did, then its notes, warnings and rejected rows grouped by kind, each
// kind once with its count and first instance. The full lists are in the
// run's manifest and the log.
func printRunSummary(g *globals, run *models.Run) {
	if run == nil || g.quiet {
		return
	}
	g.summarized = true
	c := run.Counts
	skipped := 0
	for _, in := range run.Inputs {
		if in.Skipped {
			skipped++
		}
	}
	switch {
	case run.Status == "failed" || run.Status == pipeline.StatusInterrupted:
		var done []string
		for _, st := range run.Stages {
			done = append(done, st.Name)
		}
		kept := "no stage committed"
		if len(done) > 0 {
			kept = "committed: " + strings.Join(done, ", ")
		}
		held := ""
		if c.Total >= 0 {
			held = fmt.Sprintf("; the database holds %d recommendations", c.Total)
		}
		snapshot := "the published Parquet snapshot in " + g.warehouse + " is the previous one"
		if _, err := os.Lstat(filepath.Join(g.warehouse, load.ParquetLink)); err != nil {
			snapshot = "no Parquet snapshot is published in " + g.warehouse + " yet"
		}
		fmt.Fprintf(g.stderr, "%s %s: %s; %s%s; %s\n", run.Command, run.RunID, run.Status, kept, held, snapshot)
	case run.Command == "indicators import":
		fmt.Fprintf(g.stderr, "indicators %s: %s; %d observations read, %d rejected\n", run.RunID, run.Status, c.Read, c.Rejected)
	default:
		fmt.Fprintf(g.stderr, "%s %s: %s; %d records -> %d distinct; %d new, %d merged, %d unchanged, %d rejected; %d recommendations in %s\n",
			run.Command, run.RunID, run.Status, c.Read, c.Distinct, c.New, c.Merged, c.Unchanged, c.Rejected, c.Total, g.warehouse)
	}
	if skipped > 0 {
		fmt.Fprintf(g.stderr, "  %d unchanged input file(s) skipped\n", skipped)
	}
	for _, st := range run.Stages {
		fmt.Fprintf(g.stderr, "  %-10s %6.2fs\n", st.Name, st.Seconds)
	}
	more := printGroups(g, "warning", run.Warnings)
	var files, rows []string
	for _, r := range run.Rejected {
		if r.Row == 0 && r.Field == "" && strings.HasPrefix(r.Msg, "file not imported: ") {
			files = append(files, r.File+": "+strings.TrimPrefix(r.Msg, "file not imported: "))
		} else {
			rows = append(rows, r.Error())
		}
	}
	for i, f := range files {
		if i == 10 {
			fmt.Fprintf(g.stderr, "  … %d more files not imported\n", len(files)-i)
			more = true
			break
		}
		fmt.Fprintf(g.stderr, "  not imported: %s (to stop trying, add it to the exclude list in the config)\n", f)
	}
	more = printGroups(g, "rejected", rows) || more
	if more || len(run.Warnings)+len(rows) > 10 {
		fmt.Fprintf(g.stderr, "  the full lists: %s (and the ingest_errors table, the log in %s)\n",
			filepath.Join(g.warehouse, "runs", run.RunID+".json"), filepath.Join(g.warehouse, "logs"))
	}
}

// printGroups prints the first ten kinds of messages, each once with its
// count and where its first instance is, and tells whether there were more.
func printGroups(g *globals, label string, msgs []string) (more bool) {
	for i, gr := range groupByKind(msgs) {
		if i == 10 {
			return true
		}
		if gr.n == 1 {
			fmt.Fprintf(g.stderr, "  %s: %s\n", label, gr.first)
		} else {
			fmt.Fprintf(g.stderr, "  %s ×%d: %s (first: %s)\n", label, gr.n, gr.kind, gr.where)
		}
	}
	return false
}

type group struct {
	kind  string // the message without what varies
	first string // the first message of the kind, whole
	where string // where the first one is: its file and row, or the message
	n     int
}

// groupByKind groups messages by kind, most frequent first, first seen
// first among equals.
func groupByKind(msgs []string) []group {
	var out []group
	at := map[string]int{}
	for _, m := range msgs {
		k, where := warningKind(m)
		if i, ok := at[k]; ok {
			out[i].n++
			continue
		}
		at[k] = len(out)
		out = append(out, group{kind: k, first: m, where: where, n: 1})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].n > out[j].n })
	return out
}

var (
	quotedRe = regexp.MustCompile(`"[^"]*"|'[^']*'`)
	numberRe = regexp.MustCompile(`\d+(?:[.,]\d+)*`)
)

// warningKind splits a message into its kind, without what varies from one
// instance to the next (the leading file names and locations, quoted
// values, numbers), and where it is (the leading locations, or the whole
// message when it has none). "a.csv: row 12: no date" and "b.csv: row 40:
// no date" are one kind.
func warningKind(msg string) (kind, where string) {
	rest := msg
	for {
		head, tail, ok := strings.Cut(rest, ": ")
		if !ok || !looksLikeLocation(head) {
			break
		}
		rest = tail
	}
	where = strings.TrimSuffix(strings.TrimSuffix(msg, rest), ": ")
	if where == "" {
		where = msg
	}
	rest = numberRe.ReplaceAllString(quotedRe.ReplaceAllString(rest, "…"), "N")
	// A list of instances ("row N by row N; row N by row N; … N more") is
	// one kind whatever its length.
	var parts []string
	for _, p := range strings.Split(rest, "; ") {
		if strings.HasPrefix(p, "… N more") || len(parts) > 0 && parts[len(parts)-1] == p {
			continue
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "; "), where
}

// looksLikeLocation tells a file name, path or row reference at the head
// of a message from the words of the message.
func looksLikeLocation(s string) bool {
	if strings.ContainsAny(s, `/\`) || strings.HasPrefix(s, "embedded:") {
		return true
	}
	f := strings.Fields(s)
	if len(f) == 0 {
		return false
	}
	// "upr.csv", "upr.csv row 3 field \"From\"" (a rejected row)
	if ext := filepath.Ext(f[0]); len(ext) > 1 && len(ext) <= 5 && (len(f) == 1 || f[1] == "row" || f[1] == "field" || f[1] == "sheet") {
		return true
	}
	return len(f) == 2 && (f[0] == "row" || f[0] == "line" || f[0] == "paragraph" || f[0] == "sheet")
}
