package backpack

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/communs/communs/internal/store"
)

// Account is a learner's hosted backpack account (record acct/{id}/profile).
type Account struct {
	V            int       `json:"v"`
	ID           string    `json:"id"`
	Email        string    `json:"email"`
	PasswordHash string    `json:"passwordHash"`
	HolderDID    string    `json:"holderDid"`
	Lang         string    `json:"lang,omitempty"`
	Created      time.Time `json:"created"`
	// Portfolio is the learner's public page; off unless she turns it on.
	Portfolio Portfolio `json:"portfolio"`
}

// Portfolio is what the public portfolio page shows. No e-mail ever appears on it.
type Portfolio struct {
	Enabled     bool   `json:"enabled"`
	Handle      string `json:"handle,omitempty"`
	DisplayName string `json:"displayName,omitempty"`
	Headline    string `json:"headline,omitempty"`
	// Badges are the wallet ids of the badges shown, in order.
	Badges []string `json:"badges,omitempty"`
}

// normalEmail trims and lower-cases an address and checks its form.
func normalEmail(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if len(s) > 254 || !utf8.ValidString(s) {
		return "", ErrBadEmail
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return "", ErrBadEmail
	}
	at := strings.LastIndexByte(s, '@')
	if at < 1 || !strings.Contains(s[at+1:], ".") {
		return "", ErrBadEmail
	}
	return s, nil
}

func checkPasswordPolicy(p string) error {
	if n := utf8.RuneCountInString(p); n < 10 || len(p) > 256 {
		return ErrWeakPassword
	}
	return nil
}

// emailHash is the keyed hash under which the e-mail index stores an address.
func (b *Backpack) emailHash(email string) string {
	m := hmac.New(sha256.New, b.emailKey)
	m.Write([]byte(email))
	return hex.EncodeToString(m.Sum(nil))
}

// SignUp creates an account with its hosted wallet and holder key, in one write.
func (b *Backpack) SignUp(ctx context.Context, email, password, lang string) (*Account, error) {
	email, err := normalEmail(email)
	if err != nil {
		return nil, err
	}
	if err := checkPasswordPolicy(password); err != nil {
		return nil, err
	}
	id, err := b.newID()
	if err != nil {
		return nil, err
	}
	salt := make([]byte, 16)
	if _, err := io.ReadFull(b.cfg.Rand, salt); err != nil {
		return nil, err
	}
	acct := &Account{V: 1, ID: id, Email: email, PasswordHash: hashPassword(password, salt, b.cfg.Password),
		Lang: lang, Created: b.cfg.Now().UTC()}
	eh := b.emailHash(email)
	if _, err := b.db.Get(store.KeyEmail(eh)); err == nil {
		return nil, ErrEmailTaken
	}
	w, err := b.wallet(id)
	if err != nil {
		return nil, fmt.Errorf("sign up: %w", err)
	}
	// The holder key is written first; an account whose profile write failed leaves an
	// unreachable key space that the next sign-up never reuses (ids are random).
	did, err := w.Init(ctx)
	if err != nil {
		return nil, fmt.Errorf("sign up: %w", err)
	}
	acct.HolderDID = did
	raw, err := json.Marshal(acct)
	if err != nil {
		return nil, err
	}
	err = b.db.Update(func(t *store.Txn) error {
		if ok, err := t.Has(store.KeyEmail(eh)); err != nil || ok {
			if err == nil {
				err = ErrEmailTaken
			}
			return err
		}
		if err := t.Set(store.KeyEmail(eh), []byte(`{"v":1,"account":"`+id+`"}`)); err != nil {
			return err
		}
		return t.Set(store.KeyAccount(id), raw)
	})
	if err != nil {
		_ = b.db.Update(func(t *store.Txn) error { return t.DeletePrefix(store.HostedWallet(id).Prefix()) })
		if errors.Is(err, ErrEmailTaken) {
			return nil, err
		}
		return nil, fmt.Errorf("sign up: %w", err)
	}
	b.event(ctx, "backpack account created", slog.String("account", id))
	return acct, nil
}

// SignIn checks an e-mail and password, within the rate limits (ErrTooMany), and returns the
// account (ErrBadCredentials when either is wrong).
func (b *Backpack) SignIn(ctx context.Context, email, password, client string) (*Account, error) {
	norm, err := normalEmail(email)
	if err != nil {
		norm = strings.ToLower(strings.TrimSpace(email))
	}
	eh := b.emailHash(norm)
	if !b.limiter.allow("email:"+eh, b.cfg.MaxFailuresPerEmail) || !b.limiter.allow("client:"+client, b.cfg.MaxFailuresPerClient) {
		b.event(ctx, "backpack sign-in refused: too many failures", slog.String("email_hash", eh[:16]))
		return nil, ErrTooMany
	}
	acct, err := b.accountByEmailHash(eh)
	if err != nil {
		checkPassword(b.dummyHash, password)
		b.limiter.fail("email:" + eh)
		b.limiter.fail("client:" + client)
		if errors.Is(err, ErrNoAccount) {
			return nil, ErrBadCredentials
		}
		return nil, err
	}
	if !checkPassword(acct.PasswordHash, password) {
		b.limiter.fail("email:" + eh)
		b.limiter.fail("client:" + client)
		b.event(ctx, "backpack sign-in failed", slog.String("account", acct.ID))
		return nil, ErrBadCredentials
	}
	b.limiter.reset("email:" + eh)
	b.event(ctx, "backpack signed in", slog.String("account", acct.ID))
	return acct, nil
}

