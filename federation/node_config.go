package federation

import (
	"crypto"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/communs/communs/internal/store"
	"github.com/communs/communs/vc/did"
)

// Role is what a node is in the federation.
type Role string

// Roles of a node.
const (
	// RoleAnchor: the trust anchor, attesting partners; it keeps no log of
	// its own and is a replica of every partner.
	RoleAnchor Role = "anchor"
	// RolePartner: a partner node, vouching for issuers in its own log
	// under the anchor's attestation.
	RolePartner Role = "partner"
)

// EquivocationAlert says that an origin signed two different objects for
// one seq; the origin is frozen until an operator intervenes. It carries
// ids only.
type EquivocationAlert struct {
	Origin string
	Seq    uint64
}

// NodeConfig configures a [Node]. Start from [DefaultNodeConfig].
type NodeConfig struct {
	// EntityID is this node's entity id: the https base URL under which it
	// serves /federation/* and /.well-known/openid-federation.
	EntityID string
	// Role is RoleAnchor or RolePartner.
	Role Role
	// DB is the node's pebble database; nil keeps everything in memory.
	// The caller keeps ownership (closes it after Run returns).
	DB *store.DB
	// Signer is the node's federation key (ECDSA P-256): it signs the
	// node's entries, heads, Entity Configuration and fetch answers; on
	// the anchor, also the partners' statements (its public key is the
	// one partners pin).
	Signer crypto.Signer
	// AnchorID and AnchorKeys pin the trust anchor (partners; the anchor
	// sets them from itself). AnchorKeys is typically read with
	// [ParseJWKS] from a file.
	AnchorID   string
	AnchorKeys jose.JSONWebKeySet
	// Peers are extra base URLs to pull from, besides the attested
	// partners (and, for partners, the anchor).
	Peers []string
	// SyncInterval is the pause between sync rounds with a peer.
	SyncInterval time.Duration
	// RefreshInterval is the pause between refreshes of the origins from
	// the anchor (partners).
	RefreshInterval time.Duration
	// StatementTTL is the lifetime of the anchor's statements about
	// partners (anchor).
	StatementTTL time.Duration
	// IssuerStatementTTL is the lifetime of fetch answers about issuer
	// DIDs, at most 24 h.
	IssuerStatementTTL time.Duration
	// HeadTTL is the lifetime of this node's heads.
	HeadTTL time.Duration
	// StaleGrace is how long past its head's expiry an origin's word
	// still counts.
	StaleGrace time.Duration
	// Client fetches from peers and the anchor: the guarded client of
	// internal/httpx.
	Client *http.Client
	// Now is the clock.
	Now func() time.Time
	// Organization is published in the Entity Configuration (its
	// endpoint members are set by the node).
	Organization EntityMetadata
	// Resolver resolves verification methods to compare a badge's key
	// with the registry's issuer_keys; nil skips the comparison.
	Resolver did.Resolver
	// Logger, when set, receives equivocation alerts and refresh
	// failures, with ids only.
	Logger *slog.Logger
	// OnEquivocation, when set, is called once per equivocating origin.
	OnEquivocation func(EquivocationAlert)
	// PageSize and MaxResponseBytes tune the syncer (0: its defaults).
	PageSize         int
	MaxResponseBytes int64
}

// DefaultNodeConfig returns the defaults: partner role, sync every
// minute, origins refreshed every 15 minutes, anchor statements for 6 h,
// fetch answers for 24 h, heads for 15 minutes, one hour of grace for
// stale origins, the wall clock.
func DefaultNodeConfig() NodeConfig {
	return NodeConfig{
		Role: RolePartner, SyncInterval: time.Minute, RefreshInterval: 15 * time.Minute,
		StatementTTL: 6 * time.Hour, IssuerStatementTTL: 24 * time.Hour, HeadTTL: 15 * time.Minute,
		StaleGrace: time.Hour, Now: time.Now,
	}
}

// Validate reports an unusable configuration ([ErrInvalidConfig]).
func (c NodeConfig) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrInvalidConfig, fmt.Sprintf(format, args...))
	}
	if err := checkEntityID(c.EntityID); err != nil {
		return bad("entity id: %v", err)
	}
	if strings.HasSuffix(c.EntityID, "/") {
		return bad("entity id %q must not end with '/' (endpoints are appended to it)", c.EntityID)
	}
	switch {
	case c.Role != RoleAnchor && c.Role != RolePartner:
		return bad("role is %q, want anchor or partner", c.Role)
	case c.Signer == nil:
		return bad("no federation key (signer)")
	case c.Client == nil:
		return bad("no HTTP client (pass the guarded client)")
	case c.Now == nil:
		return bad("no clock")
	case c.SyncInterval <= 0 || c.RefreshInterval <= 0 || c.StatementTTL <= 0 || c.HeadTTL <= 0 || c.StaleGrace < 0:
		return bad("intervals and lifetimes must be positive")
	case c.IssuerStatementTTL <= 0 || c.IssuerStatementTTL > 24*time.Hour:
		return bad("fetch answers live from 1 s to 24 h")
	}
	if _, err := publicJWK(c.Signer.Public()); err != nil {
		return bad("the federation key must be ECDSA P-256")
	}
	if c.Role == RolePartner {
		if err := checkEntityID(c.AnchorID); err != nil {
			return bad("anchor entity id: %v", err)
		}
		if c.AnchorID == c.EntityID {
			return bad("a partner's anchor must be another node")
		}
		if _, err := keySet(&c.AnchorKeys); err != nil {
			return bad("pinned anchor keys: %v", err)
		}
	}
	return nil
}
