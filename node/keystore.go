package node

import (
	"context"
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/communs/communs/internal/store"
	"github.com/communs/communs/vc/keys"
)

// ErrMasterKey is returned when the master key is not 32 bytes or cannot decrypt a key.
var ErrMasterKey = errors.New("master key is wrong")

// KeyStore is the node's keys.KeyStore: Ed25519 keys encrypted at rest with AES-256-GCM under
// the node master key, addressed by their verification method id (a did:web DID URL). Private
// keys are never returned.
type KeyStore struct {
	db   *store.DB
	aead cipher.AEAD
	rand io.Reader

	mu    sync.RWMutex
	cache map[string]ed25519.PrivateKey // decrypted keys, by key id
}

var _ keys.KeyStore = (*KeyStore)(nil)

type keyRecord struct {
	V          int       `json:"v"`
	ID         string    `json:"id"` // verification method id
	Type       string    `json:"type"`
	Public     string    `json:"publicKeyMultibase"`
	Nonce      []byte    `json:"nonce"`
	Ciphertext []byte    `json:"ciphertext"` // AES-256-GCM of the 32-byte Ed25519 seed
	Created    time.Time `json:"created"`
}

func newKeyStore(db *store.DB, master []byte, r io.Reader) (*KeyStore, error) {
	if len(master) != 32 {
		return nil, fmt.Errorf("%w: it must be 32 bytes, not %d", ErrMasterKey, len(master))
	}
	block, err := aes.NewCipher(master)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMasterKey, err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMasterKey, err)
	}
	return &KeyStore{db: db, aead: aead, rand: r, cache: map[string]ed25519.PrivateKey{}}, nil
}

// generate makes a new encrypted key record for key id (not stored: the caller writes it in
// its transaction).
func (k *KeyStore) generate(id string, now time.Time) (keyRecord, error) {
	seed := make([]byte, ed25519.SeedSize)
	if _, err := io.ReadFull(k.rand, seed); err != nil {
		return keyRecord{}, fmt.Errorf("generate key: %w", err)
	}
	priv := ed25519.NewKeyFromSeed(seed)
	pub, err := keys.EncodeMultikey(priv.Public())
	if err != nil {
		return keyRecord{}, fmt.Errorf("generate key: %w", err)
	}
	nonce := make([]byte, k.aead.NonceSize())
	if _, err := io.ReadFull(k.rand, nonce); err != nil {
		return keyRecord{}, fmt.Errorf("generate key: %w", err)
	}
	return keyRecord{
		V: 1, ID: id, Type: "Ed25519", Public: pub, Nonce: nonce,
		Ciphertext: k.aead.Seal(nil, nonce, seed, []byte(id)),
		Created:    now.UTC(),
	}, nil
}

// keyLocation maps a verification method id did:web:{host}:issuers:{slug}#{fragment} to the
// store key of its record.
func keyLocation(id string) ([]byte, error) {
	did, frag, ok := strings.Cut(id, "#")
	i := strings.LastIndex(did, ":issuers:")
	if !ok || frag == "" || i < 0 || !strings.HasPrefix(did, "did:web:") {
		return nil, fmt.Errorf("key %s: %w", id, keys.ErrKeyNotFound)
	}
	return store.KeyIssuerKey(did[i+len(":issuers:"):], frag), nil
}

func (k *KeyStore) record(id string) (keyRecord, error) {
	loc, err := keyLocation(id)
	if err != nil {
		return keyRecord{}, err
	}
	var rec keyRecord
	if err := getJSON(k.db.Get, loc, &rec, "key "+id); err != nil {
		if errors.Is(err, ErrNotFound) {
			return rec, fmt.Errorf("key %s: %w", id, keys.ErrKeyNotFound)
		}
		return rec, err
	}
	if rec.ID != id {
		return rec, fmt.Errorf("key %s: %w", id, keys.ErrKeyNotFound)
	}
	return rec, nil
}

func (k *KeyStore) private(id string) (ed25519.PrivateKey, error) {
	k.mu.RLock()
	priv, ok := k.cache[id]
	k.mu.RUnlock()
	if ok {
		return priv, nil
	}
	rec, err := k.record(id)
	if err != nil {
		return nil, err
	}
	seed, err := k.aead.Open(nil, rec.Nonce, rec.Ciphertext, []byte(id))
	if err != nil || len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("decrypt key %s: %w (the data directory was written with another master key)", id, ErrMasterKey)
	}
	priv = ed25519.NewKeyFromSeed(seed)
	k.mu.Lock()
	k.cache[id] = priv
	k.mu.Unlock()
	return priv, nil
}

// Sign signs data with the Ed25519 key keyID (pure EdDSA).
func (k *KeyStore) Sign(ctx context.Context, keyID string, data []byte) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	priv, err := k.private(keyID)
	if err != nil {
		return nil, err
	}
	return ed25519.Sign(priv, data), nil
}

// Public returns the public key of keyID.
func (k *KeyStore) Public(ctx context.Context, keyID string) (crypto.PublicKey, error) {
	rec, err := k.record(keyID)
	if err != nil {
		return nil, err
	}
	return keys.DecodeMultikey(rec.Public)
}
