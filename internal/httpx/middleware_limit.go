package httpx

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// DefaultMaxRequestBodyBytes is the request body cap MaxBody applies when given
// zero: 1 MiB, ample for every JSON request of the admin API and the
// VC-API. Routes taking files or CSV raise it with SetBodyLimit.
const DefaultMaxRequestBodyBytes int64 = 1 << 20

// ErrBodyStarted reports a SetBodyLimit call after the body was read from.
var ErrBodyStarted = errors.New("request body limit changed after reading started")

// ErrNoBodyLimit reports a SetBodyLimit call on a request that did not go
// through MaxBody.
var ErrNoBodyLimit = errors.New("request did not pass through the MaxBody middleware")

// bodyLimitKey is the context key of a request's *bodyLimit.
type bodyLimitKey struct{}

// bodyLimit remembers what SetBodyLimit needs to re-wrap a body.
type bodyLimit struct {
	w    http.ResponseWriter
	orig *startedBody
}

// startedBody notes whether anything was read from the body.
type startedBody struct {
	io.ReadCloser
	started bool
}

// Read marks the body as started and reads from it.
func (b *startedBody) Read(p []byte) (int, error) {
	b.started = true
	return b.ReadCloser.Read(p)
}

// MaxBody caps every request body at max bytes (DefaultMaxRequestBodyBytes when
// max <= 0) with http.MaxBytesReader: reading past the cap fails with an
// *http.MaxBytesError, which handlers answer with 413. Put it first in the
// chain so that it wraps the server's own ResponseWriter (which then also
// closes the connection instead of draining an oversized body).
func MaxBody(max int64) Middleware {
	if max <= 0 {
		max = DefaultMaxRequestBodyBytes
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Body == nil || r.Body == http.NoBody {
				next.ServeHTTP(w, r)
				return
			}
			orig := &startedBody{ReadCloser: r.Body}
			inner := r.WithContext(context.WithValue(r.Context(), bodyLimitKey{}, &bodyLimit{w: w, orig: orig}))
			inner.Body = http.MaxBytesReader(w, orig, max)
			next.ServeHTTP(w, inner)
			r.Pattern = inner.Pattern
		})
	}
}

// SetBodyLimit replaces the MaxBody cap of r's body with max bytes, for a
// route that takes larger bodies (evidence files, CSV uploads) or must take
// smaller ones. It must be called before anything is read from the body:
// afterwards it fails with ErrBodyStarted. It fails with ErrNoBodyLimit when
// MaxBody did not run, and does nothing for a request without a body.
func SetBodyLimit(r *http.Request, max int64) error {
	if r.Body == nil || r.Body == http.NoBody {
		return nil
	}
	bl, ok := r.Context().Value(bodyLimitKey{}).(*bodyLimit)
	if !ok {
		return fmt.Errorf("set request body limit: %w", ErrNoBodyLimit)
	}
	if bl.orig.started {
		return fmt.Errorf("set request body limit to %d bytes: %w", max, ErrBodyStarted)
	}
	r.Body = http.MaxBytesReader(bl.w, bl.orig, max)
	return nil
}
