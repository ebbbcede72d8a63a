package keys

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/asn1"
	"fmt"
	"math/big"
	"sync"
)

// MemoryStore is a KeyStore that keeps key pairs in memory. It is safe for
// concurrent use. It also implements DigestSigner.
type MemoryStore struct {
	mu   sync.RWMutex
	keys map[string]*KeyPair
}

var (
	_ KeyStore     = (*MemoryStore)(nil)
	_ DigestSigner = (*MemoryStore)(nil)
)

// NewMemoryStore returns an empty in-memory key store.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{keys: make(map[string]*KeyPair)}
}

// Add stores kp under keyID, replacing any key already there.
func (m *MemoryStore) Add(keyID string, kp *KeyPair) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.keys[keyID] = kp
}

// get returns the key pair of keyID.
func (m *MemoryStore) get(keyID string) (*KeyPair, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	kp, ok := m.keys[keyID]
	if !ok || kp == nil {
		return nil, fmt.Errorf("%w: no key with id %q in the key store", ErrKeyNotFound, keyID)
	}
	return kp, nil
}

// Public returns the public key of keyID.
func (m *MemoryStore) Public(_ context.Context, keyID string) (crypto.PublicKey, error) {
	kp, err := m.get(keyID)
	if err != nil {
		return nil, err
	}
	return kp.Public(), nil
}

// Sign signs data with keyID (see KeyStore for the signature format).
func (m *MemoryStore) Sign(ctx context.Context, keyID string, data []byte) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("sign with key %s: %w", keyID, err)
	}
	kp, err := m.get(keyID)
	if err != nil {
		return nil, fmt.Errorf("sign with key %s: %w", keyID, err)
	}
	return signMessage(kp.signer, data)
}

// SignDigest signs with crypto.Signer semantics (see DigestSigner).
func (m *MemoryStore) SignDigest(ctx context.Context, keyID string, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("sign with key %s: %w", keyID, err)
	}
	kp, err := m.get(keyID)
	if err != nil {
		return nil, fmt.Errorf("sign with key %s: %w", keyID, err)
	}
	if opts == nil {
		opts = crypto.Hash(0)
	}
	sig, err := kp.signer.Sign(rand.Reader, digest, opts)
	if err != nil {
		return nil, fmt.Errorf("sign with key %s: %w", keyID, err)
	}
	return sig, nil
}

// signMessage signs data with pure Ed25519, or hashes it and returns ECDSA
// r||s.
func signMessage(signer crypto.Signer, data []byte) ([]byte, error) {
	switch k := signer.(type) {
	case ed25519.PrivateKey:
		return ed25519.Sign(k, data), nil
	case *ecdsa.PrivateKey:
		ci, err := curveOf(k.Curve)
		if err != nil {
			return nil, err
		}
		h := ci.newHash()
		h.Write(data)
		der, err := ecdsa.SignASN1(rand.Reader, k, h.Sum(nil))
		if err != nil {
			return nil, fmt.Errorf("ECDSA sign: %w", err)
		}
		return derToP1363(der, ci.size)
	}
	return nil, fmt.Errorf("%w: %T", ErrUnsupportedKey, signer)
}

// derToP1363 converts an ASN.1 ECDSA signature to fixed-size r||s.
func derToP1363(der []byte, size int) ([]byte, error) {
	var sig struct{ R, S *big.Int }
	rest, err := asn1.Unmarshal(der, &sig)
	if err != nil || len(rest) != 0 || sig.R == nil || sig.S == nil {
		return nil, fmt.Errorf("ECDSA sign: %w: signature is not valid ASN.1", ErrMalformedKey)
	}
	if sig.R.Sign() <= 0 || sig.S.Sign() <= 0 || sig.R.BitLen() > 8*size || sig.S.BitLen() > 8*size {
		return nil, fmt.Errorf("ECDSA sign: %w: signature values out of range", ErrMalformedKey)
	}
	out := make([]byte, 2*size)
	sig.R.FillBytes(out[:size])
	sig.S.FillBytes(out[size:])
	return out, nil
}
