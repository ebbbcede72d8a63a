package bulk

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

const learnerDID = "did:key:z6MkhWqdDBPojHA7cprTGTt5yHv5yUi1B8cnXn8ReLumkw6E"

// readAll reads every row and every row error of a file.
func readAll(t *testing.T, data string) ([]Row, []*RowError) {
	t.Helper()
	r, err := NewReader(strings.NewReader(data))
	if err != nil {
		t.Fatalf("NewReader: %v", err)
	}
	var rows []Row
	var rowErrs []*RowError
	for {
		row, err := r.Next()
		if err == io.EOF {
			return rows, rowErrs
		}
		var re *RowError
		if errors.As(err, &re) {
			rowErrs = append(rowErrs, re)
			continue
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		rows = append(rows, row)
	}
}

func TestHeader(t *testing.T) {
	t.Run("a BOM and semicolons are recognised and names are case-insensitive", func(t *testing.T) {
		rows, errs := readAll(t, "\ufeffEmail; NAME ;Show_Name\nada@example.org;Ada Lovelace;oui\n")
		if len(errs) != 0 || len(rows) != 1 {
			t.Fatalf("rows %v errors %v", rows, errs)
		}
		if r := rows[0]; r.Email != "ada@example.org" || r.Name != "Ada Lovelace" || !r.ShowName || r.Line != 2 {
			t.Fatalf("row %+v", r)
		}
	})
	t.Run("commas win when the header holds more commas than semicolons", func(t *testing.T) {
		rows, errs := readAll(t, "email,narrative\nada@example.org,\"a; b; c\"\n")
		if len(errs) != 0 || len(rows) != 1 || rows[0].Narrative != "a; b; c" {
			t.Fatalf("rows %v errors %v", rows, errs)
		}
	})
	for _, tc := range []struct{ name, data, want string }{
		{"an unknown column is refused by name", "email,mail\n", `unknown column "mail" (column 2)`},
		{"a duplicate column is refused by name", "email,did,Email\n", `column "email" appears twice (columns 1 and 3)`},
		{"a file without email or did is refused", "name,narrative\n", "neither an email nor a did column"},
		{"an empty column name is refused with its position", "email,,name\n", "column 2 of the first line has no name"},
		{"an empty file is refused", "", "the file is empty"},
		{"a header line longer than the limit is refused", "email," + strings.Repeat("x", MaxHeaderBytes) + "\n", "first line is longer than"},
		{"a header that is not UTF-8 is refused", "email,\xff\n", "not valid UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewReader(strings.NewReader(tc.data))
			if !errors.Is(err, ErrHeader) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want ErrHeader containing %q", err, tc.want)
			}
		})
	}
}

