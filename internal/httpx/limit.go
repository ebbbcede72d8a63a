package httpx

import (
	"fmt"
	"io"
	"net/http"
)

// limitTransport caps response bodies: a declared Content-Length over the
// cap fails at once, a body that grows past it fails when read, both with
// ErrTooLarge.
type limitTransport struct {
	next http.RoundTripper
	max  int64
}

// LimitBody wraps a RoundTripper so that response bodies longer than max
// bytes fail with an error wrapping ErrTooLarge.
func LimitBody(next http.RoundTripper, max int64) http.RoundTripper {
	return &limitTransport{next: next, max: max}
}

// RoundTrip sends the request and wraps the response body.
func (l *limitTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := l.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	if resp.ContentLength > l.max {
		resp.Body.Close()
		return nil, fmt.Errorf("%w: %s declares %d bytes, the limit is %d", ErrTooLarge, req.URL.Redacted(), resp.ContentLength, l.max)
	}
	resp.Body = &cappedBody{rc: resp.Body, left: l.max, url: req.URL.Redacted(), max: l.max}
	return resp, nil
}

// CloseIdleConnections closes idle connections of the transport below.
func (l *limitTransport) CloseIdleConnections() { closeIdle(l.next) }

// cappedBody fails with ErrTooLarge once more than max bytes are read.
type cappedBody struct {
	rc   io.ReadCloser
	left int64
	max  int64
	url  string
	err  error
}

// Read reads from the body, failing past the cap.
func (b *cappedBody) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.rc.Read(p)
	if int64(n) > b.left {
		n = int(b.left)
		b.left = 0
		b.err = fmt.Errorf("%w: %s sent more than %d bytes", ErrTooLarge, b.url, b.max)
		return n, b.err
	}
	b.left -= int64(n)
	return n, err
}

// Close closes the underlying body.
func (b *cappedBody) Close() error { return b.rc.Close() }
