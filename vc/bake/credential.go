package bake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// Size limits, in bytes.
const (
	// MaxImageSize is the largest image accepted for baking or unbaking.
	MaxImageSize = 20 << 20
	// MaxCredentialSize is the largest credential accepted for baking or
	// returned by unbaking.
	MaxCredentialSize = 5 << 20
)

// form is how a credential is serialized.
type form int

const (
	formJSON form = iota + 1 // a JSON object (embedded proof)
	formJWS                  // a compact JWS (VC-JWT)
)

// checkCredential validates a credential handed to a Bake function and
// returns it without surrounding white space, with its form.
func checkCredential(credential []byte) ([]byte, form, error) {
	c := bytes.TrimSpace(credential)
	switch {
	case len(c) == 0:
		return nil, 0, fmt.Errorf("%w: credential is empty", ErrMalformed)
	case len(c) > MaxCredentialSize:
		return nil, 0, fmt.Errorf("%w: credential is %d bytes, at most %d can be baked", ErrTooLarge, len(c), MaxCredentialSize)
	case !utf8.Valid(c):
		return nil, 0, fmt.Errorf("%w: credential is not valid UTF-8", ErrMalformed)
	case c[0] == '{':
		if !json.Valid(c) {
			return nil, 0, fmt.Errorf("%w: credential starts like a JSON object but is not valid JSON", ErrMalformed)
		}
		return c, formJSON, nil
	case isCompactJWS(c):
		return c, formJWS, nil
	default:
		return nil, 0, fmt.Errorf("%w: credential is neither a JSON object nor a compact JWS (header.payload.signature)", ErrMalformed)
	}
}

// isCompactJWS reports whether b has the shape of a compact JWS: three
// non-empty base64url segments separated by dots.
func isCompactJWS(b []byte) bool {
	segments, length := 1, 0
	for _, c := range b {
		switch {
		case c == '.':
			if length == 0 {
				return false
			}
			segments, length = segments+1, 0
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-', c == '_':
			length++
		default:
			return false
		}
	}
	return segments == 3 && length > 0
}
