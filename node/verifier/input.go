package verifier

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"strings"

	"github.com/communs/communs/internal/httpx"
)

// inputError is a problem with what the evaluator submitted, told in her language: Key names a
// message of the catalog (formatted with Args); Status is the HTTP status the API answers.
type inputError struct {
	Key    string
	Args   []any
	Status int
}

func (e *inputError) Error() string { return msgs.T("en", e.Key, e.Args...) }

// Message is the error in lang.
func (e *inputError) Message(lang string) string { return msgs.T(lang, e.Key, e.Args...) }

func inErr(status int, key string, args ...any) *inputError {
	return &inputError{Key: key, Args: args, Status: status}
}

// errTooLarge says an input is over max bytes.
func errTooLarge(max int64) *inputError {
	return inErr(http.StatusRequestEntityTooLarge, "err.tooLarge", sizeText(max))
}

// sizeText writes a byte count the way people read it ("2 MiB", "512 KiB").
func sizeText(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}

// readLimited reads r whole, failing with errTooLarge past max bytes.
func readLimited(r io.Reader, max int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return nil, errTooLarge(max)
		}
		return nil, inErr(http.StatusBadRequest, "err.read")
	}
	if int64(len(data)) > max {
		return nil, errTooLarge(max)
	}
	return data, nil
}

// acceptCredential is the Accept header of a badge fetch: credential formats first, then images.
const acceptCredential = "application/vc+ld+json, application/vc+jwt, application/vp+ld+json, application/ld+json, application/json;q=0.9, image/png;q=0.8, image/svg+xml;q=0.8, */*;q=0.1"

// fetch reads the badge at rawURL through the configured (guarded) client.
func (v *Verifier) fetch(ctx context.Context, rawURL string) ([]byte, error) {
	rawURL = strings.TrimSpace(rawURL)
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, inErr(http.StatusBadRequest, "err.url.invalid")
	}
	client := v.cfg.Options.HTTPClient
	if client == nil {
		return nil, inErr(http.StatusBadRequest, "err.fetch.none")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, inErr(http.StatusBadRequest, "err.url.invalid")
	}
	req.Header.Set("Accept", acceptCredential)
	resp, err := client.Do(req)
	if err != nil {
		return nil, fetchError(u, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, inErr(http.StatusUnprocessableEntity, "err.fetch.status", resp.StatusCode)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, v.cfg.MaxInputBytes+1))
	if err != nil {
		return nil, fetchError(u, err)
	}
	if int64(len(data)) > v.cfg.MaxInputBytes {
		return nil, errTooLarge(v.cfg.MaxInputBytes)
	}
	return data, nil
}

// fetchError tells the evaluator why a fetch failed without echoing network internals.
func fetchError(u *url.URL, err error) *inputError {
	var refused *httpx.RefusedError
	switch {
	case errors.As(err, &refused):
		if strings.Contains(refused.Reason, "plain http") && !internalHost(u.Hostname()) {
			return inErr(http.StatusBadRequest, "err.fetch.https")
		}
		return inErr(http.StatusBadRequest, "err.fetch.refused")
	case errors.Is(err, httpx.ErrTooLarge):
		return inErr(http.StatusRequestEntityTooLarge, "err.fetch.tooLarge")
	case errors.Is(err, httpx.ErrTooManyRedirects):
		return inErr(http.StatusUnprocessableEntity, "err.fetch.redirects")
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		return inErr(http.StatusGatewayTimeout, "err.fetch.timeout")
	}
	return inErr(http.StatusUnprocessableEntity, "err.fetch.failed")
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

// internalHost reports a host that names this machine or a private network by itself
// (localhost, a loopback, private or link-local IP literal).
func internalHost(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip, err := netip.ParseAddr(strings.Trim(host, "[]"))
	if err != nil {
		return false
	}
	ip = ip.Unmap()
	return ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsUnspecified() || ip.IsLinkLocalMulticast()
}
