package web

import (
	"io/fs"
	"regexp"
	"slices"
	"testing"
	"time"
)

func TestCatalog(t *testing.T) {
	t.Run("French and English hold the same keys", func(t *testing.T) {
		for key := range catalog["fr"] {
			if !HasMessage("en", key) {
				t.Errorf("%q is in French but not in English", key)
			}
		}
		for key := range catalog["en"] {
			if !HasMessage("fr", key) {
				t.Errorf("%q is in English but not in French", key)
			}
		}
	})
	t.Run("every message a template asks for exists", func(t *testing.T) {
		keyRE := regexp.MustCompile(`\{\{-?\s*t \$?\.Lang "([^"]+)"`)
		prefixRE := regexp.MustCompile(`\(print "([a-z.]+)" \$(\w+)( "[^"]*")?\)`)
		found := 0
		err := fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := fs.ReadFile(templateFS, p)
			if err != nil {
				return err
			}
			for _, m := range keyRE.FindAllStringSubmatch(string(b), -1) {
				found++
				for _, lang := range Langs() {
					if !HasMessage(lang, m[1]) {
						t.Errorf("%s asks for %q, missing in %s", p, m[1], lang)
					}
				}
			}
			for _, m := range prefixRE.FindAllStringSubmatch(string(b), -1) {
				found++
				var values []string
				switch m[2] {
				case "st":
					values = []string{StatusValid, StatusRevoked, StatusExpired, StatusSuspended, StatusUnknown}
				case "o":
					values = []string{"ok", "failed", "warning", "skipped"}
				default:
					t.Fatalf("%s: unknown computed key %q", p, m[0])
				}
				suffix := ""
				if m[3] != "" {
					suffix = m[3][2 : len(m[3])-1]
				}
				for _, v := range values {
					for _, lang := range Langs() {
						if key := m[1] + v + suffix; !HasMessage(lang, key) {
							t.Errorf("%s asks for %q, missing in %s", p, key, lang)
						}
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if found < 50 {
			t.Fatalf("found only %d message uses in the templates: the pattern no longer matches them", found)
		}
	})
	t.Run("every check name of the verification report is translated", func(t *testing.T) {
		for _, name := range []string{"format", "contexts", "schema", "proof", "dates", "status", "issuer", "endorsements", "credentials"} {
			if checkName("fr", name) == name {
				t.Errorf("check %q has no French name", name)
			}
		}
	})
}

func TestT(t *testing.T) {
	cases := []struct {
		name, lang, key string
		args            []any
		want            string
	}{
		{"a French message", "fr", "badge.issuedBy", nil, "Émis par"},
		{"an English message", "en", "badge.issuedBy", nil, "Issued by"},
		{"a message with an argument", "fr", "status.reason", []any{"doublon"}, "Motif\u00a0: doublon"},
		{"a number argument", "en", "error.title", []any{404}, "Error 404"},
		{"an unknown language falls back to French", "de", "badge.expiresOn", nil, "Expire le"},
		{"an unknown key shows as itself", "en", "no.such.key", nil, "no.such.key"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := T(c.lang, c.key, c.args...); got != c.want {
				t.Errorf("T(%q, %q) = %q, want %q", c.lang, c.key, got, c.want)
			}
		})
	}
	t.Run("the French words of the brief are there", func(t *testing.T) {
		var all []string
		for _, v := range catalog["fr"] {
			all = append(all, v)
		}
		for _, w := range []string{"Badge", "Émis par", "Délivré le", "Expire le", "Preuves", "Critères", "Vérification", "Valide", "Révoqué", "Expiré", "Suspendu", "Télécharger"} {
			if !slices.Contains(all, w) {
				t.Errorf("no French message reads %q", w)
			}
		}
	})
}

func TestFormatDate(t *testing.T) {
	cases := []struct {
		lang string
		t    time.Time
		want string
	}{
		{"fr", time.Date(2026, 9, 15, 23, 0, 0, 0, time.UTC), "15\u00a0septembre\u00a02026"},
		{"fr", time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), "1er\u00a0mars\u00a02026"},
		{"fr", time.Date(2027, 8, 2, 0, 0, 0, 0, time.UTC), "2\u00a0août\u00a02027"},
		{"fr", time.Date(2027, 12, 31, 0, 0, 0, 0, time.UTC), "31\u00a0décembre\u00a02027"},
		{"en", time.Date(2026, 9, 15, 0, 0, 0, 0, time.UTC), "September 15, 2026"},
		{"en", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), "January 1, 2026"},
		{"xx", time.Date(2026, 2, 3, 0, 0, 0, 0, time.UTC), "3\u00a0février\u00a02026"},
	}
	for _, c := range cases {
		if got := FormatDate(c.lang, c.t); got != c.want {
			t.Errorf("FormatDate(%q, %s) = %q, want %q", c.lang, c.t, got, c.want)
		}
	}
	t.Run("the date is the one of the time's own zone", func(t *testing.T) {
		paris := time.FixedZone("CEST", 2*3600)
		d := time.Date(2026, 9, 15, 23, 30, 0, 0, time.UTC).In(paris)
		if got := FormatDate("en", d); got != "September 16, 2026" {
			t.Errorf("got %q", got)
		}
	})
}

func TestFormatNumber(t *testing.T) {
	for _, c := range []struct {
		lang string
		f    float64
		want string
	}{{"fr", 1.5, "1,5"}, {"en", 1.5, "1.5"}, {"fr", 3, "3"}, {"en", 0.25, "0.25"}} {
		if got := FormatNumber(c.lang, c.f); got != c.want {
			t.Errorf("FormatNumber(%q, %v) = %q, want %q", c.lang, c.f, got, c.want)
		}
	}
}
