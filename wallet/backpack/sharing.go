package backpack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/communs/communs/internal/store"
)

// Kinds of share links.
const (
	ShareBadge        = "badge"
	ShareCollection   = "collection"
	SharePresentation = "presentation"
)

// Share is a public link to a badge, a collection or a presentation (record share/{token}).
type Share struct {
	V       int       `json:"v"`
	Token   string    `json:"token"`
	Account string    `json:"account"`
	Kind    string    `json:"kind"`
	Target  string    `json:"target,omitempty"` // badge or collection id
	Created time.Time `json:"created"`
	// Data is the presentation itself, for SharePresentation.
	Data json.RawMessage `json:"data,omitempty"`
}

// Collection is a named set of badges (« sac à dos #DevProf »), with its own share link.
type Collection struct {
	V           int       `json:"v"`
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Description string    `json:"description,omitempty"`
	Badges      []string  `json:"badges"`
	Share       string    `json:"share,omitempty"`
	Created     time.Time `json:"created"`
	Updated     time.Time `json:"updated"`
	// accountHint is the owner, set when read, never stored.
	accountHint string
}

func checkText(s string, max int, required bool) (string, error) {
	s = strings.TrimSpace(s)
	if (required && s == "") || utf8.RuneCountInString(s) > max || !utf8.ValidString(s) {
		return "", ErrBadInput
	}
	return s, nil
}

// SaveCollection creates (c.ID empty) or updates one of account's collections. Badges that are
// not in the account's wallet are refused.
func (b *Backpack) SaveCollection(ctx context.Context, account string, c Collection) (*Collection, error) {
	var err error
	if c.Name, err = checkText(c.Name, 120, true); err != nil {
		return nil, fmt.Errorf("collection name: %w", err)
	}
	if c.Description, err = checkText(c.Description, 2000, false); err != nil {
		return nil, fmt.Errorf("collection description: %w", err)
	}
	if err := b.checkBadges(ctx, account, c.Badges); err != nil {
		return nil, err
	}
	now := b.cfg.Now().UTC()
	if c.ID == "" {
		if c.ID, err = b.newID(); err != nil {
			return nil, err
		}
		c.Created = now
	}
	c.V, c.Updated = 1, now
	if c.Badges == nil {
		c.Badges = []string{}
	}
	err = b.db.Update(func(t *store.Txn) error {
		if ok, err := t.Has(store.KeyAccount(account)); err != nil || !ok {
			if err == nil {
				err = ErrNoAccount
			}
			return err
		}
		if old, err := t.Get(store.KeyAccountCollection(account, c.ID)); err == nil {
			var prev Collection
			if json.Unmarshal(old, &prev) == nil {
				c.Created, c.Share = prev.Created, prev.Share
			}
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		} else if !c.Created.Equal(now) {
			return ErrNotFound
		}
		raw, err := json.Marshal(&c)
		if err != nil {
			return err
		}
		return t.Set(store.KeyAccountCollection(account, c.ID), raw)
	})
	if err != nil {
		return nil, fmt.Errorf("save collection: %w", err)
	}
	return &c, nil
}

// checkBadges refuses ids that are not badges of the account's wallet.
func (b *Backpack) checkBadges(ctx context.Context, account string, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	w, err := b.wallet(account)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := w.Get(ctx, id); err != nil {
			return fmt.Errorf("%w: badge %q is not in this backpack", ErrBadInput, id)
		}
	}
	return nil
}

// Collections lists an account's collections, newest first.
func (b *Backpack) Collections(account string) ([]*Collection, error) {
	var out []*Collection
	err := b.db.Scan(store.PrefixAccountCollections(account), nil, func(_, v []byte) error {
		var c Collection
		if err := json.Unmarshal(v, &c); err != nil {
			return fmt.Errorf("read collection: %w", err)
		}
		c.accountHint = account
		out = append(out, &c)
		return nil
	})
	slices.SortFunc(out, func(a, b *Collection) int { return b.Created.Compare(a.Created) })
	return out, err
}

// Collection reads one collection of account (ErrNotFound).
func (b *Backpack) Collection(account, id string) (*Collection, error) {
	raw, err := b.db.Get(store.KeyAccountCollection(account, id))
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNotFound
	} else if err != nil {
		return nil, err
	}
	var c Collection
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, fmt.Errorf("read collection %s: %w", id, err)
	}
	c.accountHint = account
	return &c, nil
}

