package backpack

import (
	"crypto/subtle"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/communs/communs/internal/web"
	"github.com/communs/communs/wallet"
)

// maxForm bounds a form body (an imported badge image or credential included).
const maxForm = 8 << 20

// Register adds the backpack's routes to mux: the learner's pages under /backpack/, and the
// public pages she shares: /s/{token} (a badge), /c/{token} (a collection), /p/{token} (a
// presentation) and /portfolio/{handle}.
func (b *Backpack) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /backpack/static/backpack.css", getStatic)
	mux.HandleFunc("GET /backpack/signup", b.getSignUp)
	mux.HandleFunc("POST /backpack/signup", b.postSignUp)
	mux.HandleFunc("GET /backpack/signin", b.getSignIn)
	mux.HandleFunc("POST /backpack/signin", b.postSignIn)
	mux.HandleFunc("GET /backpack/forgot", b.getForgot)
	mux.HandleFunc("POST /backpack/forgot", b.postForgot)
	mux.HandleFunc("GET /backpack/reset", b.getReset)
	mux.HandleFunc("POST /backpack/reset", b.postReset)
	mux.HandleFunc("POST /backpack/signout", b.auth(b.postSignOut))
	mux.HandleFunc("GET /backpack", b.auth(b.getBackpack))
	mux.HandleFunc("GET /backpack/{$}", b.auth(b.getBackpack))
	mux.HandleFunc("POST /backpack/import", b.auth(b.postImport))
	mux.HandleFunc("GET /backpack/claim", b.auth(b.getClaim))
	mux.HandleFunc("POST /backpack/claim", b.auth(b.postClaim))
	mux.HandleFunc("GET /backpack/badges/{id}", b.auth(b.getBadge))
	mux.HandleFunc("POST /backpack/badges/{id}/verify", b.auth(b.postReverify))
	mux.HandleFunc("POST /backpack/badges/{id}/share", b.auth(b.postShareBadge))
	mux.HandleFunc("POST /backpack/badges/{id}/unshare", b.auth(b.postUnshareBadge))
	mux.HandleFunc("POST /backpack/badges/{id}/delete", b.auth(b.postDeleteBadge))
	mux.HandleFunc("GET /backpack/badges/{id}/image", b.auth(b.getBadgeImage))
	mux.HandleFunc("GET /backpack/badges/{id}/evidence/{n}", b.auth(b.getEvidence))
	mux.HandleFunc("GET /backpack/badges/{id}/download/{file}", b.auth(b.getDownload))
	mux.HandleFunc("GET /backpack/collections", b.auth(b.getCollections))
	mux.HandleFunc("POST /backpack/collections", b.auth(b.postCollection))
	mux.HandleFunc("GET /backpack/collections/{id}", b.auth(b.getCollection))
	mux.HandleFunc("POST /backpack/collections/{id}", b.auth(b.postCollection))
	mux.HandleFunc("POST /backpack/collections/{id}/share", b.auth(b.postShareCollection))
	mux.HandleFunc("POST /backpack/collections/{id}/unshare", b.auth(b.postUnshareCollection))
	mux.HandleFunc("POST /backpack/collections/{id}/delete", b.auth(b.postDeleteCollection))
	mux.HandleFunc("GET /backpack/portfolio", b.auth(b.getPortfolioSettings))
	mux.HandleFunc("POST /backpack/portfolio", b.auth(b.postPortfolioSettings))
	mux.HandleFunc("GET /backpack/present", b.auth(b.getPresent))
	mux.HandleFunc("POST /backpack/present", b.auth(b.postPresent))
	mux.HandleFunc("GET /backpack/export.zip", b.auth(b.getExportZIP))
	mux.HandleFunc("POST /backpack/transcript", b.auth(b.postTranscript))
	mux.HandleFunc("GET /backpack/account", b.auth(b.getAccount))
	mux.HandleFunc("POST /backpack/account/password", b.auth(b.postPassword))
	mux.HandleFunc("POST /backpack/account/delete", b.auth(b.postDeleteAccount))

	mux.HandleFunc("GET /s/{token}", b.getSharedBadge)
	mux.HandleFunc("GET /s/{token}/image", b.getSharedImage)
	mux.HandleFunc("GET /s/{token}/embed", b.getEmbed)
	mux.HandleFunc("GET /s/{token}/qr.png", b.getShareQR)
	mux.HandleFunc("GET /s/{token}/credential", b.getSharedCredential)
	mux.HandleFunc("GET /c/{token}", b.getSharedCollection)
	mux.HandleFunc("GET /c/{token}/qr.png", b.getShareQR)
	mux.HandleFunc("GET /c/{token}/badges/{id}/image", b.getMemberImage)
	mux.HandleFunc("GET /c/{token}/badges/{id}/credential", b.getMemberCredential)
	mux.HandleFunc("GET /portfolio/{handle}/badges/{id}/image", b.getMemberImage)
	mux.HandleFunc("GET /portfolio/{handle}/badges/{id}/credential", b.getMemberCredential)
	mux.HandleFunc("GET /p/{token}", b.getPresentation)
	mux.HandleFunc("GET /p/{token}/qr.png", b.getShareQR)
	mux.HandleFunc("GET /portfolio/{handle}", b.getPortfolio)
}

