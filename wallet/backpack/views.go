package backpack

import (
	"bytes"
	"embed"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"github.com/communs/communs/internal/web"
	"github.com/communs/communs/wallet"
)

//go:embed templates static
var templateFS embed.FS

type pageSet = web.Pages

func newPageSet() (*pageSet, error) {
	sub, err := fsSub()
	if err != nil {
		return nil, err
	}
	return web.NewPages(sub, catalog, "partials.tmpl", "signup", "signin", "forgot", "reset", "backpack", "badge", "claim",
		"collections", "collection", "portfolio-settings", "present", "presentation", "account", "message",
		"shared-collection", "portfolio", "embed")
}

// base is what every backpack page shares.
type base struct {
	web.Page
	CSRF     string
	SignedIn bool
	Error    string
	Notice   string
	// CSP is the page's Content-Security-Policy when it differs from the node's default.
	CSP string `json:"-"`
}

func (b *Backpack) base(r *http.Request, lang, title string, _ *req) base {
	p := web.Page{Lang: lang, Title: title, Path: r.URL.RequestURI(), NodeName: b.cfg.NodeName}
	web.FixPage(&p, title)
	return base{Page: p}
}

func (b *Backpack) signedIn(r *http.Request, q *req, title string) base {
	v := b.base(r, q.lang, title, q)
	v.SignedIn, v.CSRF = true, q.sess.CSRF
	return v
}

type authView struct {
	base
	Email, Next string
	CanReset    bool
}

type accountView struct {
	base
	Email, HolderDID string
	Created          time.Time
}

type messageView struct {
	base
	Message, Link, LinkText string
}

// badgeItem is a badge in a list.
type badgeItem struct {
	Lang                             string
	ID, Name, IssuerName, Image, URL string
	IssuedOn                         time.Time
	Status                           string
	Verified, Selected               bool
	Reason                           string
}

type backpackView struct {
	base
	Badges    []badgeItem
	HolderDID string
	Filter    string
}

type claimView struct {
	base
	Offer       string
	IssuerHost  string
	NeedsTxCode bool
}

type evidenceItem struct {
	N                          int
	Name, Description, URL     string
	MediaType, Genre, LocalURL string
	Size                       int64
	PDF, Image                 bool
}

type checkItem struct {
	Name, Status, Detail string
}

type badgeView struct {
	base
	Item                             badgeItem
	Description                      string
	Criteria                         template.HTML
	CriteriaURL                      string
	IssuerDID, IssuerURL             string
	CredentialID                     string
	ExpiresOn                        *time.Time
	Evidence                         []evidenceItem
	Alignments                       []web.AlignmentView
	Checks                           []checkItem
	Recognition                      string
	VerifiedAt                       time.Time
	BoundToHolder                    bool
	Source                           string
	ShareURL, LinkedInURL, EmbedCode string
	QR                               template.URL
	Collections                      []*Collection
	CreditsEarned                    *float64
}

type collectionsView struct {
	base
	Collections []*Collection
	Counts      map[string]int
}

type collectionView struct {
	base
	Collection *Collection
	Badges     []badgeItem
	ShareURL   string
	QR         template.URL
}

type portfolioSettingsView struct {
	base
	Portfolio Portfolio
	Badges    []badgeItem
	PublicURL string
}

type presentView struct {
	base
	Badges            []badgeItem
	Challenge, Domain string
}

type presentationView struct {
	base
	URL, JSONURL string
	QR           template.URL
	Count        int
	Verified     bool
	Reason       string
	Mine         bool
}

type sharedCollectionView struct {
	base
	Name, Description, Owner string
	Badges                   []badgeItem
	URL                      string
}

type portfolioView struct {
	base
	DisplayName, Headline, URL string
	Badges                     []badgeItem
}

type embedView struct {
	base
	Item badgeItem
	URL  string
}

// render writes page with status; a page with its own CSP sets it.
func (b *Backpack) render(w http.ResponseWriter, r *http.Request, status int, page string, data any) {
	var buf bytes.Buffer
	if err := b.pages.Render(&buf, page, data); err != nil {
		b.log.LogAttrs(r.Context(), slog.LevelError, "render backpack page", slog.String("page", page), slog.String("error", err.Error()))
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", web.ContentType)
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func (b *Backpack) errorPage(w http.ResponseWriter, r *http.Request, status int, lang, msg string) {
	v := messageView{base: b.base(r, lang, b.pages.T(lang, "err.title"), nil), Message: msg, Link: "/backpack", LinkText: b.pages.T(lang, "nav.backpack")}
	w.Header().Set("Cache-Control", "no-store")
	b.render(w, r, status, "message", v)
}

// fail answers an unexpected error: logged with the request's path only, shown as a 500 page
// (or 404 for things that are not there).
func (b *Backpack) fail(w http.ResponseWriter, r *http.Request, lang string, err error) {
	switch {
	case errors.Is(err, ErrNotFound), errors.Is(err, wallet.ErrNotFound), errors.Is(err, ErrNoAccount):
		b.errorPage(w, r, http.StatusNotFound, lang, b.pages.T(lang, "err.notFound"))
		return
	case errors.Is(err, ErrBadInput):
		b.errorPage(w, r, http.StatusBadRequest, lang, b.message(lang, err))
		return
	}
	b.log.LogAttrs(r.Context(), slog.LevelError, "backpack request failed", slog.String("path", r.URL.Path), slog.String("error", err.Error()))
	b.errorPage(w, r, http.StatusInternalServerError, lang, b.pages.T(lang, "err.internal"))
}
