package status

import (
	"encoding/json"
	"testing"
	"time"
)

func TestNewListCredential(t *testing.T) {
	validFrom := time.Date(2026, 3, 1, 8, 30, 15, 123, time.FixedZone("CET", 3600))
	bits, err := New(MinEntries)
	if err != nil {
		t.Fatal(err)
	}
	_ = bits.Set(1234, true)
	cred := NewListCredential("https://badges.example.org/status/1", "did:web:badges.example.org", PurposeRevocation, bits, validFrom)

	t.Run("the credential has the members of the W3C data model", func(t *testing.T) {
		var got map[string]any
		if err := json.Unmarshal(mustJSON(t, cred), &got); err != nil {
			t.Fatal(err)
		}
		subject := got["credentialSubject"].(map[string]any)
		delete(subject, "encodedList")
		want := `{"@context":["https://www.w3.org/ns/credentials/v2"],"credentialSubject":{"id":"https://badges.example.org/status/1#list","statusPurpose":"revocation","type":"BitstringStatusList"},"id":"https://badges.example.org/status/1","issuer":"did:web:badges.example.org","type":["VerifiableCredential","BitstringStatusListCredential"],"validFrom":"2026-03-01T07:30:15Z"}`
		if s := string(mustJSON(t, got)); s != want {
			t.Fatalf("got  %s\nwant %s", s, want)
		}
	})
	t.Run("the encoded list decodes to the issuer's bits", func(t *testing.T) {
		decoded, err := Decode(cred["credentialSubject"].(map[string]any)["encodedList"].(string))
		if err != nil {
			t.Fatal(err)
		}
		if got := setBits(t, decoded); !equalInts(got, []int{1234}) {
			t.Fatalf("set bits = %v, want [1234]", got)
		}
	})
	t.Run("without bits an all-clear list of the minimum size is published", func(t *testing.T) {
		c := NewListCredential("https://x.example/s", "did:web:x.example", PurposeSuspension, nil, time.Time{})
		if _, present := c["validFrom"]; present {
			t.Fatal("a zero validFrom was written")
		}
		decoded, err := Decode(c["credentialSubject"].(map[string]any)["encodedList"].(string))
		if err != nil || decoded.Len() != MinEntries {
			t.Fatalf("Len = %d, %v; want %d", decoded.Len(), err, MinEntries)
		}
	})
	t.Run("validUntil and ttl are written when asked", func(t *testing.T) {
		c := NewListCredential("https://x.example/s", "did:web:x.example", PurposeRevocation, nil, time.Time{},
			WithValidUntil(time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)), WithTTL(5*time.Minute))
		if c["validUntil"] != "2026-04-01T00:00:00Z" || c["credentialSubject"].(map[string]any)["ttl"] != int64(300000) {
			t.Fatalf("credential = %v", c)
		}
	})
}

func TestNewEntry(t *testing.T) {
	got := string(mustJSON(t, NewEntry("https://badges.example.org/status/1", PurposeRevocation, 94567)))
	want := `{"id":"https://badges.example.org/status/1#94567","statusListCredential":"https://badges.example.org/status/1","statusListIndex":"94567","statusPurpose":"revocation","type":"BitstringStatusListEntry"}`
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	e, err := ParseEntry(NewEntry("https://badges.example.org/status/1", PurposeRevocation, 94567))
	if err != nil || e.StatusListIndex != 94567 {
		t.Fatalf("ParseEntry = %+v, %v", e, err)
	}
}
