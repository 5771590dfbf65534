package matrix

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/models"
)

// fillAssessments copies a real OHCHR thematic list and writes text into
// the "Assessment/comments on level of implementation" cell (the last) of
// the given table rows (0-based over every row of the document), as an
// NMIRF filling in the list would.
func fillAssessments(t *testing.T, path string, texts map[int]string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	rowRe := regexp.MustCompile(`(?s)<w:tr[ >].*?</w:tr>`)
	cellRe := regexp.MustCompile(`(?s)<w:tc>.*?</w:tc>`)
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, _ := f.Open()
		data, _ := io.ReadAll(rc)
		rc.Close()
		if f.Name == "word/document.xml" {
			n := -1
			data = rowRe.ReplaceAllFunc(data, func(row []byte) []byte {
				n++
				text, ok := texts[n]
				if !ok {
					return row
				}
				cells := cellRe.FindAllIndex(row, -1)
				last := cells[len(cells)-1]
				cell := "<w:tc><w:p><w:r><w:t>" + text + "</w:t></w:r></w:p></w:tc>"
				return append(append(append([]byte{}, row[:last[0]]...), cell...), row[last[1]:]...)
			})
		}
		w, _ := zw.Create(f.Name)
		w.Write(data)
	}
	zw.Close()
	return out.Bytes()
}

func TestAssessmentColumnGivesStatusUpdates(t *testing.T) {
	data := fillAssessments(t, "testdata/UPR20__Slovenia_ThematicListRecommendations_E.docx", map[int]string{
		2: "Partially implemented: two of the treaties ratified (as of 15 September 2025).",
		3: "Non mis en œuvre",
		4: "Consultations with the ministries continue.",
	})
	in, _ := extract.NewInput("slovenia-assessed.docx", data)
	res, err := New().Import(context.Background(), in, extract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Records) != 163 {
		t.Errorf("%d recommendations, want the 163 of the list", len(res.Records))
	}
	if res.Followup == nil || len(res.Followup.Updates) != 2 {
		t.Fatalf("followup %+v", res.Followup)
	}
	u := res.Followup.Updates
	r := byParagraph(res.Records)["115.1"]
	r.Normalize()
	if u[0].RecID != models.RecID(&r) || u[0].Status != models.StatusPartiallyImplemented || u[0].Date != "2025-09-15" || u[0].Source.Row != 3 {
		t.Errorf("115.1: %+v", u[0])
	}
	// No date in the cell: the document's last modification (docProps/core.xml).
	if u[1].Status != models.StatusNotStarted || u[1].Date != "2019-03-11" {
		t.Errorf("second update: %+v", u[1])
	}
	if w := strings.Join(res.Warnings, "\n"); !strings.Contains(w, `table 1 row 5: assessment "Consultations with the ministries continue." names no level of implementation`) {
		t.Errorf("warnings: %s", w)
	}
	// The lists as OHCHR publishes them, with the column empty, give none.
	for _, f := range []string{"UPR20__Slovenia_ThematicListRecommendations_E.docx", "Matrix_recommendations_2013.docx"} {
		if res := importFile(t, "testdata/"+f); res.Followup != nil {
			t.Errorf("%s: follow-up from an empty assessment column: %+v", f, res.Followup)
		}
	}
}
