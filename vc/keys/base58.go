package keys

import (
	"crypto/ed25519"
	"fmt"

	"github.com/mr-tron/base58"
)

// Ed25519FromBase58 decodes a publicKeyBase58 value (Ed25519VerificationKey2018):
// plain base58btc, no multibase prefix, no multicodec header, 32 bytes.
func Ed25519FromBase58(s string) (ed25519.PublicKey, error) {
	if s == "" {
		return nil, fmt.Errorf("decode publicKeyBase58: %w: empty value", ErrMalformedKey)
	}
	raw, err := base58.Decode(s)
	if err != nil {
		return nil, fmt.Errorf("decode publicKeyBase58: %w: not valid base58btc", ErrMalformedKey)
	}
	if len(raw) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("decode publicKeyBase58: %w: Ed25519 public key must be %d bytes, got %d", ErrMalformedKey, ed25519.PublicKeySize, len(raw))
	}
	return ed25519.PublicKey(raw), nil
}

// Ed25519ToBase58 encodes an Ed25519 public key as a publicKeyBase58 value.
func Ed25519ToBase58(pub ed25519.PublicKey) string {
	return base58.Encode(pub)
}