// DeleteCollection deletes a collection and its share link.
func (b *Backpack) DeleteCollection(_ context.Context, account, id string) error {
	c, err := b.Collection(account, id)
	if err != nil {
		return err
	}
	return b.db.Update(func(t *store.Txn) error {
		if c.Share != "" {
			if err := t.Delete(store.KeyShare(c.Share)); err != nil {
				return err
			}
			if err := t.Delete(store.KeyAccountShare(account, c.Share)); err != nil {
				return err
			}
		}
		return t.Delete(store.KeyAccountCollection(account, id))
	})
}

// ShareLink returns the share token of a badge or collection of account, making one when there
// is none yet.
func (b *Backpack) ShareLink(ctx context.Context, account, kind, target string) (string, error) {
	switch kind {
	case ShareBadge:
		if err := b.checkBadges(ctx, account, []string{target}); err != nil {
			return "", err
		}
	case ShareCollection:
		if _, err := b.Collection(account, target); err != nil {
			return "", err
		}
	default:
		return "", fmt.Errorf("%w: share kind %q", ErrBadInput, kind)
	}
	if tok, err := b.findShare(account, kind, target); err != nil || tok != "" {
		return tok, err
	}
	tok, err := b.newID()
	if err != nil {
		return "", err
	}
	s := Share{V: 1, Token: tok, Account: account, Kind: kind, Target: target, Created: b.cfg.Now().UTC()}
	if err := b.putShare(&s, func(t *store.Txn) error {
		if kind != ShareCollection {
			return nil
		}
		raw, err := t.Get(store.KeyAccountCollection(account, target))
		if err != nil {
			return err
		}
		var c Collection
		if err := json.Unmarshal(raw, &c); err != nil {
			return err
		}
		c.Share = tok
		if raw, err = json.Marshal(&c); err != nil {
			return err
		}
		return t.Set(store.KeyAccountCollection(account, target), raw)
	}); err != nil {
		return "", err
	}
	b.event(ctx, "backpack share link made", slog.String("account", account), slog.String("kind", kind))
	return tok, nil
}

func (b *Backpack) putShare(s *Share, also func(t *store.Txn) error) error {
	raw, err := json.Marshal(s)
	if err != nil {
		return err
	}
	idx, _ := json.Marshal(map[string]any{"v": 1, "kind": s.Kind, "target": s.Target})
	err = b.db.Update(func(t *store.Txn) error {
		if ok, err := t.Has(store.KeyAccount(s.Account)); err != nil || !ok {
			if err == nil {
				err = ErrNoAccount
			}
			return err
		}
		if err := t.Set(store.KeyShare(s.Token), raw); err != nil {
			return err
		}
		if err := t.Set(store.KeyAccountShare(s.Account, s.Token), idx); err != nil {
			return err
		}
		if also != nil {
			return also(t)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("save share link: %w", err)
	}
	return nil
}

// findShare returns the existing token for (kind, target), or "".
func (b *Backpack) findShare(account, kind, target string) (string, error) {
	var tok string
	prefix := store.PrefixAccountShares(account)
	err := b.db.Scan(prefix, nil, func(k, v []byte) error {
		var idx struct{ Kind, Target string }
		if json.Unmarshal(v, &idx) == nil && idx.Kind == kind && idx.Target == target {
			tok = string(k[len(prefix):])
		}
		return nil
	})
	return tok, err
}

// Unshare deletes one of account's share links (the public page is gone at once).
func (b *Backpack) Unshare(_ context.Context, account, token string) error {
	s, err := b.Share(token)
	if err != nil || s.Account != account {
		return ErrNotFound
	}
	return b.db.Update(func(t *store.Txn) error {
		if err := t.Delete(store.KeyShare(token)); err != nil {
			return err
		}
		if err := t.Delete(store.KeyAccountShare(account, token)); err != nil {
			return err
		}
		if s.Kind != ShareCollection {
			return nil
		}
		raw, err := t.Get(store.KeyAccountCollection(account, s.Target))
		if err != nil {
			return nil
		}
		var c Collection
		if json.Unmarshal(raw, &c) != nil {
			return nil
		}
		c.Share = ""
		raw, _ = json.Marshal(&c)
		return t.Set(store.KeyAccountCollection(account, s.Target), raw)
	})
}

// Share reads a share link (ErrNotFound).
func (b *Backpack) Share(token string) (*Share, error) {
	if len(token) != 26 {
		return nil, ErrNotFound
	}
	raw, err := b.db.Get(store.KeyShare(token))
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNotFound
	} else if err != nil {
		return nil, err
	}
	var s Share
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Errorf("read share link: %w", err)
	}
	return &s, nil
}

