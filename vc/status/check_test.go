package status

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestCheckVectors(t *testing.T) {
	srv := newListServer(t)
	// The 1EdTech fixture credential-status-revoked.json names a revocation list that is not
	// published in the vectors; the issuer here publishes one listing the credential.
	revokedFixture := loadJSON(t, filepath.Join(vectors, "1edtech-validator-fixtures", "credential-status-revoked.json"))
	srv.publish(t, "https://dc.1edtech.org/wellspring2022/wellspring-portal/api/revocations/da1e96e9-afcc-4eed-b9a2-2ddf7353214c",
		NewRevocationList("https://dc.1edtech.org/wellspring2022/wellspring-portal/api/revocations/da1e96e9-afcc-4eed-b9a2-2ddf7353214c",
			idOf(revokedFixture["issuer"]), []RevokedCredential{{ID: revokedFixture["id"].(string), Reason: "Issued in error"}}))

	t.Run("every revoked DCC and 1EdTech credential comes out Revoked", func(t *testing.T) {
		var files []string
		for _, pattern := range []string{"dcc-verifier-core-fixtures/*Revoked*.json", "1edtech-validator-fixtures/credential-status-revoked*.json"} {
			m, err := filepath.Glob(filepath.Join(vectors, pattern))
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, m...)
		}
		if len(files) != 6 {
			t.Fatalf("found %d revoked fixtures, want 6: %v", len(files), files)
		}
		for _, f := range files {
			t.Run(filepath.Base(f), func(t *testing.T) {
				wantState(t, checkOne(t, loadJSON(t, f), srv), Revoked, nil)
			})
		}
	})

	t.Run("every DCC credential with a valid status comes out Valid", func(t *testing.T) {
		files, err := filepath.Glob(filepath.Join(vectors, "dcc-verifier-core-fixtures", "*WithValidStatus*.json"))
		if err != nil {
			t.Fatal(err)
		}
		checked := 0
		for _, f := range files {
			cred := loadJSON(t, f)
			if !strings.HasPrefix(idOf(cred["issuer"]), "did:key:") {
				continue // the did:web ones point at a did:key list: see the issuer test below
			}
			checked++
			t.Run(filepath.Base(f), func(t *testing.T) {
				wantState(t, checkOne(t, cred, srv), Valid, nil)
			})
		}
		if checked != 6 {
			t.Fatalf("checked %d credentials, want 6", checked)
		}
	})

	t.Run("a did:web credential pointing at a list issued by a did:key is not trusted", func(t *testing.T) {
		for _, f := range []string{"v2didWebWithValidStatus.json", "v2didWebMultikeyWithValidStatus.json"} {
			r := checkOne(t, loadJSON(t, filepath.Join(vectors, "dcc-verifier-core-fixtures", f)), srv)
			wantState(t, r, Unknown, ErrIssuerMismatch)
			if !strings.Contains(r.Reason, "did:key:z6MknNQD1WHLGGraFi6zcbGevuAgkVfdyCdtZnQTGWVVvR5Q") {
				t.Fatalf("reason does not name the list's issuer: %s", r.Reason)
			}
		}
	})

	t.Run("a list URL that answers 404 leaves the status Unknown", func(t *testing.T) {
		r := checkOne(t, loadJSON(t, filepath.Join(vectors, "dcc-verifier-core-fixtures", "v2DoubleSigWithBadStatusUrl.json")), srv)
		wantState(t, r, Unknown, ErrListUnavailable)
		if !strings.Contains(r.Reason, "404") || !strings.Contains(r.Reason, "revocation status is unknown") {
			t.Fatalf("reason = %s", r.Reason)
		}
	})

	t.Run("the 1EdTech revocation reason is reported", func(t *testing.T) {
		r := checkOne(t, revokedFixture, srv)
		if r.Message != "Issued in error" || !strings.Contains(r.Reason, "Issued in error") {
			t.Fatalf("message = %q, reason = %s", r.Message, r.Reason)
		}
	})

	t.Run("a 1EdTech list that does not name the credential leaves it Valid", func(t *testing.T) {
		cred := loadJSON(t, filepath.Join(vectors, "1edtech-validator-fixtures", "complete.json"))
		srv.publish(t, "https://1edtech.edu/credentials/3732/revocations",
			NewRevocationList("https://1edtech.edu/credentials/3732/revocations", "https://1edtech.edu/issuers/565049",
				[]RevokedCredential{{ID: "http://1edtech.edu/credentials/9999"}}))
		wantState(t, checkOne(t, cred, srv), Valid, nil)
	})

	t.Run("a 1EdTech list that cannot be fetched leaves the status Unknown", func(t *testing.T) {
		cred := loadJSON(t, filepath.Join(vectors, "1edtech-validator-fixtures", "endorsement-err-schema-status-refresh.json"))
		wantState(t, checkOne(t, cred, srv), Unknown, ErrListUnavailable)
	})

	t.Run("credentials without credentialStatus give no results", func(t *testing.T) {
		for _, f := range []string{"v1NoStatus.json", "v2NoStatus.json"} {
			results, err := Check(context.Background(), loadJSON(t, filepath.Join(vectors, "dcc-verifier-core-fixtures", f)), srv, issuerOnly)
			if err != nil || results != nil {
				t.Fatalf("%s: results = %v, err = %v", f, results, err)
			}
		}
	})

	t.Run("a malformed entry gives an Unknown result naming it", func(t *testing.T) {
		r := checkOne(t, loadJSON(t, filepath.Join(vectors, "dcc-verifier-core-fixtures", "safeModeBreaker.json")), srv)
		wantState(t, r, Unknown, ErrMalformedEntry)
		if r.Entry.Type != TypeStatusList2021Entry || !strings.Contains(r.Reason, "credentialStatus[0]") {
			t.Fatalf("result = %+v", r)
		}
	})
}

