package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestStaticHandler(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("GET /static/", StaticHandler())
	srv := httptest.NewServer(mux)
	defer srv.Close()

	get := func(t *testing.T, path string, header ...string) *http.Response {
		t.Helper()
		req, err := http.NewRequest("GET", srv.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}

	t.Run("the stylesheet pages link is served as immutable CSS", func(t *testing.T) {
		p := StylesheetPath()
		if !strings.HasPrefix(p, "/static/communs.") || p == "/static/communs.css" {
			t.Fatalf("stylesheet path %q is not fingerprinted", p)
		}
		resp := get(t, p)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		if ct := resp.Header.Get("Content-Type"); ct != "text/css; charset=utf-8" {
			t.Errorf("Content-Type %q", ct)
		}
		if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") || !strings.Contains(cc, "max-age=31536000") {
			t.Errorf("Cache-Control %q", cc)
		}
		if !strings.Contains(string(body), ".status-revoked") || !strings.Contains(string(body), "@media print") {
			t.Error("the body is not the stylesheet")
		}
	})
	t.Run("the plain name is revalidated by ETag", func(t *testing.T) {
		resp := get(t, "/static/communs.css")
		etag := resp.Header.Get("ETag")
		if resp.StatusCode != 200 || etag == "" || !strings.Contains(resp.Header.Get("Cache-Control"), "no-cache") {
			t.Fatalf("status %d, ETag %q, Cache-Control %q", resp.StatusCode, etag, resp.Header.Get("Cache-Control"))
		}
		if again := get(t, "/static/communs.css", "If-None-Match", etag); again.StatusCode != http.StatusNotModified {
			t.Errorf("revalidation gave %d, want 304", again.StatusCode)
		}
	})
	t.Run("the fingerprint is the ETag", func(t *testing.T) {
		etag := get(t, "/static/communs.css").Header.Get("ETag")
		if !strings.Contains(StylesheetPath(), strings.Trim(etag, `"`)) {
			t.Errorf("ETag %s is not in %s", etag, StylesheetPath())
		}
	})
	t.Run("unknown and traversing names are not found", func(t *testing.T) {
		for _, p := range []string{"/static/nope.css", "/static/../static.go", "/static/static/communs.css", "/static/"} {
			if resp := get(t, p); resp.StatusCode != http.StatusNotFound {
				t.Errorf("%s gave %d, want 404", p, resp.StatusCode)
			}
		}
	})
	t.Run("a write method is refused", func(t *testing.T) {
		rec := httptest.NewRecorder()
		StaticHandler().ServeHTTP(rec, httptest.NewRequest("POST", "/static/communs.css", nil))
		if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "GET, HEAD" {
			t.Errorf("got %d, Allow %q", rec.Code, rec.Header().Get("Allow"))
		}
	})
	t.Run("the handler works behind StripPrefix too", func(t *testing.T) {
		rec := httptest.NewRecorder()
		http.StripPrefix("/static/", StaticHandler()).ServeHTTP(rec, httptest.NewRequest("GET", StylesheetPath(), nil))
		if rec.Code != 200 {
			t.Errorf("got %d", rec.Code)
		}
	})
	t.Run("every page links the fingerprinted stylesheet", func(t *testing.T) {
		page := renderBadge(t, fullBadge("fr"))
		mustContain(t, page, `<link rel="stylesheet" href="`+StylesheetPath()+`">`)
	})
}
