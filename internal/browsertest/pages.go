package browsertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// Text opens url in the tab of ctx and returns the rendered text
// (innerText) of the first element matching the CSS selector, waiting up
// to ActionTimeout for it to appear.
func Text(ctx context.Context, url, selector string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, ActionTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		return "", fmt.Errorf("open %s: %w", url, err)
	}
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(selector)))
	if err != nil {
		return "", fmt.Errorf("read the text of %q on %s: %w", selector, url, err)
	}
	return text, nil
}

// SetAcceptLanguage makes the tab of ctx send acceptLanguage ("fr",
// "en-GB,en;q=0.8") as the Accept-Language header of every later request.
func SetAcceptLanguage(ctx context.Context, acceptLanguage string) error {
	ctx, cancel := context.WithTimeout(ctx, ActionTimeout)
	defer cancel()
	_, err := chromedp.Call(ctx, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{
		Headers: network.Headers{"Accept-Language": acceptLanguage},
	})
	if err != nil {
		return fmt.Errorf("set Accept-Language to %q: %w", acceptLanguage, err)
	}
	return nil
}

// Lang sets the tab's Accept-Language to acceptLanguage (it stays set for
// later navigations), opens url and returns the lang attribute of the
// page's <html> element — the language the page says it is in.
func Lang(ctx context.Context, url, acceptLanguage string) (string, error) {
	if err := SetAcceptLanguage(ctx, acceptLanguage); err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(ctx, ActionTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		return "", fmt.Errorf("open %s: %w", url, err)
	}
	lang, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.lang`))
	if err != nil {
		return "", fmt.Errorf("read the language of %s: %w", url, err)
	}
	return lang, nil
}

// Screenshot opens url in the tab of ctx, takes a PNG of the whole page
// (beyond the window) and saves it as {artifacts}/{test name}/{name}.png,
// where {artifacts} is $ARTIFACTS_DIR or else the artifacts/ directory at
// the root of the module (git-ignored). It returns the file's path and
// fails the test when any step fails.
func Screenshot(t testing.TB, ctx context.Context, url, name string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, ActionTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("screenshot %s: open %s: %v", name, url, err)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s of %s: %v", name, url, err)
	}
	dir, err := ArtifactsDir()
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	dir = filepath.Join(dir, safeName(t.Name()))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(dir, safeName(name)+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	return path
}

// ArtifactsDir returns $ARTIFACTS_DIR, or else the artifacts/ directory
// next to the go.mod above the working directory.
func ArtifactsDir() (string, error) {
	if d := os.Getenv("ARTIFACTS_DIR"); d != "" {
		return d, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("find the artifacts directory: %w", err)
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(d, "artifacts"), nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("find the artifacts directory: no go.mod above %s (set $ARTIFACTS_DIR)", wd)
		}
	}
}

// safeName turns a test or screenshot name into one path element.
func safeName(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, s)
	s = strings.Trim(s, ".")
	if s == "" {
		return "_"
	}
	return s
}