// w3cSuiteListCredential is the W3C test suite's status list credential, with the issuer added
// (the suite's fixture has none).
func w3cSuiteListCredential(issuer string, purposes ...any) map[string]any {
	return map[string]any{
		"@context": []any{ContextV2},
		"type":     []any{"VerifiableCredential", TypeBitstringStatusListCredential},
		"issuer":   issuer,
		"credentialSubject": map[string]any{
			"type": TypeBitstringStatusList, "statusPurpose": purposes, "encodedList": w3cSuiteList,
		},
	}
}

func TestCheckW3CSuite(t *testing.T) {
	srv := newListServer(t)
	const issuer = "did:example:12345"
	srv.publish(t, "https://w3c-ccg.github.io/vc-api/fixtures/credentials/status/purpose-single-ok.jsonld", w3cSuiteListCredential(issuer, "revocation"))
	srv.publish(t, "https://w3c-ccg.github.io/vc-api/fixtures/credentials/status/purpose-multi-ok.jsonld", w3cSuiteListCredential(issuer, "revocation", "suspension"))
	cred := func(purpose, list string) map[string]any {
		return map[string]any{
			"issuer": issuer,
			"credentialStatus": map[string]any{
				"type": TypeBitstringStatusListEntry, "statusPurpose": purpose, "statusListIndex": "201",
				"statusListCredential": "https://w3c-ccg.github.io/vc-api/fixtures/credentials/status/" + list,
			},
		}
	}
	t.Run("should-be-revoked comes out Revoked", func(t *testing.T) {
		wantState(t, checkOne(t, cred("revocation", "purpose-single-ok.jsonld"), srv), Revoked, nil)
	})
	t.Run("should-be-suspended comes out Suspended from a list with two purposes", func(t *testing.T) {
		wantState(t, checkOne(t, cred("suspension", "purpose-multi-ok.jsonld"), srv), Suspended, nil)
	})
	t.Run("a list of 200,000 bits meets the 131,072-entry minimum", func(t *testing.T) {
		wantState(t, checkOne(t, cred("revocation", "purpose-single-ok.jsonld"), srv, WithMinimumEntries(MinEntries)), Revoked, nil)
	})
	t.Run("the 200-bit list of the suite is too short when the minimum is enforced", func(t *testing.T) {
		short := w3cSuiteListCredential(issuer, "revocation")
		short["credentialSubject"].(map[string]any)["encodedList"] = w3cSuiteShortList
		srv.publish(t, "https://w3c-ccg.github.io/vc-api/fixtures/credentials/status/short-encoded-list-fail.jsonld", short)
		c := cred("revocation", "short-encoded-list-fail.jsonld")
		c["credentialStatus"].(map[string]any)["statusListIndex"] = "3"
		wantState(t, checkOne(t, c, srv, WithMinimumEntries(MinEntries)), Unknown, ErrListTooShort)
		wantState(t, checkOne(t, c, srv), Valid, nil)
	})
}

