package pipeline

import (
	"io"
	"log/slog"
	"os"
	"testing"
)

// TestMain keeps the run log out of test output; the command line points
// it at the warehouse's log file.
func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.NewJSONHandler(io.Discard, nil)))
	os.Exit(m.Run())
}
