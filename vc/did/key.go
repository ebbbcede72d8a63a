package did

import (
	"crypto"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/communs/communs/vc/keys"
)

// Contexts of the documents this package builds.
const (
	contextDIDv1     = "https://www.w3.org/ns/did/v1"
	contextMultikey  = "https://w3id.org/security/multikey/v1"
	contextJWS2020v1 = "https://w3id.org/security/suites/jws-2020/v1"
)

// NewKeyDID returns the did:key DID of a public key: "did:key:" followed by
// its Multikey encoding ("did:key:z6Mk…" for Ed25519, "did:key:zDn…" for
// P-256).
func NewKeyDID(pub crypto.PublicKey) (string, error) {
	mk, err := keys.EncodeMultikey(pub)
	if err != nil {
		return "", fmt.Errorf("create did:key: %w", err)
	}
	return "did:key:" + mk, nil
}

// ResolveKey expands a did:key DID into its DID document, as the did:key
// method specification describes: one Multikey verification method with id
// "did:key:<mb>#<mb>", referenced from authentication, assertionMethod,
// capabilityInvocation and capabilityDelegation. Key agreement keys are not
// derived.
func ResolveKey(did string) (*Document, error) {
	d, err := Parse(did)
	if err != nil {
		return nil, fmt.Errorf("resolve did:key: %w", err)
	}
	if d.Method != "key" {
		return nil, fmt.Errorf("resolve did:key: %w: %s is a did:%s", ErrInvalidDID, quote(did), d.Method)
	}
	mb := d.ID
	if strings.Contains(mb, ":") {
		return nil, fmt.Errorf("resolve did:key: %w: %s: only version 1 did:key values of the form did:key:z… are supported", ErrInvalidDID, quote(did))
	}
	if !strings.HasPrefix(mb, "z") {
		return nil, fmt.Errorf("resolve did:key: %w: %s: the method-specific id must be a base58btc multibase value (start with 'z')", ErrInvalidDID, quote(did))
	}
	if _, err := keys.DecodeMultikey(mb); err != nil {
		return nil, fmt.Errorf("resolve did:key: %w: %s: %w", ErrInvalidDID, quote(did), err)
	}
	vmID := did + "#" + mb
	ref := []MethodRef{{Ref: vmID}}
	return &Document{
		Context: mustJSON([]string{contextDIDv1, contextMultikey}),
		ID:      did,
		VerificationMethod: []VerificationMethod{{
			ID:                 vmID,
			Type:               TypeMultikey,
			Controller:         did,
			PublicKeyMultibase: mb,
		}},
		Authentication:       ref,
		AssertionMethod:      ref,
		CapabilityInvocation: ref,
		CapabilityDelegation: ref,
	}, nil
}

// mustJSON encodes a value known to be encodable.
func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	return b
}
