package wallet

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/ed25519"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/communs/communs/internal/store"

	"github.com/communs/communs/vc/keys"
)

// holderRecord is the stored holder key. The Ed25519 seed is encrypted with AES-256-GCM under
// a key derived from the passphrase with argon2id (local wallet, kdf "argon2id") or from the
// backpack secret with HKDF-SHA256 (hosted wallet, kdf "hkdf-sha256", info naming the wallet's
// key space); the AAD is the key id, so a ciphertext cannot be moved to another record.
type holderRecord struct {
	V          int       `json:"v"`
	DID        string    `json:"did"`
	KeyID      string    `json:"keyId"`
	Public     string    `json:"publicKeyMultibase"`
	KDF        string    `json:"kdf"` // argon2id
	Params     KDFParams `json:"params"`
	Salt       []byte    `json:"salt"`
	Nonce      []byte    `json:"nonce"`
	Ciphertext []byte    `json:"ciphertext"`
	Created    time.Time `json:"created"`
}

func deriveKey(passphrase string, salt []byte, p KDFParams) []byte {
	return argon2.IDKey([]byte(passphrase), salt, p.Time, p.MemoryKiB, p.Threads, 32)
}

const kdfHKDF = "hkdf-sha256"

// deriveHostedKey derives a hosted wallet's key-encryption key from the backpack secret.
func deriveHostedKey(secret, salt []byte, space store.WalletSpace) ([]byte, error) {
	return hkdf.Key(sha256.New, secret, salt, "communs hosted wallet holder key "+string(space.Prefix()), 32)
}

// keyFor derives the key-encryption key of rec's kind.
func keyFor(kdf string, passphrase string, secret []byte, space store.WalletSpace, salt []byte, p KDFParams) ([]byte, error) {
	switch kdf {
	case "argon2id":
		if passphrase == "" {
			return nil, ErrNoPassphrase
		}
		return deriveKey(passphrase, salt, p), nil
	case kdfHKDF:
		if len(secret) == 0 {
			return nil, fmt.Errorf("%w: a hosted wallet's key needs the backpack secret", ErrWrongPassphrase)
		}
		return deriveHostedKey(secret, salt, space)
	}
	return nil, fmt.Errorf("%w: holder key record has unknown key-derivation settings", ErrCorrupt)
}

func gcmFor(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// sealHolder makes a new holder key and its encrypted record.
func sealHolder(passphrase string, secret []byte, space store.WalletSpace, p KDFParams, r io.Reader, now time.Time) (*holderRecord, *keys.KeyPair, error) {
	if r == nil {
		r = rand.Reader
	}
	kp, err := keys.GenerateEd25519(r)
	if err != nil {
		return nil, nil, fmt.Errorf("generate holder key: %w", err)
	}
	kp = kp.WithCreated(now)
	salt := make([]byte, 16)
	nonce := make([]byte, 12)
	if _, err := io.ReadFull(r, salt); err != nil {
		return nil, nil, fmt.Errorf("generate salt: %w", err)
	}
	if _, err := io.ReadFull(r, nonce); err != nil {
		return nil, nil, fmt.Errorf("generate nonce: %w", err)
	}
	kdf := "argon2id"
	if len(secret) > 0 {
		kdf, p = kdfHKDF, KDFParams{}
	}
	kek, err := keyFor(kdf, passphrase, secret, space, salt, p)
	if err != nil {
		return nil, nil, err
	}
	aead, err := gcmFor(kek)
	if err != nil {
		return nil, nil, err
	}
	seed := kp.Signer().(ed25519.PrivateKey).Seed()
	rec := &holderRecord{
		V: 1, DID: kp.DIDKey(), KeyID: kp.VerificationMethodID(), Public: kp.PublicKeyMultibase(),
		KDF: kdf, Params: p, Salt: salt, Nonce: nonce, Created: kp.Created(),
	}
	rec.Ciphertext = aead.Seal(nil, nonce, seed, []byte(rec.KeyID))
	return rec, kp, nil
}

// openHolder decrypts the holder key of rec.
func openHolder(rec *holderRecord, passphrase string, secret []byte, space store.WalletSpace) (*keys.KeyPair, error) {
	if (rec.KDF == "argon2id" && (rec.Params.Time < 1 || rec.Params.Threads < 1)) || len(rec.Salt) < 16 {
		return nil, fmt.Errorf("%w: holder key record has unknown key-derivation settings", ErrCorrupt)
	}
	kek, err := keyFor(rec.KDF, passphrase, secret, space, rec.Salt, rec.Params)
	if err != nil {
		return nil, err
	}
	aead, err := gcmFor(kek)
	if err != nil {
		return nil, err
	}
	if len(rec.Nonce) != aead.NonceSize() {
		return nil, fmt.Errorf("%w: holder key nonce has the wrong size", ErrCorrupt)
	}
	seed, err := aead.Open(nil, rec.Nonce, rec.Ciphertext, []byte(rec.KeyID))
	if err != nil {
		return nil, ErrWrongPassphrase
	}
	if len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("%w: holder key has the wrong size", ErrCorrupt)
	}
	kp, err := keys.NewKeyPair(ed25519.NewKeyFromSeed(seed))
	if err != nil {
		return nil, err
	}
	if kp.DIDKey() != rec.DID {
		return nil, fmt.Errorf("%w: holder key does not match its DID", ErrCorrupt)
	}
	return kp.WithCreated(rec.Created), nil
}

func parseHolder(raw []byte) (*holderRecord, error) {
	var rec holderRecord
	if err := json.Unmarshal(raw, &rec); err != nil {
		return nil, fmt.Errorf("%w: holder key record: %v", ErrCorrupt, err)
	}
	return &rec, nil
}
