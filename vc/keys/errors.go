package keys

import "errors"

var (
	// ErrMalformedKey reports key bytes or text that cannot be decoded: a bad
	// multibase prefix, a wrong length, a point that is not on the curve.
	ErrMalformedKey = errors.New("malformed key")

	// ErrUnsupportedKey reports a key type, curve or multicodec that this
	// package does not handle.
	ErrUnsupportedKey = errors.New("unsupported key type")

	// ErrPrivateKeyMaterial reports private key members found where only a
	// public key is allowed (for example "d" in a public JWK).
	ErrPrivateKeyMaterial = errors.New("private key material where a public key was expected")

	// ErrKeyMismatch reports a key file whose public key does not belong to its
	// private key.
	ErrKeyMismatch = errors.New("public key does not match private key")

	// ErrMalformedKeyFile reports a key file that is not valid JSON or misses
	// required members.
	ErrMalformedKeyFile = errors.New("malformed key file")

	// ErrKeyNotFound reports a key ID unknown to a KeyStore.
	ErrKeyNotFound = errors.New("key not found")
)
