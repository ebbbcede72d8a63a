package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"
)

//go:embed static
var staticFS embed.FS

// asset is one embedded static file, ready to serve.
type asset struct {
	body        []byte
	contentType string
	etag        string
	immutable   bool
}

// assets maps a file name under /static/ to the file. Each file is served under its plain name
// (revalidated through its ETag) and under a fingerprinted name, "communs.<hash>.css", which
// is cached for a year as immutable; pages link the fingerprinted name.
var assets = sync.OnceValue(func() map[string]asset {
	out := map[string]asset{}
	entries, _ := staticFS.ReadDir("static")
	for _, e := range entries {
		body, err := staticFS.ReadFile("static/" + e.Name())
		if err != nil {
			continue
		}
		sum := sha256.Sum256(body)
		hash := hex.EncodeToString(sum[:6])
		ct := "application/octet-stream"
		switch path.Ext(e.Name()) {
		case ".css":
			ct = "text/css; charset=utf-8"
		case ".svg":
			ct = "image/svg+xml"
		case ".png":
			ct = "image/png"
		}
		a := asset{body: body, contentType: ct, etag: `"` + hash + `"`}
		out[e.Name()] = a
		a.immutable = true
		out[fingerprint(e.Name(), hash)] = a
	}
	return out
})

// fingerprint inserts hash before the extension of name: communs.css -> communs.<hash>.css.
func fingerprint(name, hash string) string {
	ext := path.Ext(name)
	return strings.TrimSuffix(name, ext) + "." + hash + ext
}

// StaticPath returns the URL path pages use for the embedded file name ("communs.css"):
// its fingerprinted form under /static/, or the plain path when no such file is embedded.
func StaticPath(name string) string {
	if a, ok := assets()[name]; ok {
		return "/static/" + fingerprint(name, strings.Trim(a.etag, `"`))
	}
	return "/static/" + name
}

// StylesheetPath is the URL path of the stylesheet every page links.
func StylesheetPath() string { return StaticPath("communs.css") }

// StaticHandler serves the embedded stylesheet (and any other static file) for GET and HEAD.
// Mount it at "/static/" with or without http.StripPrefix. Fingerprinted names are cached as
// immutable for a year; plain names must be revalidated (ETag, 304 Not Modified).
func StaticHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed: static files are read with GET or HEAD", http.StatusMethodNotAllowed)
			return
		}
		name := strings.TrimPrefix(r.URL.Path, "/static/")
		name = strings.TrimPrefix(name, "/")
		a, ok := assets()[name]
		if !ok || strings.Contains(name, "/") {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Type", a.contentType)
		h.Set("ETag", a.etag)
		h.Set("X-Content-Type-Options", "nosniff")
		if a.immutable {
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			h.Set("Cache-Control", "public, no-cache")
		}
		http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(a.body))
	})
}
