package federation

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/go-jose/go-jose/v4"

	"github.com/communs/communs/vc/keys"
)

// Origin is what the trust anchor attests about a partner node: its entity
// id, its federation keys (from the subordinate statement's jwks) and the
// issuer DIDs it may vouch for.
type Origin struct {
	// EntityID is the origin's https URL; entries' iss must equal it.
	EntityID string
	// Keys are the origin's federation public keys (ECDSA P-256).
	Keys []jose.JSONWebKey
	// Scope lists DID patterns: a DID (exact match) or a prefix ending
	// in ":*" ("did:web:example.org:*").
	Scope []string
}

// originKeys indexes an origin's keys by RFC 7638 thumbprint.
type originKeys map[string]*ecdsa.PublicKey

// compile validates the origin and indexes its keys.
func (o Origin) compile() (originKeys, error) {
	if err := checkEntityID(o.EntityID); err != nil {
		return nil, fmt.Errorf("%w: origin entity id: %v", ErrInvalidConfig, err)
	}
	if len(o.Keys) == 0 {
		return nil, fmt.Errorf("%w: origin %s has no federation keys", ErrInvalidConfig, o.EntityID)
	}
	for _, p := range o.Scope {
		if err := checkScopePattern(p); err != nil {
			return nil, fmt.Errorf("%w: origin %s: %v", ErrInvalidConfig, o.EntityID, err)
		}
	}
	ks := make(originKeys, len(o.Keys))
	for i, k := range o.Keys {
		pub, ok := k.Key.(*ecdsa.PublicKey)
		if !ok || pub.Curve != elliptic.P256() {
			return nil, fmt.Errorf("%w: origin %s key %d is not an ECDSA P-256 public key", ErrInvalidConfig, o.EntityID, i)
		}
		kid, err := keys.JWKThumbprint(pub)
		if err != nil {
			return nil, fmt.Errorf("%w: origin %s key %d: %v", ErrInvalidConfig, o.EntityID, i, err)
		}
		ks[kid] = pub
	}
	return ks, nil
}

// InScope reports whether did matches one of the origin's scope patterns.
func (o Origin) InScope(did string) bool {
	for _, p := range o.Scope {
		if prefix, ok := strings.CutSuffix(p, "*"); ok {
			if strings.HasPrefix(did, prefix) && len(did) > len(prefix) {
				return true
			}
		} else if did == p {
			return true
		}
	}
	return false
}

// checkScopePattern refuses patterns that could match more than meant: a
// '*' is allowed only as the last character, right after a ':'.
func checkScopePattern(p string) error {
	if !strings.HasPrefix(p, "did:") {
		return fmt.Errorf("scope pattern %q does not start with did:", p)
	}
	i := strings.IndexByte(p, '*')
	if i >= 0 && (i != len(p)-1 || p[i-1] != ':') {
		return fmt.Errorf("scope pattern %q: '*' may only end the pattern, right after ':'", p)
	}
	return nil
}

// isLoopback reports whether host names this machine.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// checkEntityID checks that id is an absolute https URL (http on loopback,
// for tests and local setups) without query or fragment.
func checkEntityID(id string) error {
	u, err := url.Parse(id)
	if err != nil {
		return fmt.Errorf("%q is not a URL", id)
	}
	if u.Host == "" || u.Fragment != "" || u.RawQuery != "" || u.User != nil {
		return errors.New("entity id must be an https URL with a host and no query, fragment or user info")
	}
	if u.Scheme != "https" && (u.Scheme != "http" || !isLoopback(u.Hostname())) {
		return fmt.Errorf("entity id %q must use https (plain http only on loopback)", id)
	}
	return nil
}
