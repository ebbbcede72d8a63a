package status

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func jsonValue(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("parse %s: %v", s, err)
	}
	return v
}

const dccList = "https://raw.githubusercontent.com/digitalcredentials/verifier-core/refs/heads/main/src/test-fixtures/status/e5WK8CbZ1GjycuPombrj"

func TestParseEntries(t *testing.T) {
	t.Run("a BitstringStatusListEntry from a DCC credential is read", func(t *testing.T) {
		cred := loadJSON(t, filepath.Join(vectors, "dcc-verifier-core-fixtures", "v2Revoked.json"))
		entries, err := ParseEntries(cred["credentialStatus"])
		if err != nil {
			t.Fatal(err)
		}
		want := Entry{ID: dccList + "#8", Type: TypeBitstringStatusListEntry, StatusPurpose: PurposeRevocation,
			StatusListIndex: 8, StatusListCredential: dccList, StatusSize: 1}
		if len(entries) != 1 || !entryEqual(entries[0], want) {
			t.Fatalf("entries = %+v, want [%+v]", entries, want)
		}
	})
	t.Run("an index given as a JSON number is accepted", func(t *testing.T) {
		cred := loadJSON(t, filepath.Join(vectors, "1edtech-validator-fixtures", "credential-status-revoked-blank-nodes.json"))
		entries, err := ParseEntries(cred["credentialStatus"])
		if err != nil {
			t.Fatal(err)
		}
		if entries[0].StatusListIndex != 23 {
			t.Fatalf("index = %d, want 23", entries[0].StatusListIndex)
		}
	})
	t.Run("a 1EdTechRevocationList entry points at its list by id", func(t *testing.T) {
		cred := loadJSON(t, filepath.Join(vectors, "1edtech-validator-fixtures", "complete.json"))
		entries, err := ParseEntries(cred["credentialStatus"])
		if err != nil {
			t.Fatal(err)
		}
		e := entries[0]
		if e.Type != Type1EdTechRevocationList || e.StatusListCredential != "https://1edtech.edu/credentials/3732/revocations" ||
			e.ID != e.StatusListCredential || e.StatusPurpose != PurposeRevocation {
			t.Fatalf("entry = %+v", e)
		}
	})
	t.Run("an array of entries is read in order (W3C Example 1)", func(t *testing.T) {
		entries, err := ParseEntries(jsonValue(t, `[{
			"id": "https://example.com/credentials/status/3#94567", "type": "BitstringStatusListEntry",
			"statusPurpose": "revocation", "statusListIndex": "94567",
			"statusListCredential": "https://example.com/credentials/status/3"
		}, {
			"id": "https://example.com/credentials/status/4#23452", "type": "BitstringStatusListEntry",
			"statusPurpose": "suspension", "statusListIndex": "23452",
			"statusListCredential": "https://example.com/credentials/status/4"
		}]`))
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 2 || entries[0].StatusListIndex != 94567 || entries[1].StatusPurpose != PurposeSuspension {
			t.Fatalf("entries = %+v", entries)
		}
	})
	t.Run("a two-bit message entry carries its status messages (W3C Example 2)", func(t *testing.T) {
		entries, err := ParseEntries(jsonValue(t, `{
			"id": "https://example.com/credentials/status/8#492847", "type": "BitstringStatusListEntry",
			"statusPurpose": "message", "statusListIndex": "492847", "statusSize": 2,
			"statusListCredential": "https://example.com/credentials/status/8",
			"statusMessage": [
				{"status": "0x0", "message": "pending_review"}, {"status": "0x1", "message": "accepted"},
				{"status": "0x2", "message": "rejected"}, {"status": "0x3", "message": "undefined"}],
			"statusReference": "https://example.org/status-dictionary/"
		}`))
		if err != nil {
			t.Fatal(err)
		}
		e := entries[0]
		if e.StatusSize != 2 || len(e.StatusMessages) != 4 {
			t.Fatalf("entry = %+v", e)
		}
		if m, ok := e.MessageFor(2); !ok || m != "rejected" {
			t.Fatalf("MessageFor(2) = %q, %v", m, ok)
		}
	})
	t.Run("a type given as an array is recognised", func(t *testing.T) {
		e, err := ParseEntry(jsonValue(t, `{"type": ["BitstringStatusListEntry"], "statusPurpose": "revocation",
			"statusListIndex": "0", "statusListCredential": "https://example.com/status/1"}`))
		if err != nil || e.Type != TypeBitstringStatusListEntry {
			t.Fatalf("entry = %+v, err = %v", e, err)
		}
	})
	t.Run("a credential without credentialStatus has no entries", func(t *testing.T) {
		entries, err := ParseEntries(nil)
		if err != nil || entries != nil {
			t.Fatalf("entries = %v, err = %v", entries, err)
		}
	})
}

