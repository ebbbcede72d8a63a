package backpack

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/communs/communs/internal/store"
)

// session is a signed-in browser (record sess/{sha256(token)}); the token itself is only in
// the cookie.
type session struct {
	V       int       `json:"v"`
	Account string    `json:"account"`
	CSRF    string    `json:"csrf"`
	Created time.Time `json:"created"`
	Expires time.Time `json:"expires"`
}

func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// cookieName is __Host-communs_session on https (bound to the host, Secure, Path=/), and
// communs_session on plain http (local development).
func (b *Backpack) cookieName() string {
	if b.cfg.secure() {
		return "__Host-communs_session"
	}
	return "communs_session"
}

// startSession stores a new session for account and sets its cookie.
func (b *Backpack) startSession(w http.ResponseWriter, account string) (*session, error) {
	tok, err := b.newToken()
	if err != nil {
		return nil, err
	}
	csrf, err := b.newToken()
	if err != nil {
		return nil, err
	}
	now := b.cfg.Now().UTC()
	s := &session{V: 1, Account: account, CSRF: csrf, Created: now, Expires: now.Add(b.cfg.SessionTTL)}
	raw, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	h := tokenHash(tok)
	err = b.db.Update(func(t *store.Txn) error {
		if ok, err := t.Has(store.KeyAccount(account)); err != nil || !ok {
			if err == nil {
				err = ErrNoAccount
			}
			return err
		}
		if err := t.Set(store.KeySession(h), raw); err != nil {
			return err
		}
		return t.Set(store.KeyAccountSession(account, h), []byte(`{"v":1}`))
	})
	if err != nil {
		return nil, fmt.Errorf("start session: %w", err)
	}
	http.SetCookie(w, &http.Cookie{Name: b.cookieName(), Value: tok, Path: "/", HttpOnly: true,
		Secure: b.cfg.secure(), SameSite: http.SameSiteLaxMode, MaxAge: int(b.cfg.SessionTTL / time.Second)})
	return s, nil
}

// session returns the request's session, or ErrNoSession; a session in use is extended.
func (b *Backpack) session(r *http.Request) (*session, string, error) {
	c, err := r.Cookie(b.cookieName())
	if err != nil || len(c.Value) != 43 {
		return nil, "", ErrNoSession
	}
	h := tokenHash(c.Value)
	raw, err := b.db.Get(store.KeySession(h))
	if errors.Is(err, store.ErrNotFound) {
		return nil, "", ErrNoSession
	} else if err != nil {
		return nil, "", err
	}
	var s session
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, "", ErrNoSession
	}
	now := b.cfg.Now()
	if !now.Before(s.Expires) {
		_ = b.endSession(r.Context(), h, s.Account)
		return nil, "", ErrNoSession
	}
	// Slide the expiry at most once an hour, so reading pages does not write on every request.
	if s.Expires.Sub(now) < b.cfg.SessionTTL-time.Hour {
		s.Expires = now.UTC().Add(b.cfg.SessionTTL)
		if raw, err := json.Marshal(&s); err == nil {
			_ = b.db.Update(func(t *store.Txn) error {
				if ok, err := t.Has(store.KeySession(h)); err != nil || !ok {
					return err
				}
				return t.Set(store.KeySession(h), raw)
			})
		}
	}
	return &s, h, nil
}

// endSession deletes a session.
func (b *Backpack) endSession(_ context.Context, hash, account string) error {
	return b.db.Update(func(t *store.Txn) error {
		if err := t.Delete(store.KeySession(hash)); err != nil {
			return err
		}
		return t.Delete(store.KeyAccountSession(account, hash))
	})
}

func (b *Backpack) clearCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: b.cookieName(), Value: "", Path: "/", HttpOnly: true,
		Secure: b.cfg.secure(), SameSite: http.SameSiteLaxMode, MaxAge: -1})
}
