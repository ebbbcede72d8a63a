package dataintegrity

import (
	"crypto/sha256"
	"fmt"
	"slices"

	"github.com/communs/communs/vc/jsonld"
)

// signatureMembers are the proof members that carry the signature, left out of the proof
// configuration.
var signatureMembers = []string{"proofValue", "jws", "signatureValue"}

// ProofConfig returns the proof configuration that a proof signs: a copy of the proof without
// its signature (proofValue, jws), with the document's @context — or the proof's own @context
// when it has one, as Data Integrity and the legacy suites both allow.
func ProofConfig(unsecured, proof map[string]any) map[string]any {
	cfg := make(map[string]any, len(proof)+1)
	for k, v := range proof {
		if !slices.Contains(signatureMembers, k) {
			cfg[k] = v
		}
	}
	if _, ok := cfg["@context"]; !ok {
		cfg["@context"] = unsecured["@context"]
	}
	return cfg
}

// CanonicalProofConfig returns the RDFC-1.0 canonical N-Quads of ProofConfig(unsecured, proof).
func CanonicalProofConfig(unsecured, proof map[string]any) ([]byte, error) {
	out, err := jsonld.Canonicalize(ProofConfig(unsecured, proof))
	if err != nil {
		return nil, fmt.Errorf("proof configuration: %w", err)
	}
	return out, nil
}

// CanonicalDocument returns the RDFC-1.0 canonical N-Quads of the unsecured document.
func CanonicalDocument(unsecured map[string]any) ([]byte, error) {
	out, err := jsonld.Canonicalize(unsecured)
	if err != nil {
		return nil, fmt.Errorf("document: %w", err)
	}
	return out, nil
}

// HashData returns the 64 bytes that the suites sign: SHA-256 of the canonical proof
// configuration followed by SHA-256 of the canonical document.
func HashData(canonicalProofConfig, canonicalDocument []byte) []byte {
	out := make([]byte, 0, 2*sha256.Size)
	h := sha256.Sum256(canonicalProofConfig)
	out = append(out, h[:]...)
	h = sha256.Sum256(canonicalDocument)
	return append(out, h[:]...)
}

// hashData canonicalizes and hashes a proof over a document.
func hashData(unsecured, proof map[string]any) ([]byte, error) {
	cfg, err := CanonicalProofConfig(unsecured, proof)
	if err != nil {
		return nil, err
	}
	doc, err := CanonicalDocument(unsecured)
	if err != nil {
		return nil, err
	}
	return HashData(cfg, doc), nil
}
