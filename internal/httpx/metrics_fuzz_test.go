package httpx

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzLabelValue writes arbitrary label values and help texts and parses
// the exposition back: every sample stays on one line and every label
// value unescapes to the (UTF-8 repaired) original.
func FuzzLabelValue(f *testing.F) {
	for _, s := range []string{"", "GET /credentials/{id}", `a\b"c`, "line\nbreak", "\xff\xfe", `\n`, `"`, "é 🎓"} {
		f.Add(s, "help")
	}
	f.Fuzz(func(t *testing.T, value, help string) {
		reg := NewRegistry()
		reg.CounterVec("fuzz_total", help, "v").With(value).Inc()
		var b bytes.Buffer
		if _, err := reg.WriteTo(&b); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
		if len(lines) != 3 {
			t.Fatalf("value %q help %q wrote %d lines:\n%s", value, help, len(lines), b.String())
		}
		sample := lines[2]
		const prefix = `fuzz_total{v="`
		const suffix = `"} 1`
		if !strings.HasPrefix(sample, prefix) || !strings.HasSuffix(sample, suffix) {
			t.Fatalf("sample line %q", sample)
		}
		got, ok := unescapeLabelValue(sample[len(prefix) : len(sample)-len(suffix)])
		if !ok {
			t.Fatalf("sample line %q has a bad escape or an unescaped quote", sample)
		}
		if want := strings.ToValidUTF8(value, "\uFFFD"); got != want {
			t.Fatalf("label value %q read back as %q", want, got)
		}
		if !utf8.ValidString(b.String()) {
			t.Fatalf("exposition is not valid UTF-8: %q", b.String())
		}
	})
}

// unescapeLabelValue reverses the exposition escapes, as Prometheus does;
// it fails on an unknown escape or a bare double quote.
func unescapeLabelValue(s string) (string, bool) {
	var out strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"':
			return "", false
		case '\\':
			i++
			if i == len(s) {
				return "", false
			}
			switch s[i] {
			case '\\':
				out.WriteByte('\\')
			case '"':
				out.WriteByte('"')
			case 'n':
				out.WriteByte('\n')
			default:
				return "", false
			}
		default:
			out.WriteByte(c)
		}
	}
	return out.String(), true
}
