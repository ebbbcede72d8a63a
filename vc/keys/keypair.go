package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"io"
	"time"
)

// KeyPair is a private key with its derived public encodings. It is built by
// GenerateEd25519, NewKeyPair or ParseKeyFile and is immutable.
type KeyPair struct {
	signer    crypto.Signer // ed25519.PrivateKey or *ecdsa.PrivateKey
	multikey  string        // publicKeyMultibase
	algorithm string        // "Ed25519", "P-256", "P-384"
	created   time.Time     // zero when unknown
}

// GenerateEd25519 creates an Ed25519 key pair from 32 bytes of r, or from
// crypto/rand when r is nil, stamped with the current time as its creation
// date (see WithCreated). Pass a fixed reader only in tests.
func GenerateEd25519(r io.Reader) (*KeyPair, error) {
	if r == nil {
		r = rand.Reader
	}
	_, priv, err := ed25519.GenerateKey(r)
	if err != nil {
		return nil, fmt.Errorf("generate Ed25519 key: %w", err)
	}
	kp, err := NewKeyPair(priv)
	if err != nil {
		return nil, err
	}
	return kp.WithCreated(time.Now()), nil
}

// NewKeyPair wraps an existing private key: ed25519.PrivateKey or
// *ecdsa.PrivateKey on P-256 or P-384. Its creation date is unknown (zero)
// until set with WithCreated.
func NewKeyPair(priv crypto.PrivateKey) (*KeyPair, error) {
	var (
		signer crypto.Signer
		alg    string
	)
	switch k := priv.(type) {
	case ed25519.PrivateKey:
		if len(k) != ed25519.PrivateKeySize {
			return nil, fmt.Errorf("new key pair: %w: Ed25519 private key must be %d bytes, got %d", ErrMalformedKey, ed25519.PrivateKeySize, len(k))
		}
		signer, alg = k, "Ed25519"
	case *ecdsa.PrivateKey:
		if k == nil {
			return nil, fmt.Errorf("new key pair: %w: nil ECDSA private key", ErrMalformedKey)
		}
		ci, err := curveOf(k.Curve)
		if err != nil {
			return nil, fmt.Errorf("new key pair: %w", err)
		}
		signer, alg = k, ci.jwkName
	default:
		return nil, fmt.Errorf("new key pair: %w: %T (supported: ed25519.PrivateKey, *ecdsa.PrivateKey)", ErrUnsupportedKey, priv)
	}
	mk, err := EncodeMultikey(signer.Public())
	if err != nil {
		return nil, fmt.Errorf("new key pair: %w", err)
	}
	return &KeyPair{signer: signer, multikey: mk, algorithm: alg}, nil
}

// Signer returns the private key as a crypto.Signer. Ed25519 keys sign the
// message itself (opts crypto.Hash(0)); ECDSA keys sign a digest and return
// ASN.1 DER.
func (kp *KeyPair) Signer() crypto.Signer { return kp.signer }

// Public returns the public key: ed25519.PublicKey or *ecdsa.PublicKey.
func (kp *KeyPair) Public() crypto.PublicKey { return kp.signer.Public() }

// Algorithm names the key type: "Ed25519", "P-256" or "P-384".
func (kp *KeyPair) Algorithm() string { return kp.algorithm }

// PublicKeyMultibase returns the Multikey encoding of the public key ("z6Mk…"
// for Ed25519).
func (kp *KeyPair) PublicKeyMultibase() string { return kp.multikey }

// DIDKey returns the did:key DID of the public key ("did:key:z6Mk…").
func (kp *KeyPair) DIDKey() string { return "did:key:" + kp.multikey }

// VerificationMethodID returns the did:key verification method id of the
// public key ("did:key:z6Mk…#z6Mk…").
func (kp *KeyPair) VerificationMethodID() string { return kp.DIDKey() + "#" + kp.multikey }

// Created returns the creation date recorded for the key (zero when
// unknown).
func (kp *KeyPair) Created() time.Time { return kp.created }

// WithCreated returns a copy of the key pair with its creation date set to t
// (in UTC, to the second).
func (kp *KeyPair) WithCreated(t time.Time) *KeyPair {
	c := *kp
	c.created = t.UTC().Truncate(time.Second)
	return &c
}

// privateKeyMultibase returns the privateKeyMultibase encoding of the key.
func (kp *KeyPair) privateKeyMultibase() (string, error) {
	return EncodeMultikeyPrivate(kp.signer)
}
