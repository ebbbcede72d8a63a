// Package browsertest drives a real headless Chromium from tests through
// chromedp: it starts the browser (skipping the test when none is
// installed, failing it on CI), opens pages of httptest servers, reads
// text, sets the Accept-Language of the tab and saves full-page
// screenshots as test artifacts.
//
// It is imported by tests only.
package browsertest
