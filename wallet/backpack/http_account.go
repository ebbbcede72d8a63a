package backpack

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"
)

// The sign-up and sign-in forms have no session yet: they are protected by a double-submit
// token (a cookie and the same value in the form) and the Origin check.
func (b *Backpack) preCookieName() string {
	if b.cfg.secure() {
		return "__Host-communs_csrf"
	}
	return "communs_csrf"
}

func (b *Backpack) preCSRF(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(b.preCookieName()); err == nil && len(c.Value) == 43 {
		return c.Value
	}
	tok, err := b.newToken()
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: b.preCookieName(), Value: tok, Path: "/", HttpOnly: true,
		Secure: b.cfg.secure(), SameSite: http.SameSiteStrictMode, MaxAge: 3600})
	return tok
}

func (b *Backpack) checkPreCSRF(r *http.Request) bool {
	c, err := r.Cookie(b.preCookieName())
	if err != nil || len(c.Value) != 43 || !b.sameOrigin(r) {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(r.PostFormValue("csrf")), []byte(c.Value)) == 1
}

func (b *Backpack) authForm(w http.ResponseWriter, r *http.Request, page string, status int, email, msg string) {
	lang := b.lang(r, nil)
	if _, _, err := b.session(r); err == nil && r.Method == http.MethodGet {
		http.Redirect(w, r, localPath(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	v := authView{base: b.base(r, lang, b.pages.T(lang, page+".title"), nil), Email: email, Next: localPath(r.FormValue("next")),
		CanReset: b.cfg.SendMail != nil}
	v.CSRF = b.preCSRF(w, r)
	v.Error = msg
	w.Header().Set("Cache-Control", "no-store")
	b.render(w, r, status, page, v)
}

func (b *Backpack) getSignUp(w http.ResponseWriter, r *http.Request) {
	b.authForm(w, r, "signup", http.StatusOK, "", "")
}

func (b *Backpack) getSignIn(w http.ResponseWriter, r *http.Request) {
	b.authForm(w, r, "signin", http.StatusOK, "", "")
}

func (b *Backpack) postSignUp(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	lang := b.lang(r, nil)
	if !b.checkPreCSRF(r) {
		b.authForm(w, r, "signup", http.StatusForbidden, "", b.pages.T(lang, "err.csrf"))
		return
	}
	client := "signup:" + b.clientAddr(r)
	if !b.limiter.allow(client, b.cfg.MaxSignupsPerClient) {
		b.tooMany(w, client)
		b.authForm(w, r, "signup", http.StatusTooManyRequests, "", b.waitMessage(lang, client))
		return
	}
	email, pw := r.PostFormValue("email"), r.PostFormValue("password")
	if pw != r.PostFormValue("password2") {
		b.authForm(w, r, "signup", http.StatusBadRequest, email, b.pages.T(lang, "err.passwordsDiffer"))
		return
	}
	if r.PostFormValue("consent") == "" {
		b.authForm(w, r, "signup", http.StatusBadRequest, email, b.pages.T(lang, "err.consent"))
		return
	}
	acct, err := b.SignUp(r.Context(), email, pw, lang)
	if err != nil {
		b.limiter.fail(client)
		status := http.StatusBadRequest
		if errors.Is(err, ErrEmailTaken) {
			status = http.StatusConflict
		} else if !errors.Is(err, ErrBadEmail) && !errors.Is(err, ErrWeakPassword) {
			b.fail(w, r, lang, err)
			return
		}
		b.authForm(w, r, "signup", status, email, b.message(lang, err))
		return
	}
	b.limiter.fail(client)
	if _, err := b.startSession(w, acct.ID); err != nil {
		b.fail(w, r, lang, err)
		return
	}
	http.Redirect(w, r, localPath(r.PostFormValue("next")), http.StatusSeeOther)
}

func (b *Backpack) postSignIn(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	lang := b.lang(r, nil)
	if !b.checkPreCSRF(r) {
		b.authForm(w, r, "signin", http.StatusForbidden, "", b.pages.T(lang, "err.csrf"))
		return
	}
	email := r.PostFormValue("email")
	acct, err := b.SignIn(r.Context(), email, r.PostFormValue("password"), b.clientAddr(r))
	switch {
	case errors.Is(err, ErrTooMany):
		key := "email:" + b.emailHash(strings.ToLower(strings.TrimSpace(email)))
		if d := b.limiter.retryAfter("client:" + b.clientAddr(r)); d > b.limiter.retryAfter(key) {
			key = "client:" + b.clientAddr(r)
		}
		b.tooMany(w, key)
		b.authForm(w, r, "signin", http.StatusTooManyRequests, email, b.waitMessage(lang, key))
		return
	case errors.Is(err, ErrBadCredentials):
		b.authForm(w, r, "signin", http.StatusUnauthorized, email, b.message(lang, err))
		return
	case err != nil:
		b.fail(w, r, lang, err)
		return
	}
	if _, err := b.startSession(w, acct.ID); err != nil {
		b.fail(w, r, lang, err)
		return
	}
	http.Redirect(w, r, localPath(r.PostFormValue("next")), http.StatusSeeOther)
}

func (b *Backpack) tooMany(w http.ResponseWriter, key string) {
	secs := int(math.Ceil(b.limiter.retryAfter(key).Seconds()))
	w.Header().Set("Retry-After", fmt.Sprint(max(secs, 1)))
}

func (b *Backpack) waitMessage(lang, key string) string {
	mins := int(math.Ceil(b.limiter.retryAfter(key).Minutes()))
	return b.pages.T(lang, "err.tooMany", max(mins, 1))
}

func (b *Backpack) postSignOut(w http.ResponseWriter, r *http.Request, q *req) {
	if err := b.endSession(r.Context(), q.sessKey, q.acct.ID); err != nil {
		b.fail(w, r, q.lang, err)
		return
	}
	b.clearCookie(w)
	http.Redirect(w, r, "/backpack/signin", http.StatusSeeOther)
}

func (b *Backpack) getAccount(w http.ResponseWriter, r *http.Request, q *req) {
	v := accountView{base: b.signedIn(r, q, b.pages.T(q.lang, "account.title")), Email: q.acct.Email,
		HolderDID: q.acct.HolderDID, Created: q.acct.Created}
	b.render(w, r, http.StatusOK, "account", v)
}

// postPassword changes the password; the other sessions end.
func (b *Backpack) postPassword(w http.ResponseWriter, r *http.Request, q *req) {
	v := accountView{base: b.signedIn(r, q, b.pages.T(q.lang, "account.title")), Email: q.acct.Email,
		HolderDID: q.acct.HolderDID, Created: q.acct.Created}
	next := r.PostFormValue("newPassword")
	if next != r.PostFormValue("newPassword2") {
		v.Error = b.pages.T(q.lang, "err.passwordsDiffer")
		b.render(w, r, http.StatusBadRequest, "account", v)
		return
	}
	err := b.ChangePassword(r.Context(), q.acct.ID, r.PostFormValue("currentPassword"), next, q.sessKey)
	switch {
	case errors.Is(err, ErrBadCredentials):
		v.Error = b.pages.T(q.lang, "err.passwordCurrent")
		b.render(w, r, http.StatusUnauthorized, "account", v)
		return
	case errors.Is(err, ErrWeakPassword):
		v.Error = b.message(q.lang, err)
		b.render(w, r, http.StatusBadRequest, "account", v)
		return
	case err != nil:
		b.fail(w, r, q.lang, err)
		return
	}
	v.Notice = b.pages.T(q.lang, "notice.password")
	b.render(w, r, http.StatusOK, "account", v)
}

// postDeleteAccount deletes the account once the learner typed her password again.
func (b *Backpack) postDeleteAccount(w http.ResponseWriter, r *http.Request, q *req) {
	if !checkPassword(q.acct.PasswordHash, r.PostFormValue("password")) {
		v := accountView{base: b.signedIn(r, q, b.pages.T(q.lang, "account.title")), Email: q.acct.Email,
			HolderDID: q.acct.HolderDID, Created: q.acct.Created}
		v.Error = b.pages.T(q.lang, "err.passwordDelete")
		b.render(w, r, http.StatusUnauthorized, "account", v)
		return
	}
	if err := b.DeleteAccount(r.Context(), q.acct.ID); err != nil {
		b.fail(w, r, q.lang, err)
		return
	}
	b.clearCookie(w)
	v := messageView{base: b.base(r, q.lang, b.pages.T(q.lang, "deleted.title"), nil), Message: b.pages.T(q.lang, "deleted.body")}
	b.render(w, r, http.StatusOK, "message", v)
}

func (b *Backpack) getPortfolioSettings(w http.ResponseWriter, r *http.Request, q *req) {
	b.portfolioForm(w, r, q, http.StatusOK, q.acct.Portfolio, "")
}

func (b *Backpack) portfolioForm(w http.ResponseWriter, r *http.Request, q *req, status int, p Portfolio, msg string) {
	items, err := b.items(r, q)
	if err != nil {
		b.fail(w, r, q.lang, err)
		return
	}
	shown := map[string]bool{}
	for _, id := range p.Badges {
		shown[id] = true
	}
	for i := range items {
		items[i].Selected = shown[items[i].ID]
	}
	v := portfolioSettingsView{base: b.signedIn(r, q, b.pages.T(q.lang, "portfolio.settings")), Portfolio: p, Badges: items}
	if q.acct.Portfolio.Enabled && q.acct.Portfolio.Handle != "" {
		v.PublicURL = b.cfg.base() + "/portfolio/" + q.acct.Portfolio.Handle
	}
	v.Error = msg
	b.render(w, r, status, "portfolio-settings", v)
}

func (b *Backpack) postPortfolioSettings(w http.ResponseWriter, r *http.Request, q *req) {
	p := Portfolio{Enabled: r.PostFormValue("enabled") != "", Handle: r.PostFormValue("handle"),
		DisplayName: r.PostFormValue("displayName"), Headline: r.PostFormValue("headline"), Badges: r.PostForm["badge"]}
	if _, err := b.SetPortfolio(r.Context(), q.acct.ID, p); err != nil {
		if errors.Is(err, ErrNoAccount) {
			b.fail(w, r, q.lang, err)
			return
		}
		b.portfolioForm(w, r, q, http.StatusBadRequest, p, b.message(q.lang, err))
		return
	}
	http.Redirect(w, r, "/backpack/portfolio?saved=1", http.StatusSeeOther)
}

// message is the translated sentence for a backpack error.
func (b *Backpack) message(lang string, err error) string {
	for key, e := range map[string]error{
		"err.emailTaken": ErrEmailTaken, "err.badEmail": ErrBadEmail, "err.weakPassword": ErrWeakPassword,
		"err.badCredentials": ErrBadCredentials, "err.badHandle": ErrBadHandle, "err.handleTaken": ErrHandleTaken,
		"err.badInput": ErrBadInput, "err.notFound": ErrNotFound,
	} {
		if errors.Is(err, e) {
			return b.pages.T(lang, key)
		}
	}
	return err.Error()
}

var _ = time.Second
