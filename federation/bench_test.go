package federation

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkApply measures verifying and applying one entry (parse, ES256
// verification, scope and chain checks, memory storage).
func BenchmarkApply(b *testing.B) {
	o := newTestOrigin(b, "a.example", fixedClock(testEpoch))
	const n = 4096
	entries := make([][]byte, n)
	for i := range entries {
		entries[i] = o.append(b, fmt.Sprintf("did:web:a.example:issuer%d", i%512), StatusActive).JWS
	}
	ctx := context.Background()
	var reg *Registry
	i := n
	b.ReportAllocs()
	for b.Loop() {
		if i == n {
			b.StopTimer()
			reg, i = newTestRegistry(b, nil, fixedClock(testEpoch), o), 0
			b.StartTimer()
		}
		if _, err := reg.Apply(ctx, entries[i]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkParseEntry measures decoding one entry without verification.
func BenchmarkParseEntry(b *testing.B) {
	o := newTestOrigin(b, "a.example", fixedClock(testEpoch))
	e := o.append(b, "did:web:a.example:s1", StatusActive)
	limits := DefaultLimits()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseEntry(e.JWS, limits); err != nil {
			b.Fatal(err)
		}
	}
}
