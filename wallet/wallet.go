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
	db  *store.DB
	cfg Config
	// passphrase is kept only until the holder key exists (Init needs it).
	passphrase string
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
	w := &Wallet{db: db, cfg: cfg, passphrase: passphrase}
	raw, err := db.Get(store.KeyWalletHolder())
	switch {
	case errors.Is(err, store.ErrNotFound):
		return w, nil
	case err != nil:
		db.Close()
		return nil, fmt.Errorf("open wallet: %w", err)
	}
	rec, err := parseHolder(raw)
	if err == nil {
		err = w.unlock(rec, passphrase)
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open wallet: %w", err)
	}
	return w, nil
}

func (w *Wallet) unlock(rec *holderRecord, passphrase string) error {
	kp, err := openHolder(rec, passphrase)
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
	rec, _, err := sealHolder(w.passphrase, w.cfg.KDF, w.cfg.Rand, w.cfg.Now())
	if err != nil {
		return "", fmt.Errorf("init wallet: %w", err)
	}
	raw, err := json.Marshal(rec)
	if err != nil {
		return "", err
	}
	err = w.db.Update(func(t *store.Txn) error {
		if ok, err := t.Has(store.KeyWalletHolder()); err != nil || ok {
			if err == nil {
				err = ErrAlreadyInitialized
			}
			return err
		}
		return t.Set(store.KeyWalletHolder(), raw)
	})
	if err != nil {
		return "", fmt.Errorf("init wallet: %w", err)
	}
	if err := w.unlock(rec, w.passphrase); err != nil {
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

// Close closes the wallet's store.
func (w *Wallet) Close() error {
	return w.db.Close()
}
