package httpx

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
)

func TestCheckAddrRefusesSpecialAddresses(t *testing.T) {
	var strict GuardOptions
	refused := []struct{ addr, reason string }{
		{"169.254.169.254", "link-local address"},
		{"127.0.0.1", "loopback address"},
		{"127.8.9.10", "loopback address"},
		{"10.0.0.1", "private address (RFC 1918)"},
		{"172.16.5.4", "private address (RFC 1918)"},
		{"172.31.255.255", "private address (RFC 1918)"},
		{"192.168.1.1", "private address (RFC 1918)"},
		{"100.64.0.1", "carrier-grade NAT"},
		{"100.127.255.254", "carrier-grade NAT"},
		{"0.0.0.0", "unspecified"},
		{"0.1.2.3", "unspecified"},
		{"224.0.0.251", "multicast"},
		{"239.255.255.250", "multicast"},
		{"255.255.255.255", "broadcast"},
		{"198.18.0.1", "benchmarking"},
		{"192.0.2.10", "documentation"},
		{"::", "unspecified address"},
		{"::1", "loopback address"},
		{"fe80::1", "link-local address"},
		{"fe80::1%eth0", "link-local address"},
		{"fc00::1", "unique local address"},
		{"fd12:3456:789a::1", "unique local address"},
		{"ff02::1", "multicast"},
		{"::ffff:169.254.169.254", "IPv4-mapped link-local address (169.254.169.254)"},
		{"::ffff:127.0.0.1", "IPv4-mapped loopback address (127.0.0.1)"},
		{"::ffff:10.1.2.3", "IPv4-mapped private address"},
		{"::ffff:100.64.0.1", "IPv4-mapped shared address space"},
		{"::ffff:0.0.0.0", "IPv4-mapped unspecified"},
		{"::169.254.169.254", "IPv4-compatible link-local"},
		{"64:ff9b::a9fe:a9fe", "NAT64 link-local address (169.254.169.254)"},
		{"2002:a9fe:a9fe::1", "6to4 link-local address (169.254.169.254)"},
		{"2002:7f00:1::1", "6to4 loopback address (127.0.0.1)"},
		{"2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo"},
		{"2001:db8::1", "documentation"},
	}
	for _, tc := range refused {
		t.Run(tc.addr+" is refused as "+tc.reason, func(t *testing.T) {
			err := strict.CheckAddr(netip.MustParseAddr(tc.addr))
			if !errors.Is(err, ErrRefused) {
				t.Fatalf("error %v, want ErrRefused", err)
			}
			if !strings.Contains(err.Error(), tc.reason) || !strings.HasPrefix(err.Error(), "refused to connect to "+netip.MustParseAddr(tc.addr).String()+": ") {
				t.Fatalf("error %q does not name %s and %q", err, tc.addr, tc.reason)
			}
		})
	}
	for _, addr := range []string{"93.184.215.14", "1.1.1.1", "8.8.8.8", "2606:4700:4700::1111", "::ffff:93.184.215.14", "64:ff9b::808:808", "2002:808:808::1", "172.32.0.1", "100.128.0.1", "11.0.0.1"} {
		t.Run(addr+" is a public address and allowed", func(t *testing.T) {
			if err := strict.CheckAddr(netip.MustParseAddr(addr)); err != nil {
				t.Fatal(err)
			}
		})
	}
	t.Run("the exact metadata address message reads as documented", func(t *testing.T) {
		err := strict.CheckAddr(netip.MustParseAddr("169.254.169.254"))
		if err.Error() != "refused to connect to 169.254.169.254: link-local address" {
			t.Fatalf("message %q", err)
		}
	})
}

func TestCheckAddrOptions(t *testing.T) {
	cases := []struct {
		name string
		opts GuardOptions
		addr string
		ok   bool
	}{
		{"AllowLoopback admits 127.0.0.1", GuardOptions{AllowLoopback: true}, "127.0.0.1", true},
		{"AllowLoopback admits ::1", GuardOptions{AllowLoopback: true}, "::1", true},
		{"AllowLoopback admits IPv4-mapped loopback", GuardOptions{AllowLoopback: true}, "::ffff:127.0.0.1", true},
		{"AllowLoopback does not admit private addresses", GuardOptions{AllowLoopback: true}, "10.0.0.1", false},
		{"AllowLoopback does not admit the metadata address", GuardOptions{AllowLoopback: true}, "169.254.169.254", false},
		{"AllowPrivate admits RFC 1918", GuardOptions{AllowPrivate: true}, "192.168.0.10", true},
		{"AllowPrivate admits ULA", GuardOptions{AllowPrivate: true}, "fd00::5", true},
		{"AllowPrivate admits CGNAT", GuardOptions{AllowPrivate: true}, "100.64.1.1", true},
		{"AllowPrivate does not admit loopback", GuardOptions{AllowPrivate: true}, "127.0.0.1", false},
		{"AllowPrivate does not admit link-local", GuardOptions{AllowPrivate: true}, "169.254.1.1", false},
		{"AllowPrivate does not admit mapped link-local", GuardOptions{AllowPrivate: true}, "::ffff:169.254.169.254", false},
		{"AllowPrefixes admits one listed peer", GuardOptions{AllowPrefixes: []netip.Prefix{netip.MustParsePrefix("10.1.2.3/32")}}, "10.1.2.3", true},
		{"AllowPrefixes does not admit its neighbours", GuardOptions{AllowPrefixes: []netip.Prefix{netip.MustParsePrefix("10.1.2.3/32")}}, "10.1.2.4", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.opts.CheckAddr(netip.MustParseAddr(tc.addr))
			if (err == nil) != tc.ok {
				t.Fatalf("CheckAddr(%s) = %v", tc.addr, err)
			}
		})
	}
	t.Run("an invalid address is refused", func(t *testing.T) {
		if err := (GuardOptions{}).CheckAddr(netip.Addr{}); !errors.Is(err, ErrRefused) {
			t.Fatalf("error %v", err)
		}
	})
}
