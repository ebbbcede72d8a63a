package dataintegrity

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"slices"
)

// Sign returns a copy of doc with a new proof made by signer, added to the proofs the document
// already has (a single proof is written as an object, several as an array).
//
// signer signs the 64-byte hash data with Ed25519 (an ed25519.PrivateKey, or a key store's
// handle; Sign calls signer.Sign(rand, hashData, crypto.Hash(0))), and its Public() must be the
// ed25519.PublicKey of opts.VerificationMethod: the new signature is checked against it.
//
// When the document has no proof yet and its @context lacks the terms of the suite, Sign adds
// the suite's context, as Digital Bazaar's libraries do: the Data Integrity context for a
// DataIntegrityProof outside VC 2.0, the Ed25519Signature2020 context for that suite.
//
// Errors: ErrUnsupportedSuite for an unknown type or cryptosuite, ErrMalformedProof for an
// existing proof that cannot be read, ErrPreviousProof for a PreviousProof id not found, and
// the jsonld package's errors when the document cannot be canonicalized.
func Sign(ctx context.Context, doc map[string]any, opts Options, signer crypto.Signer) (map[string]any, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	if signer == nil {
		return nil, errors.New("sign: no signer")
	}
	pub, ok := signer.Public().(ed25519.PublicKey)
	if !ok || len(pub) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("sign: %s needs an Ed25519 key, the signer holds a %T", opts.Type, signer.Public())
	}
	out := copyObject(doc)
	unsecured, existing, err := Split(out)
	if err != nil {
		return nil, fmt.Errorf("sign: existing proofs: %w", err)
	}
	if len(existing) == 0 {
		if ctx, changed := withSuiteContext(unsecured["@context"], opts.Type); changed {
			unsecured["@context"] = ctx
			out["@context"] = ctx
		}
	}
	proof := opts.proofOptions()
	input := unsecured
	if len(opts.PreviousProof) > 0 {
		if input, err = chainedDocument(unsecured, existing, opts.PreviousProof); err != nil {
			return nil, fmt.Errorf("sign: %w", err)
		}
	}
	data, err := hashData(input, proof)
	if err != nil {
		return nil, fmt.Errorf("sign %s proof: %w", opts.Type, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	msg, header := data, ""
	if opts.Type == TypeEd25519Signature2018 {
		header = jwsHeader
		msg = jwsSigningInput(header, data)
	}
	sig, err := signer.Sign(rand.Reader, msg, crypto.Hash(0))
	if err != nil {
		return nil, fmt.Errorf("sign %s proof: signer: %w", opts.Type, err)
	}
	if len(sig) != ed25519.SignatureSize || !ed25519.Verify(pub, msg, sig) {
		return nil, fmt.Errorf("sign %s proof: the signer returned a signature that its own public key does not verify", opts.Type)
	}
	if opts.Type == TypeEd25519Signature2018 {
		proof["jws"] = encodeJWS(header, sig)
	} else {
		if proof["proofValue"], err = encodeProofValue(sig); err != nil {
			return nil, fmt.Errorf("sign %s proof: %w", opts.Type, err)
		}
	}
	if len(existing) == 0 {
		out["proof"] = proof
	} else {
		all := make([]any, 0, len(existing)+1)
		for _, p := range existing {
			all = append(all, p)
		}
		out["proof"] = append(all, proof)
	}
	return out, nil
}

// withSuiteContext returns the @context with the context defining the suite's terms added
// when none of the contexts that define them is present.
func withSuiteContext(ctx any, proofType string) (any, bool) {
	var need string
	var enough []string
	switch proofType {
	case TypeDataIntegrityProof:
		need, enough = contextDataIntegrityV2, []string{contextCredentialsV2, contextDataIntegrityV2}
	case TypeEd25519Signature2020:
		need, enough = contextEd25519Sig2020, []string{contextEd25519Sig2020}
	default:
		return ctx, false
	}
	var list []any
	switch c := ctx.(type) {
	case nil:
		return ctx, false // not JSON-LD: canonicalization will say so
	case []any:
		list = c
	default:
		list = []any{c}
	}
	for _, e := range list {
		if s, ok := e.(string); ok && slices.Contains(enough, s) {
			return ctx, false
		}
	}
	return append(slices.Clone(list), need), true
}
