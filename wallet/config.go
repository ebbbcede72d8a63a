package wallet

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/communs/communs/internal/httpx"
	"github.com/communs/communs/vc"
	"github.com/communs/communs/vc/did"
)

// Config is what a wallet depends on besides its folder and passphrase. Build it with
// DefaultConfig and change what differs.
type Config struct {
	// HTTPClient fetches credentials by URL, OpenID4VCI documents, did:web documents and status
	// lists. It should be the guarded client of internal/httpx (DefaultConfig sets one).
	HTTPClient *http.Client
	// AssetClient fetches badge images and evidence files (KeepAssets), which may be larger than
	// the 1 MiB the guarded client allows documents; nil uses HTTPClient. DefaultConfig sets a
	// guarded client with a 20 MiB body limit.
	AssetClient *http.Client
	// Resolver resolves issuer DIDs; nil resolves did:key and did:jwk only.
	Resolver did.Resolver
	// Trust says whether an issuer is recognised (the federation's registry); nil skips the
	// recognition check.
	Trust vc.IssuerTrust
	// UnknownStatusIsWarning accepts a badge whose status list cannot be read.
	UnknownStatusIsWarning bool
	// Now is the clock (verification time, import dates, proof dates).
	Now func() time.Time
	// Rand is the source of the holder key and of encryption salts and nonces.
	Rand io.Reader
	// KDF are the argon2id parameters used when Init protects a new holder key (an existing
	// key is always opened with the parameters it was protected with).
	KDF KDFParams
}

// KDFParams are argon2id parameters (RFC 9106).
type KDFParams struct {
	Time      uint32 `json:"time"`
	MemoryKiB uint32 `json:"memoryKiB"`
	Threads   uint8  `json:"threads"`
}

// DefaultKDF is RFC 9106's second recommended option: 3 passes over 64 MiB.
var DefaultKDF = KDFParams{Time: 3, MemoryKiB: 64 * 1024, Threads: 4}

// DefaultConfig returns the production configuration: the guarded client (https, public
// addresses), did:key/did:jwk/did:web resolution through it, the system clock and crypto/rand.
func DefaultConfig() Config {
	client := httpx.NewGuardedClient(httpx.GuardOptions{})
	return Config{
		HTTPClient:  client,
		AssetClient: httpx.NewGuardedClient(httpx.GuardOptions{MaxBodyBytes: MaxEvidenceBytes, CacheTTL: -1}),
		Resolver:    did.NewResolver(did.Options{HTTPClient: client}),
		Now:         time.Now,
		KDF:         DefaultKDF,
	}
}

// Validate reports a configuration that cannot work.
func (c Config) Validate() error {
	if c.Now == nil {
		return errors.New("wallet config: Now (the clock) is required")
	}
	if c.KDF.Time < 1 || c.KDF.MemoryKiB < 8*uint32(c.KDF.Threads) || c.KDF.Threads < 1 {
		return fmt.Errorf("wallet config: argon2id parameters time=%d memory=%d KiB threads=%d are too weak or inconsistent",
			c.KDF.Time, c.KDF.MemoryKiB, c.KDF.Threads)
	}
	return nil
}

// DefaultDir is where a wallet lives when no folder is chosen: $XDG_DATA_HOME/communs/wallet,
// or ~/.local/share/communs/wallet.
func DefaultDir() (string, error) {
	if x := os.Getenv("XDG_DATA_HOME"); x != "" && filepath.IsAbs(x) {
		return filepath.Join(x, "communs", "wallet"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("find the wallet folder: %w (choose one with --wallet DIR)", err)
	}
	return filepath.Join(home, ".local", "share", "communs", "wallet"), nil
}
