package dataintegrity

import (
	"errors"
	"fmt"
	"time"
)

// Options describe the proof that Sign adds.
type Options struct {
	// Type is TypeDataIntegrityProof (the default), TypeEd25519Signature2020 or
	// TypeEd25519Signature2018.
	Type string
	// Cryptosuite is SuiteEdDSARDFC2022 (the default, and the only one) for a
	// DataIntegrityProof; empty for the legacy suites.
	Cryptosuite string
	// VerificationMethod is the URL (a DID URL) of the signing key. Required.
	VerificationMethod string
	// ProofPurpose defaults to "assertionMethod" (use "authentication" for presentations).
	ProofPurpose string
	// Created is written as created (UTC, whole seconds); the zero time leaves it out.
	Created time.Time
	// Challenge and Domain bind a presentation proof to a verifier's request.
	Challenge, Domain string
	// ID identifies the proof (a URL such as urn:uuid:…), so that later proofs can chain to it.
	ID string
	// PreviousProof lists the ids of proofs of the document that this proof chains to
	// (previousProof); they are signed along with the document.
	PreviousProof []string
}

// withDefaults fills in defaults and checks the options.
func (o Options) withDefaults() (Options, error) {
	if o.Type == "" {
		o.Type = TypeDataIntegrityProof
	}
	switch o.Type {
	case TypeDataIntegrityProof:
		if o.Cryptosuite == "" {
			o.Cryptosuite = SuiteEdDSARDFC2022
		}
		if o.Cryptosuite != SuiteEdDSARDFC2022 {
			return o, fmt.Errorf("%w: cryptosuite %q", ErrUnsupportedSuite, o.Cryptosuite)
		}
	case TypeEd25519Signature2020, TypeEd25519Signature2018:
		if o.Cryptosuite != "" {
			return o, fmt.Errorf("%w: %s takes no cryptosuite, got %q", ErrUnsupportedSuite, o.Type, o.Cryptosuite)
		}
	default:
		return o, fmt.Errorf("%w: proof type %q", ErrUnsupportedSuite, o.Type)
	}
	if o.VerificationMethod == "" {
		return o, errors.New("no verification method: name the key that signs (a DID URL such as did:web:example.org#key-1)")
	}
	if o.ProofPurpose == "" {
		o.ProofPurpose = "assertionMethod"
	}
	return o, nil
}

// proofOptions returns the proof members, before signing.
func (o Options) proofOptions() map[string]any {
	p := map[string]any{"type": o.Type}
	if o.Type == TypeDataIntegrityProof {
		p["cryptosuite"] = o.Cryptosuite
	}
	if !o.Created.IsZero() {
		p["created"] = formatDateTime(o.Created)
	}
	p["verificationMethod"] = o.VerificationMethod
	p["proofPurpose"] = o.ProofPurpose
	if o.Challenge != "" {
		p["challenge"] = o.Challenge
	}
	if o.Domain != "" {
		p["domain"] = o.Domain
	}
	if o.ID != "" {
		p["id"] = o.ID
	}
	switch len(o.PreviousProof) {
	case 0:
	case 1:
		p["previousProof"] = o.PreviousProof[0]
	default:
		ids := make([]any, len(o.PreviousProof))
		for i, id := range o.PreviousProof {
			ids[i] = id
		}
		p["previousProof"] = ids
	}
	return p
}
