package federation

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"encoding/json"
	"fmt"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/communs/communs/vc/jwt"
	"github.com/communs/communs/vc/keys"
)

// Media types of OpenID Federation objects.
const (
	// TypeEntityStatement is the typ of Entity Configurations and
	// subordinate statements.
	TypeEntityStatement = "entity-statement+jwt"
	// TypeResolveResponse is the typ of resolve answers.
	TypeResolveResponse = "resolve-response+jwt"
	// ClaimScope names the extension claim carrying a partner's scope in
	// the anchor's statements; it is listed in crit.
	ClaimScope = "communs_scope"
	// MaxStatementBytes bounds every entity statement accepted.
	MaxStatementBytes = 16 << 10
	// clockSkew is how far in the future an iat may be.
	clockSkew = 5 * time.Minute
)

// EntityMetadata is the federation_entity metadata of OpenID Federation
// objects (organization and endpoints).
type EntityMetadata struct {
	OrganizationName          string `json:"organization_name,omitempty"`
	HomepageURI               string `json:"homepage_uri,omitempty"`
	OrganizationURI           string `json:"organization_uri,omitempty"`
	LogoURI                   string `json:"logo_uri,omitempty"`
	PolicyURI                 string `json:"policy_uri,omitempty"`
	Location                  string `json:"location,omitempty"`
	FederationFetchEndpoint   string `json:"federation_fetch_endpoint,omitempty"`
	FederationListEndpoint    string `json:"federation_list_endpoint,omitempty"`
	FederationResolveEndpoint string `json:"federation_resolve_endpoint,omitempty"`
}

// StatementMetadata is the metadata claim of an entity statement.
type StatementMetadata struct {
	FederationEntity EntityMetadata `json:"federation_entity"`
}

// RegistrationInfo is the registration_info claim of a statement about an
// issuer DID.
type RegistrationInfo struct {
	RegisteredAt int64    `json:"registered_at"`
	VouchedBy    []string `json:"vouched_by"`
	Status       Status   `json:"status"`
}

// StatementClaims is the payload of an entity statement: an Entity
// Configuration (iss = sub), a subordinate statement, or a resolve answer.
type StatementClaims struct {
	Iss              string              `json:"iss"`
	Sub              string              `json:"sub"`
	Iat              int64               `json:"iat"`
	Exp              int64               `json:"exp"`
	JWKS             *jose.JSONWebKeySet `json:"jwks,omitempty"`
	Metadata         *StatementMetadata  `json:"metadata,omitempty"`
	AuthorityHints   []string            `json:"authority_hints,omitempty"`
	Crit             []string            `json:"crit,omitempty"`
	Scope            []string            `json:"communs_scope,omitzero"`
	RegistrationInfo *RegistrationInfo   `json:"registration_info,omitempty"`
	TrustChain       []string            `json:"trust_chain,omitempty"`
}

// understood lists the crit members this package acts on.
var understood = map[string]bool{ClaimScope: true}

// signStatement signs c as a compact JWS of media type typ.
func signStatement(c StatementClaims, typ string, signer crypto.Signer) ([]byte, error) {
	jws, _, err := signObject(c, typ, signer)
	return jws, err
}

// parseStatement checks size and header, decodes the claims and checks the
// times against now; the signature is left to the caller ([verifyWith]).
func parseStatement(data []byte, typ string, now time.Time) (*jwt.Token, string, *StatementClaims, error) {
	tok, kid, err := parseJWS(data, typ, MaxStatementBytes)
	if err != nil {
		return nil, "", nil, err
	}
	var c StatementClaims
	if err := decodeClaims(tok.Payload(), &c); err != nil {
		return nil, "", nil, err
	}
	if err := checkEntityID(c.Iss); err != nil {
		return nil, "", nil, fmt.Errorf("%w: iss: %v", ErrMalformed, err)
	}
	if c.Sub == "" || len(c.Sub) > DefaultLimits().MaxStringBytes {
		return nil, "", nil, fmt.Errorf("%w: sub must be an entity id or DID of at most %d bytes", ErrMalformed, DefaultLimits().MaxStringBytes)
	}
	if c.Iat <= 0 || c.Exp <= c.Iat {
		return nil, "", nil, fmt.Errorf("%w: iat must be a positive NumericDate and exp later than iat", ErrMalformed)
	}
	if iat := time.Unix(c.Iat, 0); iat.After(now.Add(clockSkew)) {
		return nil, "", nil, fmt.Errorf("%w: issued at %s, in the future", ErrStatementExpired, iat.UTC().Format(time.RFC3339))
	}
	if exp := time.Unix(c.Exp, 0); !now.Before(exp) {
		return nil, "", nil, fmt.Errorf("%w: expired at %s", ErrStatementExpired, exp.UTC().Format(time.RFC3339))
	}
	for _, name := range c.Crit {
		if !understood[name] {
			return nil, "", nil, fmt.Errorf("%w: crit lists %q, which this node does not understand", ErrMalformed, name)
		}
	}
	return tok, kid, &c, nil
}

