package federation

import (
	"bytes"
	"fmt"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// Paths of the OpenID Federation endpoints (docs/federation.md).
const (
	PathEntityConfiguration = "/.well-known/openid-federation"
	PathFetch               = "/federation/fetch"
	PathList                = "/federation/list"
	PathResolve             = "/federation/resolve"
	// PathIssuers is the prefix of the issuer API: PathIssuers + DID.
	PathIssuers = "/api/v1/issuers/"
)

// EntityConfiguration is a verified Entity Configuration.
type EntityConfiguration struct {
	JWS    []byte
	Claims StatementClaims
}

// ParseEntityConfiguration verifies an Entity Configuration: a
// self-signed entity statement (iss = sub, = entityID when entityID is
// not empty) with federation_entity metadata, unexpired at now. When
// pinned is set, the signature must verify with a pinned key (the
// anchor's, from the partner's configuration); otherwise with a key of its
// own jwks. It returns [ErrTooLarge], [ErrMalformed], [ErrBadSignature] or
// [ErrStatementExpired].
func ParseEntityConfiguration(data []byte, entityID string, pinned *jose.JSONWebKeySet, now time.Time) (*EntityConfiguration, error) {
	ec, err := parseEntityConfiguration(data, entityID, pinned, now)
	if err != nil {
		return nil, fmt.Errorf("parse entity configuration: %w", err)
	}
	return ec, nil
}

func parseEntityConfiguration(data []byte, entityID string, pinned *jose.JSONWebKeySet, now time.Time) (*EntityConfiguration, error) {
	tok, kid, c, err := parseStatement(data, TypeEntityStatement, now)
	if err != nil {
		return nil, err
	}
	if c.Sub != c.Iss {
		return nil, fmt.Errorf("%w: iss %q and sub %q differ; not an Entity Configuration", ErrMalformed, c.Iss, c.Sub)
	}
	if entityID != "" && c.Iss != entityID {
		return nil, fmt.Errorf("%w: the Entity Configuration is about %q, expected %q", ErrBadSignature, c.Iss, entityID)
	}
	own, err := keySet(c.JWKS)
	if err != nil {
		return nil, err
	}
	ks := own
	if pinned != nil {
		if ks, err = keySet(pinned); err != nil {
			return nil, fmt.Errorf("%w: pinned keys: %v", ErrInvalidConfig, err)
		}
	}
	if err := verifyObject(tok, kid, ks); err != nil {
		return nil, err
	}
	if c.Metadata == nil {
		return nil, fmt.Errorf("%w: no metadata.federation_entity", ErrMalformed)
	}
	for _, ep := range []string{c.Metadata.FederationEntity.FederationFetchEndpoint, c.Metadata.FederationEntity.FederationListEndpoint} {
		if ep == "" {
			continue
		}
		if _, err := withQuery(ep, "sub", "x"); err != nil {
			return nil, fmt.Errorf("%w: endpoint: %v", ErrMalformed, err)
		}
	}
	return &EntityConfiguration{JWS: bytes.Clone(data), Claims: *c}, nil
}

// entityConfiguration signs the node's Entity Configuration, valid 24 h.
func (n *Node) entityConfiguration() ([]byte, error) {
	now := n.cfg.Now()
	jwk, err := publicJWK(n.cfg.Signer.Public())
	if err != nil {
		return nil, err
	}
	fe := n.cfg.Organization
	fe.Location = ""
	fe.FederationFetchEndpoint = n.cfg.EntityID + PathFetch
	fe.FederationListEndpoint = n.cfg.EntityID + PathList
	fe.FederationResolveEndpoint = n.cfg.EntityID + PathResolve
	c := StatementClaims{
		Iss: n.cfg.EntityID, Sub: n.cfg.EntityID, Iat: now.Unix(), Exp: now.Add(24 * time.Hour).Unix(),
		JWKS: &jose.JSONWebKeySet{Keys: []jose.JSONWebKey{jwk}}, Metadata: &StatementMetadata{FederationEntity: fe},
	}
	if n.cfg.Role == RolePartner {
		c.AuthorityHints = []string{n.cfg.AnchorID}
	}
	return signStatement(c, TypeEntityStatement, n.cfg.Signer)
}
