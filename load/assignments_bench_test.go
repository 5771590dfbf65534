package load

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/nmirf/nmirf/models"
)

// benchAssignments is one classification batch of the SDG model as the
// classify stage writes it: 25,000 recommendations, each with two goals and
// two targets and five evidence terms per label (the shape of the default
// SDG model's output on UPR Info texts).
func benchAssignments() ([]RecText, []int32, [][]models.Assignment) {
	evidence := []string{"women", "violence against", "gender", "discrimination", "girls"}
	var texts []RecText
	var of []int32
	var labels [][]models.Assignment
	for i := range 25000 {
		id := fmt.Sprintf("rec-%06d", i)
		texts = append(texts, RecText{RecID: id, TextSHA256: fmt.Sprintf("%064x", i)})
		of = append(of, int32(i))
		var as []models.Assignment
		for r, l := range []struct{ scheme, label string }{{"sdg-goal", "5"}, {"sdg-goal", "16"}, {"sdg-target", "5.2"}, {"sdg-target", "16.1"}} {
			as = append(as, models.Assignment{Scheme: l.scheme, Label: l.label, Score: 0.9 - float64(r)/10,
				Rank: r + 1, ModelID: "sdg-0123456789ab", Evidence: evidence})
		}
		labels = append(labels, as)
	}
	return texts, of, labels
}

// BenchmarkWriteAssignments writes one batch of SDG assignments (100,000
// rows) into a new warehouse, replacing the previous ones each time.
func BenchmarkWriteAssignments(b *testing.B) {
	ctx := context.Background()
	w, err := Open(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	texts, of, labels := benchAssignments()
	info := ModelInfo{ModelID: "sdg-0123456789ab", Task: models.TaskSDG, Labels: 186, Header: map[string]string{}}
	n := 0
	cpu0 := processCPU()
	for b.Loop() {
		n++
		run := &models.Run{RunID: fmt.Sprintf("run-%d", n), Command: "classify"}
		if err := w.WriteAssignments(ctx, run, AssignmentBatch{Texts: texts, Of: of, Results: []TaskResult{{Model: info, Labels: labels}}}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(4*len(texts))*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	// CPU time (Go and DuckDB's threads) tells the work apart from the
	// machine's load.
	b.ReportMetric((processCPU()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
}

// processCPU is the user and system CPU time of the process so far, DuckDB's
// threads included.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