func TestCheckDCCListLength(t *testing.T) {
	srv := newListServer(t)
	cred := loadJSON(t, filepath.Join(vectors, "dcc-verifier-core-fixtures", "v2Revoked.json"))
	t.Run("the DCC list of 100,000 entries is refused when the W3C minimum is enforced", func(t *testing.T) {
		r := checkOne(t, cred, srv, WithMinimumEntries(MinEntries))
		wantState(t, r, Unknown, ErrListTooShort)
		if !strings.Contains(r.Reason, "100000 entries") {
			t.Fatalf("reason = %s", r.Reason)
		}
	})
}

// fixture is an issuer publishing status lists built with NewListCredential on a list server.
type fixture struct {
	srv    *listServer
	issuer string
}

const listURL = "https://badges.example.org/status/1"

func newFixture(t *testing.T) *fixture {
	return &fixture{srv: newListServer(t), issuer: "did:web:badges.example.org:issuers:lycee"}
}

// publishList publishes a list of statuses of size bits at listURL with the given values set.
func (f *fixture) publishList(t *testing.T, purpose string, set map[int]uint64, size int, opts ...ListOption) {
	t.Helper()
	bits, err := New(MinEntries * size)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range set {
		if err := bits.SetValue(i, size, v); err != nil {
			t.Fatal(err)
		}
	}
	f.srv.publish(t, listURL, NewListCredential(listURL, f.issuer, purpose, bits, testNow.Add(-time.Hour), opts...))
}

// credential is a credential of the fixture's issuer (as a Profile object) with these entries.
func (f *fixture) credential(entries ...map[string]any) map[string]any {
	status := make([]any, len(entries))
	for i, e := range entries {
		status[i] = e
	}
	return map[string]any{
		"id":               "https://badges.example.org/credentials/42",
		"issuer":           map[string]any{"id": f.issuer, "type": []any{"Profile"}, "name": "Lycée"},
		"credentialStatus": status,
	}
}

