package report_test

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nmirf/nmirf/extract/norm"
	"github.com/nmirf/nmirf/internal/browsertest"
	"github.com/nmirf/nmirf/load/report"
)

func chromium(t *testing.T) string { return browsertest.Chromium(t) }

func runChromium(t *testing.T, bin, profile string, args ...string) []byte {
	return browsertest.Run(t, 90*time.Second, bin, profile, args...)
}

// TestHTMLInBrowser renders the gap report of the test warehouse and opens
// it in headless Chromium: it must load offline, draw, and hold the title
// and both charts. NMIRF_SCREENSHOT_DIR keeps the screenshot for a look.
func TestHTMLInBrowser(t *testing.T) {
	bin := chromium(t)
	f := warehouse(t)
	rep, err := report.Gaps(context.Background(), f.db, report.Options{Now: reportNow})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "gaps.html")
	var buf bytes.Buffer
	if err := report.WriteHTML(&buf, rep); err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	for _, remote := range []string{"http://", "https://", "<script", "<link", "@import", "url("} {
		// The SVG namespace is an identifier, not a fetch.
		if strings.Contains(strings.ReplaceAll(html, `xmlns="http://www.w3.org/2000/svg"`, ""), remote) {
			t.Errorf("HTML is not self-contained: contains %q", remote)
		}
	}
	if err := os.WriteFile(page, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "r.png")
	runChromium(t, bin, filepath.Join(dir, "profile-shot"), "--screenshot="+shot, "--window-size=1280,2000", "file://"+page)
	data, err := os.ReadFile(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("screenshot is no PNG: %v", err)
	}
	b := img.Bounds()
	if b.Dx() != 1280 || b.Dy() != 2000 {
		t.Errorf("screenshot %dx%d, want 1280x2000", b.Dx(), b.Dy())
	}
	colours := map[[3]uint32]bool{}
	nonWhite := 0
	samples := 0
	for y := b.Min.Y; y < b.Max.Y; y += 4 {
		for x := b.Min.X; x < b.Max.X; x += 4 {
			r, g, bl, _ := img.At(x, y).RGBA()
			colours[[3]uint32{r >> 8, g >> 8, bl >> 8}] = true
			if r>>8 < 240 || g>>8 < 240 || bl>>8 < 240 {
				nonWhite++
			}
			samples++
		}
	}
	// Text, 17 goal colours and three heat-map colours: a blank or error page has a handful.
	if len(colours) < 30 || nonWhite*100 < samples*3 {
		t.Errorf("screenshot looks blank: %d colours, %d of %d samples not white", len(colours), nonWhite, samples)
	}
	if keep := os.Getenv("NMIRF_SCREENSHOT_DIR"); keep != "" {
		os.WriteFile(filepath.Join(keep, "gap-report.png"), data, 0o644)
		os.WriteFile(filepath.Join(keep, "gap-report.html"), buf.Bytes(), 0o644)
	}

	dom := string(runChromium(t, bin, filepath.Join(dir, "profile-dom"), "--dump-dom", "file://"+page))
	for _, s := range []string{"<title>SDG gap report</title>", `id="goal-chart"`, `class="heatmap"`, "Data availability by target", "Clusters of similar recommendations"} {
		if !strings.Contains(dom, s) {
			t.Errorf("DOM lacks %q", s)
		}
	}
	if n := strings.Count(dom, `class="bar"`); n != 17 {
		t.Errorf("goal chart has %d bars, want 17", n)
	}
	if n := strings.Count(dom, `class="heatmap"`); n != len(rep.Countries()) {
		t.Errorf("%d heat maps, want one per country (%d)", n, len(rep.Countries()))
	}
}

// a4Width is the printable width of an A4 page with the report's 12 mm
// margins, in CSS pixels (96 per inch): (210 − 2·12) mm.
const a4Width = 703

// TestHTMLFitsA4 lays the gap report out in Chromium at the printable
// width of an A4 page with the print stylesheet in force, and measures the
// flags and clusters tables: no column may run off the page. It then
// prints the page to PDF, as a reader would.
func TestHTMLFitsA4(t *testing.T) {
	bin := chromium(t)
	f := warehouse(t)
	rep, err := report.Gaps(context.Background(), f.db, report.Options{Now: reportNow, Names: norm.CountryName})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Clusters) == 0 || len(rep.Flagged()) == 0 {
		t.Fatalf("%d clusters, %d flags: the test needs both tables", len(rep.Clusters), len(rep.Flagged()))
	}
	var buf bytes.Buffer
	if err := report.WriteHTML(&buf, rep); err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	if !strings.Contains(html, "@media print") {
		t.Fatal("the report has no print stylesheet")
	}
	// Screen layout with the print rules applied: Chromium's command line
	// cannot emulate print media for a DOM dump.
	measured := strings.ReplaceAll(html, "@media print", "@media all")
	measured = strings.Replace(measured, "</body>", `<script>
const vw = document.documentElement.clientWidth;
const out = [];
for (const id of ["flags", "clusters"]) {
  const t = document.querySelector("#" + id + " table");
  out.push(id + "=" + (t ? Math.ceil(t.getBoundingClientRect().right) : -1));
}
out.push("page=" + document.documentElement.scrollWidth, "viewport=" + vw);
const p = document.createElement("pre"); p.id = "fit"; p.textContent = out.join(" "); document.body.appendChild(p);
</script></body>`, 1)
	dir := t.TempDir()
	page := filepath.Join(dir, "measure.html")
	if err := os.WriteFile(page, []byte(measured), 0o644); err != nil {
		t.Fatal(err)
	}
	dom := string(runChromium(t, bin, filepath.Join(dir, "profile-fit"), "--dump-dom", "--window-size="+strconv.Itoa(a4Width)+",1000", "file://"+page))
	m := regexp.MustCompile(`flags=(-?\d+) clusters=(-?\d+) page=(\d+) viewport=(\d+)`).FindStringSubmatch(dom)
	if m == nil {
		t.Fatalf("no measurement in the DOM:\n%.500s", dom)
	}
	n := func(i int) int { v, _ := strconv.Atoi(m[i]); return v }
	vw := n(4)
	if vw < a4Width-30 || vw > a4Width {
		t.Fatalf("viewport %d px, want about %d", vw, a4Width)
	}
	if n(1) < 0 || n(2) < 0 || n(1) > vw || n(2) > vw || n(3) > vw {
		t.Errorf("at A4 width (%d px): flags table ends at %d px, clusters table at %d px, page %d px wide", vw, n(1), n(2), n(3))
	}

	src := filepath.Join(dir, "gaps.html")
	if err := os.WriteFile(src, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	pdf := filepath.Join(dir, "gaps.pdf")
	runChromium(t, bin, filepath.Join(dir, "profile-pdf"), "--print-to-pdf="+pdf, "--no-pdf-header-footer", "file://"+src)
	b, err := os.ReadFile(pdf)
	if err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) || bytes.Count(b, []byte("/Type /Page")) < 2 {
		t.Errorf("printing to PDF: %v, %d bytes, %d pages", err, len(b), bytes.Count(b, []byte("/Type /Page")))
	}
}
