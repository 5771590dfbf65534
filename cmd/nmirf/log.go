package main

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"
)

// writers are the commands that change the warehouse; they log.
var writers = map[string]bool{"run": true, "ingest": true, "classify": true, "cluster": true, "import": true, "fetch": true}

// openLog points log/slog at a JSON log file under WAREHOUSE/logs/ (one
// file a day, appended) for commands that change the warehouse, and
// returns its closer. Other commands log nowhere. The human summary on
// stderr is separate and stays short.
func openLog(g *globals, command string) func() {
	if !writers[command] {
		slog.SetDefault(slog.New(slog.NewJSONHandler(io.Discard, nil)))
		return func() {}
	}
	dir := filepath.Join(g.warehouse, "logs")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		slog.SetDefault(slog.New(slog.NewJSONHandler(io.Discard, nil)))
		return func() {}
	}
	f, err := os.OpenFile(filepath.Join(dir, "nmirf-"+time.Now().UTC().Format("2006-01-02")+".jsonl"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		slog.SetDefault(slog.New(slog.NewJSONHandler(io.Discard, nil)))
		return func() {}
	}
	slog.SetDefault(slog.New(slog.NewJSONHandler(f, &slog.HandlerOptions{Level: slog.LevelInfo})).With("pid", os.Getpid()))
	return func() { f.Close() }
}