func TestCheckRules(t *testing.T) {
	t.Run("a set revocation bit in a list the issuer built comes out Revoked", func(t *testing.T) {
		f := newFixture(t)
		f.publishList(t, PurposeRevocation, map[int]uint64{94567: 1}, 1)
		wantState(t, checkOne(t, f.credential(NewEntry(listURL, PurposeRevocation, 94567)), f.srv), Revoked, nil)
		wantState(t, checkOne(t, f.credential(NewEntry(listURL, PurposeRevocation, 94566)), f.srv), Valid, nil)
	})
	t.Run("a list issued by someone else leaves the status Unknown", func(t *testing.T) {
		f := newFixture(t)
		f.publishList(t, PurposeRevocation, map[int]uint64{7: 1}, 1)
		c := f.credential(NewEntry(listURL, PurposeRevocation, 7))
		c["issuer"] = "did:web:impostor.example"
		wantState(t, checkOne(t, c, f.srv), Unknown, ErrIssuerMismatch)
	})
	t.Run("a credential without an issuer cannot be matched to its list", func(t *testing.T) {
		f := newFixture(t)
		f.publishList(t, PurposeRevocation, nil, 1)
		c := f.credential(NewEntry(listURL, PurposeRevocation, 7))
		delete(c, "issuer")
		wantState(t, checkOne(t, c, f.srv), Unknown, ErrIssuerMismatch)
	})
	t.Run("a suspension entry checked against a revocation list is a purpose mismatch", func(t *testing.T) {
		f := newFixture(t)
		f.publishList(t, PurposeRevocation, map[int]uint64{7: 1}, 1)
		r := checkOne(t, f.credential(NewEntry(listURL, PurposeSuspension, 7)), f.srv)
		wantState(t, r, Unknown, ErrPurposeMismatch)
		if !strings.Contains(r.Reason, `"suspension"`) {
			t.Fatalf("reason = %s", r.Reason)
		}
	})
	t.Run("a StatusList2021Entry pointing at a BitstringStatusListCredential is a type mismatch", func(t *testing.T) {
		f := newFixture(t)
		f.publishList(t, PurposeRevocation, nil, 1)
		e := NewEntry(listURL, PurposeRevocation, 7)
		e["type"] = TypeStatusList2021Entry
		wantState(t, checkOne(t, f.credential(e), f.srv), Unknown, ErrTypeMismatch)
	})
	t.Run("a list whose subject is not a BitstringStatusList is a type mismatch", func(t *testing.T) {
		f := newFixture(t)
		list := NewListCredential(listURL, f.issuer, PurposeRevocation, nil, time.Time{})
		list["credentialSubject"].(map[string]any)["type"] = "StatusList2021"
		f.srv.publish(t, listURL, list)
		wantState(t, checkOne(t, f.credential(NewEntry(listURL, PurposeRevocation, 7)), f.srv), Unknown, ErrTypeMismatch)
	})
	t.Run("an index past the end of the list is out of range", func(t *testing.T) {
		f := newFixture(t)
		f.publishList(t, PurposeRevocation, nil, 1)
		r := checkOne(t, f.credential(NewEntry(listURL, PurposeRevocation, MinEntries)), f.srv)
		wantState(t, r, Unknown, ErrIndexOutOfRange)
		if !strings.Contains(r.Reason, "indexes 0 to 131071") {
			t.Fatalf("reason = %s", r.Reason)
		}
	})
	t.Run("a list not yet valid leaves the status Unknown", func(t *testing.T) {
		f := newFixture(t)
		f.srv.publish(t, listURL, NewListCredential(listURL, f.issuer, PurposeRevocation, nil, testNow.Add(24*time.Hour)))
		wantState(t, checkOne(t, f.credential(NewEntry(listURL, PurposeRevocation, 7)), f.srv), Unknown, ErrListNotYetValid)
	})
	t.Run("an expired list leaves the status Unknown", func(t *testing.T) {
		f := newFixture(t)
		f.publishList(t, PurposeRevocation, nil, 1, WithValidUntil(testNow.Add(-time.Minute)))
		r := checkOne(t, f.credential(NewEntry(listURL, PurposeRevocation, 7)), f.srv)
		wantState(t, r, Unknown, ErrListExpired)
		if !strings.Contains(r.Reason, "fresh list") {
			t.Fatalf("reason = %s", r.Reason)
		}
	})
	t.Run("an expired VC 1.1 list is honoured too", func(t *testing.T) {
		f := newFixture(t)
		list := NewListCredential(listURL, f.issuer, PurposeRevocation, nil, time.Time{})
		list["expirationDate"] = "2020-01-01T00:00:00Z"
		f.srv.publish(t, listURL, list)
		wantState(t, checkOne(t, f.credential(NewEntry(listURL, PurposeRevocation, 7)), f.srv), Unknown, ErrListExpired)
	})
	t.Run("a list with an unreadable date is malformed", func(t *testing.T) {
		f := newFixture(t)
		list := NewListCredential(listURL, f.issuer, PurposeRevocation, nil, time.Time{})
		list["validFrom"] = "last Tuesday"
		f.srv.publish(t, listURL, list)
		wantState(t, checkOne(t, f.credential(NewEntry(listURL, PurposeRevocation, 7)), f.srv), Unknown, ErrMalformedList)
	})
	t.Run("a list the verifier rejects leaves the status Unknown", func(t *testing.T) {
		f := newFixture(t)
		f.publishList(t, PurposeRevocation, map[int]uint64{7: 1}, 1)
		reject := func(context.Context, map[string]any) (string, error) {
			return "", errors.New("proof value does not verify")
		}
		results, err := Check(context.Background(), f.credential(NewEntry(listURL, PurposeRevocation, 7)), f.srv, reject)
		if err != nil {
			t.Fatal(err)
		}
		wantState(t, results[0], Unknown, ErrListNotVerified)
		if !strings.Contains(results[0].Reason, "proof value does not verify") {
			t.Fatalf("reason = %s", results[0].Reason)
		}
	})
	t.Run("a list server that is down leaves the status Unknown", func(t *testing.T) {
		f := newFixture(t)
		f.publishList(t, PurposeRevocation, nil, 1)
		f.srv.srv.Close()
		r := checkOne(t, f.credential(NewEntry(listURL, PurposeRevocation, 7)), f.srv)
		wantState(t, r, Unknown, ErrListUnavailable)
	})
	t.Run("a document that is not JSON is a malformed list", func(t *testing.T) {
		f := newFixture(t)
		f.srv.publish(t, listURL, []byte("<html>maintenance</html>"))
		wantState(t, checkOne(t, f.credential(NewEntry(listURL, PurposeRevocation, 7)), f.srv), Unknown, ErrMalformedList)
	})
	t.Run("an undecodable encodedList is a malformed list", func(t *testing.T) {
		f := newFixture(t)
		list := NewListCredential(listURL, f.issuer, PurposeRevocation, nil, time.Time{})
		list["credentialSubject"].(map[string]any)["encodedList"] = "uNotGzipAtAll"
		f.srv.publish(t, listURL, list)
		wantState(t, checkOne(t, f.credential(NewEntry(listURL, PurposeRevocation, 7)), f.srv), Unknown, ErrMalformedList)
	})
	t.Run("a GZIP bomb in a list is refused", func(t *testing.T) {
		f := newFixture(t)
		list := NewListCredential(listURL, f.issuer, PurposeRevocation, nil, time.Time{})
		list["credentialSubject"].(map[string]any)["encodedList"] = multibase(zeroBomb(t, MaxListBytes+1))
		f.srv.publish(t, listURL, list)
		wantState(t, checkOne(t, f.credential(NewEntry(listURL, PurposeRevocation, 7)), f.srv), Unknown, ErrListTooLarge)
	})
	t.Run("a set suspension bit comes out Suspended", func(t *testing.T) {
		f := newFixture(t)
		f.publishList(t, PurposeSuspension, map[int]uint64{3: 1}, 1)
		wantState(t, checkOne(t, f.credential(NewEntry(listURL, PurposeSuspension, 3)), f.srv), Suspended, nil)
	})
	t.Run("a set refresh bit is a Message saying an update exists", func(t *testing.T) {
		f := newFixture(t)
		f.publishList(t, PurposeRefresh, map[int]uint64{3: 1}, 1)
		r := checkOne(t, f.credential(NewEntry(listURL, PurposeRefresh, 3)), f.srv)
		wantState(t, r, Message, nil)
		if !strings.Contains(r.Reason, "updated version") {
			t.Fatalf("reason = %s", r.Reason)
		}
	})
	t.Run("a two-bit message status reports the issuer's message", func(t *testing.T) {
		f := newFixture(t)
		f.publishList(t, PurposeMessage, map[int]uint64{1000: 2}, 2)
		e := NewEntry(listURL, PurposeMessage, 1000)
		e["statusSize"] = 2
		e["statusMessage"] = []any{
			map[string]any{"status": "0x0", "message": "pending_review"}, map[string]any{"status": "0x1", "message": "accepted"},
			map[string]any{"status": "0x2", "message": "rejected"}, map[string]any{"status": "0x3", "message": "undefined"},
		}
		r := checkOne(t, f.credential(e), f.srv)
		wantState(t, r, Message, nil)
		if r.Value != 2 || r.Message != "rejected" || !strings.Contains(r.Reason, `"rejected"`) {
			t.Fatalf("result = %+v", r)
		}
	})
	t.Run("a list named by two entries is fetched and verified once", func(t *testing.T) {
		f := newFixture(t)
		bits, _ := New(MinEntries)
		_ = bits.Set(10, true)
		list := NewListCredential(listURL, f.issuer, PurposeRevocation, bits, time.Time{})
		list["credentialSubject"].(map[string]any)["statusPurpose"] = []any{PurposeRevocation, PurposeSuspension}
		f.srv.publish(t, listURL, list)
		verified := 0
		count := func(ctx context.Context, l map[string]any) (string, error) { verified++; return issuerOnly(ctx, l) }
		results, err := Check(context.Background(), f.credential(NewEntry(listURL, PurposeRevocation, 10), NewEntry(listURL, PurposeSuspension, 11)), f.srv, count)
		if err != nil {
			t.Fatal(err)
		}
		wantState(t, results[0], Revoked, nil)
		wantState(t, results[1], Valid, nil)
		if hits := f.srv.hitsFor(listURL); hits != 1 || verified != 1 {
			t.Fatalf("fetched %d times, verified %d times; want once each", hits, verified)
		}
	})
	t.Run("an unsupported entry does not stop the others", func(t *testing.T) {
		f := newFixture(t)
		f.publishList(t, PurposeRevocation, map[int]uint64{5: 1}, 1)
		results, err := Check(context.Background(), f.credential(
			map[string]any{"type": "RevocationList2020Status", "revocationListIndex": "5"},
			NewEntry(listURL, PurposeRevocation, 5)), f.srv, issuerOnly, WithClock(clock))
		if err != nil {
			t.Fatal(err)
		}
		wantState(t, results[0], Unknown, ErrUnsupportedType)
		wantState(t, results[1], Revoked, nil)
	})
}

