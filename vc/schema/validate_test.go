package schema

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
)

// basicCredential returns a fresh decoded copy of the 1EdTech basic
// OpenBadgeCredential example, which conforms to the schema.
func basicCredential(t *testing.T) map[string]any {
	t.Helper()
	return decodeObject(t, readVector(t, "ob3-spec-examples/basic-openbadgecredential.json"))
}

func decodeObject(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("decode: %v", err)
	}
	return doc
}

// issueStrings renders a result's issues as "path: message" lines.
func issueStrings(r Result) []string {
	out := make([]string, len(r.Issues))
	for i, is := range r.Issues {
		out[i] = is.String()
	}
	return out
}

func mustValidate(t *testing.T, doc any) Result {
	t.Helper()
	r, err := Validate(doc)
	if err != nil {
		t.Fatalf("Validate: %v", err)
	}
	return r
}

func TestValidateReportsIssuesAPersonCanAct(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(doc map[string]any)
		want   []string
	}{
		{
			name:   "a subject without the AchievementSubject type is told which type it must contain",
			mutate: func(d map[string]any) { sub(d, "credentialSubject")["type"] = []any{"Person"} },
			want:   []string{`/credentialSubject/type: must contain "AchievementSubject"`},
		},
		{
			name:   "a credential without VerifiableCredential in its type is told so",
			mutate: func(d map[string]any) { d["type"] = []any{"OpenBadgeCredential"} },
			want:   []string{`/type: must contain "VerifiableCredential"`},
		},
		{
			name:   "a name that is neither a string nor a language map is told both accepted shapes",
			mutate: func(d map[string]any) { d["name"] = 42.0 },
			want:   []string{`/name: must be a string or an object, not a number`},
		},
		{
			name:   "a missing validFrom is reported on the whole document",
			mutate: func(d map[string]any) { delete(d, "validFrom") },
			want:   []string{`/: missing required property "validFrom"`},
		},
		{
			name:   "a validFrom that is not an RFC 3339 date-time gets an example of one",
			mutate: func(d map[string]any) { d["validFrom"] = "1 January 2010" },
			want:   []string{`/validFrom: "1 January 2010" is not a valid date-time (RFC 3339 with a time zone, for example "2024-05-01T12:00:00Z")`},
		},
		{
			name:   "an issuer profile without a type is told the missing property, not that it is no URI",
			mutate: func(d map[string]any) { delete(sub(d, "issuer"), "type") },
			want:   []string{`/issuer: missing required property "type"`},
		},
		{
			name:   "an issuer that is a number is told it must be a profile object or a URI string",
			mutate: func(d map[string]any) { d["issuer"] = 7.0 },
			want:   []string{`/issuer: must be an object or a string, not a number`},
		},
		{
			name:   "a proof that is a string is told it must be one proof object or an array of them",
			mutate: func(d map[string]any) { d["proof"] = "z3abc" },
			want:   []string{`/proof: must be an object or an array, not a string`},
		},
		{
			name: "a second context that is not an OB 3.0 context names the pattern it must match",
			mutate: func(d map[string]any) {
				d["@context"] = []any{vcdm2Context, "https://example.org/context.json"}
			},
			want: []string{`/@context/1: "https://example.org/context.json" does not match the required pattern ^https:\/\/purl\.imsglobal\.org\/spec\/ob\/v3p0\/context(-3\.\d\.\d)*\.json$`},
		},
		{
			name:   "an achievement without criteria is told which property is missing",
			mutate: func(d map[string]any) { delete(sub(d, "credentialSubject", "achievement"), "criteria") },
			want:   []string{`/credentialSubject/achievement: missing required property "criteria"`},
		},
		{
			name:   "an empty subject type is told it needs an item, and which",
			mutate: func(d map[string]any) { sub(d, "credentialSubject")["type"] = []any{} },
			want: []string{
				`/credentialSubject/type: must contain "AchievementSubject"`,
				`/credentialSubject/type: must have at least 1 item, has 0`,
			},
		},
		{
			name:   "an unknown achievement type lists the first allowed values and how many more there are",
			mutate: func(d map[string]any) { sub(d, "credentialSubject", "achievement")["achievementType"] = "Trophy" },
			want:   []string{`/credentialSubject/achievement/achievementType: must be one of "Achievement", "ApprenticeshipCertificate", "Assessment", "Assignment", "AssociateDegree", "Award" (and 25 more)`},
		},
		{
			name: "a hashed identity given as text is told it must be a boolean, next to the missing properties",
			mutate: func(d map[string]any) {
				sub(d, "credentialSubject")["identifier"] = []any{map[string]any{"type": "IdentityObject", "hashed": "yes"}}
			},
			want: []string{
				`/credentialSubject/identifier/0: missing required properties "identityHash", "identityType"`,
				`/credentialSubject/identifier/0/hashed: must be a boolean, not a string`,
			},
		},
		{
			name: "several problems are all reported, ordered by path",
			mutate: func(d map[string]any) {
				delete(d, "validFrom")
				sub(d, "credentialSubject")["type"] = "AchievementSubject"
				sub(d, "credentialSubject", "achievement")["type"] = []any{"Badge"}
				sub(d, "issuer")["type"] = []any{"Organization"}
			},
			want: []string{
				`/: missing required property "validFrom"`,
				`/credentialSubject/achievement/type: must contain "Achievement"`,
				`/issuer/type: must contain "Profile"`,
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := basicCredential(t)
			c.mutate(doc)
			r := mustValidate(t, doc)
			if got := issueStrings(r); !slices.Equal(got, c.want) {
				t.Errorf("issues:\n got %q\nwant %q", got, c.want)
			}
			if r.Valid() || r.Total != len(c.want) {
				t.Errorf("Valid() = %v, Total = %d; want false, %d", r.Valid(), r.Total, len(c.want))
			}
			if r.Schema != AchievementCredentialSchema {
				t.Errorf("Schema = %s, want %s", r.Schema, AchievementCredentialSchema)
			}
		})
	}
}

