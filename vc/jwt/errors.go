package jwt

import "errors"

// ErrMalformed is returned by [Parse] when the token is not a well-formed
// compact JWS: wrong number of segments, bad base64url, a header or payload
// that is not a JSON object, a registered claim of the wrong type, or a typ
// that contradicts the payload.
var ErrMalformed = errors.New("token is not a well-formed compact JWS")

// ErrTooLarge is returned by [Parse] when the token is longer than
// [MaxTokenSize].
var ErrTooLarge = errors.New("token is too large")

// ErrUnsupported is returned by [Parse] for JOSE features this package does
// not implement: encrypted tokens (JWE), nested JWTs, unencoded or detached
// payloads, and critical header extensions.
var ErrUnsupported = errors.New("token uses a JOSE feature that is not supported")

// ErrUnsupportedAlgorithm is returned when the alg header names an algorithm
// other than EdDSA, ES256 or RS256 ("none" and HMAC algorithms included), and
// by [Sign] for an algorithm it cannot produce.
var ErrUnsupportedAlgorithm = errors.New("signature algorithm is not supported")

// ErrUnsupportedKey is returned when a key is of a type or size that cannot
// be used: not Ed25519, ECDSA P-256 or RSA, or RSA shorter than 2048 bits.
var ErrUnsupportedKey = errors.New("key is not supported")

// ErrKeyMismatch is returned by [Token.Verify] and [Sign] when the alg does
// not belong to the key's type (for example ES256 with an Ed25519 key).
var ErrKeyMismatch = errors.New("signature algorithm does not match the key")

// ErrInvalidSignature is returned by [Token.Verify] when the signature does
// not verify with the given key.
var ErrInvalidSignature = errors.New("signature does not verify")

// ErrClaimMismatch is returned by [Token.CheckClaims] when a registered JWT
// claim disagrees with the credential or presentation it secures.
var ErrClaimMismatch = errors.New("JWT claims disagree with the credential")

// ErrNoKeyID is returned by [Token.VerificationMethod] when the header has
// no kid, or a kid that cannot be made absolute.
var ErrNoKeyID = errors.New("token names no usable key id")
