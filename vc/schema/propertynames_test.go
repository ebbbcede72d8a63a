package schema

import (
	"slices"
	"testing"
)

// The library records where a "propertyNames" failure happened without
// copying the location, so validating later siblings can overwrite it. These
// cases put a bad language-map key at places validated before many siblings
// and check, over many runs (map order varies), that the issue still points
// at the language map.
func TestLanguageMapKeyIssuesPointAtTheMap(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(doc map[string]any)
		want   []string
	}{
		{
			name:   "a bad key in the credential name is reported at /name",
			mutate: func(d map[string]any) { d["name"] = map[string]any{"en": "Badge", "english": "Badge"} },
			want:   []string{`/name: "english" is not a language tag such as "en" or "en-US" (the keys of a language map must match ^[a-z]{2}(-[A-Z]{2})?$)`},
		},
		{
			name: "a bad key in the achievement name is reported at the achievement name",
			mutate: func(d map[string]any) {
				sub(d, "credentialSubject", "achievement")["name"] = map[string]any{"EN": "Teamwork"}
			},
			want: []string{`/credentialSubject/achievement/name: "EN" is not a language tag such as "en" or "en-US" (the keys of a language map must match ^[a-z]{2}(-[A-Z]{2})?$)`},
		},
		{
			name: "a bad key in the second evidence item is reported at that item",
			mutate: func(d map[string]any) {
				d["evidence"] = []any{
					map[string]any{"type": []any{"Evidence"}, "name": "first"},
					map[string]any{"type": []any{"Evidence"}, "name": map[string]any{"fr_FR": "deuxième"}},
					map[string]any{"type": []any{"Evidence"}, "name": "third"},
				}
			},
			want: []string{`/evidence/1/name: "fr_FR" is not a language tag such as "en" or "en-US" (the keys of a language map must match ^[a-z]{2}(-[A-Z]{2})?$)`},
		},
		{
			name: "a language map with a bad key and a non-string value reports both where they are",
			mutate: func(d map[string]any) {
				sub(d, "issuer")["name"] = map[string]any{"en": 3.0, "English": "Example Corp"}
			},
			want: []string{
				`/issuer/name: "English" is not a language tag such as "en" or "en-US" (the keys of a language map must match ^[a-z]{2}(-[A-Z]{2})?$)`,
				`/issuer/name/en: must be a string, not a number`,
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := basicCredential(t)
			c.mutate(doc)
			for range 50 {
				if got := issueStrings(mustValidate(t, doc)); !slices.Equal(got, c.want) {
					t.Fatalf("issues:\n got %q\nwant %q", got, c.want)
				}
			}
		})
	}
}
