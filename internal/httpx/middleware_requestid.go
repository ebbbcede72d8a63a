package httpx

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"net/http"
)

// RequestIDHeader carries the request id, on the request (from a proxy)
// and on every response.
const RequestIDHeader = "X-Request-Id"

// maxRequestIDLen bounds an incoming request id.
const maxRequestIDLen = 64

// requestIDKey is the context key of the request id.
type requestIDKey struct{}

// idEncoding writes request ids in lowercase base32 without padding.
var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// RequestID gives every request an id: the incoming X-Request-Id when it is
// a well-formed token (1 to 64 of A-Z a-z 0-9 - _ . :, as set by a proxy),
// otherwise 80 random bits in lowercase base32 (16 characters). The id is
// echoed in the X-Request-Id response header and stored in the request
// context (RequestIDFrom).
func RequestID() Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id := r.Header.Get(RequestIDHeader)
			if !ValidRequestID(id) {
				id = NewRequestID()
			}
			w.Header().Set(RequestIDHeader, id)
			inner := r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id))
			next.ServeHTTP(w, inner)
			// ServeMux records the matched pattern on the request it was
			// given; hand it back to the middleware outside this one.
			r.Pattern = inner.Pattern
		})
	}
}

// RequestIDFrom returns the request id stored by RequestID, or "".
func RequestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// NewRequestID returns a fresh random request id.
func NewRequestID() string {
	var b [10]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails.
	return idEncoding.EncodeToString(b[:])
}

// ValidRequestID reports whether id is safe to adopt from a request and to
// write to logs: 1 to 64 characters of A-Z a-z 0-9 - _ . :.
func ValidRequestID(id string) bool {
	if id == "" || len(id) > maxRequestIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '-', c == '_', c == '.', c == ':':
		default:
			return false
		}
	}
	return true
}
