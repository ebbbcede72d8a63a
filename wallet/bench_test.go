package wallet

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// BenchmarkImport1000 imports 1,000 distinct signed badges (each verified: JSON-LD
// canonicalization and an Ed25519 proof) into a new wallet per iteration.
func BenchmarkImport1000(b *testing.B) {
	now := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	is := newIssuer(b)
	creds := make([][]byte, 1000)
	for i := range creds {
		creds[i] = is.badge(b, fmt.Sprintf("urn:uuid:0b1c2d3e-0000-4000-8000-%012d", i), "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", now.Add(-time.Hour), time.Time{})
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		w, _ := openWallet(b, &now)
		for _, c := range creds {
			if _, err := w.Import(ctx, c, ImportOptions{}); err != nil {
				b.Fatal(err)
			}
		}
		w.Close()
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(creds)), "µs/credential")
}