func TestCheckRefusesToStart(t *testing.T) {
	srv := newListServer(t)
	cred := map[string]any{"credentialStatus": NewEntry(listURL, PurposeRevocation, 1)}
	t.Run("without a fetcher or a verifier", func(t *testing.T) {
		if _, err := Check(context.Background(), cred, nil, issuerOnly); !errors.Is(err, ErrMissingDependency) {
			t.Fatalf("err = %v", err)
		}
		if _, err := Check(context.Background(), cred, srv, nil); !errors.Is(err, ErrMissingDependency) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("when credentialStatus is neither an object nor an array", func(t *testing.T) {
		if _, err := Check(context.Background(), map[string]any{"credentialStatus": 3.0}, srv, issuerOnly); !errors.Is(err, ErrMalformedEntry) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("when the context is already cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := Check(ctx, cred, srv, issuerOnly); !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestStateNames(t *testing.T) {
	for s, want := range map[State]string{Unknown: "unknown", Valid: "valid", Revoked: "revoked", Suspended: "suspended", Message: "message", State(9): "State(9)"} {
		if got := s.String(); got != want {
			t.Errorf("State(%d).String() = %q, want %q", int(s), got, want)
		}
	}
	if b, _ := Revoked.MarshalText(); string(b) != "revoked" {
		t.Errorf("MarshalText = %s", b)
	}
}