func TestRows(t *testing.T) {
	t.Run("every column is read into the row", func(t *testing.T) {
		data := "email,did,name,show_name,narrative,evidence_url,evidence_name,credits_earned,activity_start,activity_end,valid_until,row_key\n" +
			" Ada@Example.org ," + learnerDID + ",Ada,true,Built a loom,https://example.org/loom.pdf,Loom plans,1.5,2026-01-05,2026-02-01T17:00:00+01:00,2030-12-31,\n"
		rows, errs := readAll(t, data)
		if len(errs) != 0 || len(rows) != 1 {
			t.Fatalf("rows %v errors %v", rows, errs)
		}
		r := rows[0]
		if r.Email != "Ada@Example.org" || r.RowKey != "ada@example.org" || r.DID != learnerDID || r.Name != "Ada" || !r.ShowName ||
			r.Narrative != "Built a loom" || r.EvidenceURL != "https://example.org/loom.pdf" || r.EvidenceName != "Loom plans" ||
			r.CreditsEarned == nil || *r.CreditsEarned != 1.5 {
			t.Fatalf("row %+v", r)
		}
		if !r.ActivityStart.Equal(time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)) || !r.ActivityEnd.Equal(time.Date(2026, 2, 1, 16, 0, 0, 0, time.UTC)) ||
			!r.ValidUntil.Equal(time.Date(2030, 12, 31, 0, 0, 0, 0, time.UTC)) {
			t.Fatalf("dates %v %v %v", r.ActivityStart, r.ActivityEnd, r.ValidUntil)
		}
	})
	t.Run("the row key is row_key, else the lowercased e-mail, else the DID", func(t *testing.T) {
		rows, errs := readAll(t, "row_key,email,did\nK-1,a@example.org,\n,B@Example.org,\n,,"+learnerDID+"\n")
		if len(errs) != 0 || len(rows) != 3 {
			t.Fatalf("rows %v errors %v", rows, errs)
		}
		for i, want := range []string{"K-1", "b@example.org", learnerDID} {
			if rows[i].RowKey != want {
				t.Errorf("row %d key %q, want %q", i, rows[i].RowKey, want)
			}
		}
	})
	t.Run("CRLF line ends and quoted cells with line breaks keep line numbers right", func(t *testing.T) {
		data := "email,narrative\r\na@example.org,\"first\r\nsecond\r\nthird\"\r\nb@example.org,plain\r\nnot-an-email,x\r\n"
		rows, errs := readAll(t, data)
		if len(rows) != 2 || rows[0].Line != 2 || rows[1].Line != 5 {
			t.Fatalf("rows %+v", rows)
		}
		if rows[0].Narrative != "first\nsecond\nthird" {
			t.Fatalf("narrative %q", rows[0].Narrative)
		}
		if len(errs) != 1 || errs[0].Line != 6 || errs[0].Column != "email" {
			t.Fatalf("errors %v", errs)
		}
	})
	t.Run("rows whose cells are all empty are skipped", func(t *testing.T) {
		rows, errs := readAll(t, "email;name\na@example.org;A\n;\n ; \nb@example.org;B\n")
		if len(errs) != 0 || len(rows) != 2 || rows[1].Line != 5 {
			t.Fatalf("rows %v errors %v", rows, errs)
		}
	})
	t.Run("a decimal comma is read as a decimal point", func(t *testing.T) {
		rows, errs := readAll(t, "email;credits_earned\na@example.org;2,5\n")
		if len(errs) != 0 || *rows[0].CreditsEarned != 2.5 {
			t.Fatalf("rows %v errors %v", rows, errs)
		}
	})
}

