package httpx

import (
	"errors"
	"fmt"
)

var (
	// ErrRefused reports a request or connection the guard refused: a
	// scheme other than https, or an address that must not be reached.
	// The concrete error is a *RefusedError.
	ErrRefused = errors.New("refused by the outbound guard")

	// ErrTooLarge reports a response body over the size limit.
	ErrTooLarge = errors.New("response body too large")

	// ErrTooManyRedirects reports a redirect chain longer than allowed.
	ErrTooManyRedirects = errors.New("too many redirects")

	// ErrNotMapped reports a URL that a FileTransport has no file for (and
	// no fallback to ask).
	ErrNotMapped = errors.New("no local file for URL")
)

// RefusedError says what the guard refused and why.
type RefusedError struct {
	// Target is the address ("169.254.169.254") or URL that was refused.
	Target string
	// Reason says why ("link-local address").
	Reason string
}

// Error returns "refused to connect to <target>: <reason>".
func (e *RefusedError) Error() string {
	return fmt.Sprintf("refused to connect to %s: %s", e.Target, e.Reason)
}

// Is makes errors.Is(err, ErrRefused) true.
func (e *RefusedError) Is(target error) bool { return target == ErrRefused }
