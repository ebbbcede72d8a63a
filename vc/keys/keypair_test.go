package keys

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"strings"
	"testing"
)

func TestKeyPair(t *testing.T) {
	t.Run("a P-256 key pair has a zDn did:key and a fragment equal to its multikey", func(t *testing.T) {
		priv, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		kp, err := NewKeyPair(priv)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(kp.DIDKey(), "did:key:zDn") || kp.Algorithm() != "P-256" {
			t.Fatalf("did:key %s, algorithm %s", kp.DIDKey(), kp.Algorithm())
		}
		if want := kp.DIDKey() + "#" + kp.PublicKeyMultibase(); kp.VerificationMethodID() != want {
			t.Fatalf("verification method %s, want %s", kp.VerificationMethodID(), want)
		}
	})
	t.Run("an RSA private key cannot become a key pair", func(t *testing.T) {
		priv, _ := rsa.GenerateKey(rand.Reader, 2048)
		if _, err := NewKeyPair(priv); !errors.Is(err, ErrUnsupportedKey) {
			t.Fatalf("error %v", err)
		}
	})
	t.Run("generation fails when the random source runs dry", func(t *testing.T) {
		if _, err := GenerateEd25519(strings.NewReader("short")); err == nil {
			t.Fatal("expected an error")
		}
	})
	t.Run("different seeds give different keys", func(t *testing.T) {
		a, _ := GenerateEd25519(seedReader(1))
		b, _ := GenerateEd25519(seedReader(2))
		if a.DIDKey() == b.DIDKey() {
			t.Fatal("same key from different seeds")
		}
	})
}
