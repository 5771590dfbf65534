package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/nmirf/nmirf/pipeline"
)

// newProgress shows a progress bar on stderr when it is a terminal, and
// nothing otherwise (cron, CI, pipes).
func newProgress(g *globals) pipeline.Progress {
	f, ok := g.stderr.(*os.File)
	if !ok || g.quiet || !isTerminal(f) {
		return pipeline.NoProgress{}
	}
	return &bar{w: f}
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

type bar struct {
	w     io.Writer
	stage string
	total int
}

func (b *bar) Start(stage string, total int) { b.stage, b.total = stage, total }

func (b *bar) Step(done int, item string) {
	if b.total <= 0 {
		return
	}
	const width = 30
	n := width * (done + 1) / b.total
	if len(item) > 40 {
		item = "…" + item[len(item)-39:]
	}
	fmt.Fprintf(b.w, "\r%-12s [%s%s] %d/%d %-40s", b.stage, strings.Repeat("=", n), strings.Repeat(" ", width-n), done+1, b.total, item)
}

func (b *bar) Done() {
	if b.total > 0 {
		fmt.Fprintf(b.w, "\r%s\r", strings.Repeat(" ", 100))
	}
}
