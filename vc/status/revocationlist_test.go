package status

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestRevocationList(t *testing.T) {
	t.Run("a list built for publication reads back", func(t *testing.T) {
		doc := NewRevocationList("https://badges.example.org/revocations/1", "did:web:badges.example.org",
			[]RevokedCredential{{ID: "urn:uuid:1", Reason: "No final payment"}, {ID: "urn:uuid:2"}, {Reason: "no id, left out"}})
		var published map[string]any
		if err := json.Unmarshal(mustJSON(t, doc), &published); err != nil {
			t.Fatal(err)
		}
		l, err := ParseRevocationList(published)
		if err != nil {
			t.Fatal(err)
		}
		if l.ID != "https://badges.example.org/revocations/1" || l.Issuer != "did:web:badges.example.org" || len(l.Revoked) != 2 {
			t.Fatalf("list = %+v", l)
		}
		if r, ok := l.Find("urn:uuid:1"); !ok || r.Reason != "No final payment" {
			t.Fatalf("Find = %+v, %v", r, ok)
		}
		if _, ok := l.Find("urn:uuid:3"); ok {
			t.Fatal("found a credential that is not in the list")
		}
	})
	t.Run("the published form has revoked true and the reason only when given", func(t *testing.T) {
		doc := NewRevocationList("https://x.example/r", "did:web:x.example", []RevokedCredential{{ID: "urn:uuid:1"}})
		got := string(mustJSON(t, doc))
		want := `{"id":"https://x.example/r","issuer":"did:web:x.example","revokedCredentials":[{"id":"urn:uuid:1","revoked":true}]}`
		if got != want {
			t.Fatalf("got  %s\nwant %s", got, want)
		}
	})
	t.Run("the forms seen in the wild are read", func(t *testing.T) {
		l, err := ParseRevocationList(jsonValue(t, `{
			"@context": "https://purl.imsglobal.org/spec/ob/v3p0/context.json",
			"id": "https://api.edubadges.nl/issuers/x/revocations/a169e",
			"issuer": {"id": "did:web:api.edubadges.nl:issuers:x"},
			"revokedCredentials": [
				{"id": "http://example.edu/credentials/3732", "revoked": "true", "revocationReason": "No final payment"},
				{"id": "http://example.edu/credentials/1", "revoked": false},
				"http://example.edu/credentials/2"
			]}`).(map[string]any))
		if err != nil {
			t.Fatal(err)
		}
		if l.Issuer != "did:web:api.edubadges.nl:issuers:x" {
			t.Fatalf("issuer = %q", l.Issuer)
		}
		if _, ok := l.Find("http://example.edu/credentials/1"); ok {
			t.Fatal("an entry with revoked false counts as revoked")
		}
		for _, id := range []string{"http://example.edu/credentials/3732", "http://example.edu/credentials/2"} {
			if _, ok := l.Find(id); !ok {
				t.Fatalf("%s not found", id)
			}
		}
	})
	for _, tc := range []struct{ name, doc, words string }{
		{"a list without revokedCredentials is refused", `{"id": "x"}`, "no revokedCredentials"},
		{"revokedCredentials that is not an array is refused", `{"revokedCredentials": {"id": "x"}}`, "not an array"},
		{"an element without an id is refused", `{"revokedCredentials": [{"revocationReason": "x"}]}`, "no id"},
		{"a revoked flag that is neither true nor false is refused", `{"revokedCredentials": [{"id": "x", "revoked": "maybe"}]}`, "true or false"},
		{"an element that is a number is refused", `{"revokedCredentials": [42]}`, "number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseRevocationList(jsonValue(t, tc.doc).(map[string]any))
			if !errors.Is(err, ErrMalformedList) || !strings.Contains(err.Error(), tc.words) {
				t.Fatalf("err = %v, want ErrMalformedList saying %q", err, tc.words)
			}
		})
	}
}

func TestCheckRevocationList(t *testing.T) {
	const (
		issuer  = "did:web:badges.example.org:issuers:lycee"
		listAt  = "https://badges.example.org/issuers/lycee/revocations"
		credURL = "https://badges.example.org/credentials/42"
	)
	cred := func() map[string]any {
		return map[string]any{
			"id":               credURL,
			"issuer":           map[string]any{"id": issuer},
			"credentialStatus": map[string]any{"id": listAt, "type": Type1EdTechRevocationList},
		}
	}
	t.Run("a listed credential is Revoked with the issuer's reason", func(t *testing.T) {
		srv := newListServer(t)
		srv.publish(t, listAt, NewRevocationList(listAt, issuer, []RevokedCredential{{ID: credURL, Reason: "Awarded by mistake"}}))
		r := checkOne(t, cred(), srv)
		wantState(t, r, Revoked, nil)
		if r.Message != "Awarded by mistake" {
			t.Fatalf("message = %q", r.Message)
		}
	})
	t.Run("a list naming another issuer leaves the status Unknown", func(t *testing.T) {
		srv := newListServer(t)
		srv.publish(t, listAt, NewRevocationList(listAt, "did:web:someone.else", []RevokedCredential{{ID: credURL}}))
		wantState(t, checkOne(t, cred(), srv), Unknown, ErrIssuerMismatch)
	})
	t.Run("a list naming no issuer is read", func(t *testing.T) {
		srv := newListServer(t)
		srv.publish(t, listAt, map[string]any{"revokedCredentials": []any{credURL}})
		wantState(t, checkOne(t, cred(), srv), Revoked, nil)
	})
	t.Run("a credential without an id cannot be looked up", func(t *testing.T) {
		srv := newListServer(t)
		srv.publish(t, listAt, NewRevocationList(listAt, issuer, nil))
		c := cred()
		delete(c, "id")
		wantState(t, checkOne(t, c, srv), Unknown, ErrMalformedEntry)
	})
	t.Run("a malformed list leaves the status Unknown", func(t *testing.T) {
		srv := newListServer(t)
		srv.publish(t, listAt, []byte(`["not", "a", "list", "document"]`))
		wantState(t, checkOne(t, cred(), srv), Unknown, ErrMalformedList)
	})
}
