package main

import (
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progress shows a long job on stderr: a bar with rows/s and the time left
// when stderr is a terminal (schollz/progressbar: well kept, does rate and
// ETA), plain lines otherwise, so logs and pipes get no control characters.
type progress struct {
	bar *progressbar.ProgressBar
	out io.Writer
}

func newProgress(streams ioStreams, total int64, what string) *progress {
	out := streams.ErrOut
	p := &progress{out: out}
	if streams.ErrTTY && total > 0 {
		p.bar = progressbar.NewOptions64(total,
			progressbar.OptionSetWriter(out),
			progressbar.OptionSetDescription(what),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("rows"),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
	}
	return p
}

// Set moves the bar to n rows done.
func (p *progress) Set(n int64) {
	if p.bar != nil {
		_ = p.bar.Set64(n)
	}
}

// Println prints a line above the bar.
func (p *progress) Println(line string) {
	if p.bar != nil {
		_ = p.bar.Clear()
	}
	fmt.Fprintln(p.out, line)
	if p.bar != nil {
		_ = p.bar.RenderBlank()
	}
}

// Finish removes the bar.
func (p *progress) Finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
		p.bar = nil
	}
}