func TestRowErrors(t *testing.T) {
	long := strings.Repeat("é", MaxFieldRunes+1)
	for _, tc := range []struct {
		name, header, row, column, want string
	}{
		{"an e-mail that net/mail refuses", "email", "ada-at-example.org", "email", "not an e-mail address"},
		{"an e-mail with a display name", "email", "Ada <ada@example.org>", "email", "e-mail address alone"},
		{"a DID that does not parse", "did", "did:Key:z6Mk", "did", "is not a DID"},
		{"neither e-mail nor DID", "email,did,name", ",,Ada", "email", "needs the recipient's e-mail or DID"},
		{"an empty DID in a did-only file", "did,name", ",Ada", "did", "needs the recipient's e-mail or DID"},
		{"a date in the wrong format", "email,activity_start", "a@example.org,31/01/2026", "activity_start", "YYYY-MM-DD"},
		{"an impossible date", "email,valid_until", "a@example.org,2026-02-30", "valid_until", "is not a date"},
		{"an activity that ends before it starts", "email,activity_start,activity_end", "a@example.org,2026-02-01,2026-01-01", "activity_end", "before activity_start"},
		{"a number that is not one", "email,credits_earned", "a@example.org,three", "credits_earned", "not a number"},
		{"a negative number", "email,credits_earned", "a@example.org,-1", "credits_earned", "negative"},
		{"an infinite number", "email,credits_earned", "a@example.org,Inf", "credits_earned", "not a number"},
		{"evidence over plain http", "email,evidence_url", "a@example.org,http://example.org/x.pdf", "evidence_url", "https://"},
		{"evidence that is not an absolute URL", "email,evidence_url", "a@example.org,/x.pdf", "evidence_url", "absolute URL"},
		{"evidence named without a URL", "email,evidence_name", "a@example.org,Essay", "evidence_name", "evidence_url is empty"},
		{"a yes/no that is neither", "email,show_name", "a@example.org,maybe", "show_name", "true/false"},
		{"a cell that is too long", "email,narrative", "a@example.org," + long, "narrative", "2001 characters long"},
		{"a cell that is not UTF-8", "email,name", "a@example.org,Ad\xe9", "name", "not valid UTF-8"},
		{"a control character in a name", "email,name", "a@example.org,Ad\x01a", "name", "control character"},
		{"a row with too many cells", "email,name", "a@example.org,Ada,extra", "", "has 3 cells but the first line names 2 columns"},
		{"a bare quote", "email,name", "a@example.org,Ada \"the\" Countess", "", "quote"},
	} {
		t.Run(tc.name+" is a row error naming the column", func(t *testing.T) {
			data := tc.header + "\n" + tc.row + "\nok@example.org" + strings.Repeat(",", strings.Count(tc.header, ",")) + "\n"
			if !strings.Contains(tc.header, "email") {
				data = tc.header + "\n" + tc.row + "\n" + learnerDID + strings.Repeat(",", strings.Count(tc.header, ",")) + "\n"
			}
			rows, errs := readAll(t, data)
			if len(errs) != 1 {
				t.Fatalf("errors %v", errs)
			}
			e := errs[0]
			if e.Line != 2 || e.Column != tc.column || !strings.Contains(e.Reason, tc.want) {
				t.Fatalf("got %+v, want line 2 column %q reason containing %q", e, tc.column, tc.want)
			}
			if !errors.Is(e, ErrInvalidRow) {
				t.Fatal("a RowError must match ErrInvalidRow")
			}
			if len(rows) != 1 || rows[0].Line != 3 {
				t.Fatalf("the reader must go on with the next row: %+v", rows)
			}
		})
	}
	t.Run("the same recipient twice is an error on the second, naming the first line", func(t *testing.T) {
		rows, errs := readAll(t, "email\nada@example.org\nbob@example.org\nADA@example.org\n")
		if len(rows) != 2 || len(errs) != 1 || errs[0].Line != 4 || errs[0].Column != "email" || !strings.Contains(errs[0].Reason, "same recipient as line 2") {
			t.Fatalf("rows %v errors %v", rows, errs)
		}
	})
	t.Run("a recipient whose first row was wrong may appear again", func(t *testing.T) {
		rows, errs := readAll(t, "email,credits_earned\nada@example.org,x\nada@example.org,2\n")
		if len(rows) != 1 || len(errs) != 1 || rows[0].Line != 3 {
			t.Fatalf("rows %v errors %v", rows, errs)
		}
	})
	t.Run("a duplicate row_key is reported on the row_key column", func(t *testing.T) {
		_, errs := readAll(t, "row_key,email\nk,a@example.org\nk,b@example.org\n")
		if len(errs) != 1 || errs[0].Column != "row_key" {
			t.Fatalf("errors %v", errs)
		}
	})
	t.Run("an error message never quotes the cell", func(t *testing.T) {
		_, errs := readAll(t, "email\nsecret-person-at-example\n")
		if len(errs) != 1 || strings.Contains(errs[0].Error(), "secret-person") {
			t.Fatalf("errors %v", errs)
		}
	})
	t.Run("a quote left open stops reading with ErrRecordTooLarge instead of holding the file", func(t *testing.T) {
		data := "email,narrative\na@example.org,\"never closed\n" + strings.Repeat(strings.Repeat("x", 99)+"\n", 2*MaxRecordBytes/100)
		r, err := NewReader(strings.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		_, err = r.Next()
		if !errors.Is(err, ErrRecordTooLarge) || !strings.Contains(err.Error(), "after line 1") {
			t.Fatalf("error %v", err)
		}
		if _, again := r.Next(); !errors.Is(again, ErrRecordTooLarge) {
			t.Fatalf("the error must stick: %v", again)
		}
	})
	t.Run("an unclosed quote at the end of the file is a row error, then EOF", func(t *testing.T) {
		r, err := NewReader(strings.NewReader("email,name\na@example.org,\"Ada\n"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.Next(); !errors.Is(err, ErrInvalidRow) {
			t.Fatalf("error %v", err)
		}
		if _, err := r.Next(); err != io.EOF {
			t.Fatalf("error %v", err)
		}
	})
}

func TestReadErrors(t *testing.T) {
	t.Run("a read error of the source is returned, not a row error", func(t *testing.T) {
		boom := errors.New("disk gone")
		r, err := NewReader(io.MultiReader(strings.NewReader("email\na@example.org\n"), &failingReader{err: boom}))
		if err != nil {
			t.Fatal(err)
		}
		for {
			_, err := r.Next()
			if err == nil {
				continue
			}
			if !errors.Is(err, boom) || errors.Is(err, ErrInvalidRow) {
				t.Fatalf("error %v", err)
			}
			return
		}
	})
}

type failingReader struct{ err error }

func (f *failingReader) Read([]byte) (int, error) { return 0, f.err }
