package vc

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tamperReason says, for each tamper case, which check must fail and a phrase its detail must
// contain — the reason given in tampers/cases.json, in our words.
var tamperReason = map[string][2]string{
	"eddsa-01-name-changed.json":                {CheckProof, "signature does not match"},
	"eddsa-02-achievement-name-changed.json":    {CheckProof, "signature does not match"},
	"eddsa-03-issuer-id-changed.json":           {CheckProof, "signed by a key of"},
	"eddsa-05-validFrom-changed.json":           {CheckProof, "signature does not match"},
	"eddsa-06-validUntil-added.json":            {CheckProof, "signature does not match"},
	"eddsa-08-proofValue-swapped.json":          {CheckProof, "signature does not match"},
	"eddsa-10-vm-wrong-key.json":                {CheckProof, "signed by a key of"},
	"eddsa-12-unknown-context.json":             {CheckContexts, "https://example.org/unknown-context/v1"},
	"eddsa-13-missing-proof.json":               {CheckProof, "no proof"},
	"eddsa-14-proof-created-changed.json":       {CheckProof, "signature does not match"},
	"eddsa-16-proofPurpose-authentication.json": {CheckProof, `purpose is "authentication"`},
	"ed2020-01-name-changed.json":               {CheckProof, "signature does not match"},
	"signed-20-issuer-not-signer.json":          {CheckProof, "signed by a key of"},
	"signed-21-expired.json":                    {CheckDates, "expired"},
}

func TestTamperedCredentialsFailForTheirReason(t *testing.T) {
	raw, err := os.ReadFile("../testdata/vectors/tampers/cases.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		File   string `json:"file"`
		Expect struct {
			Verified bool `json:"verified"`
		} `json:"expect"`
		Why string `json:"why"`
	}
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatal(err)
	}
	opts := offlineOptions(t)
	for _, c := range cases {
		t.Run(c.File+": "+c.Why, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("../testdata/vectors/tampers", c.File))
			if err != nil {
				t.Fatal(err)
			}
			rep, _ := Verify(context.Background(), data, opts)
			if rep.Verified != c.Expect.Verified {
				t.Fatalf("verified = %v, want %v\n%s", rep.Verified, c.Expect.Verified, describe(rep))
			}
			if c.Expect.Verified {
				return
			}
			want, ok := tamperReason[c.File]
			if !ok {
				t.Fatalf("no expected reason written for %s", c.File)
			}
			f := rep.Failures()
			if len(f) == 0 || f[0].Name != want[0] || !strings.Contains(f[0].Detail, want[1]) {
				t.Fatalf("want the %s check to fail with %q, got:\n%s", want[0], want[1], describe(rep))
			}
		})
	}
}