func (b *Backpack) accountByEmailHash(eh string) (*Account, error) {
	raw, err := b.db.Get(store.KeyEmail(eh))
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNoAccount
	} else if err != nil {
		return nil, err
	}
	var idx struct {
		Account string `json:"account"`
	}
	if err := json.Unmarshal(raw, &idx); err != nil {
		return nil, fmt.Errorf("e-mail index: %w", err)
	}
	return b.Account(idx.Account)
}

// Account reads an account (ErrNoAccount).
func (b *Backpack) Account(id string) (*Account, error) {
	raw, err := b.db.Get(store.KeyAccount(id))
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNoAccount
	} else if err != nil {
		return nil, fmt.Errorf("read account: %w", err)
	}
	var a Account
	if err := json.Unmarshal(raw, &a); err != nil {
		return nil, fmt.Errorf("read account %s: %w", id, err)
	}
	return &a, nil
}

// updateAccount applies fn to the stored account in one transaction.
func (b *Backpack) updateAccount(id string, fn func(t *store.Txn, a *Account) error) (*Account, error) {
	var out *Account
	err := b.db.Update(func(t *store.Txn) error {
		raw, err := t.Get(store.KeyAccount(id))
		if errors.Is(err, store.ErrNotFound) {
			return ErrNoAccount
		} else if err != nil {
			return err
		}
		var a Account
		if err := json.Unmarshal(raw, &a); err != nil {
			return err
		}
		if err := fn(t, &a); err != nil {
			return err
		}
		raw, err = json.Marshal(&a)
		if err != nil {
			return err
		}
		out = &a
		return t.Set(store.KeyAccount(id), raw)
	})
	return out, err
}

// DeleteAccount deletes every record of the account: profile, wallet (badges, holder key,
// images, evidence), collections, share links, portfolio name, sessions and the e-mail index,
// in one write; then it compacts those key ranges so that the bytes leave the database files.
func (b *Backpack) DeleteAccount(ctx context.Context, id string) error {
	acct, err := b.Account(id)
	if err != nil {
		return err
	}
	err = b.db.Update(func(t *store.Txn) error {
		var keys [][]byte
		collect := func(prefix []byte, mk func(suffix string) []byte) error {
			return t.Scan(prefix, nil, func(k, _ []byte) error {
				keys = append(keys, mk(string(k[len(prefix):])))
				return nil
			})
		}
		if err := collect(store.PrefixAccountShares(id), func(s string) []byte { return store.KeyShare(s) }); err != nil {
			return err
		}
		if err := collect(store.PrefixAccountSessions(id), func(s string) []byte { return store.KeySession(s) }); err != nil {
			return err
		}
		if err := collect(store.PrefixAccountResets(id), func(s string) []byte { return store.KeyPasswordReset(s) }); err != nil {
			return err
		}
		keys = append(keys, store.KeyEmail(b.emailHash(acct.Email)))
		if h := acct.Portfolio.Handle; h != "" {
			keys = append(keys, store.KeyPortfolio(h))
		}
		for _, k := range keys {
			if err := t.Delete(k); err != nil {
				return err
			}
		}
		if err := t.DeletePrefix(store.PrefixAccount(id)); err != nil {
			return err
		}
		return t.DeletePrefix(store.HostedWallet(id).Prefix())
	})
	if err != nil {
		return fmt.Errorf("delete account %s: %w", id, err)
	}
	for _, p := range [][]byte{store.PrefixAccount(id), store.HostedWallet(id).Prefix()} {
		if err := b.db.Purge(p); err != nil {
			return fmt.Errorf("delete account %s: %w", id, err)
		}
	}
	b.event(ctx, "backpack account deleted", slog.String("account", id))
	return nil
}

// ChangePassword replaces the password of an account after checking the current one, and ends
// every other session (ErrBadCredentials, ErrWeakPassword).
func (b *Backpack) ChangePassword(ctx context.Context, id, current, next, keepSession string) error {
	acct, err := b.Account(id)
	if err != nil {
		return err
	}
	if !checkPassword(acct.PasswordHash, current) {
		return ErrBadCredentials
	}
	hash, err := b.newPasswordHash(next)
	if err != nil {
		return err
	}
	_, err = b.updateAccount(id, func(t *store.Txn, a *Account) error {
		a.PasswordHash = hash
		return endAll(t, store.PrefixAccountSessions(id), store.KeySession, keepSession)
	})
	if err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	b.event(ctx, "backpack password changed", slog.String("account", id))
	return nil
}

// newPasswordHash checks a new password against the policy and hashes it with a fresh salt.
func (b *Backpack) newPasswordHash(password string) (string, error) {
	if err := checkPasswordPolicy(password); err != nil {
		return "", err
	}
	salt := make([]byte, 16)
	if _, err := io.ReadFull(b.cfg.Rand, salt); err != nil {
		return "", err
	}
	return hashPassword(password, salt, b.cfg.Password), nil
}

// endAll deletes, in t, every record an account lists under prefix (its sessions or its
// password resets: the per-account index and the global record that global names), except
// keep.
func endAll(t *store.Txn, prefix []byte, global func(hash string) []byte, keep string) error {
	var hashes []string
	if err := t.Scan(prefix, nil, func(k, _ []byte) error {
		if h := string(k[len(prefix):]); h != keep {
			hashes = append(hashes, h)
		}
		return nil
	}); err != nil {
		return err
	}
	for _, h := range hashes {
		if err := t.Delete(global(h)); err != nil {
			return err
		}
		if err := t.Delete(append(append([]byte(nil), prefix...), h...)); err != nil {
			return err
		}
	}
	return nil
}
