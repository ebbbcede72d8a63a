package jwt

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

const vectors = "../../testdata/vectors"

// loadCredential reads a credential from the shared test vectors.
func loadCredential(t testing.TB, name string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(vectors, name))
	if err != nil {
		t.Fatal(err)
	}
	var cred map[string]any
	if err := json.Unmarshal(data, &cred); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return cred
}

func newEd25519(t testing.TB) ed25519.PrivateKey {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return priv
}

func newP256(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return priv
}

func newRSA(t testing.TB, bits int) *rsa.PrivateKey {
	t.Helper()
	priv, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		t.Fatal(err)
	}
	return priv
}

// rawToken assembles a compact JWS from literal header and payload JSON and
// a signature, without signing: for testing what Parse makes of odd input.
func rawToken(header, payload string, sig []byte) string {
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(payload)) + "." + enc.EncodeToString(sig)
}

// mustSign signs claims or fails the test.
func mustSign(t testing.TB, claims map[string]any, alg, kid, typ string, signer crypto.Signer) string {
	t.Helper()
	tok, err := Sign(claims, alg, kid, typ, signer)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// mustParse parses a token or fails the test.
func mustParse(t testing.TB, token string) *Token {
	t.Helper()
	tok, err := Parse(token)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}