// sub walks nested objects of a decoded document.
func sub(doc map[string]any, keys ...string) map[string]any {
	for _, k := range keys {
		doc = doc[k].(map[string]any)
	}
	return doc
}

func TestValidateAcceptsJSONLDShapes(t *testing.T) {
	t.Run("a single type string and a language-map name conform to the published schema", func(t *testing.T) {
		doc := basicCredential(t)
		sub(doc, "credentialSubject")["type"] = "AchievementSubject"
		doc["name"] = map[string]any{"en": "Teamwork Badge", "fr-FR": "Badge travail d'équipe"}
		if r := mustValidate(t, doc); !r.Valid() {
			t.Errorf("want no issues, got %v", r.Issues)
		}
	})
	t.Run("numbers decoded as float64 and as json.Number give the same result", func(t *testing.T) {
		b := readVector(t, "ob3-spec-examples/complete-openbadgecredential.json")
		fromBytes, err := ValidateJSON(b)
		if err != nil {
			t.Fatal(err)
		}
		fromFloat := mustValidate(t, decodeObject(t, b))
		if !fromBytes.Valid() || !fromFloat.Valid() {
			t.Errorf("want both valid, got %v and %v", fromBytes.Issues, fromFloat.Issues)
		}
	})
}

func TestValidateChoosesTheSchemaByType(t *testing.T) {
	cases := []struct {
		file string
		want string
	}{
		{"ob3-spec-examples/basic-openbadgecredential.json", AchievementCredentialSchema},
		{"1edtech-validator-fixtures/simple-did-key-method.json", AchievementCredentialSchema},
		{"ob3-spec-examples/endorsement-credential.json", EndorsementCredentialSchema},
	}
	for _, c := range cases {
		t.Run(c.file+" is checked against "+c.want[strings.LastIndex(c.want, "/")+1:], func(t *testing.T) {
			r, err := ValidateJSON(readVector(t, c.file))
			if err != nil {
				t.Fatal(err)
			}
			if r.Schema != c.want || !r.Valid() {
				t.Errorf("got schema %s, issues %v; want %s and none", r.Schema, r.Issues, c.want)
			}
		})
	}
	t.Run("an endorsement whose subject is not an EndorsementSubject is told so", func(t *testing.T) {
		doc := decodeObject(t, readVector(t, "ob3-spec-examples/endorsement-credential.json"))
		sub(doc, "credentialSubject")["type"] = []any{"AchievementSubject"}
		r := mustValidate(t, doc)
		want := []string{`/credentialSubject/type: must contain "EndorsementSubject"`}
		if got := issueStrings(r); !slices.Equal(got, want) {
			t.Errorf("got %q, want %q", got, want)
		}
	})
}

func TestValidateCapsAndOrdersIssues(t *testing.T) {
	doc := basicCredential(t)
	var evidence []any
	for range 30 {
		evidence = append(evidence, map[string]any{"type": []any{"Document"}})
	}
	doc["evidence"] = evidence

	r := mustValidate(t, doc)
	t.Run("the total counts every issue while the list stops at MaxIssues", func(t *testing.T) {
		if r.Total != 30 || len(r.Issues) != MaxIssues || !r.Truncated() {
			t.Fatalf("Total %d, listed %d, Truncated %v; want 30, %d, true", r.Total, len(r.Issues), r.Truncated(), MaxIssues)
		}
	})
	t.Run("array indexes are ordered as numbers", func(t *testing.T) {
		for i, is := range r.Issues {
			want := fmt.Sprintf("/evidence/%d/type", i)
			if is.Path != want || is.Message != `must contain "Evidence"` {
				t.Fatalf("issue %d is %s, want %s: must contain \"Evidence\"", i, is, want)
			}
		}
	})
	t.Run("the same document always gives the same issues", func(t *testing.T) {
		first := issueStrings(r)
		for range 20 {
			if got := issueStrings(mustValidate(t, doc)); !slices.Equal(got, first) {
				t.Fatalf("order changed:\n%q\n%q", got, first)
			}
		}
	})
}

