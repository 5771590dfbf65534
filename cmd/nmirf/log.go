package main

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/spf13/cobra"
)

// changesWarehouse marks a command that changes the warehouse (its
// database or its downloads): it logs. Each such command says so where it
// is defined.
func changesWarehouse(c *cobra.Command) *cobra.Command {
	if c.Annotations == nil {
		c.Annotations = map[string]string{}
	}
	c.Annotations["changes"] = "warehouse"
	return c
}

// openLog points log/slog at a JSON log file under WAREHOUSE/logs/ (one
// file a day, appended) for commands that change the warehouse, and
// returns its closer. Other commands log nowhere. The human summary on
// stderr is separate and stays short.
//
// The file is opened at the first record, not here: `run --config` learns
// its warehouse from the config file after this is called, and a command
// that changes no warehouse (classify --in) leaves no empty log behind.
func openLog(g *globals, cmd *cobra.Command) func() {
	if cmd.Annotations["changes"] != "warehouse" {
		slog.SetDefault(slog.New(slog.NewJSONHandler(io.Discard, nil)))
		return func() {}
	}
	l := &warehouseLog{g: g}
	slog.SetDefault(slog.New(slog.NewJSONHandler(l, &slog.HandlerOptions{Level: slog.LevelInfo})).With("pid", os.Getpid()))
	return l.close
}

// warehouseLog is the log file of the warehouse in effect, opened on the
// first write.
type warehouseLog struct {
	g      *globals
	mu     sync.Mutex
	f      *os.File
	failed bool // the file could not be opened: the log is dropped, the command goes on
}

func (l *warehouseLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil && !l.failed {
		l.f = openLogFile(filepath.Join(l.g.warehouse, "logs"))
		l.failed = l.f == nil
	}
	if l.f == nil {
		return len(p), nil
	}
	return l.f.Write(p)
}

func (l *warehouseLog) close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f != nil {
		l.f.Close()
		l.f = nil
	}
}

func openLogFile(dir string) *os.File {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil
	}
	f, err := os.OpenFile(filepath.Join(dir, "nmirf-"+time.Now().UTC().Format("2006-01-02")+".jsonl"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return nil
	}
	return f
}
