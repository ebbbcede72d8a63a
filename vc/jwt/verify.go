package jwt

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha256"
	"fmt"
	"math/big"
)

// Algorithm names this package verifies. "Ed25519" is the fully specified
// name of RFC 9864 for what "EdDSA" means here.
const (
	AlgEdDSA   = "EdDSA"
	AlgEd25519 = "Ed25519"
	AlgES256   = "ES256"
	AlgRS256   = "RS256"
)

// minRSABits is the shortest RSA modulus accepted, as NIST SP 800-57 and
// OB 3.0 (which points to RS256 with 2048-bit keys) require.
const minRSABits = 2048

// Verify checks the token's signature with pub, which must be an
// ed25519.PublicKey (alg EdDSA or Ed25519), a *ecdsa.PublicKey on P-256
// (alg ES256) or a *rsa.PublicKey of at least 2048 bits (alg RS256). The alg
// in the header must be the one the key calls for, so that a token cannot
// choose how its own signature is checked. Claims and dates are not judged.
//
// It returns [ErrUnsupportedAlgorithm], [ErrUnsupportedKey],
// [ErrKeyMismatch] or [ErrInvalidSignature].
func (t *Token) Verify(pub crypto.PublicKey) error {
	if err := t.verify(pub); err != nil {
		return fmt.Errorf("verify jwt: %w", err)
	}
	return nil
}

func (t *Token) verify(pub crypto.PublicKey) error {
	alg := t.header.Alg
	switch alg {
	case AlgEdDSA, AlgEd25519, AlgES256, AlgRS256:
	default:
		return fmt.Errorf("%w: alg %q; EdDSA, ES256 and RS256 are supported", ErrUnsupportedAlgorithm, alg)
	}
	key, err := normalizeKey(pub)
	if err != nil {
		return err
	}
	if err := algMatchesKey(alg, key); err != nil {
		return err
	}
	switch k := key.(type) {
	case ed25519.PublicKey:
		if !ed25519.Verify(k, t.signed, t.signature) {
			return fmt.Errorf("%w: the %s signature does not match the header and payload with this Ed25519 key", ErrInvalidSignature, alg)
		}
	case *ecdsa.PublicKey:
		if len(t.signature) != 64 {
			return fmt.Errorf("%w: an ES256 signature is 64 bytes (r||s), this one is %d", ErrInvalidSignature, len(t.signature))
		}
		digest := sha256.Sum256(t.signed)
		r := new(big.Int).SetBytes(t.signature[:32])
		s := new(big.Int).SetBytes(t.signature[32:])
		if !ecdsa.Verify(k, digest[:], r, s) {
			return fmt.Errorf("%w: the ES256 signature does not match the header and payload with this P-256 key", ErrInvalidSignature)
		}
	case *rsa.PublicKey:
		digest := sha256.Sum256(t.signed)
		if err := rsa.VerifyPKCS1v15(k, crypto.SHA256, digest[:], t.signature); err != nil {
			return fmt.Errorf("%w: the RS256 signature does not match the header and payload with this RSA key", ErrInvalidSignature)
		}
	}
	return nil
}

// normalizeKey accepts the public key forms the standard library produces
// and checks their size, returning ed25519.PublicKey, *ecdsa.PublicKey or
// *rsa.PublicKey.
func normalizeKey(pub crypto.PublicKey) (crypto.PublicKey, error) {
	switch k := pub.(type) {
	case ed25519.PublicKey:
		if len(k) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("%w: Ed25519 public key is %d bytes, it must be %d", ErrUnsupportedKey, len(k), ed25519.PublicKeySize)
		}
		return k, nil
	case *ecdsa.PublicKey:
		if k == nil || k.Curve == nil {
			return nil, fmt.Errorf("%w: ECDSA public key is empty", ErrUnsupportedKey)
		}
		if k.Curve != elliptic.P256() {
			return nil, fmt.Errorf("%w: ECDSA key is on curve %s; only P-256 (ES256) is supported", ErrUnsupportedKey, k.Curve.Params().Name)
		}
		return k, nil
	case ecdsa.PublicKey:
		return normalizeKey(&k)
	case *rsa.PublicKey:
		if k == nil || k.N == nil {
			return nil, fmt.Errorf("%w: RSA public key is empty", ErrUnsupportedKey)
		}
		if bits := k.N.BitLen(); bits < minRSABits {
			return nil, fmt.Errorf("%w: RSA key is %d bits; at least %d are required", ErrUnsupportedKey, bits, minRSABits)
		}
		return k, nil
	case rsa.PublicKey:
		return normalizeKey(&k)
	case nil:
		return nil, fmt.Errorf("%w: no public key given", ErrUnsupportedKey)
	default:
		return nil, fmt.Errorf("%w: key of type %T; Ed25519, ECDSA P-256 and RSA public keys are supported", ErrUnsupportedKey, pub)
	}
}

// algMatchesKey refuses an alg that does not belong to the key's type.
func algMatchesKey(alg string, key crypto.PublicKey) error {
	var name, want string
	var ok bool
	switch key.(type) {
	case ed25519.PublicKey:
		name, want, ok = "Ed25519", AlgEdDSA, alg == AlgEdDSA || alg == AlgEd25519
	case *ecdsa.PublicKey:
		name, want, ok = "ECDSA P-256", AlgES256, alg == AlgES256
	case *rsa.PublicKey:
		name, want, ok = "RSA", AlgRS256, alg == AlgRS256
	}
	if !ok {
		return fmt.Errorf("%w: alg is %s but the key is %s, which calls for %s", ErrKeyMismatch, alg, name, want)
	}
	return nil
}
