package did

import (
	"crypto"
	"encoding/base64"
	"encoding/json"
	"fmt"

	"github.com/communs/communs/vc/keys"
)

// NewJWKDID returns the did:jwk DID of a public key: "did:jwk:" followed by
// the unpadded base64url encoding of its JWK (required members only).
func NewJWKDID(pub crypto.PublicKey) (string, error) {
	j, err := keys.JWKFromPublicKey(pub)
	if err != nil {
		return "", fmt.Errorf("create did:jwk: %w", err)
	}
	data, err := json.Marshal(j)
	if err != nil {
		return "", fmt.Errorf("create did:jwk: %w", err)
	}
	return "did:jwk:" + base64.RawURLEncoding.EncodeToString(data), nil
}

// ResolveJWK expands a did:jwk DID into its DID document, as the did:jwk
// specification describes: one JsonWebKey2020 verification method "#0"
// holding the JWK. A JWK with "use": "enc" is listed under keyAgreement only;
// "use": "sig" under the four signing relationships; no "use" under all five.
// JWKs with private members are refused.
func ResolveJWK(did string) (*Document, error) {
	d, err := Parse(did)
	if err != nil {
		return nil, fmt.Errorf("resolve did:jwk: %w", err)
	}
	if d.Method != "jwk" {
		return nil, fmt.Errorf("resolve did:jwk: %w: %s is a did:%s", ErrInvalidDID, quote(did), d.Method)
	}
	raw, err := base64.RawURLEncoding.DecodeString(d.ID)
	if err != nil {
		return nil, fmt.Errorf("resolve did:jwk: %w: %s: the method-specific id is not base64url without padding", ErrInvalidDID, quote(did))
	}
	j, err := keys.ParseJWK(raw)
	if err != nil {
		return nil, fmt.Errorf("resolve did:jwk: %w: %s: %w", ErrInvalidDID, quote(did), err)
	}
	var compact map[string]json.RawMessage
	if err := json.Unmarshal(raw, &compact); err != nil {
		return nil, fmt.Errorf("resolve did:jwk: %w: %s: %v", ErrInvalidDID, quote(did), err)
	}
	vmID := did + "#0"
	ref := []MethodRef{{Ref: vmID}}
	doc := &Document{
		Context: mustJSON([]string{contextDIDv1, contextJWS2020v1}),
		ID:      did,
		VerificationMethod: []VerificationMethod{{
			ID:           vmID,
			Type:         TypeJSONWebKey2020,
			Controller:   did,
			PublicKeyJWK: mustJSON(compact),
		}},
	}
	if j.Use != "enc" {
		doc.Authentication = ref
		doc.AssertionMethod = ref
		doc.CapabilityInvocation = ref
		doc.CapabilityDelegation = ref
	}
	if j.Use != "sig" {
		doc.KeyAgreement = ref
	}
	return doc, nil
}
