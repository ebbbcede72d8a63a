package schema

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// FuzzValidateJSON feeds arbitrary bytes to ValidateJSON (and, when they
// parse, the document to ValidateProfile) and checks that every answer is
// well formed: no panic, a known error or a result whose issue list is
// sorted, capped and worded.
func FuzzValidateJSON(f *testing.F) {
	files, err := filepath.Glob(filepath.Join(vectorsDir, "*", "*.json"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no seed vectors under %s: %v", vectorsDir, err)
	}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		``, `null`, `[]`, `{}`, `"x"`, `1e999999999`,
		`{"@context":"https://www.w3.org/ns/credentials/v2","type":"OpenBadgeCredential"}`,
		`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["EndorsementCredential"],"proof":[[[]]]}`,
		`{"@context":[],"type":["AchievementCredential"]}`,
	} {
		f.Add([]byte(s))
	}

	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ValidateJSON(data)
		doc, derr := decodeJSON(data)
		checkAnswer(t, doc, r, err, ErrNotJSON, ErrNotApplicable)
		if derr != nil {
			return
		}
		r, err = ValidateProfile(doc)
		checkAnswer(t, doc, r, err)
	})
}

// checkAnswer fails unless err is one of allowed, or r is a well-formed
// result for doc: every issue points at a value that exists in doc.
func checkAnswer(t *testing.T, doc any, r Result, err error, allowed ...error) {
	t.Helper()
	if err != nil {
		for _, a := range allowed {
			if errors.Is(err, a) {
				return
			}
		}
		t.Fatalf("unexpected error: %v", err)
	}
	if r.Schema == "" {
		t.Fatal("result names no schema")
	}
	if len(r.Issues) > MaxIssues || r.Total < len(r.Issues) || r.Valid() != (len(r.Issues) == 0) {
		t.Fatalf("inconsistent result: total %d, %d listed, valid %v", r.Total, len(r.Issues), r.Valid())
	}
	if !slices.IsSortedFunc(r.Issues, compareIssues) {
		t.Fatalf("issues are not sorted: %v", r.Issues)
	}
	for _, is := range r.Issues {
		if is.Message == "" || (is.Path != "" && !strings.HasPrefix(is.Path, "/")) {
			t.Fatalf("malformed issue %#v", is)
		}
		if !existsAt(doc, is.Path) {
			t.Fatalf("issue %s points at nothing in the document", is)
		}
	}
}

// FuzzValidateEditedCredential starts from a real credential, puts an
// arbitrary JSON value at an arbitrary place in it and validates the result.
// Where FuzzValidateJSON mostly explores broken syntax, this explores
// documents that are almost right, which is where the choice among oneOf and
// anyOf alternatives happens.
func FuzzValidateEditedCredential(f *testing.F) {
	seeds := editSeeds(f)
	edits := []struct{ path, value string }{
		{"/credentialSubject/type", `["Person"]`},
		{"/issuer", `7`},
		{"/issuer/type", `"Organization"`},
		{"/name", `{"en":"Badge","not a language":1}`},
		{"/proof", `[{"type":1},"x"]`},
		{"/@context/1", `{"@vocab":"https://example.org/"}`},
		{"/credentialSubject/achievement/criteria", `null`},
		{"/evidence", `[{"type":["Evidence"],"name":{"en":3}}]`},
		{"/validFrom", `"2010-02-30T25:61:00Z"`},
		{"/endorsement/0/credentialSubject", `[]`},
	}
	for i := range seeds {
		for _, e := range edits {
			f.Add(uint8(i), e.path, []byte(e.value))
		}
	}

	f.Fuzz(func(t *testing.T, seed uint8, path string, value []byte) {
		doc, err := decodeJSON(seeds[int(seed)%len(seeds)])
		if err != nil {
			t.Fatal(err)
		}
		v, err := decodeJSON(value)
		if err != nil {
			v = string(value)
		}
		doc = setAt(doc, strings.Split(strings.TrimPrefix(path, "/"), "/"), v)
		r, err := Validate(doc)
		checkAnswer(t, doc, r, err, ErrNotApplicable)
	})
}

// editSeeds returns the vectors the OB 3.0 schemas apply to.
func editSeeds(f *testing.F) [][]byte {
	var seeds [][]byte
	for _, v := range loadVectors(f) {
		if raw, ok := v.Expect["ob3-json-schema"]; ok && string(raw) == "true" {
			seeds = append(seeds, readVector(f, v.File))
		}
	}
	if len(seeds) == 0 {
		f.Fatal("no applicable vectors to edit")
	}
	return seeds
}

// setAt puts v at the place named by tokens, adding an object member or
// replacing (else appending) an array item; it returns the edited document.
func setAt(doc any, tokens []string, v any) any {
	if len(tokens) == 0 {
		return v
	}
	switch d := doc.(type) {
	case map[string]any:
		d[tokens[0]] = setAt(d[tokens[0]], tokens[1:], v)
		return d
	case []any:
		if i := indexOf(tokens[0], len(d)); i >= 0 {
			d[i] = setAt(d[i], tokens[1:], v)
			return d
		}
		return append(d, setAt(nil, tokens[1:], v))
	default:
		return setAt(map[string]any{}, tokens, v)
	}
}

// existsAt reports whether a JSON pointer names a value in doc.
func existsAt(doc any, ptr string) bool {
	if ptr == "" {
		return true
	}
	for _, tok := range strings.Split(ptr[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch d := doc.(type) {
		case map[string]any:
			v, ok := d[tok]
			if !ok {
				return false
			}
			doc = v
		case []any:
			i := indexOf(tok, len(d))
			if i < 0 {
				return false
			}
			doc = d[i]
		default:
			return false
		}
	}
	return true
}
