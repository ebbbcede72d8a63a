package keys

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/multiformats/go-multibase"
)

func TestEd25519MultikeyMatchesPublishedVectors(t *testing.T) {
	t.Run("the 1EdTech key pair's hex public key encodes to its published z6Mk multikey", func(t *testing.T) {
		var kp struct {
			PublicKeyHex       string `json:"publicKeyHex"`
			PublicKeyMultibase string `json:"publicKeyMultibase"`
		}
		readJSONVector(t, "1edtech-ob3-ldp-vector/keyPair.json", &kp)
		raw, err := hex.DecodeString(kp.PublicKeyHex)
		if err != nil {
			t.Fatal(err)
		}
		got, err := EncodeMultikey(ed25519.PublicKey(raw))
		if err != nil {
			t.Fatal(err)
		}
		if got != kp.PublicKeyMultibase {
			t.Fatalf("EncodeMultikey = %s, want %s", got, kp.PublicKeyMultibase)
		}
		pub, err := DecodeMultikey(kp.PublicKeyMultibase)
		if err != nil {
			t.Fatal(err)
		}
		if !pub.(ed25519.PublicKey).Equal(ed25519.PublicKey(raw)) {
			t.Fatalf("DecodeMultikey returned %x, want %s", pub, kp.PublicKeyHex)
		}
	})

	t.Run("every W3C proof-set key pair's private key derives its published public key", func(t *testing.T) {
		var pairs map[string]struct {
			PublicKeyMultibase  string `json:"publicKeyMultibase"`
			PrivateKeyMultibase string `json:"privateKeyMultibase"`
		}
		readJSONVector(t, "w3c-vc-di-eddsa/proof-set-chain/multiKeyPairs.json", &pairs)
		if len(pairs) != 4 {
			t.Fatalf("expected 4 key pairs in the vector, got %d", len(pairs))
		}
		for name, p := range pairs {
			priv, err := DecodeMultikeyPrivate(p.PrivateKeyMultibase)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			got, err := EncodeMultikey(priv.Public())
			if err != nil {
				t.Fatal(err)
			}
			if got != p.PublicKeyMultibase {
				t.Errorf("%s: derived public key %s, want %s", name, got, p.PublicKeyMultibase)
			}
			back, err := EncodeMultikeyPrivate(priv)
			if err != nil {
				t.Fatal(err)
			}
			if back != p.PrivateKeyMultibase {
				t.Errorf("%s: re-encoded private key %s, want %s", name, back, p.PrivateKeyMultibase)
			}
		}
	})

	t.Run("the 1EdTech 64-byte secretKeyMultibase decodes to the key of its privateKeyHex", func(t *testing.T) {
		var kp struct {
			PrivateKeyHex      string `json:"privateKeyHex"`
			SecretKeyMultibase string `json:"secretKeyMultibase"`
		}
		readJSONVector(t, "1edtech-ob3-ldp-vector/keyPair.json", &kp)
		priv, err := DecodeMultikeyPrivate(kp.SecretKeyMultibase)
		if err != nil {
			t.Fatal(err)
		}
		if got := hex.EncodeToString(priv.(ed25519.PrivateKey)); got != kp.PrivateKeyHex {
			t.Fatalf("private key %s, want %s", got, kp.PrivateKeyHex)
		}
	})
}

