package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	jose "github.com/go-jose/go-jose/v4"
)

// RFC 7638 §3.1 example key and thumbprint.
const (
	rfc7638N          = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
	rfc7638Thumbprint = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
)

func TestJWKThumbprintMatchesRFCs(t *testing.T) {
	t.Run("the RFC 7638 RSA example key has the published thumbprint", func(t *testing.T) {
		j, err := ParseJWK([]byte(`{"kty":"RSA","n":"` + rfc7638N + `","e":"AQAB","alg":"RS256","kid":"2011-04-29"}`))
		if err != nil {
			t.Fatal(err)
		}
		got, err := j.Thumbprint()
		if err != nil {
			t.Fatal(err)
		}
		if got != rfc7638Thumbprint {
			t.Fatalf("thumbprint %s, want %s", got, rfc7638Thumbprint)
		}
	})
	t.Run("the RFC 8037 Ed25519 example key has the published thumbprint", func(t *testing.T) {
		pub, err := PublicKeyFromJWK([]byte(`{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}`))
		if err != nil {
			t.Fatal(err)
		}
		got, err := JWKThumbprint(pub)
		if err != nil {
			t.Fatal(err)
		}
		if want := "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"; got != want {
			t.Fatalf("thumbprint %s, want %s", got, want)
		}
	})
	t.Run("thumbprints of generated keys agree with go-jose", func(t *testing.T) {
		edPub, _, _ := ed25519.GenerateKey(rand.Reader)
		p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
		rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
		for _, pub := range []crypto.PublicKey{edPub, &p256.PublicKey, &p384.PublicKey, &rsaKey.PublicKey} {
			ours, err := JWKThumbprint(pub)
			if err != nil {
				t.Fatal(err)
			}
			theirs, err := (&jose.JSONWebKey{Key: pub}).Thumbprint(crypto.SHA256)
			if err != nil {
				t.Fatal(err)
			}
			if want := b64url(theirs); ours != want {
				t.Errorf("%T: thumbprint %s, go-jose %s", pub, ours, want)
			}
		}
	})
}

func TestJWKRoundTrips(t *testing.T) {
	edPub, _, _ := ed25519.GenerateKey(rand.Reader)
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	for _, pub := range []crypto.PublicKey{edPub, &p256.PublicKey, &rsaKey.PublicKey} {
		t.Run("a "+typeName(pub)+" key survives JWK encoding and is read by go-jose", func(t *testing.T) {
			j, err := JWKFromPublicKey(pub)
			if err != nil {
				t.Fatal(err)
			}
			data, err := json.Marshal(j)
			if err != nil {
				t.Fatal(err)
			}
			back, err := PublicKeyFromJWK(data)
			if err != nil {
				t.Fatal(err)
			}
			if !pub.(interface{ Equal(crypto.PublicKey) bool }).Equal(back) {
				t.Fatal("decoded key differs")
			}
			var jj jose.JSONWebKey
			if err := jj.UnmarshalJSON(data); err != nil {
				t.Fatalf("go-jose refuses our JWK %s: %v", data, err)
			}
			if !pub.(interface{ Equal(crypto.PublicKey) bool }).Equal(jj.Key) {
				t.Fatal("go-jose reads a different key")
			}
			var m map[string]any
			_ = json.Unmarshal(data, &m)
			fromMap, err := PublicKeyFromJWKMap(m)
			if err != nil {
				t.Fatal(err)
			}
			if !pub.(interface{ Equal(crypto.PublicKey) bool }).Equal(fromMap) {
				t.Fatal("map form decodes to a different key")
			}
		})
	}
}

func TestJWKRefusals(t *testing.T) {
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	good, _ := JWKFromPublicKey(&p256.PublicKey)
	cases := []struct {
		name     string
		jwk      string
		sentinel error
		message  string
	}{
		{"a JWK carrying the private scalar d is refused", `{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"}`, ErrPrivateKeyMaterial, `"d"`},
		{"a symmetric key is refused", `{"kty":"oct","k":"AAAA"}`, ErrPrivateKeyMaterial, `"k"`},
		{"a JWK without kty is refused", `{"crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}`, ErrMalformedKey, "kty"},
		{"an X25519 key is refused as unsupported", `{"kty":"OKP","crv":"X25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}`, ErrUnsupportedKey, "X25519"},
		{"secp256k1 is refused as unsupported", `{"kty":"EC","crv":"secp256k1","x":"` + good.X + `","y":"` + good.Y + `"}`, ErrUnsupportedKey, "secp256k1"},
		{"a P-256 point off the curve is refused", `{"kty":"EC","crv":"P-256","x":"` + good.X + `","y":"` + good.X + `"}`, ErrMalformedKey, "not valid"},
		{"a short P-256 coordinate is refused with the lengths", `{"kty":"EC","crv":"P-256","x":"AAAA","y":"` + good.Y + `"}`, ErrMalformedKey, "32 bytes each, got 3 and 32"},
		{"padded base64 is refused", `{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo="}`, ErrMalformedKey, "base64url"},
		{"a numeric member is refused", `{"kty":"OKP","crv":"Ed25519","x":12}`, ErrMalformedKey, `"x" must be a string`},
		{"a 1024-bit RSA key is refused", `{"kty":"RSA","n":"` + strings.Repeat("w", 171) + `","e":"AQAB"}`, ErrUnsupportedKey, "1024 bits"},
		{"an even RSA exponent is refused", `{"kty":"RSA","n":"` + rfc7638N + `","e":"AQAA"}`, ErrMalformedKey, "exponent"},
		{"a JSON array is refused", `[1,2]`, ErrMalformedKey, "JSON object"},
		{"JSON null is refused", `null`, ErrMalformedKey, "JSON object"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := PublicKeyFromJWK([]byte(tc.jwk))
			if !errors.Is(err, tc.sentinel) {
				t.Fatalf("error %v, want %v", err, tc.sentinel)
			}
			if !strings.Contains(err.Error(), tc.message) {
				t.Fatalf("error %q does not mention %q", err, tc.message)
			}
		})
	}
}

func typeName(pub crypto.PublicKey) string {
	switch k := pub.(type) {
	case ed25519.PublicKey:
		return "Ed25519"
	case *ecdsa.PublicKey:
		return k.Curve.Params().Name
	case *rsa.PublicKey:
		return "RSA"
	}
	return "unknown"
}
