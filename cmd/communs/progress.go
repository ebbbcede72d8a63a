package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// progressMode says how the issue command shows its progress on standard error.
type progressMode int

const (
	progressNone  progressMode = iota // only the final summary
	progressPlain                     // a line at every tenth of the rows and every 10 s (logs, CI)
	progressBar                       // one bar redrawn with \r (terminals)
)

// parseProgressMode reads --progress: auto picks the bar on a terminal, plain lines otherwise.
func parseProgressMode(s string, w io.Writer) (progressMode, error) {
	switch s {
	case "auto", "":
		if isTerminal(w) {
			return progressBar, nil
		}
		return progressPlain, nil
	case "bar":
		return progressBar, nil
	case "plain":
		return progressPlain, nil
	case "none":
		return progressNone, nil
	}
	return 0, fmt.Errorf("--progress %q must be auto, bar, plain or none", s)
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

const (
	barWidth     = 30
	barInterval  = 100 * time.Millisecond
	plainEvery   = 10 * time.Second
	plainPercent = 10
)

// progress counts the rows a node has processed and draws them.
type progress struct {
	w     io.Writer
	mode  progressMode
	now   func() time.Time
	total int

	done, awarded, existing, errors int

	lastDraw  time.Time
	lastShown int // rows shown by the last bar or plain line (-1: none yet)
	drawnLen  int // length of the bar on screen (bar mode), to clear it
}

func newProgress(w io.Writer, mode progressMode, total int) *progress {
	return &progress{w: w, mode: mode, now: time.Now, total: total, lastShown: -1}
}

// add counts one processed row by its status ("awarded", "existing" or anything else: an error).
func (p *progress) add(status string) {
	p.done++
	switch status {
	case "awarded":
		p.awarded++
	case "existing":
		p.existing++
	default:
		p.errors++
	}
	now := p.now()
	switch p.mode {
	case progressBar:
		if p.done == p.total || now.Sub(p.lastDraw) >= barInterval {
			p.drawBar(now)
		}
	case progressPlain:
		if p.tenth(p.done) > p.tenth(p.lastShown) || now.Sub(p.lastDraw) >= plainEvery {
			p.plainLine(now)
		}
	}
}

// note prints a message on its own line, above the bar when there is one.
func (p *progress) note(msg string) {
	if p.mode == progressBar && p.drawnLen > 0 {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", p.drawnLen))
		p.drawnLen = 0
		fmt.Fprintln(p.w, msg)
		p.drawBar(p.now())
		return
	}
	fmt.Fprintln(p.w, msg)
}

// finish draws the final state and ends the bar's line.
func (p *progress) finish() {
	switch p.mode {
	case progressBar:
		p.drawBar(p.now())
		fmt.Fprintln(p.w)
		p.drawnLen = 0
	case progressPlain:
		if p.lastShown != p.done {
			p.plainLine(p.now())
		}
	}
}

func (p *progress) tenth(n int) int {
	if p.total <= 0 || n < 0 {
		return -1
	}
	return n * plainPercent / p.total
}

func (p *progress) counts() string {
	return fmt.Sprintf("%d/%d awarded %d existing %d errors %d", p.done, p.total, p.awarded, p.existing, p.errors)
}

func (p *progress) drawBar(now time.Time) {
	line := "[" + bar(p.done, p.total, barWidth) + "] " + p.counts()
	pad := ""
	if n := p.drawnLen - len(line); n > 0 {
		pad = strings.Repeat(" ", n)
	}
	fmt.Fprint(p.w, "\r"+line+pad)
	p.drawnLen = len(line)
	p.lastDraw, p.lastShown = now, p.done
}

func (p *progress) plainLine(now time.Time) {
	fmt.Fprintln(p.w, p.counts())
	p.lastDraw, p.lastShown = now, p.done
}

// bar renders done/total as width characters: "=====>     ", all '=' when complete.
func bar(done, total, width int) string {
	if total <= 0 {
		return strings.Repeat(" ", width)
	}
	done = min(max(done, 0), total)
	if done == total {
		return strings.Repeat("=", width)
	}
	filled := done * width / total
	return strings.Repeat("=", filled) + ">" + strings.Repeat(" ", width-filled-1)
}