// badgeShares maps badge ids of account to their share tokens.
func (b *Backpack) badgeShares(account string) (map[string]string, error) {
	out := map[string]string{}
	prefix := store.PrefixAccountShares(account)
	err := b.db.Scan(prefix, nil, func(k, v []byte) error {
		var idx struct{ Kind, Target string }
		if json.Unmarshal(v, &idx) == nil && idx.Kind == ShareBadge {
			out[idx.Target] = string(k[len(prefix):])
		}
		return nil
	})
	return out, err
}

var handleRE = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{1,38})[a-z0-9]$`)

// SetPortfolio saves the portfolio settings of account, claiming p.Handle (ErrHandleTaken,
// ErrBadHandle) and releasing the previous one.
func (b *Backpack) SetPortfolio(ctx context.Context, account string, p Portfolio) (*Account, error) {
	p.Handle = strings.ToLower(strings.TrimSpace(p.Handle))
	var err error
	if p.DisplayName, err = checkText(p.DisplayName, 120, false); err != nil {
		return nil, fmt.Errorf("display name: %w", err)
	}
	if p.Headline, err = checkText(p.Headline, 280, false); err != nil {
		return nil, fmt.Errorf("headline: %w", err)
	}
	if p.Handle != "" && !handleRE.MatchString(p.Handle) {
		return nil, ErrBadHandle
	}
	if p.Enabled && p.Handle == "" {
		return nil, ErrBadHandle
	}
	if err := b.checkBadges(ctx, account, p.Badges); err != nil {
		return nil, err
	}
	return b.updateAccount(account, func(t *store.Txn, a *Account) error {
		if p.Handle != a.Portfolio.Handle {
			if p.Handle != "" {
				if ok, err := t.Has(store.KeyPortfolio(p.Handle)); err != nil || ok {
					if err == nil {
						err = ErrHandleTaken
					}
					return err
				}
				if err := t.Set(store.KeyPortfolio(p.Handle), []byte(`{"v":1,"account":"`+account+`"}`)); err != nil {
					return err
				}
			}
			if a.Portfolio.Handle != "" {
				if err := t.Delete(store.KeyPortfolio(a.Portfolio.Handle)); err != nil {
					return err
				}
			}
		}
		a.Portfolio = p
		return nil
	})
}

// PortfolioAccount returns the account whose public portfolio is handle, when it is on.
func (b *Backpack) PortfolioAccount(handle string) (*Account, error) {
	if !handleRE.MatchString(handle) {
		return nil, ErrNotFound
	}
	raw, err := b.db.Get(store.KeyPortfolio(handle))
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNotFound
	} else if err != nil {
		return nil, err
	}
	var idx struct {
		Account string `json:"account"`
	}
	if err := json.Unmarshal(raw, &idx); err != nil {
		return nil, err
	}
	a, err := b.Account(idx.Account)
	if err != nil || !a.Portfolio.Enabled {
		return nil, ErrNotFound
	}
	return a, nil
}

// Present makes a Verifiable Presentation of badges of account, signed by its holder DID, and
// a share link to it.
func (b *Backpack) Present(ctx context.Context, account string, badges []string, challenge, domain string) (*Share, error) {
	if len(badges) == 0 {
		return nil, fmt.Errorf("%w: choose at least one badge", ErrBadInput)
	}
	w, err := b.wallet(account)
	if err != nil {
		return nil, err
	}
	vp, _, err := w.Present(ctx, badges, challenge, domain)
	if err != nil {
		return nil, err
	}
	tok, err := b.newID()
	if err != nil {
		return nil, err
	}
	s := &Share{V: 1, Token: tok, Account: account, Kind: SharePresentation, Created: b.cfg.Now().UTC(), Data: vp}
	if err := b.putShare(s, nil); err != nil {
		return nil, err
	}
	return s, nil
}
