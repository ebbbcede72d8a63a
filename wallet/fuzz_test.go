package wallet

import (
	"context"
	"testing"
	"time"
)

func FuzzParseOfferURI(f *testing.F) {
	f.Add("openid-credential-offer://?credential_offer=%7B%22credential_issuer%22%3A%22https%3A%2F%2Fnode.example%22%2C%22credential_configuration_ids%22%3A%5B%22OpenBadgeCredential%22%5D%2C%22grants%22%3A%7B%22urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Apre-authorized_code%22%3A%7B%22pre-authorized_code%22%3A%22abc%22%7D%7D%7D")
	f.Add("openid-credential-offer://?credential_offer_uri=https%3A%2F%2Fnode.example%2Foffers%2F1")
	f.Add("https://node.example/claim?credential_offer_uri=http://127.0.0.1:8080/x")
	f.Add("openid-credential-offer://?credential_offer=%7B%7D&credential_offer_uri=x")
	f.Fuzz(func(t *testing.T, s string) {
		ref, err := ParseOfferURI(s)
		if err == nil && (ref.Offer == nil) == (ref.URI == "") {
			t.Fatalf("accepted %q without exactly one of offer and URI", s)
		}
		if err == nil && ref.Offer != nil && ref.Offer.Grants.PreAuthorizedCode == nil {
			t.Fatalf("accepted an offer without a pre-authorized code: %q", s)
		}
	})
}

func FuzzImport(f *testing.F) {
	for _, p := range []string{
		"../examples/badge-cua-niveau-1.json", "../examples/badge-cua-niveau-1.png", "../examples/badge-cua-niveau-1.svg",
		"../testdata/vectors/1edtech-validator-fixtures/simple.json",
		"../testdata/vectors/1edtech-validator-fixtures/simple-err-proof-value.json",
	} {
		f.Add(readFile(f, p))
	}
	f.Add([]byte("eyJhbGciOiJFZERTQSJ9.e30.c2ln"))
	now := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	w, _ := openWallet(f, &now)
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := w.Import(context.Background(), data, ImportOptions{KeepInvalid: true})
		if err != nil {
			return
		}
		got, err := w.Get(context.Background(), b.ID)
		if err != nil || got.ContentHash != b.ContentHash {
			t.Fatalf("imported badge %s cannot be read back: %v", b.ID, err)
		}
		if err := w.Delete(context.Background(), b.ID); err != nil {
			t.Fatal(err)
		}
	})
}
