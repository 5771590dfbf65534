package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Real recommendations (UPR Info export, WG reports), a French one (UPR
// recommendations are also published in French), an empty one.
const standaloneJSONL = `{"id":"a","text":"Ratify the Optional Protocol to the Convention against Torture and establish a national preventive mechanism."}
{"id":"b","text":"Take measures to increase girls' enrolment in primary and secondary education, particularly in rural areas."}
{"id":"c","text":""}
{"id":"d","text":"Ratifier le Protocole facultatif se rapportant à la Convention contre la torture et mettre en place un mécanisme national de prévention."}
{"id":"e","text":"Abolish the death penalty and commute all death sentences to terms of imprisonment."}
`

func readJSONL(t *testing.T, s string) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(strings.NewReader(s))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("output line %q: %v", sc.Text(), err)
		}
		out = append(out, m)
	}
	return out
}

func labels(rec map[string]any, key string) []string {
	var out []string
	list, _ := rec[key].([]any)
	for _, x := range list {
		if m, ok := x.(map[string]any); ok && m["extra"] != true {
			out = append(out, m["label"].(string))
		}
	}
	return out
}

func TestClassifyStandaloneJSONL(t *testing.T) {
	in := filepath.Join(t.TempDir(), "new.jsonl")
	os.WriteFile(in, []byte(standaloneJSONL), 0o644)
	code, out, stderr := run(t, "classify", "--in", in, "--id-col", "id", "--top", "2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	recs := readJSONL(t, out)
	if len(recs) != 5 {
		t.Fatalf("%d records, want one per input row (5)", len(recs))
	}
	for i, id := range []string{"a", "b", "c", "d", "e"} {
		if recs[i]["id"] != id {
			t.Errorf("record %d has id %v, want %s (input order)", i, recs[i]["id"], id)
		}
	}
	if got := labels(recs[0], "issues"); !contains(got, "Torture and other CID treatment") {
		t.Errorf("OP-CAT recommendation: issues %v", got)
	}
	if got := labels(recs[1], "sdg_goals"); !contains(got, "4") {
		t.Errorf("girls' education recommendation: SDG goals %v", got)
	}
	if got := labels(recs[4], "issues"); !contains(got, "Death penalty") {
		t.Errorf("death penalty recommendation: issues %v", got)
	}
	if f := recs[2]["flags"]; f == nil || !strings.Contains(toString(f), "empty") {
		t.Errorf("empty text not flagged: %v", recs[2])
	}
	// The French OP-CAT recommendation is read through the lexicon, flagged
	// with its language, and gets the issues of its English version (a).
	if f := recs[3]["flags"]; f == nil || toString(f) != toString([]any{"translated-fr"}) {
		t.Errorf("French text flags %v, want [translated-fr]", recs[3]["flags"])
	}
	if got := labels(recs[3], "issues"); !contains(got, "Torture and other CID treatment") || !contains(got, "International instruments") {
		t.Errorf("French OP-CAT recommendation: issues %v", got)
	}
	for _, i := range []int{0, 1, 4} {
		if f := recs[i]["flags"]; f != nil {
			t.Errorf("English recommendation %v flagged %v", recs[i]["id"], f)
		}
	}
	for _, rec := range recs[:2] {
		for _, key := range []string{"issues", "uhri_themes", "sdg_targets"} {
			for _, x := range rec[key].([]any) {
				m := x.(map[string]any)
				if s := m["score"].(float64); s < 0 || s > 1 {
					t.Errorf("%s score %v outside [0,1]", key, s)
				}
			}
		}
	}
}

func TestClassifyStandaloneCSVAndBadModel(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "new.csv")
	os.WriteFile(in, []byte("Ref,Recommendation\nR1,Abolish the death penalty\nR2,\"Strengthen the national human rights institution, in line with the Paris Principles\"\n"), 0o644)
	code, out, stderr := run(t, "classify", "--in", in, "--text-col", "Recommendation", "--id-col", "Ref", "--format", "csv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[1], "R1,") || !strings.HasPrefix(lines[2], "R2,") {
		t.Fatalf("csv output:\n%s", out)
	}
	if code, _, stderr := run(t, "classify", "--in", in, "--text-col", "Text"); code != 65 || !strings.Contains(stderr, `no column "Text"`) {
		t.Errorf("missing column: exit %d, %s", code, stderr)
	}
	// A model file cut short, and one that is not a model at all.
	model := filepath.Join(dir, "m.nmm")
	code, _, stderr = run(t, "train", "--task", "issues", "--in", filepath.Join("..", "..", "extract", "uprinfo", "testdata", "upr-info-sample-macroman-cr.csv"),
		"--min-df", "1", "--folds", "3", "--out", model)
	if code != 0 {
		t.Fatalf("train: exit %d: %s", code, stderr)
	}
	b, _ := os.ReadFile(model)
	os.WriteFile(model+".cut", b[:len(b)/2], 0o644)
	os.WriteFile(model+".txt", []byte("not a model\n"), 0o644)
	for _, bad := range []string{model + ".cut", model + ".txt"} {
		code, _, stderr := run(t, "classify", "--model", bad, "--in", in, "--text-col", "Recommendation")
		if code != 65 || !strings.Contains(stderr, "not a valid nmirf classification model") || strings.Contains(stderr, "goroutine") {
			t.Errorf("%s: exit %d, %s", filepath.Base(bad), code, stderr)
		}
	}
	// The trained model works standalone and evaluates on its own data.
	if code, _, stderr := run(t, "classify", "--model", model, "--in", in, "--text-col", "Recommendation"); code != 0 {
		t.Errorf("classify with trained model: exit %d, %s", code, stderr)
	}
	code, out, stderr = run(t, "eval", "--model", model, "--format", "json", "--in", filepath.Join("..", "..", "extract", "uprinfo", "testdata", "upr-info-sample-macroman-cr.csv"))
	if code != 0 {
		t.Fatalf("eval: exit %d: %s", code, stderr)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil || m["MicroF"].(float64) < 0.5 {
		t.Errorf("eval on training data: %v %v", err, out[:min(len(out), 300)])
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func toString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
