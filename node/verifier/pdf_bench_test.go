package verifier_test

import (
	"io"
	"testing"

	"github.com/communs/communs/node/verifier"
)

// BenchmarkWritePDF measures a 200-row PDF report (fonts embedded and subset each time).
func BenchmarkWritePDF(b *testing.B) {
	credits := 1.5
	rows := make([]verifier.Row, 200)
	for i := range rows {
		rows[i] = verifier.Row{N: i + 1, Learner: "did:key:z6MkqFSM5FBJxYotnxYugCcUG4KpbpvAkpVSGorhxR6Ybn8y", Achievement: "Conception universelle de l’apprentissage — niveau 1",
			Issuer: "Centre de services scolaire des Découvertes", Status: "valid", Verdict: "valid", Verified: true, Recognised: "yes", CreditsEarned: &credits,
			Reasons: map[string]string{"fr": "La signature est valide.", "en": "The signature is valid."}}
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := verifier.WritePDF(io.Discard, rows, verifier.PDFOptions{Lang: "fr"}); err != nil {
			b.Fatal(err)
		}
	}
}
