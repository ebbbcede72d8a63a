package dataintegrity

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/communs/communs/vc/jsonld"
)

// signedVector returns the W3C eddsa-rdfc-2022 vector split, with its key.
func signedVector(t *testing.T) (map[string]any, map[string]any, ed25519.PublicKey) {
	t.Helper()
	unsecured, proofs, err := Split(readJSON(t, "w3c-vc-di-eddsa/eddsa-rdfc-2022/signedDataInt.json"))
	if err != nil {
		t.Fatal(err)
	}
	key := keyPair(t, readJSON(t, "w3c-vc-di-eddsa/keyPair.json"))
	return unsecured, proofs[0], key.Public().(ed25519.PublicKey)
}

func TestVerifyChecksTheProofShape(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name   string
		change func(p map[string]any)
		want   error
		says   string
	}{
		{"a proof without proofValue is malformed", func(p map[string]any) { delete(p, "proofValue") }, ErrMalformedProof, "proofValue"},
		{"a proofValue that is not a string is malformed", func(p map[string]any) { p["proofValue"] = 5.0 }, ErrMalformedProof, "not a string"},
		{"a proofValue without the z prefix is malformed", func(p map[string]any) { p["proofValue"] = "u" + p["proofValue"].(string)[1:] }, ErrMalformedProof, "must start with 'z'"},
		{"a proofValue that is not base58 is malformed", func(p map[string]any) { p["proofValue"] = "z0OIl" }, ErrMalformedProof, "base58btc"},
		{"a proofValue of the wrong length is malformed", func(p map[string]any) { p["proofValue"] = "z3yMApqCuCjXDWPrbjfR5mjCPTHqFG8Pux1TxQrEM35jj" }, ErrMalformedProof, "64"},
		{"a proof without verificationMethod is malformed", func(p map[string]any) { delete(p, "verificationMethod") }, ErrMalformedProof, "verificationMethod"},
		{"a proof without proofPurpose is malformed", func(p map[string]any) { delete(p, "proofPurpose") }, ErrMalformedProof, "proofPurpose"},
		{"a created that is not a date-time is malformed", func(p map[string]any) { p["created"] = "24 Feb 2023" }, ErrMalformedProof, "created"},
		{"a created that is a number is malformed", func(p map[string]any) { p["created"] = 1677281798.0 }, ErrMalformedProof, "created"},
		{"an expires that is not a date-time is malformed", func(p map[string]any) { p["expires"] = "tomorrow" }, ErrMalformedProof, "expires"},
		{"an unsupported cryptosuite is refused", func(p map[string]any) { p["cryptosuite"] = "eddsa-jcs-2022" }, ErrUnsupportedSuite, "eddsa-jcs-2022"},
		{"a proof @context that does not start the document's is malformed", func(p map[string]any) {
			p["@context"] = []any{"https://www.w3.org/ns/credentials/examples/v2"}
		}, ErrMalformedProof, "@context"},
		{"a changed verification method breaks the signature", func(p map[string]any) {
			p["verificationMethod"] = "did:example:someone-else#key-1"
		}, ErrBadSignature, "changed after signing"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			unsecured, proof, pub := signedVector(t)
			c.change(proof)
			err := Verify(ctx, unsecured, proof, pub)
			if !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
			if !strings.Contains(err.Error(), c.says) {
				t.Errorf("error does not say %q: %v", c.says, err)
			}
		})
	}
	t.Run("a proof purpose no context defines is refused", func(t *testing.T) {
		// Not on the W3C vector: its examples context maps every term under its @vocab.
		unsecured, proofs, _ := Split(readJSON(t, "1edtech-ob3-ldp-vector/ob-credential-signed.json"))
		proofs[0]["proofPurpose"] = "signing"
		err := Verify(ctx, unsecured, proofs[0], oneEdTechKey(t).Public().(ed25519.PublicKey))
		if !errors.Is(err, jsonld.ErrUndefinedTerm) || !strings.Contains(err.Error(), `"signing"`) {
			t.Errorf("got %v, want ErrUndefinedTerm naming \"signing\"", err)
		}
	})
	t.Run("a proof @context equal to the document's is accepted", func(t *testing.T) {
		unsecured, proof, pub := signedVector(t)
		proof["@context"] = unsecured["@context"]
		if err := Verify(ctx, unsecured, proof, pub); err != nil {
			t.Error(err)
		}
	})
	t.Run("created with fractional seconds and an offset is well-formed", func(t *testing.T) {
		if err := checkDateTime(map[string]any{"created": "2025-07-14T20:59:10.588+02:00"}, "created"); err != nil {
			t.Error(err)
		}
	})
	t.Run("a document that still has its proof is refused", func(t *testing.T) {
		_, proof, pub := signedVector(t)
		secured := readJSON(t, "w3c-vc-di-eddsa/eddsa-rdfc-2022/signedDataInt.json")
		if err := Verify(ctx, secured, proof, pub); err == nil || !strings.Contains(err.Error(), "Split") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("a public key of the wrong size is refused", func(t *testing.T) {
		unsecured, proof, pub := signedVector(t)
		if err := Verify(ctx, unsecured, proof, pub[:31]); err == nil || !strings.Contains(err.Error(), "32") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("another key does not verify", func(t *testing.T) {
		unsecured, proof, _ := signedVector(t)
		other, _, _ := ed25519.GenerateKey(nil)
		if err := Verify(ctx, unsecured, proof, other); !errors.Is(err, ErrBadSignature) {
			t.Errorf("got %v, want ErrBadSignature", err)
		}
	})
	t.Run("a cancelled context stops verification", func(t *testing.T) {
		unsecured, proof, pub := signedVector(t)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if err := Verify(cctx, unsecured, proof, pub); !errors.Is(err, context.Canceled) {
			t.Errorf("got %v, want context.Canceled", err)
		}
	})
	t.Run("the DCC safe-mode breaker fails even with its key", func(t *testing.T) {
		unsecured, proofs, err := Split(readJSON(t, "dcc-verifier-core-fixtures/safeModeBreaker.json"))
		if err != nil {
			t.Fatal(err)
		}
		vm := proofs[0]["verificationMethod"].(string)
		pub, ok := resolveKey(t, vm+"#"+strings.TrimPrefix(vm, "did:key:"))
		if !ok {
			t.Fatal("key not decodable")
		}
		if err := Verify(ctx, unsecured, proofs[0], pub); !errors.Is(err, jsonld.ErrUndefinedTerm) {
			t.Errorf("got %v, want ErrUndefinedTerm", err)
		}
	})
}

func TestVerifyEd25519Signature2018(t *testing.T) {
	ctx := context.Background()
	_, priv, _ := ed25519.GenerateKey(nil)
	pub := priv.Public().(ed25519.PublicKey)
	doc := readJSON(t, "dcc-verifier-core-fixtures/v1NoStatus.json")
	delete(doc, "proof")
	signed, err := Sign(ctx, doc, Options{Type: TypeEd25519Signature2018, VerificationMethod: "did:example:issuer#key-1"}, priv)
	if err != nil {
		t.Fatal(err)
	}
	unsecured, proofs, _ := Split(signed)
	fresh := func() map[string]any { return copyObject(proofs[0]) }
	t.Run("the proof is a detached JWS with an unencoded payload", func(t *testing.T) {
		jws, _ := proofs[0]["jws"].(string)
		header, _, ok := strings.Cut(jws, "..")
		if !ok {
			t.Fatalf("jws %q is not detached", jws)
		}
		h, _ := base64.RawURLEncoding.DecodeString(header)
		if string(h) != `{"alg":"EdDSA","b64":false,"crit":["b64"]}` {
			t.Errorf("header %s", h)
		}
		if _, has := proofs[0]["proofValue"]; has {
			t.Error("an Ed25519Signature2018 proof carries a proofValue")
		}
	})
	t.Run("it verifies", func(t *testing.T) {
		if err := Verify(ctx, unsecured, fresh(), pub); err != nil {
			t.Error(err)
		}
	})
	t.Run("a changed document fails", func(t *testing.T) {
		changed := copyObject(unsecured)
		changed["issuanceDate"] = "2030-01-01T00:00:00Z"
		if err := Verify(ctx, changed, fresh(), pub); !errors.Is(err, ErrBadSignature) {
			t.Errorf("got %v, want ErrBadSignature", err)
		}
	})
	malformed := map[string]string{
		"a jws that is not detached":     "eyJhbGciOiJFZERTQSJ9.payload.c2ln",
		"a jws with another algorithm":   base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"ES256","b64":false,"crit":["b64"]}`)) + "..AAAA",
		"a jws with an encoded payload":  base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"EdDSA"}`)) + "..AAAA",
		"a jws whose header is not JSON": base64.RawURLEncoding.EncodeToString([]byte(`alg`)) + "..AAAA",
		"a jws with a short signature":   jwsHeader + "..AAAA",
		"a jws that is not base64url":    "%%%..AAAA",
	}
	for name, jws := range malformed {
		t.Run(name+" is malformed", func(t *testing.T) {
			p := fresh()
			p["jws"] = jws
			if err := Verify(ctx, unsecured, p, pub); !errors.Is(err, ErrMalformedProof) {
				t.Errorf("got %v, want ErrMalformedProof", err)
			}
		})
	}
	t.Run("a proof without jws is malformed", func(t *testing.T) {
		p := fresh()
		delete(p, "jws")
		if err := Verify(ctx, unsecured, p, pub); !errors.Is(err, ErrMalformedProof) {
			t.Errorf("got %v, want ErrMalformedProof", err)
		}
	})
}
