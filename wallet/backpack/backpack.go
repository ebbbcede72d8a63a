package backpack

import (
	"context"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"

	"github.com/communs/communs/internal/store"
	"github.com/communs/communs/wallet"
)

// Backpack is a node's hosted backpack. It is safe for concurrent use.
type Backpack struct {
	cfg       Config
	db        *store.DB
	emailKey  []byte // keys the e-mail index (HMAC-SHA256)
	walletKey []byte // protects the accounts' holder keys
	limiter   *limiter
	log       *slog.Logger
	dummyHash string // compared against when an e-mail is unknown, so timing says nothing
	pages     *pageSet
}

// New returns a backpack over cfg.DB.
func New(cfg Config) (*Backpack, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Reader
	}
	emailKey, err := hkdf.Key(sha256.New, cfg.Secret, nil, "communs backpack e-mail index", 32)
	if err != nil {
		return nil, err
	}
	walletKey, err := hkdf.Key(sha256.New, cfg.Secret, nil, "communs backpack wallets", 32)
	if err != nil {
		return nil, err
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	pages, err := newPageSet()
	if err != nil {
		return nil, err
	}
	b := &Backpack{cfg: cfg, db: cfg.DB, emailKey: emailKey, walletKey: walletKey, log: log, pages: pages,
		limiter: newLimiter(cfg.LimitWindow, cfg.Now)}
	salt := make([]byte, 16)
	if _, err := io.ReadFull(cfg.Rand, salt); err != nil {
		return nil, err
	}
	b.dummyHash = hashPassword("not a password", salt, cfg.Password)
	return b, nil
}

// wallet opens an account's hosted wallet (cheap: one read and a key derivation).
func (b *Backpack) wallet(account string) (*wallet.Wallet, error) {
	return wallet.OpenHosted(b.db, store.HostedWallet(account), b.walletKey, b.cfg.Wallet)
}

var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// newID returns 128 random bits in lowercase base32 (26 characters).
func (b *Backpack) newID() (string, error) {
	buf := make([]byte, 16)
	if _, err := io.ReadFull(b.cfg.Rand, buf); err != nil {
		return "", fmt.Errorf("random id: %w", err)
	}
	return idEncoding.EncodeToString(buf), nil
}

// newToken returns 256 random bits, base64url (43 characters): session and CSRF tokens.
func (b *Backpack) newToken() (string, error) {
	buf := make([]byte, 32)
	if _, err := io.ReadFull(b.cfg.Rand, buf); err != nil {
		return "", fmt.Errorf("random token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(buf), nil
}

// event logs an account event with ids only.
func (b *Backpack) event(ctx context.Context, msg string, attrs ...slog.Attr) {
	b.log.LogAttrs(ctx, slog.LevelInfo, msg, attrs...)
}
