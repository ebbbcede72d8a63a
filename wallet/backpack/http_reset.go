package backpack

import (
	"errors"
	"net/http"
)

type resetView struct {
	base
	Email, Token string
	Sent         bool
}

func (b *Backpack) getForgot(w http.ResponseWriter, r *http.Request) {
	if b.cfg.SendMail == nil {
		b.fail(w, r, b.lang(r, nil), ErrNotFound)
		return
	}
	b.renderReset(w, r, "forgot", http.StatusOK, resetView{}, "")
}

// renderReset renders the forgot or reset page with an error message (or none).
func (b *Backpack) renderReset(w http.ResponseWriter, r *http.Request, page string, status int, v resetView, msg string) {
	lang := b.lang(r, nil)
	v.base = b.base(r, lang, b.pages.T(lang, page+".title"), nil)
	v.Error = msg
	v.CSRF = b.preCSRF(w, r)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	b.render(w, r, status, page, v)
}

// postForgot sends the reset link; the answer is the same whether the address has an account.
func (b *Backpack) postForgot(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	lang := b.lang(r, nil)
	if b.cfg.SendMail == nil {
		b.fail(w, r, lang, ErrNotFound)
		return
	}
	if !b.checkPreCSRF(r) {
		b.renderReset(w, r, "forgot", http.StatusForbidden, resetView{}, b.pages.T(lang, "err.csrf"))
		return
	}
	email := r.PostFormValue("email")
	err := b.RequestReset(r.Context(), email, b.clientAddr(r), lang)
	switch {
	case errors.Is(err, ErrTooMany):
		b.renderReset(w, r, "forgot", http.StatusTooManyRequests, resetView{Email: email}, b.pages.T(lang, "err.tooManyResets"))
	case errors.Is(err, ErrBadEmail):
		b.renderReset(w, r, "forgot", http.StatusBadRequest, resetView{Email: email}, b.message(lang, err))
	case err != nil:
		b.fail(w, r, lang, err)
	default:
		b.renderReset(w, r, "forgot", http.StatusOK, resetView{Sent: true}, "")
	}
}

func (b *Backpack) getReset(w http.ResponseWriter, r *http.Request) {
	tok := r.URL.Query().Get("token")
	if _, _, err := b.lookupReset(tok); err != nil {
		b.renderReset(w, r, "forgot", http.StatusNotFound, resetView{}, b.pages.T(b.lang(r, nil), "err.resetLink"))
		return
	}
	b.renderReset(w, r, "reset", http.StatusOK, resetView{Token: tok}, "")
}

func (b *Backpack) postReset(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	lang := b.lang(r, nil)
	tok := r.PostFormValue("token")
	if !b.checkPreCSRF(r) {
		b.renderReset(w, r, "reset", http.StatusForbidden, resetView{Token: tok}, b.pages.T(lang, "err.csrf"))
		return
	}
	next := r.PostFormValue("password")
	if next != r.PostFormValue("password2") {
		b.renderReset(w, r, "reset", http.StatusBadRequest, resetView{Token: tok}, b.pages.T(lang, "err.passwordsDiffer"))
		return
	}
	err := b.ResetPassword(r.Context(), tok, next)
	switch {
	case errors.Is(err, ErrResetLink):
		b.renderReset(w, r, "forgot", http.StatusNotFound, resetView{}, b.pages.T(lang, "err.resetLink"))
	case errors.Is(err, ErrWeakPassword):
		b.renderReset(w, r, "reset", http.StatusBadRequest, resetView{Token: tok}, b.message(lang, err))
	case err != nil:
		b.fail(w, r, lang, err)
	default:
		v := messageView{base: b.base(r, lang, b.pages.T(lang, "reset.done.title"), nil), Message: b.pages.T(lang, "reset.done"),
			Link: "/backpack/signin", LinkText: b.pages.T(lang, "signin.title")}
		b.render(w, r, http.StatusOK, "message", v)
	}
}
