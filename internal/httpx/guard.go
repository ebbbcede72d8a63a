package httpx

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// Defaults of GuardOptions.
const (
	DefaultTimeout      = 5 * time.Second
	DefaultMaxBodyBytes = 1 << 20
	DefaultMaxRedirects = 5
	DefaultCacheTTL     = 5 * time.Minute
	DefaultCacheEntries = 128
	DefaultCacheBytes   = 8 << 20
)

// GuardOptions configures NewGuardedClient. The zero value is the
// production policy: https only, public addresses only, 5 s timeout, 1 MiB
// bodies, 5 redirects, a 5-minute cache of 128 entries.
type GuardOptions struct {
	// AllowLoopback admits loopback addresses (127.0.0.0/8, ::1) and plain
	// http to loopback hosts ("localhost" or a loopback IP literal). For
	// tests and local development only.
	AllowLoopback bool
	// AllowPrivate admits private (RFC 1918), shared (100.64.0.0/10) and
	// unique local (fc00::/7) addresses, for deployments whose peers sit
	// on a private network. Link-local, multicast and the other special
	// addresses stay refused.
	AllowPrivate bool
	// AllowPrefixes admits these address blocks whatever their kind (for
	// example one known peer at 10.1.2.3/32). It does not admit plain http.
	AllowPrefixes []netip.Prefix

	// Timeout bounds a whole exchange, body included. Default 5 s.
	Timeout time.Duration
	// MaxBodyBytes bounds response bodies; reading more fails with
	// ErrTooLarge. Default 1 MiB.
	MaxBodyBytes int64
	// MaxRedirects bounds redirect chains. Default 5; negative means no
	// redirect is followed.
	MaxRedirects int

	// CacheTTL is how long a successful GET is served from memory (shorter
	// when the response's Cache-Control max-age says so). Default 5
	// minutes; negative disables the cache.
	CacheTTL time.Duration
	// CacheEntries bounds the number of cached responses. Default 128.
	CacheEntries int
	// CacheBytes bounds the total size of cached bodies. Default 8 MiB.
	CacheBytes int64

	// RootCAs verifies server certificates; nil means the system roots.
	RootCAs *x509.CertPool
	// Now is the clock of the cache; nil means time.Now.
	Now func() time.Time
}

// withDefaults fills unset options.
func (o GuardOptions) withDefaults() GuardOptions {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if o.MaxRedirects == 0 {
		o.MaxRedirects = DefaultMaxRedirects
	}
	if o.CacheTTL == 0 {
		o.CacheTTL = DefaultCacheTTL
	}
	if o.CacheEntries <= 0 {
		o.CacheEntries = DefaultCacheEntries
	}
	if o.CacheBytes <= 0 {
		o.CacheBytes = DefaultCacheBytes
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// NewGuardedClient returns the HTTP client for every outbound fetch. Its
// layers, outermost first: a TTL cache of successful GETs, a body size cap
// (ErrTooLarge), a scheme check (https only; http only to loopback with
// AllowLoopback), and a transport whose dialer checks each address it is
// about to connect to (CheckAddr) before connecting. Redirects are
// re-checked and bounded. Proxies from the environment are not used.
func NewGuardedClient(opts GuardOptions) *http.Client {
	o := opts.withDefaults()
	dialer := &net.Dialer{
		Timeout:   o.Timeout,
		KeepAlive: 30 * time.Second,
		Control: func(network, address string, _ syscall.RawConn) error {
			return o.checkDialAddress(address)
		},
	}
	base := &http.Transport{
		Proxy: nil,
		DialContext: func(ctx context.Context, network, address string) (net.Conn, error) {
			return dialer.DialContext(ctx, network, address)
		},
		TLSClientConfig:        &tls.Config{RootCAs: o.RootCAs, MinVersion: tls.VersionTLS12},
		ForceAttemptHTTP2:      true,
		TLSHandshakeTimeout:    o.Timeout,
		ResponseHeaderTimeout:  o.Timeout,
		MaxIdleConns:           32,
		MaxIdleConnsPerHost:    4,
		IdleConnTimeout:        30 * time.Second,
		MaxResponseHeaderBytes: 64 << 10,
	}
	var rt http.RoundTripper = &schemeGuard{opts: o, next: base}
	rt = &limitTransport{next: rt, max: o.MaxBodyBytes}
	if o.CacheTTL > 0 {
		rt = newCache(rt, o.CacheTTL, o.CacheEntries, o.CacheBytes, o.Now)
	}
	return &http.Client{
		Transport:     rt,
		Timeout:       o.Timeout,
		CheckRedirect: o.checkRedirect,
	}
}

// checkDialAddress checks the "ip:port" the dialer is about to connect to.
func (o GuardOptions) checkDialAddress(address string) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return &RefusedError{Target: address, Reason: "not an IP address and port"}
	}
	return o.CheckAddr(ap.Addr())
}

// checkRedirect re-checks each redirect target and bounds the chain.
func (o GuardOptions) checkRedirect(req *http.Request, via []*http.Request) error {
	max := o.MaxRedirects
	if max < 0 {
		max = 0
	}
	if len(via) > max {
		return fmt.Errorf("%w: stopped at the redirect to %s after %d redirects", ErrTooManyRedirects, req.URL.Redacted(), max)
	}
	return o.CheckURL(req.URL)
}

// CheckURL says whether the guard accepts a URL's scheme and host: https,
// or http to a loopback host when AllowLoopback is set. Addresses are
// checked later, at dial time.
func (o GuardOptions) CheckURL(u *url.URL) error {
	if u == nil {
		return &RefusedError{Target: "an empty URL", Reason: "no URL"}
	}
	if u.Host == "" || u.Hostname() == "" {
		return &RefusedError{Target: u.Redacted(), Reason: "the URL has no host"}
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return nil
	case "http":
		if o.AllowLoopback && isLoopbackHost(u.Hostname()) {
			return nil
		}
		return &RefusedError{Target: u.Redacted(), Reason: "plain http is not allowed (https only; http only to loopback hosts in local test mode)"}
	}
	return &RefusedError{Target: u.Redacted(), Reason: fmt.Sprintf("scheme %q is not allowed (https only)", u.Scheme)}
}

// isLoopbackHost reports whether host is "localhost" or a loopback IP.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Unmap().IsLoopback()
}

// schemeGuard refuses requests whose URL CheckURL refuses.
type schemeGuard struct {
	opts GuardOptions
	next http.RoundTripper
}

// RoundTrip checks the URL and passes the request on.
func (g *schemeGuard) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := g.opts.CheckURL(req.URL); err != nil {
		closeRequestBody(req)
		return nil, err
	}
	return g.next.RoundTrip(req)
}

// CloseIdleConnections closes idle connections of the transport below.
func (g *schemeGuard) CloseIdleConnections() { closeIdle(g.next) }

// closeIdle forwards CloseIdleConnections when rt supports it.
func closeIdle(rt http.RoundTripper) {
	if c, ok := rt.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// closeRequestBody closes a request body a RoundTripper will not send, as
// the RoundTripper contract requires.
func closeRequestBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}
