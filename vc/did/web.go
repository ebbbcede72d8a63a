package did

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// maxDocumentBytes bounds a did:web document read from the network.
const maxDocumentBytes = 1 << 20

// WebDocumentURL returns the https URL of the document of a did:web DID, by
// the did:web rules: "did:web:example.com" ->
// "https://example.com/.well-known/did.json";
// "did:web:example.com:user:alice" -> "https://example.com/user/alice/did.json";
// a port is written "%3A" ("did:web:example.com%3A8443"). Path segments are
// percent-decoded and re-encoded; empty, "." and ".." segments are refused,
// and so are IP addresses in place of the domain name.
func WebDocumentURL(did string) (string, error) {
	return webDocumentURL(did, "https", false)
}

// webHost returns the decoded host[:port] of a did:web DID.
func webHost(did string) (string, error) {
	d, err := Parse(did)
	if err != nil {
		return "", err
	}
	if d.Method != "web" {
		return "", fmt.Errorf("%w: %s is a did:%s, not a did:web", ErrInvalidDID, quote(did), d.Method)
	}
	host, _, _ := strings.Cut(d.ID, ":")
	decoded, err := url.PathUnescape(host)
	if err != nil {
		return "", fmt.Errorf("%w: %s: host %s has a bad percent-encoding", ErrInvalidDID, quote(did), quote(host))
	}
	return decoded, nil
}

// webDocumentURL maps a did:web DID to its document URL with the given
// scheme; allowIP admits IP literals (loopback development only).
func webDocumentURL(did, scheme string, allowIP bool) (string, error) {
	hostPort, err := webHost(did)
	if err != nil {
		return "", err
	}
	d, _ := Parse(did)
	segments := strings.Split(d.ID, ":")[1:]

	host, port, err := splitWebHost(hostPort)
	if err != nil {
		return "", fmt.Errorf("%w: %s: %s", ErrInvalidDID, quote(did), err)
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		if !allowIP || ip.Zone() != "" {
			return "", fmt.Errorf("%w: %s: did:web names a domain, not an IP address", ErrInvalidDID, quote(did))
		}
		host = ip.String()
		if ip.Is6() {
			host = "[" + host + "]"
		}
	} else if err := checkDomain(host); err != nil {
		return "", fmt.Errorf("%w: %s: %s", ErrInvalidDID, quote(did), err)
	}

	var b strings.Builder
	b.WriteString(scheme)
	b.WriteString("://")
	b.WriteString(host)
	if port != "" {
		b.WriteByte(':')
		b.WriteString(port)
	}
	if len(segments) == 0 {
		b.WriteString("/.well-known/did.json")
		return b.String(), nil
	}
	for _, seg := range segments {
		dec, err := url.PathUnescape(seg)
		if err != nil {
			return "", fmt.Errorf("%w: %s: path segment %s has a bad percent-encoding", ErrInvalidDID, quote(did), quote(seg))
		}
		if dec == "" || dec == "." || dec == ".." {
			return "", fmt.Errorf("%w: %s: path segment %s is empty, \".\" or \"..\"", ErrInvalidDID, quote(did), quote(seg))
		}
		b.WriteByte('/')
		b.WriteString(url.PathEscape(dec))
	}
	b.WriteString("/did.json")
	return b.String(), nil
}

// splitWebHost splits a decoded did:web host into host and port ("" when
// absent); a port must be a number from 1 to 65535. IPv6 literals are
// bracketed.
func splitWebHost(hostPort string) (host, port string, err error) {
	host, rest := hostPort, ""
	if strings.HasPrefix(hostPort, "[") {
		end := strings.IndexByte(hostPort, ']')
		if end < 0 {
			return "", "", fmt.Errorf("host %s has no closing ']'", quote(hostPort))
		}
		host, rest = hostPort[1:end], hostPort[end+1:]
	} else if i := strings.LastIndexByte(hostPort, ':'); i >= 0 {
		host, rest = hostPort[:i], hostPort[i:]
	}
	if rest == "" {
		return host, "", nil
	}
	port, ok := strings.CutPrefix(rest, ":")
	n, convErr := strconv.Atoi(port)
	if !ok || convErr != nil || n < 1 || n > 65535 || port[0] == '0' {
		return "", "", fmt.Errorf("port %s is not a number from 1 to 65535", quote(rest))
	}
	return host, port, nil
}

