package backpack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"

	"time"

	"github.com/communs/communs/internal/store"
)

// ErrResetLink: a password-reset link is unknown, used or expired.
var ErrResetLink = errors.New("this password-reset link is not valid any more; ask for a new one")

// resetTTL is how long a password-reset link works.
const resetTTL = time.Hour

type resetRecord struct {
	V       int       `json:"v"`
	Account string    `json:"account"`
	Expires time.Time `json:"expires"`
}

// RequestReset e-mails a one-hour, single-use password-reset link to email when it names an
// account, within the rate limits; it says nothing about whether the address has an account
// (no error for an unknown one). It returns ErrTooMany, or an error when there is no mailer.
func (b *Backpack) RequestReset(ctx context.Context, email, client, lang string) error {
	if b.cfg.SendMail == nil {
		return fmt.Errorf("password reset: this node sends no e-mail")
	}
	norm, err := normalEmail(email)
	if err != nil {
		return ErrBadEmail
	}
	eh := b.emailHash(norm)
	if !b.limiter.allow("reset:"+eh, 3) || !b.limiter.allow("resetclient:"+client, b.cfg.MaxSignupsPerClient) {
		return ErrTooMany
	}
	b.limiter.fail("reset:" + eh)
	b.limiter.fail("resetclient:" + client)
	acct, err := b.accountByEmailHash(eh)
	if errors.Is(err, ErrNoAccount) {
		return nil
	} else if err != nil {
		return err
	}
	tok, err := b.newToken()
	if err != nil {
		return err
	}
	h := tokenHash(tok)
	rec, _ := json.Marshal(resetRecord{V: 1, Account: acct.ID, Expires: b.cfg.Now().UTC().Add(resetTTL)})
	err = b.db.Update(func(t *store.Txn) error {
		if ok, err := t.Has(store.KeyAccount(acct.ID)); err != nil || !ok {
			return err
		}
		if err := t.Set(store.KeyPasswordReset(h), rec); err != nil {
			return err
		}
		return t.Set(store.KeyAccountReset(acct.ID, h), []byte(`{"v":1}`))
	})
	if err != nil {
		return fmt.Errorf("password reset: %w", err)
	}
	link := b.cfg.base() + "/backpack/reset?token=" + tok
	subject := b.pages.T("fr", "reset.mail.subject") + " / " + b.pages.T("en", "reset.mail.subject")
	body := b.pages.T("fr", "reset.mail.body", link) + "\n\n-- \n\n" + b.pages.T("en", "reset.mail.body", link)
	if lang == "en" {
		body = b.pages.T("en", "reset.mail.body", link) + "\n\n-- \n\n" + b.pages.T("fr", "reset.mail.body", link)
	}
	if err := b.cfg.SendMail(ctx, acct.Email, subject, body, "reset-"+acct.ID); err != nil {
		return fmt.Errorf("password reset: %w", err)
	}
	b.event(ctx, "backpack password reset link sent", slog.String("account", acct.ID))
	return nil
}

// lookupReset returns the account of a valid reset token.
func (b *Backpack) lookupReset(token string) (string, string, error) {
	if len(token) != 43 {
		return "", "", ErrResetLink
	}
	h := tokenHash(token)
	raw, err := b.db.Get(store.KeyPasswordReset(h))
	if errors.Is(err, store.ErrNotFound) {
		return "", "", ErrResetLink
	} else if err != nil {
		return "", "", err
	}
	var rec resetRecord
	if json.Unmarshal(raw, &rec) != nil || !b.cfg.Now().Before(rec.Expires) {
		return "", "", ErrResetLink
	}
	return rec.Account, h, nil
}

// ResetPassword sets a new password with a reset token; the token is used up, every session
// of the account ends, and so do its other pending resets.
func (b *Backpack) ResetPassword(ctx context.Context, token, next string) error {
	account, h, err := b.lookupReset(token)
	if err != nil {
		return err
	}
	hash, err := b.newPasswordHash(next)
	if err != nil {
		return err
	}
	_, err = b.updateAccount(account, func(t *store.Txn, a *Account) error {
		if ok, err := t.Has(store.KeyPasswordReset(h)); err != nil || !ok {
			if err == nil {
				err = ErrResetLink
			}
			return err
		}
		a.PasswordHash = hash
		if err := endAll(t, store.PrefixAccountSessions(account), store.KeySession, ""); err != nil {
			return err
		}
		return endAll(t, store.PrefixAccountResets(account), store.KeyPasswordReset, "")
	})
	if err != nil {
		if errors.Is(err, ErrNoAccount) {
			return ErrResetLink
		}
		return fmt.Errorf("reset password: %w", err)
	}
	b.event(ctx, "backpack password reset", slog.String("account", account))
	return nil
}
