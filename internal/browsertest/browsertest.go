// Package browsertest finds and runs headless Chromium for the tests that
// check what a reader's browser shows (reports, the public site). Without a
// browser those tests skip on a user's machine and fail in CI, which
// installs Debian's chromium.
package browsertest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"
)

// Chromium returns the path of a headless-capable browser, skipping the
// test (failing it when CI=true) when there is none.
func Chromium(t testing.TB) string {
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

// Run runs the browser headless with a fresh profile folder and no
// background networking (the machine has no network), bounded by timeout,
// and returns what it printed. A browser that dies of a signal (Chromium
// crashes now and then when several run at once in a container) is run
// again, twice at most, with a new profile: a crash says nothing of the page.
func Run(t testing.TB, timeout time.Duration, bin, profile string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	for attempt := 0; ; attempt++ {
		dir := profile
		if attempt > 0 {
			dir = fmt.Sprintf("%s-%d", profile, attempt)
		}
		base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
			"--disable-background-networking", "--disable-component-update", "--disable-sync", "--user-data-dir=" + dir}
		cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		if err == nil {
			return stdout.Bytes()
		}
		var exit *exec.ExitError
		if attempt < 2 && ctx.Err() == nil && errors.As(err, &exit) && !exit.Exited() {
			t.Logf("chromium %v died (%v); running it again", args, err)
			continue
		}
		t.Fatalf("chromium %v: %v\n%s", args, err, stderr.String())
	}
}
