package status

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// seedLists returns the encoded lists of the vectors and W3C examples.
func seedLists(f *testing.F) []string {
	out := []string{w3cExample3List, w3cSuiteList, w3cSuiteShortList, "", "u", "uH4sI"}
	for _, file := range []string{"dcc-status-e5WK8CbZ1GjycuPombrj.json", "1edtech-bitstring-testlist.json"} {
		list := loadJSON(f, filepath.Join(vectors, "web", file))
		out = append(out, list["credentialSubject"].(map[string]any)["encodedList"].(string))
	}
	return out
}

func FuzzDecode(f *testing.F) {
	for _, s := range seedLists(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, encoded string) {
		b, err := Decode(encoded)
		if err != nil {
			return
		}
		if b.Len()%8 != 0 || b.Len() > MaxListBytes*8 {
			t.Fatalf("decoded a list of %d bits", b.Len())
		}
		again, err := Decode(b.Encode())
		if err != nil {
			t.Fatalf("re-decoding our own encoding: %v", err)
		}
		if !bytes.Equal(again.bits, b.bits) {
			t.Fatal("round trip changed the list")
		}
		if b.Len() > 0 {
			if _, err := b.Value(b.Entries(3)-1, 3); b.Entries(3) > 0 && err != nil {
				t.Fatalf("last three-bit entry: %v", err)
			}
		}
	})
}

// seedStatuses returns the credentialStatus members of the vectors as JSON.
func seedStatuses(f *testing.F) [][]byte {
	var out [][]byte
	for _, dir := range []string{"dcc-verifier-core-fixtures", "1edtech-validator-fixtures"} {
		files, _ := filepath.Glob(filepath.Join(vectors, dir, "*.json"))
		for _, file := range files {
			var cred map[string]any
			data, err := os.ReadFile(file)
			if err != nil || json.Unmarshal(data, &cred) != nil || cred["credentialStatus"] == nil {
				continue
			}
			out = append(out, mustJSON(f, cred["credentialStatus"]))
		}
	}
	return append(out,
		[]byte(`{"type":"BitstringStatusListEntry","statusPurpose":"message","statusListIndex":"3","statusSize":2,"statusListCredential":"https://e.x/s","statusMessage":[{"status":"0x0","message":"a"},{"status":"0x1","message":"b"},{"status":"0x2","message":"c"},{"status":"0x3","message":"d"}]}`),
		[]byte(`[{"type":"StatusList2021Entry","statusPurpose":"suspension","statusListIndex":"0","statusListCredential":"https://e.x/s"},"x",null]`),
		[]byte(`{"type":["1EdTechRevocationList"],"id":"https://e.x/r"}`))
}

func FuzzParseEntries(f *testing.F) {
	for _, s := range seedStatuses(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v any
		if json.Unmarshal(data, &v) != nil {
			return
		}
		entries, err := ParseEntries(v)
		if err != nil {
			return
		}
		for _, e := range entries {
			if e.StatusListIndex < 0 || e.StatusSize < 1 || e.StatusSize > MaxStatusSize || e.StatusListCredential == "" || e.StatusPurpose == "" {
				t.Fatalf("accepted an impossible entry %+v", e)
			}
			if e.StatusSize > 1 && len(e.StatusMessages) != 1<<e.StatusSize {
				t.Fatalf("accepted %d messages for statusSize %d", len(e.StatusMessages), e.StatusSize)
			}
		}
	})
}

func FuzzParseRevocationList(f *testing.F) {
	f.Add(mustJSON(f, NewRevocationList("https://e.x/r", "did:web:e.x", []RevokedCredential{{ID: "urn:uuid:1", Reason: "r"}})))
	f.Add([]byte(`{"issuer":{"id":"did:web:e.x"},"revokedCredentials":["urn:a",{"id":"urn:b","revoked":"false"},{"id":"urn:c","revoked":true}]}`))
	f.Add([]byte(`{"revokedCredentials":[{"id":7}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var doc map[string]any
		if json.Unmarshal(data, &doc) != nil {
			return
		}
		l, err := ParseRevocationList(doc)
		if err != nil {
			return
		}
		for _, r := range l.Revoked {
			if _, ok := l.Find(r.ID); !ok {
				t.Fatalf("%q is in the list but Find misses it", r.ID)
			}
		}
	})
}

// FuzzCheckListDocument feeds arbitrary bytes to Check as the fetched status list.
func FuzzCheckListDocument(f *testing.F) {
	for _, file := range []string{"dcc-status-e5WK8CbZ1GjycuPombrj.json", "1edtech-bitstring-testlist.json"} {
		f.Add(readFile(f, filepath.Join(vectors, "web", file)), uint8(0))
	}
	f.Add(mustJSON(f, NewRevocationList(listURL, "did:key:z6MknNQD1WHLGGraFi6zcbGevuAgkVfdyCdtZnQTGWVVvR5Q", []RevokedCredential{{ID: "urn:uuid:1"}})), uint8(1))
	f.Add([]byte(`{"type":"BitstringStatusListCredential","issuer":{"id":"did:key:z6MknNQD1WHLGGraFi6zcbGevuAgkVfdyCdtZnQTGWVVvR5Q"},"validUntil":7,"credentialSubject":[{}]}`), uint8(0))
	f.Fuzz(func(t *testing.T, doc []byte, kind uint8) {
		status := NewEntry(listURL, PurposeRevocation, 6)
		if kind%2 == 1 {
			status = map[string]any{"id": listURL, "type": Type1EdTechRevocationList}
		}
		cred := map[string]any{
			"id":               "urn:uuid:1",
			"issuer":           "did:key:z6MknNQD1WHLGGraFi6zcbGevuAgkVfdyCdtZnQTGWVVvR5Q",
			"credentialStatus": status,
		}
		fetch := FetcherFunc(func(context.Context, string) ([]byte, error) { return doc, nil })
		results, err := Check(context.Background(), cred, fetch, issuerOnly, WithClock(clock))
		if err != nil || len(results) != 1 {
			t.Fatalf("Check = %v, %v; want one result", results, err)
		}
		if r := results[0]; r.Reason == "" || (r.State == Unknown) != (r.Err != nil) {
			t.Fatalf("inconsistent result %+v", r)
		}
	})
}
