package web

import (
	"net/http/httptest"
	"testing"
)

func TestPickLang(t *testing.T) {
	cases := []struct {
		name, target, accept, want string
	}{
		{"no preference gives French", "/", "", "fr"},
		{"the lang parameter wins over the header", "/?lang=en", "fr-FR,fr;q=0.9", "en"},
		{"the lang parameter in French wins over an English header", "/x?lang=fr", "en-US", "fr"},
		{"a region subtag in the parameter is accepted", "/?lang=en-GB", "", "en"},
		{"an unsupported parameter falls back to the header", "/?lang=de", "en", "en"},
		{"an unsupported parameter and no header give French", "/?lang=zz", "", "fr"},
		{"the header's first supported language wins", "/", "en-US,en;q=0.9,fr;q=0.8", "en"},
		{"q-values rank languages, not order", "/", "en;q=0.4, fr;q=0.7", "fr"},
		{"unsupported languages are skipped", "/", "de-DE,de;q=0.9,en;q=0.5", "en"},
		{"q=0 refuses a language", "/", "en;q=0, de", "fr"},
		{"ties go to the earlier entry", "/", "en;q=0.5,fr;q=0.5", "en"},
		{"the wildcard is no preference", "/", "*", "fr"},
		{"a malformed q-value counts as zero", "/", "en;q=abc,fr;q=0.1", "fr"},
		{"case and spaces do not matter", "/", "  EN-us ; Q=0.8 ", "en"},
		{"an upper-case parameter is accepted", "/?lang=EN", "", "en"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", c.target, nil)
			if c.accept != "" {
				r.Header.Set("Accept-Language", c.accept)
			}
			if got := PickLang(r); got != c.want {
				t.Errorf("PickLang(%s, Accept-Language %q) = %q, want %q", c.target, c.accept, got, c.want)
			}
		})
	}
	t.Run("a nil request gives French", func(t *testing.T) {
		if got := PickLang(nil); got != "fr" {
			t.Errorf("got %q", got)
		}
	})
	t.Run("entries past the limit are ignored", func(t *testing.T) {
		h := ""
		for range maxAcceptEntries {
			h += "de,"
		}
		if got := AcceptLanguage(h + "en"); got != "" {
			t.Errorf("got %q, want no language", got)
		}
	})
}
