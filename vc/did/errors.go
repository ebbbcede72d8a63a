package did

import "errors"

var (
	// ErrInvalidDID reports a DID or DID URL that breaks the DID syntax or
	// the rules of its method.
	ErrInvalidDID = errors.New("invalid DID")

	// ErrUnsupportedMethod reports a DID method this resolver does not
	// handle (or has been configured not to handle).
	ErrUnsupportedMethod = errors.New("unsupported DID method")

	// ErrNotFound reports a DID document or verification method that does
	// not exist.
	ErrNotFound = errors.New("not found")

	// ErrIDMismatch reports a DID document whose id is not the DID that was
	// resolved.
	ErrIDMismatch = errors.New("DID document id does not match the DID")

	// ErrInvalidDocument reports a DID document that is not well formed.
	ErrInvalidDocument = errors.New("invalid DID document")

	// ErrUnsupportedKeyType reports a verification method whose type or key
	// material this package cannot turn into a public key.
	ErrUnsupportedKeyType = errors.New("unsupported verification method type")
)
