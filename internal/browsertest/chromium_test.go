package browsertest

import (
	"bytes"
	"fmt"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// badgePage serves a small bilingual page: French when Accept-Language
// prefers fr, English otherwise, 3000 px tall so that a full-page
// screenshot is taller than the 800 px window.
func badgePage(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lang, title := "en", "Badge earned"
		if strings.HasPrefix(r.Header.Get("Accept-Language"), "fr") {
			lang, title = "fr", "Badge obtenu"
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="%s"><head><title>%s</title>
<style>body{margin:0;font-family:sans-serif} main{height:3000px;background:linear-gradient(#fff,#2a6)}</style></head>
<body><main><h1 id="title">%s</h1><p class="al">Accept-Language: %s</p></main></body></html>`,
			lang, title, title, r.Header.Get("Accept-Language"))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestChromiumDrivesARealPage(t *testing.T) {
	ctx := Chromium(t)
	srv := badgePage(t)

	t.Run("Text reads the rendered text of an element", func(t *testing.T) {
		got, err := Text(ctx, srv.URL, "#title")
		if err != nil {
			t.Fatal(err)
		}
		if got != "Badge earned" {
			t.Errorf("title %q, want the English page by default", got)
		}
	})

	t.Run("Lang sends Accept-Language and reads the page's language", func(t *testing.T) {
		lang, err := Lang(ctx, srv.URL, "fr-FR,fr;q=0.9")
		if err != nil {
			t.Fatal(err)
		}
		if lang != "fr" {
			t.Errorf("lang %q, want fr", lang)
		}
		got, err := Text(ctx, srv.URL, "p.al")
		if err != nil {
			t.Fatal(err)
		}
		if got != "Accept-Language: fr-FR,fr;q=0.9" {
			t.Errorf("the server saw %q on a later navigation, want the header kept", got)
		}
		if lang, err := Lang(ctx, srv.URL, "en"); err != nil || lang != "en" {
			t.Errorf("back to en: lang %q, %v", lang, err)
		}
	})

	t.Run("Screenshot saves a full-page PNG under ARTIFACTS_DIR", func(t *testing.T) {
		dir := t.TempDir()
		t.Setenv("ARTIFACTS_DIR", dir)
		path := Screenshot(t, ctx, srv.URL, "badge page/en")
		want := filepath.Join(dir, "TestChromiumDrivesARealPage_Screenshot_saves_a_full-page_PNG_under_ARTIFACTS_DIR", "badge_page_en.png")
		if path != want {
			t.Errorf("path %s, want %s", path, want)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("screenshot is not a PNG: %v", err)
		}
		if cfg.Width != 1280 || cfg.Height < 3000 {
			t.Errorf("screenshot is %dx%d, want 1280 wide and the full 3000 px page", cfg.Width, cfg.Height)
		}
	})
}

func TestArtifactsDirDefaultsToTheModuleRoot(t *testing.T) {
	t.Run("without ARTIFACTS_DIR screenshots go to artifacts/ next to go.mod", func(t *testing.T) {
		t.Setenv("ARTIFACTS_DIR", "")
		dir, err := ArtifactsDir()
		if err != nil {
			t.Fatal(err)
		}
		root, _ := filepath.Abs("../..")
		if dir != filepath.Join(root, "artifacts") {
			t.Errorf("artifacts dir %s, want %s", dir, filepath.Join(root, "artifacts"))
		}
	})
}

// recordingTB is a testing.TB that records a skip or a failure instead of
// reporting it, to test what Chromium does without a browser.
type recordingTB struct {
	testing.TB
	mu      sync.Mutex
	skipped bool
	failed  bool
	msg     string
}

func (r *recordingTB) Helper() {}

func (r *recordingTB) Skipf(format string, args ...any) {
	r.mu.Lock()
	r.skipped, r.msg = true, fmt.Sprintf(format, args...)
	r.mu.Unlock()
	runtime.Goexit()
}

func (r *recordingTB) Fatalf(format string, args ...any) {
	r.mu.Lock()
	r.failed, r.msg = true, fmt.Sprintf(format, args...)
	r.mu.Unlock()
	runtime.Goexit()
}

// runChromium calls Chromium on a recordingTB in its own goroutine, as the
// testing package runs tests, and waits for it.
func runChromium(t *testing.T) *recordingTB {
	rec := &recordingTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		Chromium(rec)
	}()
	<-done
	return rec
}

func TestChromiumWithoutABrowser(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no-chromium")

	t.Run("the test is skipped when no browser is installed", func(t *testing.T) {
		t.Setenv("CHROMIUM", missing)
		t.Setenv("CI", "")
		rec := runChromium(t)
		if !rec.skipped || rec.failed || !strings.Contains(rec.msg, "no Chromium found") {
			t.Errorf("skipped %v failed %v: %s", rec.skipped, rec.failed, rec.msg)
		}
	})

	t.Run("the test fails on CI when no browser is installed", func(t *testing.T) {
		t.Setenv("CHROMIUM", missing)
		t.Setenv("CI", "true")
		rec := runChromium(t)
		if !rec.failed || rec.skipped || !strings.Contains(rec.msg, "CI=true") {
			t.Errorf("skipped %v failed %v: %s", rec.skipped, rec.failed, rec.msg)
		}
	})
}

// BenchmarkChromiumStart measures starting a headless Chromium up to its
// first tab, then stopping it.
func BenchmarkChromiumStart(b *testing.B) {
	path, ok := findChromium()
	if !ok {
		b.Skip("no Chromium")
	}
	b.ReportAllocs()
	for b.Loop() {
		_, stop, err := start(path, &testLog{})
		if err != nil {
			b.Fatal(err)
		}
		if err := stop(); err != nil {
			b.Fatal(err)
		}
	}
}
