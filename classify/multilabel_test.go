package classify

import (
	"bufio"
	"context"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// sampleUPR reads testdata/upr-issues.tsv: every 25th UPR Info
// recommendation of sessions 1–16 (see testdata/PROVENANCE.md).
func sampleUPR(t testing.TB) []uprDoc {
	t.Helper()
	f, err := os.Open("testdata/upr-issues.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var docs []uprDoc
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for line := 1; sc.Scan(); line++ {
		if line == 1 {
			continue
		}
		fs := strings.Split(sc.Text(), "\t")
		if len(fs) != 4 {
			t.Fatalf("upr-issues.tsv line %d: %d fields", line, len(fs))
		}
		s, err := strconv.Atoi(fs[0])
		if err != nil {
			t.Fatalf("upr-issues.tsv line %d: %v", line, err)
		}
		docs = append(docs, uprDoc{Session: s, Country: fs[1], Issues: strings.Split(fs[2], ","), Text: fs[3]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return docs
}

var businessDesc = map[string]string{
	"Business and human rights": "Business enterprises and companies: corporate responsibility to respect human rights, human rights due diligence by business.",
}

// trainSample trains on the sample's sessions 1–12 with a description for a
// label that no training text has.
func trainSample(t testing.TB) (*MultiLabel, []uprDoc) {
	t.Helper()
	docs := sampleUPR(t)
	texts, ys := splitUPR(docs, func(d uprDoc) bool { return d.Session <= 12 })
	ctx := context.Background()
	vz, err := Fit(ctx, texts, Options{Tokenizer: TokenizerOptions{NGram: 2}})
	if err != nil {
		t.Fatal(err)
	}
	X, err := vz.Transform(ctx, texts)
	if err != nil {
		t.Fatal(err)
	}
	m, err := TrainMultiLabel(ctx, vz, X, ys, MultiLabelOptions{Folds: 3, Descriptions: businessDesc})
	if err != nil {
		t.Fatal(err)
	}
	return m, docs
}

func labelsOf(p Prediction) []string {
	var out []string
	for _, a := range p.Labels {
		out = append(out, a.Label)
	}
	return out
}

func TestMultiLabelSample(t *testing.T) {
	m, docs := trainSample(t)
	if len(docs) != 1210 {
		t.Fatalf("read %d sample rows, want 1210", len(docs))
	}
	// All 54 issues occur in the sample's sessions 1–12, plus the described one.
	if len(m.Labels) != 55 || m.LabelIndex("Business and human rights") < 0 {
		t.Fatalf("%d labels: %q", len(m.Labels), m.Labels)
	}
	if l := m.LabelIndex("Business and human rights"); m.Positives[l] != 0 || m.Lambda[l] != 0 || m.Threshold[l] != 0.5 {
		t.Errorf("described label: positives %d, lambda %v, threshold %v", m.Positives[l], m.Lambda[l], m.Threshold[l])
	}
	testX, testY := splitUPR(docs, func(d uprDoc) bool { return d.Session > 12 })
	T, err := m.Vectorizer().Transform(context.Background(), testX)
	if err != nil {
		t.Fatal(err)
	}
	preds, err := m.PredictMatrix(context.Background(), T, PredictOptions{})
	if err != nil {
		t.Fatal(err)
	}
	met := score(t, m, testY, preds)
	t.Logf("sample: %d test texts, micro F1 %.4f, macro F1 %.4f", len(testX), met.MicroF, met.MacroF)
	if met.Docs != 356 || met.MicroF < 0.60 {
		t.Errorf("sample sessions 13–16: %d texts, micro F1 %.4f, want 356 and ≥ 0.60", met.Docs, met.MicroF)
	}

	tests := []struct {
		text     string
		want     string // an assigned label
		evidence string // one of its evidence terms
	}{
		{"Abolish the death penalty and commute all death sentences.", "Death penalty", "death penalti"},
		{"Ratify the Convention on the Rights of Persons with Disabilities.", "Disabilities", "disabl"},
		{"Take measures to combat trafficking in women and children.", "Trafficking", "traffick"},
		{"Ensure that business enterprises respect human rights and exercise human rights due diligence.",
			"Business and human rights", ""},
	}
	for _, tc := range tests {
		p := m.PredictText(tc.text, PredictOptions{Evidence: 5, TopK: 3})
		i := slices.IndexFunc(p.Labels, func(a Assigned) bool { return a.Label == tc.want })
		if i < 0 {
			t.Errorf("%q: labels %q, want %q among them (next %+v)", tc.text, labelsOf(p), tc.want, p.Next)
			continue
		}
		if tc.evidence != "" && !slices.Contains(p.Labels[i].Evidence, tc.evidence) {
			t.Errorf("%q → %s: evidence %q, want %q in it", tc.text, tc.want, p.Labels[i].Evidence, tc.evidence)
		}
		if len(p.Next) != 3 {
			t.Errorf("%q: %d next labels, want 3", tc.text, len(p.Next))
		}
		for k, n := range p.Next {
			if slices.Contains(labelsOf(p), n.Label) || k > 0 && n.Score > p.Next[k-1].Score {
				t.Errorf("%q: next %+v is assigned too or out of order", tc.text, n)
			}
		}
	}
	if p := m.PredictText("Qwertz zyxwv.", PredictOptions{}); !p.Unclassified || len(p.Labels) != 0 {
		t.Errorf("text with no known term: %+v, want unclassified", p)
	}
}

// TestMultiLabelFloor: with an impossible floor and thresholds, a text is
// unclassified; with no floor, it gets its best label.
func TestMultiLabelFloor(t *testing.T) {
	m, _ := trainSample(t)
	x := m.Vectorizer().Vector("Abolish the death penalty.")
	saved := slices.Clone(m.Threshold)
	for l := range m.Threshold {
		m.Threshold[l] = 2
	}
	m.Floor = 1.5
	if p := m.Predict(x, PredictOptions{}); !p.Unclassified || len(p.Labels) != 0 {
		t.Errorf("floor 1.5: %+v, want unclassified", p)
	}
	m.Floor = 0
	if p := m.Predict(x, PredictOptions{}); p.Unclassified || !slices.Equal(labelsOf(p), []string{"Death penalty"}) {
		t.Errorf("floor 0: %+v, want the top label Death penalty", p)
	}
	copy(m.Threshold, saved)
}

func TestMultiLabelDeterministic(t *testing.T) {
	a, _ := trainSample(t)
	b, _ := trainSample(t)
	if !slices.Equal(a.w, b.w) || !slices.Equal(a.Threshold, b.Threshold) || !slices.Equal(a.Platt, b.Platt) {
		t.Error("two trainings on the same data differ")
	}
}

func TestMultiLabelErrors(t *testing.T) {
	docs := sampleUPR(t)[:100]
	texts, ys := splitUPR(docs, func(uprDoc) bool { return true })
	vz, err := Fit(context.Background(), texts, Options{})
	if err != nil {
		t.Fatal(err)
	}
	X, _ := vz.Transform(context.Background(), texts)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		ys   [][]string
		opt  MultiLabelOptions
		want string
	}{
		{"label count", context.Background(), ys[:50], MultiLabelOptions{}, "100 rows but 50 label lists"},
		{"folds", context.Background(), ys, MultiLabelOptions{Folds: 1}, "1 folds for 100 rows"},
		{"no labels", context.Background(), make([][]string, 100), MultiLabelOptions{}, "no labels"},
		{"bad C", context.Background(), ys, MultiLabelOptions{Linear: LinearOptions{C: -1}}, "C and Tol must be positive"},
		{"cancelled", cancelled, ys, MultiLabelOptions{}, "context canceled"},
	}
	for _, tc := range tests {
		_, err := TrainMultiLabel(tc.ctx, vz, X, tc.ys, tc.opt)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one saying %q", tc.name, err, tc.want)
		}
	}
}

// TestScoresTermByTerm checks the scores of texts of one to nine terms
// (the terms beyond the last four are added with rows of zeros, see
// scoresCut) against each label's decision summed one term at a time in
// column order and blended as in training, bit for bit, on the three
// default models.
func TestScoresTermByTerm(t *testing.T) {
	for _, md := range loadDefaultModels(t) {
		m := md.MultiLabel
		L := len(m.Labels)
		var b scoreBuf
		for n := 1; n <= 9; n++ {
			for start := 0; start < 40; start++ {
				var x Vector
				for k := range n {
					c := int32((start*7919 + k*104729) % m.cols)
					if !slices.Contains(x.Idx, c) {
						x.Idx = append(x.Idx, c)
					}
				}
				slices.Sort(x.Idx)
				for k := range x.Idx {
					x.Val = append(x.Val, float32(k+1)/float32(len(x.Idx)+1))
				}
				got := m.scoresCut(x, &b, nil, nil)
				for l := range L {
					dec := m.Bias[l]
					for k, c := range x.Idx {
						dec += float64(x.Val[k]) * float64(m.w[int(c)*L+l])
					}
					if want := m.blend(l, dec, x); math.Float64bits(got[l]) != math.Float64bits(want) {
						t.Fatalf("%s, %d terms %v, label %s: score %v, term by term %v", md.Task, len(x.Idx), x.Idx, m.Labels[l], got[l], want)
					}
				}
			}
		}
	}
}

// TestEvidenceOfSameAsEvidence checks the evidence of several labels found
// in one pass (evidenceOf) against each label's own (evidence): the same
// terms in the same order, for one to five terms, on the three default
// models over the golden sample, and on weights made to tie, where the
// earlier column comes first.
func TestEvidenceOfSameAsEvidence(t *testing.T) {
	check := func(name string, m *MultiLabel, x Vector, ls []int) {
		t.Helper()
		var b scoreBuf
		for k := 1; k <= 5; k++ {
			m.evidenceOf(ls, x, k, &b)
			for i, l := range ls {
				got := b.tops[i*k:][:b.ntop[i]]
				if want := m.evidence(l, x, k, nil); !slices.Equal(got, want) {
					t.Fatalf("%s, label %s, %d terms: %v, one label at a time %v", name, m.Labels[l], k, got, want)
				}
			}
		}
	}
	_, texts := goldenSample(t)
	for _, md := range loadDefaultModels(t) {
		m := md.MultiLabel
		all := make([]int, len(m.Labels))
		for l := range all {
			all[l] = l
		}
		for _, text := range texts {
			check(md.Task, m, m.vz.Vector(text), all)
		}
	}
	// Three labels over six terms: label 0 has equal weights everywhere,
	// label 1 some negative, label 2 a tie across the cut of the top three.
	vz := newVectorizer(NewTokenizer(TokenizerOptions{}), 1, []string{"a", "b", "c", "d", "e", "f"}, []int32{1, 1, 1, 1, 1, 1}, nil)
	m := &MultiLabel{Labels: []string{"x", "y", "z"}, vz: vz, cols: 6, w: []float32{
		1, -1, 3,
		1, 2, 2,
		1, -3, 2,
		1, 4, 2,
		1, 0, 1,
		1, 5, 2,
	}}
	x := Vector{Idx: []int32{0, 1, 2, 3, 4, 5}, Val: []float32{0.5, 0.5, 0.5, 0.5, 0.5, 0.5}}
	check("ties", m, x, []int{0, 1, 2})
	check("ties, two labels", m, x, []int{2, 0})
}
