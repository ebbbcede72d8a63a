package keys

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"fmt"
	"io"
)

// KeyStore signs with private keys it holds, addressed by key ID. Private
// keys never leave it.
//
// Sign semantics depend on the key type: Ed25519 keys sign data itself (pure
// EdDSA, 64-byte signature); ECDSA keys hash data with SHA-256 (P-256) or
// SHA-384 (P-384) and return the fixed-size r||s form used by JOSE and Data
// Integrity (64 or 96 bytes).
type KeyStore interface {
	// Sign signs data with the key named keyID. It returns an error wrapping
	// ErrKeyNotFound when the store has no such key.
	Sign(ctx context.Context, keyID string, data []byte) ([]byte, error)
	// Public returns the public key of keyID (ed25519.PublicKey or
	// *ecdsa.PublicKey), or an error wrapping ErrKeyNotFound.
	Public(ctx context.Context, keyID string) (crypto.PublicKey, error)
}

// DigestSigner is implemented by key stores that can sign with crypto.Signer
// semantics (a pre-hashed digest and SignerOpts, ASN.1 DER for ECDSA). SignerFor
// uses it when present, which makes ECDSA keys usable through a
// crypto.Signer.
type DigestSigner interface {
	SignDigest(ctx context.Context, keyID string, digest []byte, opts crypto.SignerOpts) ([]byte, error)
}

// SignerFor adapts one key of a KeyStore to crypto.Signer, for code that
// takes a crypto.Signer (proof and JWT signing). The returned signer uses ctx
// for every signature it makes: create one per operation.
//
// For Ed25519 keys the signer expects the message itself and
// opts.HashFunc() == 0, like ed25519.PrivateKey. ECDSA keys are supported
// only when ks implements DigestSigner.
func SignerFor(ctx context.Context, ks KeyStore, keyID string) (crypto.Signer, error) {
	pub, err := ks.Public(ctx, keyID)
	if err != nil {
		return nil, fmt.Errorf("signer for key %s: %w", keyID, err)
	}
	s := &storeSigner{ctx: ctx, ks: ks, keyID: keyID, pub: pub}
	if ds, ok := ks.(DigestSigner); ok {
		s.digest = ds
	}
	if _, isEd := pub.(ed25519.PublicKey); !isEd && s.digest == nil {
		return nil, fmt.Errorf("signer for key %s: %w: this key store signs %T keys only through KeyStore.Sign", keyID, ErrUnsupportedKey, pub)
	}
	return s, nil
}

// storeSigner is the crypto.Signer returned by SignerFor.
type storeSigner struct {
	ctx    context.Context // crypto.Signer has no context parameter; see SignerFor
	ks     KeyStore
	digest DigestSigner
	keyID  string
	pub    crypto.PublicKey
}

// Public returns the public key of the signer.
func (s *storeSigner) Public() crypto.PublicKey { return s.pub }

// Sign signs msg (Ed25519) or a digest (ECDSA) with the store's key.
func (s *storeSigner) Sign(_ io.Reader, msg []byte, opts crypto.SignerOpts) ([]byte, error) {
	if s.digest != nil {
		return s.digest.SignDigest(s.ctx, s.keyID, msg, opts)
	}
	if opts != nil && opts.HashFunc() != 0 {
		return nil, fmt.Errorf("sign with key %s: %w: Ed25519 signs the message itself; pass crypto.Hash(0), not %v", s.keyID, ErrUnsupportedKey, opts.HashFunc())
	}
	return s.ks.Sign(s.ctx, s.keyID, msg)
}
