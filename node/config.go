package node

import (
	"crypto/rand"
	"errors"
	"fmt"
	"github.com/communs/communs/vc"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/communs/communs/vc/status"
)

// Status list types a node can issue.
const (
	StatusBitstring = "bitstring"
	Status1EdTech   = "1edtech"
)

// Config is the node's configuration. It is immutable once passed to New.
type Config struct {
	// BaseURL is the node's public URL (scheme and host, no path), e.g. https://badges.example.org.
	BaseURL string
	// DataDir is where the store and master key live (used by the command that opens them).
	DataDir string
	// MaxEvidenceBytes bounds one evidence file.
	MaxEvidenceBytes int64
	// MaxImageBytes bounds an achievement image.
	MaxImageBytes int64
	// StatusListSize is the number of entries of a bitstring status list (≥ status.MinEntries).
	StatusListSize int
	// StatusType is StatusBitstring or Status1EdTech for new badges.
	StatusType string
	// Now is the clock.
	Now func() time.Time
	// Rand is the source of ids, salts, keys and status indexes.
	Rand io.Reader
	// HTTPClient fetches other parties' documents (did:web, status lists) when verifying; nil
	// means only this node's own DIDs and lists can be resolved.
	HTTPClient *http.Client
	// AllowHTTPDIDs resolves loopback did:web over http (tests, local development).
	AllowHTTPDIDs bool
	// Logger receives ids and hashes only.
	Logger *slog.Logger
	// Trust says whether an issuer is recognised by the federation (vc.Verify's recognition
	// check on badge pages and the VC-API); nil skips it.
	Trust vc.IssuerTrust
	// HostedBackpack says the node also runs a hosted backpack at /backpack/: claim pages then
	// offer to receive the badge into it.
	HostedBackpack bool
	// RequireTxCode makes every new award's OpenID4VCI offer require a 6-digit transaction
	// code, returned once in the award result for its creator to pass on.
	RequireTxCode bool
	// SMTP, when set, e-mails each new award's recipient (with an address) its claim link.
	SMTP *SMTPConfig
}

// DefaultConfig returns the defaults: 20 MiB evidence, 1 MiB images, bitstring lists of
// 131,072 entries, the system clock and crypto/rand.
func DefaultConfig() Config {
	return Config{
		BaseURL:          "http://127.0.0.1:8080",
		DataDir:          "communs-data",
		MaxEvidenceBytes: 20 << 20,
		MaxImageBytes:    1 << 20,
		StatusListSize:   status.MinEntries,
		StatusType:       StatusBitstring,
		Now:              time.Now,
		Rand:             rand.Reader,
		Logger:           slog.New(slog.DiscardHandler),
	}
}

// ErrConfig is returned by Validate.
var ErrConfig = errors.New("invalid node configuration")

// Validate checks the configuration.
func (c Config) Validate() error {
	u, err := url.Parse(c.BaseURL)
	switch {
	case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
		return fmt.Errorf("%w: base URL %q must be an absolute http(s) URL", ErrConfig, c.BaseURL)
	case u.Path != "" && u.Path != "/", u.RawQuery != "", u.Fragment != "":
		return fmt.Errorf("%w: base URL %q must have no path, query or fragment", ErrConfig, c.BaseURL)
	case c.MaxEvidenceBytes <= 0:
		return fmt.Errorf("%w: MaxEvidenceBytes must be positive", ErrConfig)
	case c.MaxImageBytes <= 0:
		return fmt.Errorf("%w: MaxImageBytes must be positive", ErrConfig)
	case c.StatusListSize < status.MinEntries:
		return fmt.Errorf("%w: StatusListSize must be at least %d", ErrConfig, status.MinEntries)
	case c.StatusType != StatusBitstring && c.StatusType != Status1EdTech:
		return fmt.Errorf("%w: StatusType must be %q or %q, not %q", ErrConfig, StatusBitstring, Status1EdTech, c.StatusType)
	case c.Now == nil || c.Rand == nil:
		return fmt.Errorf("%w: Now and Rand are required", ErrConfig)
	case c.SMTP != nil:
		return c.SMTP.validate()
	}
	return nil
}

func (c Config) base() string { return strings.TrimSuffix(c.BaseURL, "/") }
