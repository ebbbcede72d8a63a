package dataintegrity

import (
	"crypto/ed25519"
	"fmt"
	"strings"

	"github.com/multiformats/go-multibase"
)

// encodeProofValue writes a signature as base58btc multibase ("z…").
func encodeProofValue(sig []byte) (string, error) {
	return multibase.Encode(multibase.Base58BTC, sig)
}

// decodeProofValue reads the base58btc multibase proofValue of an Ed25519 proof.
func decodeProofValue(proof map[string]any) ([]byte, error) {
	raw, present := proof["proofValue"]
	if !present {
		return nil, fmt.Errorf("%w: it has no \"proofValue\"", ErrMalformedProof)
	}
	s, ok := raw.(string)
	if !ok {
		return nil, fmt.Errorf("%w: \"proofValue\" is a %s, not a string", ErrMalformedProof, jsonKind(raw))
	}
	if !strings.HasPrefix(s, "z") {
		return nil, fmt.Errorf("%w: proof value is not base58btc multibase (must start with 'z')", ErrMalformedProof)
	}
	_, sig, err := multibase.Decode(s)
	if err != nil {
		return nil, fmt.Errorf("%w: proof value is not valid base58btc after its 'z' prefix", ErrMalformedProof)
	}
	if len(sig) != ed25519.SignatureSize {
		return nil, fmt.Errorf("%w: proof value decodes to %d bytes; an Ed25519 signature has %d", ErrMalformedProof, len(sig), ed25519.SignatureSize)
	}
	return sig, nil
}