// checkDomain checks that host is a DNS name: dot-separated labels of
// letters, digits and inner hyphens, each 1 to 63 bytes.
func checkDomain(host string) error {
	if host == "" {
		return fmt.Errorf("empty domain name")
	}
	if len(host) > 253 {
		return fmt.Errorf("domain name is longer than 253 bytes")
	}
	labels := strings.Split(host, ".")
	if last := labels[len(labels)-1]; last != "" && strings.Trim(last, "0123456789") == "" {
		return fmt.Errorf("domain name %s looks like an IP address; did:web names a domain", quote(host))
	}
	for _, label := range labels {
		if label == "" || len(label) > 63 {
			return fmt.Errorf("domain name %s has an empty or over-long label", quote(host))
		}
		if label[0] == '-' || label[len(label)-1] == '-' {
			return fmt.Errorf("domain name %s has a label starting or ending with '-'", quote(host))
		}
		for i := 0; i < len(label); i++ {
			if c := label[i]; !isAlnum(c) && c != '-' {
				return fmt.Errorf("domain name %s has character %q, which is not allowed", quote(host), c)
			}
		}
	}
	return nil
}

// IsLoopbackHost reports whether a did:web host (host or host:port, as
// decoded from the DID) is "localhost" or a loopback IP address: the hosts
// Options.AllowHTTP fetches over plain http.
func IsLoopbackHost(host string) bool {
	h := host
	if hp, _, err := net.SplitHostPort(host); err == nil {
		h = hp
	}
	if strings.EqualFold(h, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(strings.Trim(h, "[]"))
	return err == nil && ip.Unmap().IsLoopback()
}

// resolveWeb fetches and checks the document of a did:web DID.
func (r *BuiltinResolver) resolveWeb(ctx context.Context, did string) (*Document, error) {
	if r.client == nil {
		return nil, fmt.Errorf("%w: did:web resolution is off (no HTTP client was configured)", ErrUnsupportedMethod)
	}
	hostPort, err := webHost(did)
	if err != nil {
		return nil, err
	}
	scheme, allowIP := "https", false
	if r.allowHTTP && IsLoopbackHost(hostPort) {
		scheme, allowIP = "http", true
	}
	docURL, err := webDocumentURL(did, scheme, allowIP)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, docURL, nil)
	if err != nil {
		return nil, fmt.Errorf("did:web document at %s: %w", docURL, err)
	}
	req.Header.Set("Accept", "application/did+json, application/did+ld+json, application/ld+json;q=0.9, application/json;q=0.9, */*;q=0.1")
	resp, err := r.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("did:web document at %s: fetch failed: %w", docURL, err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		return nil, fmt.Errorf("%w: did:web document at %s does not exist (HTTP %d)", ErrNotFound, docURL, resp.StatusCode)
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("did:web document at %s: server answered HTTP %d, expected 200", docURL, resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxDocumentBytes+1))
	if err != nil {
		return nil, fmt.Errorf("did:web document at %s: reading the body failed: %w", docURL, err)
	}
	if len(body) > maxDocumentBytes {
		return nil, fmt.Errorf("did:web document at %s is larger than %d bytes", docURL, maxDocumentBytes)
	}
	doc, err := ParseDocument(body)
	if err != nil {
		return nil, fmt.Errorf("did:web document at %s: %w", docURL, err)
	}
	if doc.ID != did {
		return nil, fmt.Errorf("%w: did:web document at %s has id %s, expected DID %s", ErrIDMismatch, docURL, quote(doc.ID), quote(did))
	}
	return doc, nil
}
