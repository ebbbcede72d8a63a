package schema

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const vectorsDir = "../../testdata/vectors"

// vector is one entry of testdata/vectors/expected.json.
type vector struct {
	File string `json:"file"`
	// Expect maps each verifier to its verdict. Its "ob3-json-schema" entry
	// is true, false, or null (not applicable); the tamper cases have none.
	Expect map[string]json.RawMessage `json:"expect"`
	Why    string                     `json:"why"`
}

func loadVectors(t testing.TB) []vector {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(vectorsDir, "expected.json"))
	if err != nil {
		t.Fatalf("read expected.json: %v", err)
	}
	var doc struct {
		Vectors []vector `json:"vectors"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("parse expected.json: %v", err)
	}
	if len(doc.Vectors) == 0 {
		t.Fatal("expected.json lists no vectors")
	}
	return doc.Vectors
}

func readVector(t testing.TB, file string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(vectorsDir, filepath.FromSlash(file)))
	if err != nil {
		t.Fatalf("read %s: %v", file, err)
	}
	return b
}

// TestValidateAgreesWithExpectedJSON runs every vector that has an
// "ob3-json-schema" expectation and checks that Validate reaches the same
// verdict as the reference validator (ajv, draft 2019-09, same schemas).
func TestValidateAgreesWithExpectedJSON(t *testing.T) {
	var checked, valid, invalid, notApplicable int
	for _, v := range loadVectors(t) {
		raw, ok := v.Expect["ob3-json-schema"]
		if !ok {
			continue // tamper cases carry no schema expectation
		}
		var want *bool
		if err := json.Unmarshal(raw, &want); err != nil {
			t.Fatalf("%s: ob3-json-schema is %s, want true, false or null", v.File, raw)
		}
		checked++
		t.Run(v.File, func(t *testing.T) {
			res, err := ValidateJSON(readVector(t, v.File))
			switch {
			case want == nil:
				notApplicable++
				if !errors.Is(err, ErrNotApplicable) {
					t.Fatalf("want ErrNotApplicable (%s), got result %v and error %v", v.Why, res.Issues, err)
				}
			case err != nil:
				t.Fatalf("unexpected error: %v", err)
			case *want && !res.Valid():
				t.Errorf("want the document to conform, got %d issues: %v", res.Total, res.Issues)
			case !*want && res.Valid():
				t.Errorf("want schema issues (%s), got none", v.Why)
			default:
				if *want {
					valid++
				} else {
					invalid++
				}
			}
		})
	}
	t.Logf("%d vectors checked: %d conform, %d break the schema, %d not applicable", checked, valid, invalid, notApplicable)
}

// TestNotApplicableSaysWhy checks that the reason in the error tells apart
// the cases the expectations list as null.
func TestNotApplicableSaysWhy(t *testing.T) {
	cases := []struct{ file, want string }{
		{"1edtech-validator-fixtures/simple_v1.json", "VC Data Model 1.1"},
		{"1edtech-validator-fixtures/simple-err-type.json", "names no OB 3.0 credential type"},
		{"1edtech-validator-fixtures/simple-err-context.json", "not a VC Data Model 2.0 credential"},
		{"1edtech-ob3-ldp-vector/clr-credential-signed.json", "ClrCredential"},
		{"ob3-spec-examples/profile-putprofile-response.json", `"Profile"`},
	}
	for _, c := range cases {
		t.Run(c.file+" is not applicable because of "+c.want, func(t *testing.T) {
			_, err := ValidateJSON(readVector(t, c.file))
			if !errors.Is(err, ErrNotApplicable) {
				t.Fatalf("want ErrNotApplicable, got %v", err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not mention %q", err, c.want)
			}
		})
	}
}
