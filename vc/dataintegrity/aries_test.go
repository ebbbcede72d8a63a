package dataintegrity_test

// Cross-check of the legacy Linked Data suites with the Go reference implementation,
// hyperledger/aries-framework-go v0.3.2 (its signature packages; the JSON-LD processor and
// contexts come from its component/models module, which v0.3.2 pins). Test-only: aries never links
// into the binary.

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"os"
	"testing"
	"time"

	ldcontext "github.com/hyperledger/aries-framework-go/component/models/ld/context/embed"
	"github.com/hyperledger/aries-framework-go/component/models/ld/processor"
	"github.com/hyperledger/aries-framework-go/component/models/signature/api"
	"github.com/hyperledger/aries-framework-go/pkg/doc/signature/proof"
	ariessigner "github.com/hyperledger/aries-framework-go/pkg/doc/signature/signer"
	"github.com/hyperledger/aries-framework-go/pkg/doc/signature/suite"
	"github.com/hyperledger/aries-framework-go/pkg/doc/signature/suite/ed25519signature2018"
	"github.com/hyperledger/aries-framework-go/pkg/doc/signature/suite/ed25519signature2020"
	ariesverifier "github.com/hyperledger/aries-framework-go/pkg/doc/signature/verifier"

	"github.com/piprate/json-gold/ld"

	"github.com/communs/communs/vc/dataintegrity"
	"github.com/communs/communs/vc/jsonld"
)

// ariesKey signs for aries with an Ed25519 private key.
type ariesKey struct{ priv ed25519.PrivateKey }

func (k ariesKey) Sign(data []byte) ([]byte, error) { return ed25519.Sign(k.priv, data), nil }
func (k ariesKey) Alg() string                      { return "EdDSA" }

// ariesResolver hands aries the one public key of the test.
type ariesResolver struct {
	pub     ed25519.PublicKey
	keyType string
}

func (r ariesResolver) Resolve(string) (*api.PublicKey, error) {
	return &api.PublicKey{Type: r.keyType, Value: r.pub}, nil
}

// ariesLoader serves our embedded contexts, then the contexts aries embeds itself: aries
// canonicalizes Ed25519Signature2018 proof options and documents with the security v2 and
// JWS contexts, which credentials never name and we do not embed.
type ariesLoader struct{}

func (ariesLoader) LoadDocument(url string) (*ld.RemoteDocument, error) {
	doc, err := jsonld.DocumentLoader().LoadDocument(url)
	if err == nil || !errors.Is(err, jsonld.ErrUnknownContext) {
		return doc, err
	}
	for _, c := range ldcontext.Contexts {
		if c.URL == url {
			var content any
			if err := json.Unmarshal(c.Content, &content); err != nil {
				return nil, err
			}
			return &ld.RemoteDocument{DocumentURL: url, Document: content}, nil
		}
	}
	return nil, err
}

// legacyCredential is a VC 1.1 OB 3.0 credential (DCC fixture) without its proof.
func legacyCredential(t *testing.T) map[string]any {
	t.Helper()
	b, err := os.ReadFile("../../testdata/vectors/dcc-verifier-core-fixtures/v1NoStatus.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	delete(doc, "proof")
	return doc
}

func TestAriesCrossCheck(t *testing.T) {
	ctx := context.Background()
	_, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	pub := priv.Public().(ed25519.PublicKey)
	const vm = "did:example:issuer#key-1"
	created := time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)
	loader := processor.WithDocumentLoader(ariesLoader{})

	suites := []struct {
		name, keyType string
		repr          proof.SignatureRepresentation
		signSuite     ariessigner.SignatureSuite
		verifySuite   ariesverifier.SignatureSuite
	}{
		{
			dataintegrity.TypeEd25519Signature2020, "Ed25519VerificationKey2020", proof.SignatureProofValue,
			ed25519signature2020.New(suite.WithSigner(ariesKey{priv})),
			ed25519signature2020.New(suite.WithVerifier(ed25519signature2020.NewPublicKeyVerifier())),
		},
		{
			dataintegrity.TypeEd25519Signature2018, "Ed25519VerificationKey2018", proof.SignatureJWS,
			ed25519signature2018.New(suite.WithSigner(ariesKey{priv})),
			ed25519signature2018.New(suite.WithVerifier(ed25519signature2018.NewPublicKeyVerifier())),
		},
	}
	for _, s := range suites {
		verifier, err := ariesverifier.New(ariesResolver{pub, s.keyType}, s.verifySuite)
		if err != nil {
			t.Fatal(err)
		}

		t.Run("a VC 1.1 credential signed by aries with "+s.name+" verifies with ours", func(t *testing.T) {
			raw, err := json.Marshal(legacyCredential(t))
			if err != nil {
				t.Fatal(err)
			}
			signedRaw, err := ariessigner.New(s.signSuite).Sign(&ariessigner.Context{
				SignatureType: s.name, SignatureRepresentation: s.repr, Created: &created,
				VerificationMethod: vm, Purpose: "assertionMethod",
			}, raw, loader)
			if err != nil {
				t.Fatalf("aries could not sign: %v", err)
			}
			var signed map[string]any
			if err := json.Unmarshal(signedRaw, &signed); err != nil {
				t.Fatal(err)
			}
			unsecured, proofs, err := dataintegrity.Split(signed)
			if err != nil || len(proofs) != 1 {
				t.Fatalf("%d proofs, %v", len(proofs), err)
			}
			if suite, _ := dataintegrity.SuiteOf(proofs[0]); suite != s.name {
				t.Fatalf("aries wrote a %q proof", suite)
			}
			if err := dataintegrity.Verify(ctx, unsecured, proofs[0], pub); err != nil {
				t.Fatalf("ours rejects the aries proof: %v", err)
			}
			unsecured["issuanceDate"] = "2031-01-01T00:00:00Z"
			if err := dataintegrity.Verify(ctx, unsecured, proofs[0], pub); !errors.Is(err, dataintegrity.ErrBadSignature) {
				t.Errorf("ours accepts a changed aries-signed credential: %v", err)
			}
		})

		t.Run("a VC 1.1 credential signed by ours with "+s.name+" verifies with aries", func(t *testing.T) {
			signed, err := dataintegrity.Sign(ctx, legacyCredential(t), dataintegrity.Options{
				Type: s.name, VerificationMethod: vm, Created: created,
			}, priv)
			if err != nil {
				t.Fatal(err)
			}
			raw, err := json.Marshal(signed)
			if err != nil {
				t.Fatal(err)
			}
			if err := verifier.Verify(raw, loader); err != nil {
				t.Fatalf("aries rejects our proof: %v", err)
			}
			signed["issuanceDate"] = "2031-01-01T00:00:00Z"
			raw, _ = json.Marshal(signed)
			if err := verifier.Verify(raw, loader); err == nil {
				t.Error("aries accepts a changed credential signed by ours")
			}
		})
	}
}
