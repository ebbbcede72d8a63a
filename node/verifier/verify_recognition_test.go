package verifier_test

import (
	"context"
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/communs/communs/vc"
)

// fakeTrust is a hand-written vc.IssuerTrust: Recognize answers with its func field.
type fakeTrust struct {
	recognize func(ctx context.Context, issuerID, keyID string) (vc.Recognition, error)
}

func (f fakeTrust) Recognize(ctx context.Context, issuerID, keyID string) (vc.Recognition, error) {
	return f.recognize(ctx, issuerID, keyID)
}

func TestVerifyRecognitionLine(t *testing.T) {
	in := startIssuingNode(t)
	badge := in.award(t, learnerDID(t), nil)
	issuerDID := in.IssuerDID(in.slug)
	since := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	vouched := fakeTrust{recognize: func(_ context.Context, id, _ string) (vc.Recognition, error) {
		if id != issuerDID {
			return vc.Recognition{Recognized: false, Status: "unknown"}, nil
		}
		return vc.Recognition{Recognized: true, Status: "active", VouchedBy: []vc.Voucher{{EntityID: "https://anchor.example", Name: "Réseau des partenaires du Québec", Since: since}}}, nil
	}}
	unknown := fakeTrust{recognize: func(context.Context, string, string) (vc.Recognition, error) {
		return vc.Recognition{Recognized: false, Status: "unknown"}, nil
	}}
	broken := fakeTrust{recognize: func(context.Context, string, string) (vc.Recognition, error) {
		return vc.Recognition{}, errors.New("registry unreachable")
	}}

	t.Run("a recognised issuer shows who vouches for it and since when", func(t *testing.T) {
		_, srv := newVerifier(t, testOptions(vouched), nil)
		_, fr := postForm(t, srv.URL+"/verify", "fr", url.Values{"url": {badge.URL}})
		wantAll(t, fr, "Émetteur reconnu, avalisé par Réseau des partenaires du Québec depuis le 1er\u00a0mars\u00a02026", "Badge valide")
		_, en := postForm(t, srv.URL+"/verify", "en", url.Values{"url": {badge.URL}})
		wantAll(t, en, "Recognised issuer, vouched for by Réseau des partenaires du Québec since March 1, 2026")
	})
	t.Run("an issuer the registries do not know is said so, as a warning", func(t *testing.T) {
		_, srv := newVerifier(t, testOptions(unknown), nil)
		_, en := postForm(t, srv.URL+"/verify", "en", url.Values{"url": {badge.URL}})
		wantAll(t, en, "Not found in the registries this node trusts", "Valid badge, with warnings")
		_, fr := postForm(t, srv.URL+"/verify", "fr", url.Values{"url": {badge.URL}})
		wantAll(t, fr, "Introuvable dans les registres de confiance de ce nœud")
	})
	t.Run("a registry that cannot be consulted is said so", func(t *testing.T) {
		_, srv := newVerifier(t, testOptions(broken), nil)
		_, en := postForm(t, srv.URL+"/verify", "en", url.Values{"url": {badge.URL}})
		wantAll(t, en, "The trust registry could not be consulted")
	})
	t.Run("the batch report's recognised column follows the registry", func(t *testing.T) {
		_, srv := newVerifier(t, testOptions(vouched), nil)
		job := submitBatch(t, srv.URL, "b.csv", []byte(badge.URL+"\n"))
		st := waitJob(t, job)
		if len(st.Rows) != 1 || st.Rows[0].Recognised != "yes" {
			t.Fatalf("rows %+v", st.Rows)
		}
	})
}
