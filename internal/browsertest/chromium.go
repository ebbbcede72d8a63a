package browsertest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// DefaultPath is where Chromium is looked for when $CHROMIUM is unset.
const DefaultPath = "/usr/bin/chromium"

// ActionTimeout bounds each helper of this package (one navigation and
// what follows it), so that a page that never shows a selector fails the
// test instead of hanging it.
const ActionTimeout = 30 * time.Second

// startTimeout bounds the start of the browser.
const startTimeout = 60 * time.Second

// chromiumFlags are the command-line switches Chromium adds to chromedp's
// defaults: headless, no sandbox (tests run as root in containers), no GPU,
// no QUIC, and nothing that phones home at start-up.
var chromiumFlags = map[string]any{
	"headless":                      true,
	"no-sandbox":                    true,
	"disable-gpu":                   true,
	"disable-quic":                  true,
	"no-first-run":                  true,
	"disable-background-networking": true,
	"disable-component-update":      true,
	"disable-sync":                  true,
}

// Chromium starts a headless Chromium for the test and returns a chromedp
// context on its first tab; the browser stops when the test ends. The
// binary is $CHROMIUM, else /usr/bin/chromium, else chromium or
// chromium-browser on $PATH. Without one the test is skipped, unless $CI
// is "true": then it fails, so CI never passes by skipping. The browser
// runs headless with --no-sandbox --disable-gpu --disable-quic
// --no-first-run --disable-background-networking --disable-component-update
// --disable-sync (on top of chromedp's defaults), a 1280x800 window and a fresh user data directory, and
// logs its start-up time. Derive per-action timeouts from the returned
// context (context.WithTimeout) — never cancel it, that would stop the
// browser.
func Chromium(t testing.TB) context.Context {
	t.Helper()
	path, ok := findChromium()
	if !ok {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no Chromium found (set $CHROMIUM or install %s); CI=true does not allow skipping browser tests", DefaultPath)
		} else {
			t.Skipf("no Chromium found (set $CHROMIUM or install %s); skipping the browser test", DefaultPath)
		}
		return nil
	}

	logs := &testLog{t: t}
	begin := time.Now()
	ctx, stop, err := start(path, logs)
	t.Cleanup(func() {
		logs.stop()
		if err := stop(); err != nil {
			t.Logf("stop Chromium: %v", err)
		}
	})
	if err != nil {
		t.Fatalf("%v", err)
	}
	t.Logf("Chromium %s started in %v", path, time.Since(begin).Round(time.Millisecond))
	return ctx
}

// start launches Chromium at path and opens its first tab. stop closes
// the browser and removes its user data directory; it is never nil.
func start(path string, logs *testLog) (ctx context.Context, stop func() error, err error) {
	dir, err := os.MkdirTemp("", "communs-chromium-")
	if err != nil {
		return nil, func() error { return nil }, fmt.Errorf("make the Chromium user data directory: %w", err)
	}
	output := &syncBuffer{}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(dir),
		chromedp.WindowSize(1280, 800),
		chromedp.CombinedOutput(output),
	)
	for name, value := range chromiumFlags {
		opts = append(opts, chromedp.Flag(name, value))
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(allocCtx, chromedp.WithErrorf(logs.logf), chromedp.WithLogf(logs.discard))
	stop = func() error {
		cancelTab()
		cancelAlloc()
		return removeDir(dir)
	}

	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	select {
	case err = <-started:
	case <-time.After(startTimeout):
		err = fmt.Errorf("no answer within %v", startTimeout)
	}
	if err != nil {
		return nil, stop, fmt.Errorf("start Chromium %s: %w\nChromium output:\n%s", path, err, output.String())
	}
	return ctx, stop, nil
}

// findChromium returns the Chromium binary to run.
func findChromium() (string, bool) {
	if p := os.Getenv("CHROMIUM"); p != "" {
		if isExecutable(p) {
			return p, true
		}
		return "", false
	}
	if isExecutable(DefaultPath) {
		return DefaultPath, true
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, true
		}
	}
	return "", false
}

// isExecutable reports whether path is a regular file someone may run.
func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}

// removeDir removes the user data directory, retrying for a few seconds:
// Chromium's child processes can still write there just after it stops.
func removeDir(dir string) error {
	var err error
	for range 50 {
		if err = os.RemoveAll(dir); err == nil {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("remove Chromium user data directory %s: %w", dir, err)
}

// testLog sends chromedp's error messages to the test log until the test
// ends (logging after that would panic).
type testLog struct {
	mu      sync.Mutex
	t       testing.TB
	stopped bool
}

func (l *testLog) logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.stopped && l.t != nil {
		l.t.Logf("chromedp: "+format, args...)
	}
}

func (l *testLog) discard(string, ...any) {}

func (l *testLog) stop() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.stopped = true
}

// syncBuffer collects the browser's output from its process goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
