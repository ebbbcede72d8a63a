package did

import (
	"errors"
	"strings"
	"testing"
)

func TestParseAcceptsValidDIDs(t *testing.T) {
	for _, s := range []string{
		"did:key:z6MknNQD1WHLGGraFi6zcbGevuAgkVfdyCdtZnQTGWVVvR5Q",
		dccMultikeyDID,
		"did:web:example.com%3A3000:user:alice",
		"did:example:123:456",
		"did:example:a::b",
		"did:jwk:eyJrdHkiOiJPS1AifQ",
		"did:a1:_.-",
	} {
		t.Run(s+" parses and prints back unchanged", func(t *testing.T) {
			d, err := Parse(s)
			if err != nil {
				t.Fatal(err)
			}
			if d.String() != s {
				t.Fatalf("String() = %s", d)
			}
		})
	}
	t.Run("the method and method-specific id are split at the first colon", func(t *testing.T) {
		d, _ := Parse("did:web:example.com%3A3000:user:alice")
		if d.Method != "web" || d.ID != "example.com%3A3000:user:alice" {
			t.Fatalf("got %+v", d)
		}
	})
}

func TestParseRefusesInvalidDIDs(t *testing.T) {
	cases := []struct {
		in, message string
	}{
		{"", `does not start with "did:"`},
		{"DID:key:z6Mk", `does not start with "did:"`},
		{"did:key", "no method-specific id"},
		{"did::abc", "empty method name"},
		{"did:Key:z6Mk", "lowercase letters and digits"},
		{"did:key:", "empty method-specific id"},
		{"did:web:example.com:", "must not end with ':'"},
		{"did:web:exa mple.com", "not allowed in a method-specific id"},
		{"did:web:example.com%3", "two hex digits"},
		{"did:web:example.com%zz", "two hex digits"},
		{"did:key:z6Mk#key-1", "is a DID URL"},
		{"did:key:z6Mk?service=x", "is a DID URL"},
		{"did:key:z6Mk#", "is a DID URL"},
		{"did:web:ex\u00e9.com", "not allowed"},
	}
	for _, tc := range cases {
		t.Run(strings.ReplaceAll(tc.in, "%", "%%")+" is refused", func(t *testing.T) {
			_, err := Parse(tc.in)
			if !errors.Is(err, ErrInvalidDID) {
				t.Fatalf("error %v, want ErrInvalidDID", err)
			}
			if !strings.Contains(err.Error(), tc.message) {
				t.Fatalf("error %q does not say %q", err, tc.message)
			}
		})
	}
	t.Run("a huge input is shortened in the error message", func(t *testing.T) {
		_, err := Parse("did:web:" + strings.Repeat("a", 10000) + " ")
		if err == nil || len(err.Error()) > 400 {
			t.Fatalf("error of %d bytes", len(err.Error()))
		}
	})
}

func TestParseURLAndSplitURL(t *testing.T) {
	t.Run("a DID URL splits into DID, path, query and fragment", func(t *testing.T) {
		u, err := ParseURL("did:web:example.com:u/path/x?versionId=1&a=b#key-1")
		if err != nil {
			t.Fatal(err)
		}
		if u.DID.String() != "did:web:example.com:u" || u.Path != "/path/x" || u.Query != "versionId=1&a=b" || u.Fragment != "key-1" {
			t.Fatalf("got %+v", u)
		}
		if u.String() != "did:web:example.com:u/path/x?versionId=1&a=b#key-1" {
			t.Fatalf("String() = %s", u)
		}
	})
	t.Run("a did:key verification method splits into the DID and the key fragment", func(t *testing.T) {
		d, frag, err := SplitURL("did:key:" + dccKey + "#" + dccKey)
		if err != nil {
			t.Fatal(err)
		}
		if d != "did:key:"+dccKey || frag != dccKey {
			t.Fatalf("got %s and %s", d, frag)
		}
	})
	t.Run("a bare DID has an empty fragment", func(t *testing.T) {
		_, frag, err := SplitURL(dccDID)
		if err != nil || frag != "" {
			t.Fatalf("fragment %q, error %v", frag, err)
		}
	})
	t.Run("a DID URL with a query is refused by SplitURL", func(t *testing.T) {
		_, _, err := SplitURL("did:web:example.com?versionId=1#key-1")
		if !errors.Is(err, ErrInvalidDID) || !strings.Contains(err.Error(), "path or query") {
			t.Fatalf("error %v", err)
		}
	})
	t.Run("a fragment with a space is refused", func(t *testing.T) {
		_, err := ParseURL("did:web:example.com#key 1")
		if !errors.Is(err, ErrInvalidDID) || !strings.Contains(err.Error(), "fragment") {
			t.Fatalf("error %v", err)
		}
	})
	t.Run("an https URL is not a DID URL", func(t *testing.T) {
		_, err := ParseURL("https://example.edu/issuers/565049#key-1")
		if !errors.Is(err, ErrInvalidDID) {
			t.Fatalf("error %v", err)
		}
	})
}
