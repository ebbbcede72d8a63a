package backpack

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/communs/communs/internal/store"
	"github.com/communs/communs/wallet"
)

// Config is what a backpack depends on. Build it with DefaultConfig and set DB, Secret and
// BaseURL.
type Config struct {
	// DB is the node's database; accounts and their wallets live in their own key spaces.
	DB *store.DB
	// Secret (at least 32 bytes, derived from the node's master key) keys the e-mail index and
	// protects the accounts' holder keys. Changing it makes existing accounts unusable.
	Secret []byte
	// BaseURL is the node's public URL (https://badges.example.org): share links, QR codes and
	// the Origin check of forms use it; an https URL makes cookies Secure and __Host- prefixed.
	BaseURL string
	// NodeName is shown in the page header.
	NodeName string
	// Wallet configures the accounts' wallets (HTTP client, DID resolver, clock, trust).
	Wallet wallet.Config
	// Password are the argon2id parameters of new password hashes (an existing hash keeps its own).
	Password wallet.KDFParams
	// SessionTTL is how long a session lasts without being used; default 7 days.
	SessionTTL time.Duration
	// Limits on failed sign-ins per e-mail address and per client address within LimitWindow,
	// and on sign-ups per client address.
	MaxFailuresPerEmail, MaxFailuresPerClient, MaxSignupsPerClient int
	LimitWindow                                                    time.Duration
	// ReverifyAfter: a badge shown on a page is verified again when its last verification is
	// older than this (its status may have changed); default 10 minutes.
	ReverifyAfter time.Duration
	// SendMail sends a plain-text e-mail (the node's SMTP); nil means the backpack offers no
	// password reset by e-mail. ref names the message in logs.
	SendMail func(ctx context.Context, to, subject, body, ref string) error
	// ClientAddr names the client of a request for the rate limits (nil: its RemoteAddr's IP);
	// behind a reverse proxy, give one that believes the proxy's forwarding header.
	ClientAddr func(*http.Request) string
	// Logger receives account events with ids only (never e-mails or names); nil discards them.
	Logger *slog.Logger
	// Now is the clock; Rand the source of ids, tokens and salts (nil: crypto/rand).
	Now  func() time.Time
	Rand io.Reader
}

// DefaultConfig returns the production settings around wallet.DefaultConfig().
func DefaultConfig() Config {
	wc := wallet.DefaultConfig()
	return Config{
		Wallet: wc, Password: wallet.DefaultKDF, SessionTTL: 7 * 24 * time.Hour,
		MaxFailuresPerEmail: 10, MaxFailuresPerClient: 50, MaxSignupsPerClient: 20, LimitWindow: 15 * time.Minute,
		ReverifyAfter: 10 * time.Minute, Now: time.Now,
	}
}

// Validate reports a configuration that cannot work.
func (c Config) Validate() error {
	switch {
	case c.DB == nil:
		return errors.New("backpack config: DB is required")
	case len(c.Secret) < 32:
		return errors.New("backpack config: Secret must be at least 32 bytes")
	case c.Now == nil:
		return errors.New("backpack config: Now (the clock) is required")
	case c.SessionTTL <= 0 || c.LimitWindow <= 0:
		return errors.New("backpack config: SessionTTL and LimitWindow must be positive")
	case c.MaxFailuresPerEmail < 1 || c.MaxFailuresPerClient < 1 || c.MaxSignupsPerClient < 1:
		return errors.New("backpack config: the sign-in limits must be at least 1")
	case c.Password.Time < 1 || c.Password.Threads < 1 || c.Password.MemoryKiB < 8*uint32(c.Password.Threads):
		return errors.New("backpack config: argon2id password parameters are too weak or inconsistent")
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
		return fmt.Errorf("backpack config: BaseURL %q is not an http(s) origin such as https://badges.example.org", c.BaseURL)
	}
	return c.Wallet.Validate()
}

func (c Config) base() string { return strings.TrimSuffix(c.BaseURL, "/") }

func (c Config) secure() bool { return strings.HasPrefix(c.BaseURL, "https://") }
