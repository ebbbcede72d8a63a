package federation

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/communs/communs/vc/jwt"
	"github.com/communs/communs/vc/keys"
)

// Media types of the typ header.
const (
	TypeEntry = "communs-registry-entry+jwt"
	TypeHead  = "communs-registry-head+jwt"
)

// Status is an issuer's standing in an origin's registry.
type Status string

// Statuses an entry may carry.
const (
	StatusActive    Status = "active"
	StatusSuspended Status = "suspended"
	StatusRevoked   Status = "revoked"
)

// FederationEntity is the entry's metadata about the issuer's organization.
type FederationEntity struct {
	OrganizationName string `json:"organization_name,omitempty"`
	HomepageURI      string `json:"homepage_uri,omitempty"`
	OrganizationURI  string `json:"organization_uri,omitempty"`
	LogoURI          string `json:"logo_uri,omitempty"`
	Location         string `json:"location,omitempty"`
}

// Metadata is the entry's metadata member.
type Metadata struct {
	FederationEntity FederationEntity `json:"federation_entity"`
}

// EntryClaims is the payload of a registry entry. Times are NumericDate
// (Unix seconds). [Log.Append] fills Iss, Seq, Prev and Iat.
type EntryClaims struct {
	Iss          string   `json:"iss"`
	Sub          string   `json:"sub"`
	Seq          uint64   `json:"seq"`
	Prev         string   `json:"prev"`
	Iat          int64    `json:"iat"`
	Status       Status   `json:"status"`
	StatusReason string   `json:"status_reason,omitempty"`
	RegisteredAt int64    `json:"registered_at"`
	EffectiveAt  int64    `json:"effective_at"`
	RenewBy      int64    `json:"renew_by,omitempty"`
	IssuerKeys   []string `json:"issuer_keys"`
	Metadata     Metadata `json:"metadata"`
}

// Entry is a parsed registry entry: its JWS bytes, its CID and its claims.
// An Entry from [ParseEntry] is not verified; one from [Registry.Apply] or
// [Log.Append] is.
type Entry struct {
	JWS    []byte
	CID    string
	KeyID  string
	Claims EntryClaims
	token  *jwt.Token
}

// ParseEntry decodes an entry without verifying its signature: size,
// compact JWS form, header (alg ES256, typ, kid) and claims are checked
// against limits. It returns [ErrTooLarge] or [ErrMalformed].
func ParseEntry(data []byte, limits Limits) (*Entry, error) {
	e, err := parseEntry(data, limits)
	if err != nil {
		return nil, fmt.Errorf("parse registry entry: %w", err)
	}
	return e, nil
}

func parseEntry(data []byte, limits Limits) (*Entry, error) {
	tok, kid, err := parseJWS(data, TypeEntry, limits.MaxEntryBytes)
	if err != nil {
		return nil, err
	}
	var c EntryClaims
	if err := decodeClaims(tok.Payload(), &c); err != nil {
		return nil, err
	}
	if err := c.validate(limits); err != nil {
		return nil, err
	}
	return &Entry{JWS: bytes.Clone(data), CID: CIDOf(data), KeyID: kid, Claims: c, token: tok}, nil
}

// parseJWS checks size and header and parses the compact JWS.
func parseJWS(data []byte, typ string, max int) (*jwt.Token, string, error) {
	if len(data) > max {
		return nil, "", fmt.Errorf("%w: %d bytes, at most %d are accepted", ErrTooLarge, len(data), max)
	}
	tok, err := jwt.Parse(string(data))
	if err != nil {
		return nil, "", fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if len(bytes.TrimSpace(data)) != len(data) {
		return nil, "", fmt.Errorf("%w: white space around the JWS (the CID is over the exact bytes)", ErrMalformed)
	}
	h := tok.Header()
	switch {
	case h.Alg != jwt.AlgES256:
		return nil, "", fmt.Errorf("%w: alg is %q, registry objects are signed with ES256", ErrMalformed, h.Alg)
	case h.Typ != typ:
		return nil, "", fmt.Errorf("%w: typ is %q, want %q", ErrMalformed, h.Typ, typ)
	case h.Kid == "":
		return nil, "", fmt.Errorf("%w: header has no kid (the JWK thumbprint of the signing key)", ErrMalformed)
	case h.JWK != nil:
		return nil, "", fmt.Errorf("%w: header carries a jwk; keys come only from the trust anchor", ErrMalformed)
	}
	return tok, h.Kid, nil
}

// decodeClaims decodes a JSON payload into v, refusing trailing data.
func decodeClaims(payload []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(payload))
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w: claims: %v", ErrMalformed, err)
	}
	if dec.More() {
		return fmt.Errorf("%w: claims: data after the JSON object", ErrMalformed)
	}
	return nil
}

// validate checks the claims on their own (not against any state).
func (c *EntryClaims) validate(l Limits) error {
	if err := checkEntityID(c.Iss); err != nil {
		return fmt.Errorf("%w: iss: %v", ErrMalformed, err)
	}
	if !strings.HasPrefix(c.Sub, "did:") || len(c.Sub) > l.MaxStringBytes {
		return fmt.Errorf("%w: sub must be a DID of at most %d bytes", ErrMalformed, l.MaxStringBytes)
	}
	if c.Seq == 0 {
		return fmt.Errorf("%w: seq must be 1 or more", ErrMalformed)
	}
	if (c.Seq == 1) != (c.Prev == "") {
		return fmt.Errorf("%w: prev must be empty for seq 1 and only then (seq %d, prev %q)", ErrMalformed, c.Seq, c.Prev)
	}
	if c.Prev != "" {
		if err := checkCID(c.Prev); err != nil {
			return fmt.Errorf("%w: prev: %v", ErrMalformed, err)
		}
	}
	switch c.Status {
	case StatusActive, StatusSuspended, StatusRevoked:
	default:
		return fmt.Errorf("%w: status is %q, want active, suspended or revoked", ErrMalformed, c.Status)
	}
	if c.Iat <= 0 || c.RegisteredAt <= 0 || c.EffectiveAt <= 0 || c.RenewBy < 0 {
		return fmt.Errorf("%w: iat, registered_at and effective_at must be positive NumericDates, renew_by zero or positive", ErrMalformed)
	}
	if len(c.IssuerKeys) > l.MaxIssuerKeys {
		return fmt.Errorf("%w: %d issuer keys, at most %d", ErrTooLarge, len(c.IssuerKeys), l.MaxIssuerKeys)
	}
	for i, k := range c.IssuerKeys {
		if _, err := keys.DecodeMultikey(k); err != nil {
			return fmt.Errorf("%w: issuer_keys[%d]: %v", ErrMalformed, i, err)
		}
	}
	fe := c.Metadata.FederationEntity
	for name, s := range map[string]string{
		"status_reason": c.StatusReason, "organization_name": fe.OrganizationName, "homepage_uri": fe.HomepageURI,
		"organization_uri": fe.OrganizationURI, "logo_uri": fe.LogoURI, "location": fe.Location,
	} {
		if len(s) > l.MaxStringBytes {
			return fmt.Errorf("%w: %s is %d bytes, at most %d", ErrTooLarge, name, len(s), l.MaxStringBytes)
		}
	}
	return nil
}
