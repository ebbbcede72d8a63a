package dataintegrity

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"io"
	"reflect"
	"slices"
	"testing"
	"time"
)

func TestSignAndVerifyRoundTrip(t *testing.T) {
	ctx := context.Background()
	_, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	pub := priv.Public().(ed25519.PublicKey)
	created := time.Date(2025, 3, 1, 12, 30, 45, 987654321, time.FixedZone("CET", 3600))
	for _, typ := range []string{TypeDataIntegrityProof, TypeEd25519Signature2020, TypeEd25519Signature2018} {
		t.Run("a "+typ+" proof on the complete OB 3.0 credential verifies", func(t *testing.T) {
			doc := readJSON(t, "ob3-spec-examples/complete-openbadgecredential.json")
			if typ == TypeEd25519Signature2018 {
				doc = readJSON(t, "dcc-verifier-core-fixtures/v1NoStatus.json")
				delete(doc, "proof")
			}
			original := copyObject(doc)
			signed, err := Sign(ctx, doc, Options{Type: typ, VerificationMethod: "did:example:issuer#key-1", Created: created}, priv)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(doc, original) {
				t.Error("Sign changed the document it was given")
			}
			unsecured, proofs, err := Split(signed)
			if err != nil || len(proofs) != 1 {
				t.Fatalf("%d proofs, %v", len(proofs), err)
			}
			p := proofs[0]
			if p["type"] != typ || p["proofPurpose"] != "assertionMethod" || p["created"] != "2025-03-01T11:30:45Z" {
				t.Errorf("proof members: %v", p)
			}
			if err := Verify(ctx, unsecured, p, pub); err != nil {
				t.Fatal(err)
			}
			unsecured["name"] = "Another name"
			if err := Verify(ctx, unsecured, p, pub); !errors.Is(err, ErrBadSignature) {
				t.Errorf("a changed name: got %v, want ErrBadSignature", err)
			}
		})
	}

	t.Run("a presentation proof carries and signs its challenge and domain", func(t *testing.T) {
		doc := map[string]any{
			"@context": []any{"https://www.w3.org/ns/credentials/v2"},
			"type":     []any{"VerifiablePresentation"},
			"holder":   "did:example:holder",
		}
		signed, err := Sign(ctx, doc, Options{
			VerificationMethod: "did:example:holder#key-1", ProofPurpose: "authentication",
			Challenge: "c0ffee", Domain: "https://verifier.example",
		}, priv)
		if err != nil {
			t.Fatal(err)
		}
		unsecured, proofs, _ := Split(signed)
		p := proofs[0]
		if p["challenge"] != "c0ffee" || p["domain"] != "https://verifier.example" || p["proofPurpose"] != "authentication" {
			t.Fatalf("proof members: %v", p)
		}
		if _, has := p["created"]; has {
			t.Error("a zero Created was written")
		}
		p["challenge"] = "replayed"
		if err := Verify(ctx, unsecured, p, pub); !errors.Is(err, ErrBadSignature) {
			t.Errorf("a changed challenge: got %v, want ErrBadSignature", err)
		}
	})

	t.Run("a DataIntegrityProof on a VC 1.1 credential adds the Data Integrity context", func(t *testing.T) {
		doc := readJSON(t, "dcc-verifier-core-fixtures/v1NoStatus.json")
		delete(doc, "proof")
		signed, err := Sign(ctx, doc, Options{VerificationMethod: "did:example:issuer#key-1"}, priv)
		if err != nil {
			t.Fatal(err)
		}
		if c := signed["@context"].([]any); c[len(c)-1] != contextDataIntegrityV2 {
			t.Errorf("@context = %v", c)
		}
		unsecured, proofs, _ := Split(signed)
		if err := Verify(ctx, unsecured, proofs[0], pub); err != nil {
			t.Error(err)
		}
	})

	t.Run("a second proof joins the first in a proof set", func(t *testing.T) {
		first, err := Sign(ctx, readJSON(t, "ob3-spec-examples/basic-openbadgecredential.json"), Options{VerificationMethod: "did:example:a#1", Type: TypeEd25519Signature2020}, priv)
		if err != nil {
			t.Fatal(err)
		}
		contexts := slices.Clone(first["@context"].([]any))
		second, err := Sign(ctx, first, Options{VerificationMethod: "did:example:b#1"}, priv)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(second["@context"], contexts) {
			t.Error("adding a proof to a proof set changed @context")
		}
		unsecured, proofs, _ := Split(second)
		if len(proofs) != 2 {
			t.Fatalf("%d proofs", len(proofs))
		}
		for i := range proofs {
			if err := VerifyInSet(ctx, unsecured, proofs, i, pub); err != nil {
				t.Errorf("proof %d: %v", i+1, err)
			}
		}
	})
}

