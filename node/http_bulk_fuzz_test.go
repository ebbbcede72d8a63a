package node

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/cockroachdb/pebble/v2/vfs"
)

// FuzzBulkEndpoint posts arbitrary bytes as a CSV upload: the endpoint never panics, and
// answers either a problem+json refusal or an NDJSON stream of well-formed lines whose
// last line is the summary, with counts that add up.
func FuzzBulkEndpoint(f *testing.F) {
	for _, seed := range []string{
		"\ufeffEmail;Name;Show_Name\r\nada@example.org;Ada;oui\r\n",
		"email,did,name,show_name,narrative,evidence_url,evidence_name,credits_earned,activity_start,activity_end,valid_until,row_key\n" +
			"ada@example.org,did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK,Ada,true,\"multi\nline\",https://example.org/x.pdf,X,1.5,2026-01-05,2026-02-01T17:00:00+01:00,2030-12-31,k1\n",
		"email\nada@example.org\nADA@example.org\n",
		"email,valid_until\npast@example.org,2001-01-01\n",
		"email,name\na@example.org,\"open\n",
		"email,colour\na@example.org,red\n",
		"",
	} {
		f.Add([]byte(seed))
	}
	tn := startNode(f, vfs.NewMem(), nil)
	defer tn.stop()
	ach := setUpIssuerA(f, tn)
	h := tn.Handler()
	f.Fuzz(func(t *testing.T, data []byte) {
		req := httptest.NewRequest("POST", "/api/v1/issuers/a/achievements/"+ach+"/awards/bulk", bytes.NewReader(data))
		req.Header.Set("Authorization", "Bearer "+tn.admin)
		req.Header.Set("Content-Type", "text/csv")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			if rec.Code >= 500 || rec.Header().Get("Content-Type") != "application/problem+json" {
				t.Fatalf("= %d %s: %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
			}
			return
		}
		dec := json.NewDecoder(rec.Body)
		var counts [3]int
		for {
			var a bulkAnswer
			if err := dec.Decode(&a); err != nil {
				t.Fatalf("the stream ended without its summary: %v", err)
			}
			if a.Done {
				if a.Awarded != counts[0] || a.Existing != counts[1] || a.Errors != counts[2] || dec.More() {
					t.Fatalf("summary %+v after counting %v", a.BulkSummary, counts)
				}
				return
			}
			switch a.Status {
			case BulkAwarded:
				counts[0]++
			case BulkExisting:
				counts[1]++
			case BulkError:
				counts[2]++
				if a.Error == "" {
					t.Fatalf("error line without a reason: %+v", a.BulkLine)
				}
			default:
				t.Fatalf("line %+v", a.BulkLine)
			}
			if a.Line < 2 {
				t.Fatalf("line number %d", a.Line)
			}
		}
	})
}
