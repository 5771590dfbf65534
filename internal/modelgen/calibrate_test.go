package modelgen

import (
	"slices"
	"testing"
)

// The fallback floor a kind's calibration tunes follows its texts: where
// many texts have no goal and weak scores it rises above them; where every
// text has a goal, however weak its score, it falls under them.
func TestCalibrateTunesFloor(t *testing.T) {
	labels := []string{"1", "16"}
	base := []float64{0.5, 0.5}
	// oof[label][row], gold[row]
	build := func(rows [][3]float64) ([][]float64, [][]string, []int) {
		oof := [][]float64{nil, nil}
		var gold [][]string
		var idx []int
		for i, r := range rows {
			oof[0] = append(oof[0], r[0])
			oof[1] = append(oof[1], r[1])
			switch r[2] {
			case 1:
				gold = append(gold, []string{"1"})
			case 16:
				gold = append(gold, []string{"16"})
			default:
				gold = append(gold, nil)
			}
			idx = append(idx, i)
		}
		return oof, gold, idx
	}
	// Recommendations: 20 with goal 1 scored high (and 16 at 0.3: the
	// thresholds must rise over it), 20 without a goal whose best score is
	// 0.2, which the fallback would assign.
	var rows [][3]float64
	for range 20 {
		rows = append(rows, [3]float64{0.9, 0.3, 1}, [3]float64{0.2, 0.15, 0})
	}
	oof, gold, idx := build(rows)
	r := calibrate(labels, oof, base, 0.1, gold, KindCalibration{Kind: "recommendation", Rows: idx, TuneFloor: true})
	if r.floor <= 0.2 || r.floor > 0.9 || r.score != 1 {
		t.Errorf("texts without a goal: floor %g (objective %g), want over 0.2 and at most 0.9, objective 1", r.floor, r.score)
	}
	// General text: every text has a goal; 20 of them score it only 0.04,
	// under the model's floor of 0.1.
	rows = rows[:0]
	for range 20 {
		rows = append(rows, [3]float64{0.9, 0.05, 1}, [3]float64{0.01, 0.04, 16})
	}
	oof, gold, idx = build(rows)
	r = calibrate(labels, oof, base, 0.1, gold, KindCalibration{Kind: "general", Rows: idx, Balanced: true, TuneFloor: true})
	if r.floor > 0.04 || !slices.Contains(floorGrid, r.floor) {
		t.Errorf("weak goals: floor %g, want at most 0.04, one of %v", r.floor, floorGrid)
	}
	// Without TuneFloor the model's floor stays.
	if r := calibrate(labels, oof, base, 0.1, gold, KindCalibration{Kind: "general", Rows: idx, Balanced: true}); r.floor != 0.1 {
		t.Errorf("floor not tuned: %g, want the model's 0.1", r.floor)
	}
}
