package bulk

import (
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzReader feeds arbitrary bytes to NewReader and Next: no panic, no endless loop, rows
// that come back satisfy the documented rules.
func FuzzReader(f *testing.F) {
	var sb strings.Builder
	if err := writeRows(&sb, 3); err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{
		sb.String(),
		"\ufeffEmail;Name;Show_Name\r\nada@example.org;Ada;oui\r\n",
		"email,did,name,show_name,narrative,evidence_url,evidence_name,credits_earned,activity_start,activity_end,valid_until,row_key\n" +
			"ada@example.org," + learnerDID + ",Ada,true,\"multi\nline\",https://example.org/x.pdf,X,1.5,2026-01-05,2026-02-01T17:00:00+01:00,2030-12-31,k1\n",
		"did\n" + learnerDID + "\ndid:web:example.org:issuers:demo\n",
		"email,name\na@example.org,\"open\n",
		"email,name\na@example.org,Ada \"x\" y\nb@example.org,a,b\n,\n",
		"email\nada@example.org\nADA@example.org\n",
		"",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewReader(strings.NewReader(string(data)))
		if err != nil {
			if !errors.Is(err, ErrHeader) {
				t.Fatalf("NewReader error %v does not match ErrHeader", err)
			}
			return
		}
		for i := 0; ; i++ {
			if i > len(data)+1 {
				t.Fatalf("more results (%d) than bytes (%d)", i, len(data))
			}
			row, err := r.Next()
			if err == io.EOF {
				return
			}
			var re *RowError
			if errors.As(err, &re) {
				if re.Line < 2 || re.Reason == "" {
					t.Fatalf("row error %+v", re)
				}
				continue
			}
			if err != nil {
				return
			}
			if row.RowKey == "" || (row.Email == "" && row.DID == "") || row.Line < 2 {
				t.Fatalf("row %+v", row)
			}
			for _, s := range []string{row.Email, row.DID, row.Name, row.Narrative, row.EvidenceURL, row.EvidenceName} {
				if !utf8.ValidString(s) || utf8.RuneCountInString(s) > MaxFieldRunes {
					t.Fatalf("cell %q breaks the rules", s)
				}
			}
		}
	})
}