func TestP256MultikeyMatchesPublishedVectors(t *testing.T) {
	// did:key P-256 fixture of the Transmute did-key test suite, with the
	// JWK coordinates of the same key.
	const mk = "zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv"
	const x = "igrFmi0whuihKnj9R3Om1SoMph72wUGeFaBbzG2vzns"
	const y = "efsX5b10x8yjyrj4ny3pGfLcY7Xby1KzgqOdqnsrJIM"

	t.Run("a zDn multikey decompresses to the published x and y coordinates", func(t *testing.T) {
		pub, err := DecodeMultikey(mk)
		if err != nil {
			t.Fatal(err)
		}
		ec, ok := pub.(*ecdsa.PublicKey)
		if !ok || ec.Curve != elliptic.P256() {
			t.Fatalf("got %T, want a P-256 *ecdsa.PublicKey", pub)
		}
		j, err := JWKFromPublicKey(ec)
		if err != nil {
			t.Fatal(err)
		}
		if j.X != x || j.Y != y || j.Crv != "P-256" || j.Kty != "EC" {
			t.Fatalf("JWK %+v, want x=%s y=%s", j, x, y)
		}
		back, err := EncodeMultikey(ec)
		if err != nil {
			t.Fatal(err)
		}
		if back != mk {
			t.Fatalf("re-encoded %s, want %s", back, mk)
		}
	})

	t.Run("the P-256 key of the 1EdTech validator fixtures decodes", func(t *testing.T) {
		pub, err := DecodeMultikey("zDnaekGZTbQBerwcehBSXLqAg6s55hVEBms1zFy89VHXtJSa9")
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := pub.(*ecdsa.PublicKey); !ok {
			t.Fatalf("got %T", pub)
		}
	})
}

func TestMultikeyRoundTrips(t *testing.T) {
	t.Run("a generated Ed25519 key starts with z6Mk and decodes to itself", func(t *testing.T) {
		pub, _, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		s, err := EncodeMultikey(pub)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(s, "z6Mk") {
			t.Fatalf("Ed25519 multikey %s does not start with z6Mk", s)
		}
		back, err := DecodeMultikey(s)
		if err != nil {
			t.Fatal(err)
		}
		if !pub.Equal(back) {
			t.Fatal("decoded key differs")
		}
	})
	for _, tc := range []struct {
		curve  elliptic.Curve
		prefix string
	}{{elliptic.P256(), "zDn"}, {elliptic.P384(), "z82"}} {
		t.Run("a generated "+tc.curve.Params().Name+" key starts with "+tc.prefix+" and both halves round-trip", func(t *testing.T) {
			priv, err := ecdsa.GenerateKey(tc.curve, rand.Reader)
			if err != nil {
				t.Fatal(err)
			}
			s, err := EncodeMultikey(&priv.PublicKey)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(s, tc.prefix) {
				t.Fatalf("multikey %s does not start with %s", s, tc.prefix)
			}
			back, err := DecodeMultikey(s)
			if err != nil {
				t.Fatal(err)
			}
			if !priv.PublicKey.Equal(back) {
				t.Fatal("decoded public key differs")
			}
			ps, err := EncodeMultikeyPrivate(priv)
			if err != nil {
				t.Fatal(err)
			}
			pback, err := DecodeMultikeyPrivate(ps)
			if err != nil {
				t.Fatal(err)
			}
			if !priv.Equal(pback) {
				t.Fatal("decoded private key differs")
			}
		})
	}
}

