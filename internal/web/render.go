package web

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

//go:embed templates
var templateFS embed.FS

// ContentType is the Content-Type of every page the Render functions write.
const ContentType = "text/html; charset=utf-8"

// ErrRender is returned when a page cannot be rendered (a template fails to parse or run).
var ErrRender = errors.New("render page")

// funcs are the helpers templates call. Messages take the page language explicitly
// ({{t $.Lang "badge.issuedBy"}}) so one parsed template serves every language.
var funcs = template.FuncMap{
	"t":          T,
	"date":       FormatDate,
	"number":     FormatNumber,
	"isoDate":    func(t time.Time) string { return t.Format(time.DateOnly) },
	"langURL":    LangURL,
	"stylesheet": StylesheetPath,
	"status":     normalStatus,
	"outcome":    normalOutcome,
	"checkName":  checkName,
	"inc":        func(i int) int { return i + 1 },
	"ogLocale":   ogLocale,
	"mediaLabel": mediaLabel,
	"metaURL":    metaURL,
}

// pages parses each page template together with the shared layout, once.
var pages = sync.OnceValues(func() (map[string]*template.Template, error) {
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html")
	if err != nil {
		return nil, err
	}
	out := map[string]*template.Template{}
	for _, name := range []string{"badge", "issuer", "home", "error", "claim"} {
		c, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := c.ParseFS(templateFS, "templates/"+name+".html"); err != nil {
			return nil, err
		}
		out[name] = c
	}
	return out, nil
})

// render runs page with data into a buffer first, so that a failing template writes nothing.
func render(w io.Writer, page string, data any) error {
	ts, err := pages()
	if err != nil {
		return fmt.Errorf("%w %s: parse templates: %v", ErrRender, page, err)
	}
	var buf bytes.Buffer
	buf.Grow(16 << 10)
	if err := ts[page].ExecuteTemplate(&buf, "layout", data); err != nil {
		return fmt.Errorf("%w %s: %v", ErrRender, page, err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("%w %s: write: %w", ErrRender, page, err)
	}
	return nil
}

// normalPage fixes the language and fills the title when the caller left them empty.
func normalPage(p *Page, title string) {
	if _, ok := catalog[p.Lang]; !ok {
		p.Lang = DefaultLang
	}
	if p.Title == "" {
		p.Title = title
	}
}

// RenderBadge writes the public page of an awarded badge. Without OpenGraph, the preview
// is built from the achievement (name, description, image) and the credential URL.
func RenderBadge(w io.Writer, v BadgeView) error {
	normalPage(&v.Page, v.AchievementName)
	if v.OpenGraph == nil {
		v.OpenGraph = &OpenGraph{Title: v.AchievementName, Description: v.AchievementDescription, Image: v.ImageURL, URL: v.CredentialURL}
	}
	return render(w, "badge", v)
}

// RenderIssuer writes the public profile page of an issuer.
func RenderIssuer(w io.Writer, v IssuerView) error {
	normalPage(&v.Page, v.Name)
	if v.OpenGraph == nil {
		v.OpenGraph = &OpenGraph{Title: v.Name, Description: v.Description, Image: v.ImageURL}
	}
	return render(w, "issuer", v)
}

// RenderHome writes the home page of a node.
func RenderHome(w io.Writer, v HomeView) error {
	normalPage(&v.Page, "")
	if v.Title == "" {
		v.Title = T(v.Lang, "home.title")
	}
	return render(w, "home", v)
}

// RenderClaim writes the page of a badge's claim link. It carries no Open Graph data: the
// link is private and its page is not meant to be previewed.
func RenderClaim(w io.Writer, v ClaimView) error {
	normalPage(&v.Page, v.AchievementName)
	v.OpenGraph = nil
	return render(w, "claim", v)
}

// RenderError writes an error page for v.Status (500 when not an HTTP error status), with
// v.Message or, when empty, the standard sentence for the status.
func RenderError(w io.Writer, v ErrorView) error {
	normalPage(&v.Page, "")
	if v.Status < 400 || v.Status > 599 {
		v.Status = http.StatusInternalServerError
	}
	if v.Title == "" {
		v.Title = T(v.Lang, "error.title", v.Status)
	}
	if v.Message == "" {
		key := fmt.Sprintf("error.%d", v.Status)
		if !HasMessage(v.Lang, key) {
			key = "error.other"
		}
		v.Message = T(v.Lang, key)
	}
	return render(w, "error", v)
}

// LangURL returns path (a local path with an optional query, as in Page.Path) with its
// `lang` query parameter set to lang. Anything that is not a local path gives "/?lang=…",
// so the language switch never leads off the site.
func LangURL(path, lang string) string {
	u, err := url.Parse(path)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(path, "/") || strings.HasPrefix(path, "//") || strings.HasPrefix(path, `/\`) {
		u = &url.URL{Path: "/"}
	}
	q := u.Query()
	q.Set("lang", lang)
	return (&url.URL{Path: u.Path, RawPath: u.RawPath, RawQuery: q.Encode()}).RequestURI()
}

func normalStatus(s string) string {
	switch s {
	case StatusValid, StatusRevoked, StatusExpired, StatusSuspended:
		return s
	}
	return StatusUnknown
}

func normalOutcome(s string) string {
	switch s {
	case "ok", "failed", "warning", "skipped":
		return s
	}
	return "unknown"
}

// checkName translates a known check name of the verification report and keeps others as is.
func checkName(lang, name string) string {
	if HasMessage(lang, "check."+name) {
		return T(lang, "check."+name)
	}
	return name
}

// ogLocale is the Open Graph locale of a page language.
func ogLocale(lang string) string {
	if lang == "en" {
		return "en_GB"
	}
	return "fr_FR"
}

// mediaLabel is the short name readers know a media type by: "PDF", "JPEG", "PNG"…; other
// types are shown as they are.
func mediaLabel(mediaType string) string {
	mt, _, _ := strings.Cut(mediaType, ";")
	mt = strings.ToLower(strings.TrimSpace(mt))
	switch mt {
	case "application/pdf":
		return "PDF"
	case "image/jpeg", "image/png", "image/gif", "image/webp":
		return strings.ToUpper(strings.TrimPrefix(mt, "image/"))
	case "image/svg+xml":
		return "SVG"
	case "text/plain":
		return "TXT"
	}
	return mt
}

// metaURL keeps an http(s) URL or a local path for a meta tag (where html/template does not
// filter URLs) and drops anything else.
func metaURL(s string) string {
	l := strings.ToLower(s)
	if strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://") || (strings.HasPrefix(s, "/") && !strings.HasPrefix(s, "//") && !strings.HasPrefix(s, `/\`)) {
		return s
	}
	return ""
}
