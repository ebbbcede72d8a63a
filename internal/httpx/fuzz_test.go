package httpx

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func FuzzParseIndex(f *testing.F) {
	index, err := os.ReadFile(filepath.Join(webVectors, "index.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(index)
	f.Add([]byte(`{"https://example.com/x": "../x"}`))
	f.Add([]byte(`{"x": 1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		files, err := parseIndex("/srv/index", data)
		if err != nil {
			return
		}
		for u, path := range files {
			if !strings.HasPrefix(path, "/srv/index/") {
				t.Fatalf("file %q of %s escapes the folder", path, u)
			}
		}
		if _, err := NewFileTransport(files); err != nil {
			t.Fatalf("a parsed index is not a valid file map: %v", err)
		}
	})
}

func FuzzCheckDialAddress(f *testing.F) {
	for _, s := range []string{"169.254.169.254:443", "[::ffff:169.254.169.254]:443", "[fe80::1%eth0]:80", "93.184.215.14:443", "[2002:a9fe:a9fe::1]:443", "127.0.0.1:0", "x:1", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, address string) {
		strict := GuardOptions{}.checkDialAddress(address)
		loose := GuardOptions{AllowLoopback: true, AllowPrivate: true}.checkDialAddress(address)
		if strict == nil && loose != nil {
			t.Fatalf("%q allowed by the strict policy but refused by the loose one: %v", address, loose)
		}
	})
}

func FuzzCheckURL(f *testing.F) {
	for _, s := range []string{"https://example.com/x", "http://127.0.0.1:8080/", "http://localhost/", "http://[::1]/", "ftp://x", "https://", "http://127.0.0.1.example.com/", "HTTP://LOCALHOST/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := url.Parse(raw)
		if err != nil {
			return
		}
		if (GuardOptions{}).CheckURL(u) == nil && !strings.EqualFold(u.Scheme, "https") {
			t.Fatalf("%q accepted without https", raw)
		}
		if (GuardOptions{AllowLoopback: true}).CheckURL(u) == nil && strings.EqualFold(u.Scheme, "http") && !isLoopbackHost(u.Hostname()) {
			t.Fatalf("%q accepted as plain http to a non-loopback host", raw)
		}
	})
}