func entryEqual(a, b Entry) bool {
	return a.ID == b.ID && a.Type == b.Type && a.StatusPurpose == b.StatusPurpose && a.StatusListIndex == b.StatusListIndex &&
		a.StatusListCredential == b.StatusListCredential && a.StatusSize == b.StatusSize && len(a.StatusMessages) == len(b.StatusMessages)
}

func TestMalformedEntries(t *testing.T) {
	const base = `"type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListCredential": "https://example.com/status/1"`
	for _, tc := range []struct {
		name, entry string
		want        error
		words       string
	}{
		{"an index with letters is refused", `{` + base + `, "statusListIndex": "12a"}`, ErrMalformedEntry, "base-10 integer"},
		{"a negative index string is refused", `{` + base + `, "statusListIndex": "-1"}`, ErrMalformedEntry, "base-10 integer"},
		{"an index with spaces is refused", `{` + base + `, "statusListIndex": " 7"}`, ErrMalformedEntry, "base-10 integer"},
		{"an empty index is refused", `{` + base + `, "statusListIndex": ""}`, ErrMalformedEntry, "empty"},
		{"a missing index is refused", `{` + base + `}`, ErrMalformedEntry, "missing"},
		{"a fractional index number is refused", `{` + base + `, "statusListIndex": 1.5}`, ErrMalformedEntry, "whole number"},
		{"a negative index number is refused", `{` + base + `, "statusListIndex": -3}`, ErrMalformedEntry, "whole number"},
		{"an index beyond any integer is refused", `{` + base + `, "statusListIndex": "99999999999999999999999"}`, ErrMalformedEntry, "too large"},
		{"an index given as a boolean is refused", `{` + base + `, "statusListIndex": true}`, ErrMalformedEntry, "boolean"},
		{"a missing list URL is refused", `{"type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": "1"}`, ErrMalformedEntry, "statusListCredential"},
		{"a relative list URL is refused", `{"type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": "1", "statusListCredential": "/status/1"}`, ErrMalformedEntry, "absolute URL"},
		{"a missing purpose is refused", `{"type": "BitstringStatusListEntry", "statusListIndex": "1", "statusListCredential": "https://example.com/status/1"}`, ErrMalformedEntry, "statusPurpose"},
		{"a status size of zero is refused", `{` + base + `, "statusListIndex": "1", "statusSize": 0}`, ErrInvalidStatusSize, "statusSize 0"},
		{"a status size above 16 bits is refused", `{` + base + `, "statusListIndex": "1", "statusSize": 40}`, ErrInvalidStatusSize, "statusSize 40"},
		{"a two-bit status without messages is refused", `{` + base + `, "statusListIndex": "1", "statusSize": 2}`, ErrMalformedEntry, "statusMessage is required"},
		{"too few status messages are refused", `{` + base + `, "statusListIndex": "1", "statusSize": 2, "statusMessage": [{"status": "0x0", "message": "a"}]}`, ErrMalformedEntry, "exactly 4"},
		{"a status message value that is not hexadecimal is refused", `{` + base + `, "statusListIndex": "1", "statusMessage": [{"status": "0", "message": "a"}, {"status": "0x1", "message": "b"}]}`, ErrMalformedEntry, "hexadecimal"},
		{"a repeated status message value is refused", `{` + base + `, "statusListIndex": "1", "statusMessage": [{"status": "0x1", "message": "a"}, {"status": "0x1", "message": "b"}]}`, ErrMalformedEntry, "repeated"},
		{"an entry without a type is refused", `{"statusListIndex": "1"}`, ErrMalformedEntry, "no type"},
		{"an entry that is not an object is refused", `"https://example.com/status/1"`, ErrMalformedEntry, "string"},
		{"an unsupported status type is named", `{"type": "RevocationList2020Status", "revocationListIndex": "1"}`, ErrUnsupportedType, "RevocationList2020Status"},
		{"a 1EdTech revocation list entry without a URL is refused", `{"type": "1EdTechRevocationList"}`, ErrMalformedEntry, "URL of the revocation list"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseEntry(jsonValue(t, tc.entry))
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.words) {
				t.Fatalf("error %q does not say %q", err, tc.words)
			}
		})
	}
	t.Run("a StatusList2021Entry lacking its index and list is refused (DCC safe-mode fixture)", func(t *testing.T) {
		cred := loadJSON(t, filepath.Join(vectors, "dcc-verifier-core-fixtures", "safeModeBreaker.json"))
		_, err := ParseEntries(cred["credentialStatus"])
		if !errors.Is(err, ErrMalformedEntry) || !strings.Contains(err.Error(), "credentialStatus[0]") {
			t.Fatalf("err = %v, want ErrMalformedEntry naming credentialStatus[0]", err)
		}
	})
	t.Run("a credentialStatus that is a string is refused", func(t *testing.T) {
		if _, err := ParseEntries("revoked"); !errors.Is(err, ErrMalformedEntry) {
			t.Fatalf("err = %v, want ErrMalformedEntry", err)
		}
	})
}