// wrongSigner claims one public key and signs with another.
type wrongSigner struct {
	pub  ed25519.PublicKey
	priv ed25519.PrivateKey
}

func (s wrongSigner) Public() crypto.PublicKey { return s.pub }
func (s wrongSigner) Sign(r io.Reader, msg []byte, o crypto.SignerOpts) ([]byte, error) {
	return s.priv.Sign(r, msg, o)
}

// failingSigner is a key store that cannot sign.
type failingSigner struct{ pub ed25519.PublicKey }

func (s failingSigner) Public() crypto.PublicKey { return s.pub }
func (s failingSigner) Sign(io.Reader, []byte, crypto.SignerOpts) ([]byte, error) {
	return nil, errors.New("key store is locked")
}

func TestSignRefuses(t *testing.T) {
	ctx := context.Background()
	_, priv, _ := ed25519.GenerateKey(nil)
	otherPub, otherPriv, _ := ed25519.GenerateKey(nil)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	doc := readJSON(t, "ob3-spec-examples/basic-openbadgecredential.json")
	vm := "did:example:issuer#key-1"
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	cases := []struct {
		name   string
		ctx    context.Context
		doc    map[string]any
		opts   Options
		signer crypto.Signer
		want   error
	}{
		{"an unknown proof type", ctx, doc, Options{Type: "JsonWebSignature2020", VerificationMethod: vm}, priv, ErrUnsupportedSuite},
		{"another cryptosuite", ctx, doc, Options{Cryptosuite: "eddsa-jcs-2022", VerificationMethod: vm}, priv, ErrUnsupportedSuite},
		{"a cryptosuite on a legacy suite", ctx, doc, Options{Type: TypeEd25519Signature2020, Cryptosuite: SuiteEdDSARDFC2022, VerificationMethod: vm}, priv, ErrUnsupportedSuite},
		{"no verification method", ctx, doc, Options{}, priv, nil},
		{"no signer", ctx, doc, Options{VerificationMethod: vm}, nil, nil},
		{"a P-256 key", ctx, doc, Options{VerificationMethod: vm}, ecKey, nil},
		{"a signer whose signature its public key does not verify", ctx, doc, Options{VerificationMethod: vm}, wrongSigner{otherPub, priv}, nil},
		{"a signer that fails", ctx, doc, Options{VerificationMethod: vm}, failingSigner{otherPub}, nil},
		{"a cancelled context", cancelled, doc, Options{VerificationMethod: vm}, otherPriv, context.Canceled},
		{"a document with an undefined term", ctx, readJSON(t, "dcc-verifier-core-fixtures/safeModeBreaker.json"), Options{VerificationMethod: vm}, priv, nil},
	}
	for _, c := range cases {
		t.Run("it refuses "+c.name, func(t *testing.T) {
			out, err := Sign(c.ctx, c.doc, c.opts, c.signer)
			if err == nil || out != nil {
				t.Fatalf("got a signed document (%v)", err)
			}
			if c.want != nil && !errors.Is(err, c.want) {
				t.Errorf("got %v, want %v", err, c.want)
			}
		})
	}
}
