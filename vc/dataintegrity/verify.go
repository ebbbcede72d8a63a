package dataintegrity

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"reflect"
)

// Verify checks one proof over the unsecured document (the document without its proof
// member, see Split) with the given Ed25519 public key. It checks the proof's shape (type,
// verificationMethod, proofPurpose, the encoding of proofValue or jws, the syntax of created
// and expires) and the signature.
//
// It does not resolve the key, check that it belongs to the issuer, check the proof purpose
// against the use, or compare expires with the clock: the caller does. A proof chained to
// other proofs (previousProof) needs them: use VerifyInSet.
//
// Errors: ErrBadSignature, ErrMalformedProof, ErrUnsupportedSuite, ErrPreviousProof, and the
// jsonld package's errors (ErrUnknownContext, ErrUndefinedTerm, …) when the document or the
// proof cannot be canonicalized.
func Verify(ctx context.Context, unsecured map[string]any, proof map[string]any, pub ed25519.PublicKey) error {
	if err := checkUnsecured(unsecured); err != nil {
		return err
	}
	ids, err := previousProofIDs(proof)
	if err != nil {
		return fmt.Errorf("verify proof: %w", err)
	}
	if len(ids) > 0 {
		return fmt.Errorf("verify proof: %w: it chains to %q, which Verify is not given (use VerifyInSet)", ErrPreviousProof, ids)
	}
	return verify(ctx, unsecured, proof, pub)
}

// VerifyInSet checks proofs[i], one proof of a document's proof set, over the unsecured
// document. When it chains to other proofs (previousProof), these are looked up by id in
// proofs and signed along with the document, as Data Integrity specifies. Otherwise it is
// Verify.
func VerifyInSet(ctx context.Context, unsecured map[string]any, proofs []map[string]any, i int, pub ed25519.PublicKey) error {
	if err := checkUnsecured(unsecured); err != nil {
		return err
	}
	if i < 0 || i >= len(proofs) {
		return fmt.Errorf("verify proof: there is no proof %d (the set has %d)", i+1, len(proofs))
	}
	proof := proofs[i]
	ids, err := previousProofIDs(proof)
	if err != nil {
		return fmt.Errorf("verify proof: %w", err)
	}
	input := unsecured
	if len(ids) > 0 {
		others := make([]map[string]any, 0, len(proofs)-1)
		for j, p := range proofs {
			if j != i {
				others = append(others, p)
			}
		}
		if input, err = chainedDocument(unsecured, others, ids); err != nil {
			return fmt.Errorf("verify proof: %w", err)
		}
	}
	return verify(ctx, input, proof, pub)
}

// checkUnsecured refuses a document that still carries its proofs: they would be hashed as
// part of it.
func checkUnsecured(unsecured map[string]any) error {
	if unsecured == nil {
		return errors.New("verify proof: the document is empty")
	}
	if _, has := unsecured["proof"]; has {
		return errors.New("verify proof: the document still has its \"proof\" member; verify the unsecured document that Split returns")
	}
	return nil
}

// verify checks proof over input, the document it signs.
func verify(ctx context.Context, input, proof map[string]any, pub ed25519.PublicKey) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("verify proof: %w", err)
	}
	suite, err := SuiteOf(proof)
	if err != nil {
		return fmt.Errorf("verify proof: %w", err)
	}
	if len(pub) != ed25519.PublicKeySize {
		return fmt.Errorf("verify %s proof: the public key has %d bytes; an Ed25519 key has %d", suite, len(pub), ed25519.PublicKeySize)
	}
	if err := checkShape(suite, input, proof); err != nil {
		return fmt.Errorf("verify %s proof: %w", suite, err)
	}
	var sig []byte
	header := ""
	if suite == SuiteEd25519Signature2018 {
		header, sig, err = decodeJWS(proof)
	} else {
		sig, err = decodeProofValue(proof)
	}
	if err != nil {
		return fmt.Errorf("verify %s proof: %w", suite, err)
	}
	data, err := hashData(input, proof)
	if err != nil {
		return fmt.Errorf("verify %s proof: %w", suite, err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("verify proof: %w", err)
	}
	msg := data
	if suite == SuiteEd25519Signature2018 {
		msg = jwsSigningInput(header, data)
	}
	if !ed25519.Verify(pub, msg, sig) {
		return fmt.Errorf("verify %s proof: %w", suite, ErrBadSignature)
	}
	return nil
}

// checkShape checks the members every proof of the suite needs.
func checkShape(suite string, input, proof map[string]any) error {
	for _, member := range []string{"verificationMethod", "proofPurpose"} {
		raw, present := proof[member]
		if !present {
			return fmt.Errorf("%w: it has no %q", ErrMalformedProof, member)
		}
		if s, ok := raw.(string); !ok || s == "" {
			return fmt.Errorf("%w: %q must be a non-empty string", ErrMalformedProof, member)
		}
	}
	for _, member := range []string{"created", "expires"} {
		if err := checkDateTime(proof, member); err != nil {
			return err
		}
	}
	if suite == SuiteEd25519Signature2018 {
		if _, present := proof["proofValue"]; present {
			return fmt.Errorf("%w: an Ed25519Signature2018 proof carries its signature in \"jws\", not \"proofValue\"", ErrMalformedProof)
		}
	}
	if suite == SuiteEdDSARDFC2022 {
		if pc, present := proof["@context"]; present && !startsWith(input["@context"], pc) {
			return fmt.Errorf("%w: the proof's @context is not the beginning of the document's @context", ErrMalformedProof)
		}
	}
	return nil
}

// startsWith reports whether the document context begins with the proof context (both a
// single context or an array of them).
func startsWith(docCtx, proofCtx any) bool {
	list := func(v any) []any {
		if l, ok := v.([]any); ok {
			return l
		}
		return []any{v}
	}
	d, p := list(docCtx), list(proofCtx)
	if len(p) > len(d) {
		return false
	}
	for i := range p {
		if !reflect.DeepEqual(d[i], p[i]) {
			return false
		}
	}
	return true
}
