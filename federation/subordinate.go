package federation

import (
	"bytes"
	"fmt"
	"slices"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// PartnerStatement is a verified anchor statement about a partner: the
// origin it attests and how long the attestation holds.
type PartnerStatement struct {
	// JWS is the statement as received.
	JWS []byte
	// Origin is the attested partner: entity id, keys and scope.
	Origin Origin
	// OrganizationName is the partner's name as the anchor states it.
	OrganizationName string
	// IssuedAt and Expires are the statement's iat and exp.
	IssuedAt, Expires time.Time
}

// ParseSubordinateStatement verifies a trust anchor's subordinate
// statement about a partner (docs/federation.md, "Trust anchor
// statements"): signed by one of anchorKeys, iss = anchorID, unexpired at
// now, with the partner's P-256 keys and its communs_scope. It returns
// [ErrTooLarge], [ErrMalformed], [ErrBadSignature] or
// [ErrStatementExpired].
func ParseSubordinateStatement(data []byte, anchorID string, anchorKeys jose.JSONWebKeySet, now time.Time) (*PartnerStatement, error) {
	s, err := parseSubordinate(data, anchorID, anchorKeys, now)
	if err != nil {
		return nil, fmt.Errorf("parse anchor statement: %w", err)
	}
	return s, nil
}

func parseSubordinate(data []byte, anchorID string, anchorKeys jose.JSONWebKeySet, now time.Time) (*PartnerStatement, error) {
	tok, kid, c, err := parseStatement(data, TypeEntityStatement, now)
	if err != nil {
		return nil, err
	}
	pinned, err := keySet(&anchorKeys)
	if err != nil {
		return nil, fmt.Errorf("%w: pinned anchor keys: %v", ErrInvalidConfig, err)
	}
	if err := verifyObject(tok, kid, pinned); err != nil {
		return nil, err
	}
	if c.Iss != anchorID {
		return nil, fmt.Errorf("%w: iss is %q, the pinned trust anchor is %q", ErrBadSignature, c.Iss, anchorID)
	}
	if err := checkEntityID(c.Sub); err != nil {
		return nil, fmt.Errorf("%w: sub: %v", ErrMalformed, err)
	}
	if c.Sub == c.Iss {
		return nil, fmt.Errorf("%w: an Entity Configuration (iss = sub) is not a statement about a partner", ErrMalformed)
	}
	if _, err := keySet(c.JWKS); err != nil {
		return nil, err
	}
	if c.Scope == nil || !slices.Contains(c.Crit, ClaimScope) {
		return nil, fmt.Errorf("%w: the statement carries no %s listed in crit", ErrMalformed, ClaimScope)
	}
	for _, p := range c.Scope {
		if err := checkScopePattern(p); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
		}
	}
	s := &PartnerStatement{
		JWS:      bytes.Clone(data),
		Origin:   Origin{EntityID: c.Sub, Keys: slices.Clone(c.JWKS.Keys), Scope: slices.Clone(c.Scope)},
		IssuedAt: time.Unix(c.Iat, 0).UTC(), Expires: time.Unix(c.Exp, 0).UTC(),
	}
	if c.Metadata != nil {
		s.OrganizationName = c.Metadata.FederationEntity.OrganizationName
	}
	return s, nil
}

// sameOrigin reports whether a and b attest the same keys and scope.
func sameOrigin(a, b Origin) bool {
	if a.EntityID != b.EntityID || !slices.Equal(a.Scope, b.Scope) || len(a.Keys) != len(b.Keys) {
		return false
	}
	ka, err1 := a.compile()
	kb, err2 := b.compile()
	if err1 != nil || err2 != nil {
		return false
	}
	for kid := range ka {
		if _, ok := kb[kid]; !ok {
			return false
		}
	}
	return true
}
