package federation

import (
	"context"
	"crypto"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// Partner is the trust anchor's record of a partner node.
type Partner struct {
	// EntityID is the partner's entity id (its https base URL).
	EntityID string `json:"entity_id"`
	// Keys are the partner's federation public keys (P-256).
	Keys jose.JSONWebKeySet `json:"jwks"`
	// Scope lists the DID patterns the partner may vouch for (see
	// [Origin.Scope]).
	Scope []string `json:"scope"`
	// OrganizationName names the partner in statements and answers.
	OrganizationName string `json:"organization_name,omitempty"`
	// AddedAt is when the partner was first added.
	AddedAt time.Time `json:"added_at"`
	// ExpelledAt is when the partner was expelled; zero while it is a
	// member.
	ExpelledAt time.Time `json:"expelled_at,omitzero"`
}

// Expelled reports whether the partner is expelled.
func (p Partner) Expelled() bool { return !p.ExpelledAt.IsZero() }

// Origin returns what the anchor attests about the partner.
func (p Partner) Origin() Origin {
	return Origin{EntityID: p.EntityID, Keys: slices.Clone(p.Keys.Keys), Scope: slices.Clone(p.Scope)}
}

// PartnerStorage persists the anchor's partner records.
type PartnerStorage interface {
	// PutPartner stores (or replaces) a partner record.
	PutPartner(ctx context.Context, p Partner) error
	// Partners returns every record, expelled ones included.
	Partners(ctx context.Context) ([]Partner, error)
}

// AnchorConfig configures an [Anchor].
type AnchorConfig struct {
	// EntityID is the anchor's entity id (https URL).
	EntityID string
	// Signer signs statements: the anchor's federation key (ECDSA P-256),
	// whose public key partners pin.
	Signer crypto.Signer
	// ExtraKeys are further public keys published in the anchor's JWKS
	// (a next key, during a rotation).
	ExtraKeys []crypto.PublicKey
	// Storage keeps the partner records.
	Storage PartnerStorage
	// StatementTTL is the lifetime of subordinate statements. Default 6 h.
	StatementTTL time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Anchor is a trust anchor: it keeps partner records and signs the
// subordinate statements that attest each partner's keys and scope. It is
// safe for concurrent use.
type Anchor struct {
	cfg  AnchorConfig
	jwks jose.JSONWebKeySet

	mu       sync.RWMutex
	partners map[string]Partner
}

// NewAnchor opens the anchor over its stored partner records. It returns
// [ErrInvalidConfig] or a storage error.
func NewAnchor(ctx context.Context, cfg AnchorConfig) (*Anchor, error) {
	if err := checkEntityID(cfg.EntityID); err != nil {
		return nil, fmt.Errorf("new anchor: %w: %v", ErrInvalidConfig, err)
	}
	if cfg.Signer == nil || cfg.Storage == nil {
		return nil, fmt.Errorf("new anchor: %w: a signer and a storage are required", ErrInvalidConfig)
	}
	if cfg.StatementTTL < 0 {
		return nil, fmt.Errorf("new anchor: %w: negative statement lifetime", ErrInvalidConfig)
	}
	if cfg.StatementTTL == 0 {
		cfg.StatementTTL = 6 * time.Hour
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	a := &Anchor{cfg: cfg, partners: map[string]Partner{}}
	for _, pub := range append([]crypto.PublicKey{cfg.Signer.Public()}, cfg.ExtraKeys...) {
		j, err := publicJWK(pub)
		if err != nil {
			return nil, fmt.Errorf("new anchor: %w", err)
		}
		a.jwks.Keys = append(a.jwks.Keys, j)
	}
	ps, err := cfg.Storage.Partners(ctx)
	if err != nil {
		return nil, fmt.Errorf("new anchor: %w", err)
	}
	for _, p := range ps {
		a.partners[p.EntityID] = p
	}
	return a, nil
}

// EntityID returns the anchor's entity id.
func (a *Anchor) EntityID() string { return a.cfg.EntityID }

// JWKS returns the anchor's public keys, the set partners pin.
func (a *Anchor) JWKS() jose.JSONWebKeySet {
	return jose.JSONWebKeySet{Keys: slices.Clone(a.jwks.Keys)}
}

// AddPartner adds a partner, or updates its keys, scope and name. Adding
// an expelled partner readmits it. AddedAt is kept from the first
// admission. It returns [ErrInvalidConfig] or a storage error.
func (a *Anchor) AddPartner(ctx context.Context, p Partner) (Partner, error) {
	if p.EntityID == a.cfg.EntityID {
		return Partner{}, fmt.Errorf("add partner: %w: the anchor cannot be its own partner", ErrInvalidConfig)
	}
	pub, err := publicJWKS(p.Keys)
	if err != nil {
		return Partner{}, fmt.Errorf("add partner %s: %w", p.EntityID, err)
	}
	p.Keys, p.Scope = *pub, slices.Clone(p.Scope)
	if _, err := p.Origin().compile(); err != nil {
		return Partner{}, fmt.Errorf("add partner: %w", err)
	}
	if len(p.OrganizationName) > DefaultLimits().MaxStringBytes {
		return Partner{}, fmt.Errorf("add partner %s: %w: organization name over %d bytes", p.EntityID, ErrInvalidConfig, DefaultLimits().MaxStringBytes)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	p.AddedAt, p.ExpelledAt = a.cfg.Now().UTC().Truncate(time.Second), time.Time{}
	if old, ok := a.partners[p.EntityID]; ok {
		p.AddedAt = old.AddedAt
	}
	if err := a.cfg.Storage.PutPartner(ctx, p); err != nil {
		return Partner{}, fmt.Errorf("add partner %s: %w", p.EntityID, err)
	}
	a.partners[p.EntityID] = p
	return p, nil
}

// Expel stops vouching for a partner: its statement is no longer served,
// so partners drop it once the last statement they hold expires (at most
// StatementTTL). The record is kept. It returns [ErrUnknownPartner] or a
// storage error; expelling twice keeps the first date.
func (a *Anchor) Expel(ctx context.Context, entityID string) (Partner, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	p, ok := a.partners[entityID]
	if !ok {
		return Partner{}, fmt.Errorf("expel %s: %w", entityID, ErrUnknownPartner)
	}
	if p.Expelled() {
		return p, nil
	}
	p.ExpelledAt = a.cfg.Now().UTC().Truncate(time.Second)
	if err := a.cfg.Storage.PutPartner(ctx, p); err != nil {
		return Partner{}, fmt.Errorf("expel %s: %w", entityID, err)
	}
	a.partners[entityID] = p
	return p, nil
}

// Partners returns every partner record, expelled ones included, by entity
// id.
func (a *Anchor) Partners() []Partner {
	a.mu.RLock()
	out := make([]Partner, 0, len(a.partners))
	for _, p := range a.partners {
		out = append(out, p)
	}
	a.mu.RUnlock()
	slices.SortFunc(out, func(x, y Partner) int { return strings.Compare(x.EntityID, y.EntityID) })
	return out
}

// Partner returns one partner record.
func (a *Anchor) Partner(entityID string) (Partner, bool) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	p, ok := a.partners[entityID]
	return p, ok
}

// Statement signs the subordinate statement about a partner, valid for
// StatementTTL from now. It returns [ErrUnknownPartner] or [ErrExpelled].
func (a *Anchor) Statement(entityID string) ([]byte, error) {
	p, ok := a.Partner(entityID)
	switch {
	case !ok:
		return nil, fmt.Errorf("statement about %s: %w", entityID, ErrUnknownPartner)
	case p.Expelled():
		return nil, fmt.Errorf("statement about %s: %w", entityID, ErrExpelled)
	}
	now := a.cfg.Now()
	c := StatementClaims{
		Iss: a.cfg.EntityID, Sub: p.EntityID, Iat: now.Unix(), Exp: now.Add(a.cfg.StatementTTL).Unix(),
		JWKS:     &jose.JSONWebKeySet{Keys: slices.Clone(p.Keys.Keys)},
		Metadata: &StatementMetadata{FederationEntity: EntityMetadata{OrganizationName: p.OrganizationName}},
		Crit:     []string{ClaimScope}, Scope: slices.Clone(p.Scope),
	}
	if c.Scope == nil {
		c.Scope = []string{}
	}
	jws, err := signStatement(c, TypeEntityStatement, a.cfg.Signer)
	if err != nil {
		return nil, fmt.Errorf("statement about %s: %w", entityID, err)
	}
	return jws, nil
}
