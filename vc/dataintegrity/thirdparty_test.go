package dataintegrity

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/communs/communs/vc/jsonld"
)

// TestThirdPartyVectorsMatchProofOnlyResults verifies the proofs of every vector of
// expected.json, resolving keys offline as the reference verifiers did, and compares with
// their "proof-only" outcome (jsonld-signatures: the cryptographic proof and key resolution,
// no VC rules). A document passes when it has at least one proof of a supported suite and all
// of those verify; proofs of unknown suites are skipped, as jsonld-signatures does.
func TestThirdPartyVectorsMatchProofOnlyResults(t *testing.T) {
	var expected struct {
		Vectors []struct {
			File   string `json:"file"`
			Expect struct {
				ProofOnly bool `json:"proof-only"`
			} `json:"expect"`
			Why string `json:"why"`
		} `json:"vectors"`
	}
	if err := json.Unmarshal(readBytes(t, "expected.json"), &expected); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, v := range expected.Vectors {
		want := "fails"
		if v.Expect.ProofOnly {
			want = "verifies"
		}
		t.Run(v.File+" "+want, func(t *testing.T) {
			unsecured, proofs, err := Split(readJSON(t, v.File))
			var failure error
			verified := 0
			switch {
			case err != nil:
				failure = err
			case len(proofs) == 0:
				failure = errors.New("no proof")
			}
			for i := 0; failure == nil && i < len(proofs); i++ {
				p := proofs[i]
				if _, err := SuiteOf(p); errors.Is(err, ErrUnsupportedSuite) {
					continue
				}
				vm, _ := p["verificationMethod"].(string)
				pub, ok := resolveKey(t, vm)
				if !ok {
					failure = errors.New("key of " + vm + " not resolvable offline")
					break
				}
				if err := VerifyInSet(ctx, unsecured, proofs, i, pub); err != nil {
					failure = err
					break
				}
				verified++
			}
			if failure == nil && verified == 0 {
				failure = errors.New("no proof of a supported suite")
			}
			if got := failure == nil; got != v.Expect.ProofOnly {
				t.Errorf("verified = %v (%v), reference verifiers: %v (%s)", got, failure, v.Expect.ProofOnly, v.Why)
			}
		})
	}
}

// TestTamperedCredentials checks that each tamper case about the signature fails for the
// right reason, and that the controls pass (tampers/cases.json).
func TestTamperedCredentials(t *testing.T) {
	cases := map[string]error{
		"eddsa-00-untouched.json":                   nil,
		"eddsa-01-name-changed.json":                ErrBadSignature,
		"eddsa-02-achievement-name-changed.json":    ErrBadSignature,
		"eddsa-03-issuer-id-changed.json":           ErrBadSignature,
		"eddsa-05-validFrom-changed.json":           ErrBadSignature,
		"eddsa-06-validUntil-added.json":            ErrBadSignature,
		"eddsa-08-proofValue-swapped.json":          ErrBadSignature,
		"eddsa-10-vm-wrong-key.json":                ErrBadSignature,
		"eddsa-12-unknown-context.json":             jsonld.ErrUnknownContext,
		"eddsa-14-proof-created-changed.json":       ErrBadSignature,
		"eddsa-16-proofPurpose-authentication.json": ErrBadSignature,
		"eddsa-18-json-reformatted.json":            nil,
		"ed2020-00-untouched.json":                  nil,
		"ed2020-01-name-changed.json":               ErrBadSignature,
		// Valid signatures; what is wrong there is not the proof's business.
		"signed-20-issuer-not-signer.json": nil,
		"signed-21-expired.json":           nil,
		"signed-23-other-seed-ok.json":     nil,
	}
	var listed []struct {
		File string `json:"file"`
	}
	if err := json.Unmarshal(readBytes(t, "tampers/cases.json"), &listed); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, c := range listed {
		want, ok := cases[c.File]
		if c.File == "eddsa-13-missing-proof.json" {
			t.Run(c.File+" has no proof", func(t *testing.T) {
				if _, proofs, err := Split(readJSON(t, "tampers/"+c.File)); err != nil || len(proofs) != 0 {
					t.Errorf("got %d proofs, %v", len(proofs), err)
				}
			})
			continue
		}
		if !ok {
			t.Errorf("tamper case %s is not covered", c.File)
			continue
		}
		name := c.File + " verifies"
		if want != nil {
			name = c.File + " fails with " + strings.SplitN(want.Error(), ":", 2)[0]
		}
		t.Run(name, func(t *testing.T) {
			unsecured, proofs, err := Split(readJSON(t, "tampers/"+c.File))
			if err != nil || len(proofs) != 1 {
				t.Fatalf("%d proofs, %v", len(proofs), err)
			}
			pub, ok := resolveKey(t, proofs[0]["verificationMethod"].(string))
			if !ok {
				t.Fatal("key not resolvable")
			}
			err = Verify(ctx, unsecured, proofs[0], pub)
			if want == nil && err != nil || want != nil && !errors.Is(err, want) {
				t.Errorf("got %v, want %v", err, want)
			}
		})
	}
}
