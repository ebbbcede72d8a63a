package dataintegrity

import (
	"errors"
	"strings"
	"testing"
)

func TestSuiteOf(t *testing.T) {
	cases := []struct {
		name  string
		proof map[string]any
		suite string
		err   error
		names string // the error names this
	}{
		{"a DataIntegrityProof with eddsa-rdfc-2022 is eddsa-rdfc-2022", map[string]any{"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022"}, SuiteEdDSARDFC2022, nil, ""},
		{"an Ed25519Signature2020 proof is Ed25519Signature2020", map[string]any{"type": "Ed25519Signature2020"}, SuiteEd25519Signature2020, nil, ""},
		{"an Ed25519Signature2018 proof is Ed25519Signature2018", map[string]any{"type": "Ed25519Signature2018"}, SuiteEd25519Signature2018, nil, ""},
		{"eddsa-jcs-2022 is not supported", map[string]any{"type": "DataIntegrityProof", "cryptosuite": "eddsa-jcs-2022"}, "", ErrUnsupportedSuite, "eddsa-jcs-2022"},
		{"the pre-standard eddsa-2022 is not supported", map[string]any{"type": "DataIntegrityProof", "cryptosuite": "eddsa-2022"}, "", ErrUnsupportedSuite, "eddsa-2022"},
		{"ecdsa-sd-2023 is not supported", map[string]any{"type": "DataIntegrityProof", "cryptosuite": "ecdsa-sd-2023"}, "", ErrUnsupportedSuite, "ecdsa-sd-2023"},
		{"an unknown proof type is not supported", map[string]any{"type": "JsonWebSignature2020"}, "", ErrUnsupportedSuite, "JsonWebSignature2020"},
		{"a proof without type is malformed", map[string]any{"cryptosuite": "eddsa-rdfc-2022"}, "", ErrMalformedProof, "type"},
		{"a type that is an array is malformed", map[string]any{"type": []any{"DataIntegrityProof"}}, "", ErrMalformedProof, "type"},
		{"a DataIntegrityProof without cryptosuite is malformed", map[string]any{"type": "DataIntegrityProof"}, "", ErrMalformedProof, "cryptosuite"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			suite, err := SuiteOf(c.proof)
			if suite != c.suite || !errors.Is(err, c.err) || (c.err == nil) != (err == nil) {
				t.Fatalf("got %q, %v; want %q, %v", suite, err, c.suite, c.err)
			}
			if err != nil && !strings.Contains(err.Error(), c.names) {
				t.Errorf("error does not name %q: %v", c.names, err)
			}
		})
	}
}

func TestSplit(t *testing.T) {
	proofA := map[string]any{"type": "DataIntegrityProof"}
	proofB := map[string]any{"type": "Ed25519Signature2020"}
	base := func(proof any) map[string]any {
		return map[string]any{"@context": "https://www.w3.org/ns/credentials/v2", "name": "x", "proof": proof}
	}
	t.Run("a single proof object is one proof", func(t *testing.T) {
		doc := base(proofA)
		unsecured, proofs, err := Split(doc)
		if err != nil || len(proofs) != 1 || proofs[0]["type"] != "DataIntegrityProof" {
			t.Fatalf("got %v, %v", proofs, err)
		}
		if _, has := unsecured["proof"]; has || unsecured["name"] != "x" {
			t.Errorf("unsecured document is wrong: %v", unsecured)
		}
		if _, has := doc["proof"]; !has {
			t.Error("Split removed the proof from the document it was given")
		}
	})
	t.Run("an array of proofs is a proof set, in order", func(t *testing.T) {
		_, proofs, err := Split(base([]any{proofA, proofB}))
		if err != nil || len(proofs) != 2 || proofs[1]["type"] != "Ed25519Signature2020" {
			t.Fatalf("got %v, %v", proofs, err)
		}
	})
	for name, doc := range map[string]map[string]any{
		"a document without proof":     {"name": "x"},
		"a document with a null proof": base(nil),
		"a document with no proofs":    base([]any{}),
	} {
		t.Run(name+" has no proofs and no error", func(t *testing.T) {
			unsecured, proofs, err := Split(doc)
			if err != nil || len(proofs) != 0 || unsecured["name"] != "x" {
				t.Errorf("got %v, %v, %v", unsecured, proofs, err)
			}
		})
	}
	for name, doc := range map[string]map[string]any{
		"a proof that is a string":           base("z3abc"),
		"a proof set holding a number":       base([]any{proofA, 5.0}),
		"a proof set holding a nested array": base([]any{[]any{proofA}}),
	} {
		t.Run(name+" is malformed", func(t *testing.T) {
			if _, _, err := Split(doc); !errors.Is(err, ErrMalformedProof) {
				t.Errorf("got %v, want ErrMalformedProof", err)
			}
		})
	}
	t.Run("a nil document is an error", func(t *testing.T) {
		if _, _, err := Split(nil); err == nil {
			t.Error("no error")
		}
	})
}
