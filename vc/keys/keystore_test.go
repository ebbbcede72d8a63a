package keys

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"testing"
)

func TestMemoryStoreSignsByKeyID(t *testing.T) {
	ctx := context.Background()
	store := NewMemoryStore()
	edKP, err := GenerateEd25519(nil)
	if err != nil {
		t.Fatal(err)
	}
	ecPriv, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ecKP, err := NewKeyPair(ecPriv)
	if err != nil {
		t.Fatal(err)
	}
	store.Add("issuer-ed", edKP)
	store.Add("issuer-ec", ecKP)
	msg := []byte("credential bytes")

	t.Run("an Ed25519 signature by key id verifies with the stored public key", func(t *testing.T) {
		sig, err := store.Sign(ctx, "issuer-ed", msg)
		if err != nil {
			t.Fatal(err)
		}
		pub, err := store.Public(ctx, "issuer-ed")
		if err != nil {
			t.Fatal(err)
		}
		if !ed25519.Verify(pub.(ed25519.PublicKey), msg, sig) {
			t.Fatal("signature does not verify")
		}
	})
	t.Run("a P-256 signature is 64 bytes of r||s over SHA-256 of the message", func(t *testing.T) {
		sig, err := store.Sign(ctx, "issuer-ec", msg)
		if err != nil {
			t.Fatal(err)
		}
		if len(sig) != 64 {
			t.Fatalf("signature is %d bytes, want 64", len(sig))
		}
		h := sha256.Sum256(msg)
		r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
		if !ecdsa.Verify(&ecPriv.PublicKey, h[:], r, s) {
			t.Fatal("r||s signature does not verify")
		}
	})
	t.Run("an unknown key id is ErrKeyNotFound and names the id", func(t *testing.T) {
		_, err := store.Sign(ctx, "nobody", msg)
		if !errors.Is(err, ErrKeyNotFound) {
			t.Fatalf("error %v", err)
		}
		if _, err := store.Public(ctx, "nobody"); !errors.Is(err, ErrKeyNotFound) {
			t.Fatalf("Public error %v", err)
		}
		if _, err := SignerFor(ctx, store, "nobody"); !errors.Is(err, ErrKeyNotFound) {
			t.Fatalf("SignerFor error %v", err)
		}
	})
	t.Run("a cancelled context stops signing", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := store.Sign(cctx, "issuer-ed", msg); !errors.Is(err, context.Canceled) {
			t.Fatalf("error %v", err)
		}
	})
	t.Run("the Ed25519 crypto.Signer adapter signs the message like ed25519.PrivateKey", func(t *testing.T) {
		s, err := SignerFor(ctx, store, "issuer-ed")
		if err != nil {
			t.Fatal(err)
		}
		sig, err := s.Sign(rand.Reader, msg, crypto.Hash(0))
		if err != nil {
			t.Fatal(err)
		}
		want, _ := edKP.Signer().Sign(nil, msg, crypto.Hash(0))
		if string(sig) != string(want) {
			t.Fatal("adapter signature differs from the key's own (Ed25519 is deterministic)")
		}
		if !edKP.Public().(ed25519.PublicKey).Equal(s.Public()) {
			t.Fatal("adapter reports another public key")
		}
	})
	t.Run("the ECDSA crypto.Signer adapter signs a digest in ASN.1 like ecdsa.PrivateKey", func(t *testing.T) {
		s, err := SignerFor(ctx, store, "issuer-ec")
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.Sum256(msg)
		sig, err := s.Sign(rand.Reader, h[:], crypto.SHA256)
		if err != nil {
			t.Fatal(err)
		}
		if !ecdsa.VerifyASN1(&ecPriv.PublicKey, h[:], sig) {
			t.Fatal("ASN.1 signature does not verify")
		}
	})
	t.Run("a store without digest signing offers only Ed25519 keys as crypto.Signer", func(t *testing.T) {
		plain := signOnlyStore{store}
		if _, err := SignerFor(ctx, plain, "issuer-ec"); !errors.Is(err, ErrUnsupportedKey) {
			t.Fatalf("error %v", err)
		}
		s, err := SignerFor(ctx, plain, "issuer-ed")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Sign(nil, msg, crypto.SHA256); !errors.Is(err, ErrUnsupportedKey) {
			t.Fatalf("pre-hashed Ed25519 signing should be refused, got %v", err)
		}
		sig, err := s.Sign(nil, msg, crypto.Hash(0))
		if err != nil || !ed25519.Verify(edKP.Public().(ed25519.PublicKey), msg, sig) {
			t.Fatalf("signature does not verify (err %v)", err)
		}
	})
	t.Run("concurrent adds and signatures are safe", func(t *testing.T) {
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Add(2)
			go func() {
				defer wg.Done()
				store.Add(fmt.Sprintf("k%d", i), edKP)
			}()
			go func() {
				defer wg.Done()
				if _, err := store.Sign(ctx, "issuer-ed", msg); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
	})
}

// signOnlyStore hides the DigestSigner method of a store.
type signOnlyStore struct{ s *MemoryStore }

func (p signOnlyStore) Sign(ctx context.Context, id string, data []byte) ([]byte, error) {
	return p.s.Sign(ctx, id, data)
}

func (p signOnlyStore) Public(ctx context.Context, id string) (crypto.PublicKey, error) {
	return p.s.Public(ctx, id)
}
