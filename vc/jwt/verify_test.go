package jwt

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

func TestSignAndVerify(t *testing.T) {
	cred := loadCredential(t, "ob3-spec-examples/basic-openbadgecredential.json")
	edKey := newEd25519(t)
	ecKey := newP256(t)
	rsaKey := newRSA(t, 2048)
	algs := []struct {
		alg    string
		signer crypto.Signer
		other  crypto.Signer // same type, different key
	}{
		{AlgEdDSA, edKey, newEd25519(t)},
		{AlgEd25519, edKey, newEd25519(t)},
		{AlgES256, ecKey, newP256(t)},
		{AlgRS256, rsaKey, newRSA(t, 2048)},
	}
	for _, a := range algs {
		t.Run(a.alg+" tokens verify with the signer's public key", func(t *testing.T) {
			token := mustSign(t, cred, a.alg, "did:example:issuer#key-1", TypCredential, a.signer)
			tok := mustParse(t, token)
			if err := tok.Verify(a.signer.Public()); err != nil {
				t.Fatal(err)
			}
			if tok.Alg() != a.alg || tok.Kid() != "did:example:issuer#key-1" || tok.Header().Typ != TypCredential {
				t.Fatalf("header = %+v", tok.Header())
			}
		})
		t.Run(a.alg+" tokens do not verify with another key of the same type", func(t *testing.T) {
			tok := mustParse(t, mustSign(t, cred, a.alg, "", "", a.signer))
			if err := tok.Verify(a.other.Public()); !errors.Is(err, ErrInvalidSignature) {
				t.Fatalf("Verify = %v, want ErrInvalidSignature", err)
			}
		})
		t.Run(a.alg+" tokens with a changed payload are refused", func(t *testing.T) {
			token := mustSign(t, cred, a.alg, "", "", a.signer)
			parts := strings.Split(token, ".")
			payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
			payload = []byte(strings.Replace(string(payload), "Teamwork Badge", "Teamwork Badgf", 1))
			parts[1] = base64.RawURLEncoding.EncodeToString(payload)
			tok := mustParse(t, strings.Join(parts, "."))
			if err := tok.Verify(a.signer.Public()); !errors.Is(err, ErrInvalidSignature) {
				t.Fatalf("Verify = %v, want ErrInvalidSignature", err)
			}
		})
		t.Run(a.alg+" tokens with a changed header are refused", func(t *testing.T) {
			token := mustSign(t, cred, a.alg, "did:example:issuer#key-1", "", a.signer)
			parts := strings.Split(token, ".")
			parts[0] = base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"` + a.alg + `","kid":"did:example:issuer#key-2"}`))
			tok := mustParse(t, strings.Join(parts, "."))
			if err := tok.Verify(a.signer.Public()); !errors.Is(err, ErrInvalidSignature) {
				t.Fatalf("Verify = %v, want ErrInvalidSignature", err)
			}
		})
	}

	t.Run("an ES256 signature is 64 bytes of r||s, not ASN.1", func(t *testing.T) {
		token := mustSign(t, cred, AlgES256, "", "", ecKey)
		sig, err := base64.RawURLEncoding.DecodeString(token[strings.LastIndexByte(token, '.')+1:])
		if err != nil || len(sig) != 64 {
			t.Fatalf("signature is %d bytes (%v)", len(sig), err)
		}
	})

	t.Run("an ES256 token whose signature is ASN.1 DER is refused", func(t *testing.T) {
		token := mustSign(t, cred, AlgES256, "", "", ecKey)
		signed := token[:strings.LastIndexByte(token, '.')]
		digest := sha256.Sum256([]byte(signed))
		der, err := ecdsa.SignASN1(rand.Reader, ecKey, digest[:])
		if err != nil {
			t.Fatal(err)
		}
		tok := mustParse(t, signed+"."+base64.RawURLEncoding.EncodeToString(der))
		if err := tok.Verify(ecKey.Public()); !errors.Is(err, ErrInvalidSignature) {
			t.Fatalf("Verify = %v, want ErrInvalidSignature", err)
		}
	})
}

func TestVerifyRefusesAlgorithmConfusion(t *testing.T) {
	cred := loadCredential(t, "ob3-spec-examples/basic-openbadgecredential.json")
	edKey := newEd25519(t)
	ecKey := newP256(t)
	rsaKey := newRSA(t, 2048)

	mismatches := []struct {
		name   string
		signer crypto.Signer
		alg    string
		verify crypto.PublicKey
	}{
		{"an EdDSA token is refused with a P-256 key", edKey, AlgEdDSA, ecKey.Public()},
		{"an EdDSA token is refused with an RSA key", edKey, AlgEdDSA, rsaKey.Public()},
		{"an ES256 token is refused with an Ed25519 key", ecKey, AlgES256, edKey.Public()},
		{"an RS256 token is refused with a P-256 key", rsaKey, AlgRS256, ecKey.Public()},
	}
	for _, m := range mismatches {
		t.Run(m.name, func(t *testing.T) {
			tok := mustParse(t, mustSign(t, cred, m.alg, "", "", m.signer))
			if err := tok.Verify(m.verify); !errors.Is(err, ErrKeyMismatch) {
				t.Fatalf("Verify = %v, want ErrKeyMismatch", err)
			}
		})
	}

	t.Run("an Ed25519 signature relabelled ES256 is refused with the Ed25519 key", func(t *testing.T) {
		token := mustSign(t, cred, AlgEdDSA, "", "", edKey)
		parts := strings.Split(token, ".")
		parts[0] = base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"ES256"}`))
		tok := mustParse(t, strings.Join(parts, "."))
		if err := tok.Verify(edKey.Public()); !errors.Is(err, ErrKeyMismatch) {
			t.Fatalf("Verify = %v, want ErrKeyMismatch", err)
		}
	})

	t.Run("an HS256 token keyed with the RSA public key is refused", func(t *testing.T) {
		// The classic confusion: the attacker MACs with the public key bytes.
		pubDER, err := x509.MarshalPKIXPublicKey(rsaKey.Public())
		if err != nil {
			t.Fatal(err)
		}
		signed := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"vc+jwt"}`)) + "." +
			base64.RawURLEncoding.EncodeToString([]byte(`{"type":["VerifiableCredential"],"issuer":"did:example:issuer"}`))
		mac := hmac.New(sha256.New, pubDER)
		mac.Write([]byte(signed))
		tok := mustParse(t, signed+"."+base64.RawURLEncoding.EncodeToString(mac.Sum(nil)))
		if err := tok.Verify(rsaKey.Public()); !errors.Is(err, ErrUnsupportedAlgorithm) {
			t.Fatalf("Verify = %v, want ErrUnsupportedAlgorithm", err)
		}
	})

	t.Run("alg none is refused before any key is consulted", func(t *testing.T) {
		_, err := Parse(rawToken(`{"alg":"none"}`, `{"iss":"x"}`, []byte{0}))
		if !errors.Is(err, ErrUnsupportedAlgorithm) {
			t.Fatalf("Parse = %v, want ErrUnsupportedAlgorithm", err)
		}
	})

	t.Run("algorithms other than EdDSA, ES256 and RS256 are refused", func(t *testing.T) {
		for _, alg := range []string{"HS256", "ES384", "PS256", "ES256K", "RS512"} {
			tok := mustParse(t, rawToken(`{"alg":"`+alg+`"}`, `{}`, make([]byte, 64)))
			if err := tok.Verify(ecKey.Public()); !errors.Is(err, ErrUnsupportedAlgorithm) {
				t.Errorf("%s: Verify = %v, want ErrUnsupportedAlgorithm", alg, err)
			}
		}
	})

	t.Run("RSA keys shorter than 2048 bits are refused", func(t *testing.T) {
		small := newRSA(t, 1024)
		tok := mustParse(t, mustSign(t, cred, AlgRS256, "", "", rsaKey))
		if err := tok.Verify(small.Public()); !errors.Is(err, ErrUnsupportedKey) {
			t.Fatalf("Verify = %v, want ErrUnsupportedKey", err)
		}
		if _, err := Sign(cred, AlgRS256, "", "", small); !errors.Is(err, ErrUnsupportedKey) {
			t.Fatalf("Sign = %v, want ErrUnsupportedKey", err)
		}
	})

	t.Run("ECDSA keys on other curves are refused", func(t *testing.T) {
		p384, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		tok := mustParse(t, mustSign(t, cred, AlgES256, "", "", ecKey))
		if err := tok.Verify(p384.Public()); !errors.Is(err, ErrUnsupportedKey) {
			t.Fatalf("Verify = %v, want ErrUnsupportedKey", err)
		}
	})

	t.Run("keys of unknown types and missing keys are refused", func(t *testing.T) {
		tok := mustParse(t, mustSign(t, cred, AlgEdDSA, "", "", edKey))
		for _, k := range []crypto.PublicKey{nil, "secret", []byte(edKey.Public().(ed25519.PublicKey)), ed25519.PublicKey{1, 2, 3}, (*ecdsa.PublicKey)(nil)} {
			if err := tok.Verify(k); !errors.Is(err, ErrUnsupportedKey) {
				t.Errorf("Verify(%T) = %v, want ErrUnsupportedKey", k, err)
			}
		}
	})

	t.Run("ECDSA and RSA public keys passed by value are accepted", func(t *testing.T) {
		tok := mustParse(t, mustSign(t, cred, AlgES256, "", "", ecKey))
		if err := tok.Verify(ecKey.PublicKey); err != nil {
			t.Fatal(err)
		}
		tok = mustParse(t, mustSign(t, cred, AlgRS256, "", "", rsaKey))
		if err := tok.Verify(rsaKey.PublicKey); err != nil {
			t.Fatal(err)
		}
	})
}

func TestSignRefusesWhatItCannotDo(t *testing.T) {
	cred := map[string]any{"iss": "did:example:issuer"}
	edKey := newEd25519(t)
	cases := []struct {
		name   string
		claims map[string]any
		alg    string
		signer crypto.Signer
		want   error
	}{
		{"alg none is refused", cred, "none", edKey, ErrUnsupportedAlgorithm},
		{"HS256 is refused", cred, "HS256", edKey, ErrUnsupportedAlgorithm},
		{"ES256 with an Ed25519 key is refused", cred, AlgES256, edKey, ErrKeyMismatch},
		{"EdDSA with a P-256 key is refused", cred, AlgEdDSA, newP256(t), ErrKeyMismatch},
		{"a missing signer is refused", cred, AlgEdDSA, nil, ErrUnsupportedKey},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := Sign(c.claims, c.alg, "", "", c.signer); !errors.Is(err, c.want) {
				t.Fatalf("Sign = %v, want %v", err, c.want)
			}
		})
	}
	t.Run("missing claims are refused", func(t *testing.T) {
		if _, err := Sign(nil, AlgEdDSA, "", "", edKey); err == nil {
			t.Fatal("Sign(nil claims) succeeded")
		}
	})
	t.Run("claims that cannot be JSON are refused", func(t *testing.T) {
		if _, err := Sign(map[string]any{"f": func() {}}, AlgEdDSA, "", "", edKey); err == nil {
			t.Fatal("Sign succeeded")
		}
	})
	t.Run("claims are not HTML-escaped", func(t *testing.T) {
		tok := mustParse(t, mustSign(t, map[string]any{"name": "<Rust & Go>"}, AlgEdDSA, "", "", edKey))
		if !strings.Contains(string(tok.Payload()), `"<Rust & Go>"`) {
			t.Fatalf("payload = %s", tok.Payload())
		}
	})
}
