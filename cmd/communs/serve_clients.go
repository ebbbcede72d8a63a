package main

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/communs/communs/internal/httpx"
)

// clientIdentity says how the node tells clients apart for its rate limits: by the direct
// peer's address, or, for requests from a trusted reverse proxy, by the address the proxy puts
// in header. Only the proxy fields of the returned options are set.
func clientIdentity(proxies, header string) (httpx.RateLimitOptions, error) {
	var o httpx.RateLimitOptions
	for _, p := range strings.Split(proxies, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		pfx, err := netip.ParsePrefix(p)
		if err != nil {
			addr, aerr := netip.ParseAddr(p)
			if aerr != nil {
				return o, fmt.Errorf("%w: --trusted-proxies %q is not an address or CIDR such as 10.0.0.0/8", errUsage, p)
			}
			pfx = netip.PrefixFrom(addr, addr.BitLen())
		}
		o.TrustedProxies = append(o.TrustedProxies, pfx.Masked())
	}
	if len(o.TrustedProxies) == 0 {
		return o, nil
	}
	switch strings.ToLower(strings.TrimSpace(header)) {
	case "x-forwarded-for":
		o.ClientIPHeader = "X-Forwarded-For"
	case "x-real-ip":
		o.ClientIPHeader = "X-Real-IP"
	default:
		return o, fmt.Errorf("%w: --client-ip-header %q: use X-Forwarded-For or X-Real-IP", errUsage, header)
	}
	return o, nil
}