// Handler returns the backpack's routes alone (Register them on the node's mux instead to
// serve both from one address).
func (b *Backpack) Handler() http.Handler {
	mux := http.NewServeMux()
	b.Register(mux)
	return mux
}

// req is a signed-in request.
type req struct {
	acct    *Account
	sess    *session
	sessKey string
	lang    string
	wallet  *wallet.Wallet
}

// auth runs h for a signed-in learner; others go to the sign-in page (and come back). Every
// POST must carry the session's CSRF token and, when the browser sends one, our Origin.
func (b *Backpack) auth(h func(http.ResponseWriter, *http.Request, *req)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Add("Vary", "Cookie")
		s, key, err := b.session(r)
		if err != nil {
			if errors.Is(err, ErrNoSession) {
				if r.Method == http.MethodGet {
					http.Redirect(w, r, "/backpack/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
					return
				}
				b.errorPage(w, r, http.StatusForbidden, web.PickLang(r), b.pages.T(web.PickLang(r), "err.session"))
				return
			}
			b.fail(w, r, web.PickLang(r), err)
			return
		}
		acct, err := b.Account(s.Account)
		if err != nil {
			b.clearCookie(w)
			http.Redirect(w, r, "/backpack/signin", http.StatusSeeOther)
			return
		}
		lang := b.lang(r, acct)
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, maxForm)
			if !b.sameOrigin(r) || !validCSRF(r, s.CSRF) {
				b.errorPage(w, r, http.StatusForbidden, lang, b.pages.T(lang, "err.csrf"))
				return
			}
		}
		wal, err := b.wallet(acct.ID)
		if err != nil {
			b.fail(w, r, lang, err)
			return
		}
		h(w, r, &req{acct: acct, sess: s, sessKey: key, lang: lang, wallet: wal})
	}
}

// lang is ?lang=, else the account's language, else Accept-Language.
func (b *Backpack) lang(r *http.Request, acct *Account) string {
	if l := r.URL.Query().Get("lang"); l == "fr" || l == "en" {
		return l
	}
	if acct != nil && (acct.Lang == "fr" || acct.Lang == "en") {
		return acct.Lang
	}
	return web.PickLang(r)
}

// validCSRF compares the form's csrf field with the expected token in constant time. The
// multipart form is parsed here when needed.
func validCSRF(r *http.Request, want string) bool {
	got := formValue(r, "csrf")
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// formValue reads a field of a urlencoded or multipart form.
func formValue(r *http.Request, name string) string {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		if r.MultipartForm == nil {
			if err := r.ParseMultipartForm(maxForm); err != nil {
				return ""
			}
		}
	}
	return r.FormValue(name)
}

// sameOrigin refuses a POST whose Origin (or, without it, Referer) names another site.
func (b *Backpack) sameOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		if ref := r.Header.Get("Referer"); ref != "" {
			if u, err := url.Parse(ref); err == nil {
				origin = u.Scheme + "://" + u.Host
			}
		}
	}
	if origin == "" || origin == "null" {
		return origin == ""
	}
	return strings.EqualFold(origin, b.cfg.base()) || strings.EqualFold(origin, requestOrigin(r))
}

// requestOrigin is the origin the request was addressed to (for nodes reached by several names).
func requestOrigin(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// clientAddr is the client's address, for the rate limits.
func (b *Backpack) clientAddr(r *http.Request) string {
	if b.cfg.ClientAddr != nil {
		return b.cfg.ClientAddr(r)
	}
	return remoteIP(r)
}

// remoteIP is the IP address of the request's direct peer.
func remoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// localPath accepts a "next" target only when it is a path of the backpack (no open redirect).
func localPath(next string) string {
	if strings.HasPrefix(next, "/backpack") && !strings.HasPrefix(next, "//") && !strings.ContainsAny(next, "\\\r\n") {
		return next
	}
	return "/backpack"
}
