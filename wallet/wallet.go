package wallet

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/communs/communs/internal/store"
	"github.com/communs/communs/vc/keys"
)

// Wallet is an open local wallet. It is safe for concurrent use.
type Wallet struct {
	db    *store.DB
	space store.WalletSpace
	// ownsDB is set for a local wallet, whose Close closes its database.
	ownsDB bool
	cfg    Config
	// passphrase is kept only until the holder key exists (Init needs it); a hosted wallet has a
	// secret (derived from the node's master key) instead.
	passphrase string
	secret     []byte
	holder     *holderRecord
	// ks holds the decrypted holder key; the wallet signs only through it.
	ks keys.KeyStore
}

// Open opens (creating the folder if needed) the wallet in dir. When the wallet already has a
// holder key, passphrase must decrypt it (ErrWrongPassphrase otherwise); a new wallet needs
// Init before it can receive or present badges.
func Open(dir, passphrase string, cfg Config) (*Wallet, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if passphrase == "" {
		return nil, ErrNoPassphrase
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("open wallet: %w", err)
	}
	db, err := store.Open(dir, store.Options{})
	if err != nil {
		return nil, fmt.Errorf("open wallet: %w", err)
	}
	w := &Wallet{db: db, space: store.LocalWallet(), ownsDB: true, cfg: cfg, passphrase: passphrase}
	if err := w.load(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open wallet: %w", err)
	}
	return w, nil
}

// OpenHosted opens the wallet of a hosted backpack account in a node's database. Its holder key
// is encrypted with a key derived from secret (the backpack's share of the node's master key,
// at least 32 bytes) and the account's key space; Close leaves the database open.
func OpenHosted(db *store.DB, space store.WalletSpace, secret []byte, cfg Config) (*Wallet, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if len(secret) < 32 {
		return nil, fmt.Errorf("open hosted wallet: the wallet secret must be at least 32 bytes")
	}
	w := &Wallet{db: db, space: space, cfg: cfg, secret: secret}
	if err := w.load(); err != nil {
		return nil, fmt.Errorf("open hosted wallet: %w", err)
	}
	return w, nil
}

// load unlocks the stored holder key, when there is one.
func (w *Wallet) load() error {
	raw, err := w.db.Get(w.space.Holder())
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil
	case err != nil:
		return err
	}
	rec, err := parseHolder(raw)
	if err != nil {
		return err
	}
	return w.unlock(rec)
}

func (w *Wallet) unlock(rec *holderRecord) error {
	kp, err := openHolder(rec, w.passphrase, w.secret, w.space)
	if err != nil {
		return err
	}
	ms := keys.NewMemoryStore()
	ms.Add(rec.KeyID, kp)
	w.holder, w.ks, w.passphrase = rec, ms, ""
	return nil
}

// Init makes the wallet's holder key (an Ed25519 did:key), stores it encrypted with the
// passphrase given to Open, and returns the holder DID. It returns ErrAlreadyInitialized when
// the wallet has one.
func (w *Wallet) Init(ctx context.Context) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if w.holder != nil {
		return "", fmt.Errorf("init wallet: %w (%s)", ErrAlreadyInitialized, w.holder.DID)
	}
	rec, _, err := sealHolder(w.passphrase, w.secret, w.space, w.cfg.KDF, w.cfg.Rand, w.cfg.Now())
	if err != nil {
		return "", fmt.Errorf("init wallet: %w", err)
	}
	raw, err := json.Marshal(rec)
	if err != nil {
		return "", err
	}
	err = w.db.Update(func(t *store.Txn) error {
		if ok, err := t.Has(w.space.Holder()); err != nil || ok {
			if err == nil {
				err = ErrAlreadyInitialized
			}
			return err
		}
		return t.Set(w.space.Holder(), raw)
	})
	if err != nil {
		return "", fmt.Errorf("init wallet: %w", err)
	}
	if err := w.unlock(rec); err != nil {
		return "", fmt.Errorf("init wallet: %w", err)
	}
	return rec.DID, nil
}

// HolderDID returns the holder's did:key, or ErrNotInitialized.
func (w *Wallet) HolderDID() (string, error) {
	if w.holder == nil {
		return "", ErrNotInitialized
	}
	return w.holder.DID, nil
}

// HolderKeyID returns the holder's verification method id (did:key:z…#z…), or
// ErrNotInitialized.
func (w *Wallet) HolderKeyID() (string, error) {
	if w.holder == nil {
		return "", ErrNotInitialized
	}
	return w.holder.KeyID, nil
}

// Close closes a local wallet's store (a hosted wallet's database stays open).
func (w *Wallet) Close() error {
	if !w.ownsDB {
		return nil
	}
	return w.db.Close()
}
