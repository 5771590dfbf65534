package report_test

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nmirf/nmirf/load/report"
)

// chromium finds a headless-capable browser. Without one the test skips on
// a user's machine and fails in CI, where it is installed.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium not found; CI must have it")
	}
	t.Skip("chromium not found")
	return ""
}

func runChromium(t *testing.T, bin, profile string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile}
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, stderr.String())
	}
	return stdout.Bytes()
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