// keySet indexes public P-256 keys of a JWKS by RFC 7638 thumbprint. It
// refuses private keys and other key types.
func keySet(set *jose.JSONWebKeySet) (originKeys, error) {
	if set == nil || len(set.Keys) == 0 {
		return nil, fmt.Errorf("%w: jwks holds no key", ErrMalformed)
	}
	ks := make(originKeys, len(set.Keys))
	for i, k := range set.Keys {
		if !k.IsPublic() {
			return nil, fmt.Errorf("%w: jwks key %d holds private material", ErrMalformed, i)
		}
		pub, ok := k.Key.(*ecdsa.PublicKey)
		if !ok || pub.Curve != elliptic.P256() {
			return nil, fmt.Errorf("%w: jwks key %d is not an EC P-256 public key", ErrMalformed, i)
		}
		kid, err := keys.JWKThumbprint(pub)
		if err != nil {
			return nil, fmt.Errorf("%w: jwks key %d: %v", ErrMalformed, i, err)
		}
		ks[kid] = pub
	}
	return ks, nil
}

// publicJWK returns the JWK of a P-256 public key as published: kid = RFC
// 7638 thumbprint, alg ES256, use sig.
func publicJWK(pub crypto.PublicKey) (jose.JSONWebKey, error) {
	ec, ok := pub.(*ecdsa.PublicKey)
	if !ok || ec.Curve != elliptic.P256() {
		return jose.JSONWebKey{}, fmt.Errorf("%w: federation keys are ECDSA P-256", ErrInvalidConfig)
	}
	kid, err := keys.JWKThumbprint(ec)
	if err != nil {
		return jose.JSONWebKey{}, err
	}
	return jose.JSONWebKey{Key: ec, KeyID: kid, Algorithm: jwt.AlgES256, Use: "sig"}, nil
}

// publicJWKS returns the published form of a set of keys.
func publicJWKS(set jose.JSONWebKeySet) (*jose.JSONWebKeySet, error) {
	out := &jose.JSONWebKeySet{Keys: make([]jose.JSONWebKey, 0, len(set.Keys))}
	for _, k := range set.Keys {
		j, err := publicJWK(k.Key)
		if err != nil {
			return nil, err
		}
		out.Keys = append(out.Keys, j)
	}
	return out, nil
}

// ParseJWKS decodes a JWKS file of federation keys (the anchor's keys, as
// pinned in partners' configuration): at least one EC P-256 public key and
// nothing else. It returns [ErrMalformed].
func ParseJWKS(data []byte) (jose.JSONWebKeySet, error) {
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(data, &set); err != nil {
		return jose.JSONWebKeySet{}, fmt.Errorf("parse JWKS: %w: %v", ErrMalformed, err)
	}
	if _, err := keySet(&set); err != nil {
		return jose.JSONWebKeySet{}, fmt.Errorf("parse JWKS: %w", err)
	}
	return set, nil
}

// MarshalJWKS encodes the public keys of signers as a JWKS file to pin.
func MarshalJWKS(pubs ...crypto.PublicKey) ([]byte, error) {
	set := jose.JSONWebKeySet{}
	for _, p := range pubs {
		j, err := publicJWK(p)
		if err != nil {
			return nil, fmt.Errorf("marshal JWKS: %w", err)
		}
		set.Keys = append(set.Keys, j)
	}
	return json.MarshalIndent(set, "", "  ")
}
