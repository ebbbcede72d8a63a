package dataintegrity

import "errors"

var (
	// ErrBadSignature reports a well-formed proof whose signature does not verify.
	ErrBadSignature = errors.New("signature does not match: the credential was changed after signing, or was signed by another key")

	// ErrMalformedProof reports a proof with a missing or badly written member.
	ErrMalformedProof = errors.New("proof is malformed")

	// ErrUnsupportedSuite reports a proof type or cryptosuite this package does not handle.
	ErrUnsupportedSuite = errors.New("proof suite is not supported (supported: DataIntegrityProof with eddsa-rdfc-2022, Ed25519Signature2020, Ed25519Signature2018)")

	// ErrPreviousProof reports a proof chained (previousProof) to a proof that is not in the
	// document.
	ErrPreviousProof = errors.New("proof names a previous proof that the document does not contain")
)
