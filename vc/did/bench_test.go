package did

import (
	"context"
	"testing"
)

func BenchmarkResolveKey(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ResolveKey("did:key:" + dccKey); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkResolveVerificationMethodDIDKey(b *testing.B) {
	r := NewResolver(Options{})
	ctx := context.Background()
	vmID := "did:key:" + dccKey + "#" + dccKey
	b.ReportAllocs()
	for b.Loop() {
		vm, _, err := ResolveVerificationMethod(ctx, r, vmID)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := vm.PublicKey(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseDocument(b *testing.B) {
	data := readVector(b, "didweb-sites/digitalcredentials.github.io/dcc-did-web/multikey/did.json")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseDocument(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(dccMultikeyDID); err != nil {
			b.Fatal(err)
		}
	}
}