func TestMultikeyRefusesBadValues(t *testing.T) {
	ed := mustMultibase(t, []byte{0xed, 0x01}, make([]byte, 32))
	p256 := mustP256(t)
	cases := []struct {
		name     string
		value    string
		sentinel error
		message  string
	}{
		{"an empty value is refused", "", ErrMalformedKey, "empty"},
		{"a base64url multibase value is refused with the expected prefix named", "u7QE" + strings.Repeat("A", 43), ErrMalformedKey, "must start with 'z'"},
		{"a value with characters outside base58 is refused", "z0OIl", ErrMalformedKey, "not valid base58btc"},
		{"an Ed25519 key one byte short is refused with both lengths", mustMultibase(t, []byte{0xed, 0x01}, make([]byte, 31)), ErrMalformedKey, "must be 32 bytes, got 31"},
		{"an unknown multicodec is refused", mustMultibase(t, []byte{0xec, 0x01}, make([]byte, 32)), ErrUnsupportedKey, "x25519-pub"},
		{"a private key is refused where a public key is expected", mustMultibase(t, []byte{0x80, 0x26}, make([]byte, 32)), ErrPrivateKeyMaterial, "private key"},
		{"an uncompressed P-256 point is refused", mustMultibase(t, []byte{0x80, 0x24}, p256), ErrMalformedKey, "33 bytes, got 65"},
		{"a P-256 x coordinate that is not on the curve is refused", mustMultibase(t, []byte{0x80, 0x24}, append([]byte{0x02}, bytesOf(0xff, 32)...)), ErrMalformedKey, "not on the curve"},
		{"a non-minimal varint header is refused", mustMultibase(t, []byte{0xed, 0x81, 0x00}, make([]byte, 32)), ErrMalformedKey, "minimally"},
		{"a truncated varint header is refused", mustMultibase(t, []byte{0x80}, nil), ErrMalformedKey, "varint"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeMultikey(tc.value)
			if !errors.Is(err, tc.sentinel) {
				t.Fatalf("error %v, want %v", err, tc.sentinel)
			}
			if !strings.Contains(err.Error(), tc.message) {
				t.Fatalf("error %q does not say %q", err, tc.message)
			}
		})
	}

	t.Run("a public key is refused where a private key is expected", func(t *testing.T) {
		_, err := DecodeMultikeyPrivate(ed)
		if !errors.Is(err, ErrMalformedKey) || !strings.Contains(err.Error(), "public key") {
			t.Fatalf("error %v", err)
		}
	})
	t.Run("a 64-byte Ed25519 private key whose public half is wrong is refused", func(t *testing.T) {
		_, priv, _ := ed25519.GenerateKey(rand.Reader)
		bad := append([]byte(nil), priv...)
		bad[63] ^= 1
		_, err := DecodeMultikeyPrivate(mustMultibase(t, []byte{0x80, 0x26}, bad))
		if !errors.Is(err, ErrKeyMismatch) {
			t.Fatalf("error %v, want ErrKeyMismatch", err)
		}
	})
	t.Run("an RSA key cannot be encoded as a multikey", func(t *testing.T) {
		rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		_, err = EncodeMultikey(&rsaKey.PublicKey)
		if !errors.Is(err, ErrUnsupportedKey) {
			t.Fatalf("error %v", err)
		}
	})
}

func TestEd25519Base58(t *testing.T) {
	t.Run("publicKeyBase58 of the 1EdTech key decodes to its hex public key", func(t *testing.T) {
		var kp struct {
			PublicKeyHex string `json:"publicKeyHex"`
		}
		readJSONVector(t, "1edtech-ob3-ldp-vector/keyPair.json", &kp)
		raw, _ := hex.DecodeString(kp.PublicKeyHex)
		s := Ed25519ToBase58(raw)
		pub, err := Ed25519FromBase58(s)
		if err != nil {
			t.Fatal(err)
		}
		if hex.EncodeToString(pub) != kp.PublicKeyHex {
			t.Fatalf("got %x", pub)
		}
		// A multikey is the same base58 alphabet over header+key, so the
		// two encodings must differ only by that header.
		mk, _ := EncodeMultikey(ed25519.PublicKey(raw))
		if mk[1:] == s {
			t.Fatal("base58 and multikey encodings must differ")
		}
	})
	t.Run("a multikey given as publicKeyBase58 is refused by its length", func(t *testing.T) {
		_, err := Ed25519FromBase58("6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi")
		if !errors.Is(err, ErrMalformedKey) || !strings.Contains(err.Error(), "got 34") {
			t.Fatalf("error %v", err)
		}
	})
}

func mustMultibase(t testing.TB, header, body []byte) string {
	t.Helper()
	s, err := multibase.Encode(multibase.Base58BTC, append(append([]byte(nil), header...), body...))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustP256(t testing.TB) []byte {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := priv.PublicKey.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func bytesOf(b byte, n int) []byte {
	out := make([]byte, n)
	for i := range out {
		out[i] = b
	}
	return out
}