func TestValidateRefusesWhatItCannotCheck(t *testing.T) {
	t.Run("bytes that are not JSON give ErrNotJSON", func(t *testing.T) {
		for _, in := range []string{"", "{", `{"a":1} {"b":2}`, "nul"} {
			if _, err := ValidateJSON([]byte(in)); !errors.Is(err, ErrNotJSON) {
				t.Errorf("ValidateJSON(%q): got %v, want ErrNotJSON", in, err)
			}
		}
	})
	t.Run("a Go value JSON cannot carry gives ErrNotJSON naming where it is", func(t *testing.T) {
		doc := basicCredential(t)
		sub(doc, "issuer")["type"] = []string{"Profile"}
		_, err := Validate(doc)
		if !errors.Is(err, ErrNotJSON) || !strings.Contains(err.Error(), "/issuer/type") {
			t.Errorf("got %v, want ErrNotJSON at /issuer/type", err)
		}
	})
	t.Run("a JSON array is not a credential", func(t *testing.T) {
		_, err := ValidateJSON([]byte(`[{"type":"OpenBadgeCredential"}]`))
		if !errors.Is(err, ErrNotApplicable) || !strings.Contains(err.Error(), "an array") {
			t.Errorf("got %v, want ErrNotApplicable about an array", err)
		}
	})
	t.Run("a credential without @context is not applicable because its data model is unknown", func(t *testing.T) {
		doc := basicCredential(t)
		delete(doc, "@context")
		_, err := Validate(doc)
		if !errors.Is(err, ErrNotApplicable) || !strings.Contains(err.Error(), "no @context") {
			t.Errorf("got %v, want ErrNotApplicable about the missing @context", err)
		}
	})
	t.Run("a single VC DM 2.0 context string is a VC DM 2.0 credential", func(t *testing.T) {
		doc := basicCredential(t)
		doc["@context"] = vcdm2Context
		if r := mustValidate(t, doc); !r.Valid() {
			t.Errorf("want no issues, got %v", r.Issues)
		}
	})
}

func TestValidateProfile(t *testing.T) {
	t.Run("the OB 3.0 API profile example conforms", func(t *testing.T) {
		doc := decodeObject(t, readVector(t, "ob3-spec-examples/profile-putprofile-response.json"))
		r, err := ValidateProfile(doc)
		if err != nil || !r.Valid() || r.Schema != ProfileSchema {
			t.Fatalf("got %v, %v, schema %s; want valid against %s", r.Issues, err, r.Schema, ProfileSchema)
		}
	})
	t.Run("a profile without a type is told so", func(t *testing.T) {
		doc := decodeObject(t, readVector(t, "ob3-spec-examples/profile-putprofile-response.json"))
		delete(doc, "type")
		r, err := ValidateProfile(doc)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{`/: missing required property "type"`}
		if got := issueStrings(r); !slices.Equal(got, want) {
			t.Errorf("got %q, want %q", got, want)
		}
	})
	t.Run("a string is not a profile", func(t *testing.T) {
		r, err := ValidateProfile("https://example.edu/issuers/565049")
		if err != nil {
			t.Fatal(err)
		}
		want := []string{`/: must be an object, not a string`}
		if got := issueStrings(r); !slices.Equal(got, want) {
			t.Errorf("got %q, want %q", got, want)
		}
	})
}

func TestValidateIsSafeForConcurrentUse(t *testing.T) {
	valid := readVector(t, "ob3-spec-examples/complete-openbadgecredential.json")
	invalid := readVector(t, "1edtech-validator-fixtures/simple-err-issuer.json")
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := range 16 {
		wg.Go(func() {
			in, wantValid := valid, true
			if i%2 == 1 {
				in, wantValid = invalid, false
			}
			r, err := ValidateJSON(in)
			if err != nil {
				errs <- err
			} else if r.Valid() != wantValid {
				errs <- fmt.Errorf("goroutine %d: Valid() = %v, want %v", i, r.Valid(), wantValid)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestIssueString(t *testing.T) {
	t.Run("an issue on the whole document shows the root pointer", func(t *testing.T) {
		if got := (Issue{Path: "", Message: "m"}).String(); got != "/: m" {
			t.Errorf("got %q", got)
		}
	})
	t.Run("pointer tokens with slash and tilde are escaped", func(t *testing.T) {
		if got := pointer([]string{"a/b", "c~d"}); got != "/a~1b/c~0d" {
			t.Errorf("got %q", got)
		}
	})
}
