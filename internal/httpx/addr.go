package httpx

import (
	"net/netip"
)

// addrPolicy says when an address range may be reached.
type addrPolicy int

const (
	never    addrPolicy = iota // refused whatever the options
	loopback                   // allowed with GuardOptions.AllowLoopback
	private                    // allowed with GuardOptions.AllowPrivate
	embedded                   // carries an IPv4 address that is checked instead
)

// addrRange is one special-purpose address block.
type addrRange struct {
	prefix netip.Prefix
	policy addrPolicy
	reason string
}

// specialRanges lists the address blocks the guard does not connect to by
// default (IANA special-purpose registries, RFC 6890 and successors). Order
// matters only for overlapping IPv6 blocks: the first match wins.
var specialRanges = []addrRange{
	// IPv4
	{netip.MustParsePrefix("0.0.0.0/8"), never, "unspecified address (\"this network\", 0.0.0.0/8)"},
	{netip.MustParsePrefix("127.0.0.0/8"), loopback, "loopback address"},
	{netip.MustParsePrefix("10.0.0.0/8"), private, "private address (RFC 1918)"},
	{netip.MustParsePrefix("172.16.0.0/12"), private, "private address (RFC 1918)"},
	{netip.MustParsePrefix("192.168.0.0/16"), private, "private address (RFC 1918)"},
	{netip.MustParsePrefix("100.64.0.0/10"), private, "shared address space (carrier-grade NAT, RFC 6598)"},
	{netip.MustParsePrefix("169.254.0.0/16"), never, "link-local address"},
	{netip.MustParsePrefix("192.0.0.0/24"), never, "IETF protocol assignment address (192.0.0.0/24)"},
	{netip.MustParsePrefix("192.0.2.0/24"), never, "documentation address (TEST-NET-1)"},
	{netip.MustParsePrefix("198.51.100.0/24"), never, "documentation address (TEST-NET-2)"},
	{netip.MustParsePrefix("203.0.113.0/24"), never, "documentation address (TEST-NET-3)"},
	{netip.MustParsePrefix("198.18.0.0/15"), never, "benchmarking address (198.18.0.0/15)"},
	{netip.MustParsePrefix("224.0.0.0/4"), never, "multicast address"},
	{netip.MustParsePrefix("240.0.0.0/4"), never, "reserved or broadcast address (240.0.0.0/4)"},
	// IPv6
	{netip.MustParsePrefix("::/128"), never, "unspecified address"},
	{netip.MustParsePrefix("::1/128"), loopback, "loopback address"},
	{netip.MustParsePrefix("::ffff:0:0/96"), embedded, "IPv4-mapped"},
	{netip.MustParsePrefix("::/96"), embedded, "IPv4-compatible"},
	{netip.MustParsePrefix("64:ff9b::/96"), embedded, "NAT64"},
	{netip.MustParsePrefix("2002::/16"), embedded, "6to4"},
	{netip.MustParsePrefix("64:ff9b:1::/48"), never, "local-use NAT64 address (64:ff9b:1::/48)"},
	{netip.MustParsePrefix("100::/64"), never, "discard-only address (100::/64)"},
	{netip.MustParsePrefix("2001::/32"), never, "Teredo tunnel address"},
	{netip.MustParsePrefix("2001:db8::/32"), never, "documentation address (2001:db8::/32)"},
	{netip.MustParsePrefix("fc00::/7"), private, "unique local address (ULA, fc00::/7)"},
	{netip.MustParsePrefix("fe80::/10"), never, "link-local address"},
	{netip.MustParsePrefix("fec0::/10"), private, "site-local address (deprecated, fec0::/10)"},
	{netip.MustParsePrefix("ff00::/8"), never, "multicast address"},
}

// CheckAddr says whether the guard may connect to addr under these options.
// It returns nil or a *RefusedError naming the address and the reason
// ("refused to connect to 169.254.169.254: link-local address"). IPv6 forms
// that embed an IPv4 address (IPv4-mapped, IPv4-compatible, NAT64, 6to4)
// are judged by that IPv4 address.
func (o GuardOptions) CheckAddr(addr netip.Addr) error {
	if !addr.IsValid() {
		return &RefusedError{Target: "an invalid address", Reason: "not an IP address"}
	}
	plain := addr.WithZone("")
	for _, p := range o.AllowPrefixes {
		if p.Contains(plain) {
			return nil
		}
	}
	policy, reason := classify(plain)
	switch {
	case policy == loopback && o.AllowLoopback,
		policy == private && o.AllowPrivate,
		reason == "":
		return nil
	}
	return &RefusedError{Target: addr.String(), Reason: reason}
}

// classify returns the policy and reason of the special range holding
// addr; reason is "" for an ordinary public address.
func classify(addr netip.Addr) (addrPolicy, string) {
	for _, r := range specialRanges {
		if !r.prefix.Contains(addr) {
			continue
		}
		if r.policy != embedded {
			return r.policy, r.reason
		}
		inner := embeddedIPv4(addr, r.prefix)
		policy, reason := classify(inner)
		if reason == "" {
			return policy, ""
		}
		return policy, r.reason + " " + reason + " (" + inner.String() + ")"
	}
	return never, ""
}

// embeddedIPv4 extracts the IPv4 address carried by an IPv6 address of one
// of the embedding prefixes.
func embeddedIPv4(addr netip.Addr, prefix netip.Prefix) netip.Addr {
	b := addr.As16()
	if prefix.Bits() == 16 { // 6to4: 2002:AABB:CCDD::/48
		return netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]})
	}
	return netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]})
}
