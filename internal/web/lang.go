package web

import (
	"net/http"
	"strconv"
	"strings"
)

// DefaultLang is the language of a page when the request expresses no usable preference.
const DefaultLang = "fr"

// Langs returns the languages the catalog covers, default first.
func Langs() []string { return []string{"fr", "en"} }

// supported reports the catalog language for a BCP 47 tag ("en-GB" -> "en"), or "".
func supported(tag string) string {
	primary, _, _ := strings.Cut(strings.TrimSpace(tag), "-")
	primary, _, _ = strings.Cut(primary, "_")
	switch strings.ToLower(primary) {
	case "fr":
		return "fr"
	case "en":
		return "en"
	}
	return ""
}

// PickLang chooses the page language for r: the `lang` query parameter wins when it names a
// supported language, then the Accept-Language header by q-value (earlier entries win ties),
// then DefaultLang. A response chosen this way should carry "Vary: Accept-Language".
func PickLang(r *http.Request) string {
	if r == nil {
		return DefaultLang
	}
	if r.URL != nil {
		if l := supported(r.URL.Query().Get("lang")); l != "" {
			return l
		}
	}
	if l := AcceptLanguage(r.Header.Get("Accept-Language")); l != "" {
		return l
	}
	return DefaultLang
}

// maxAcceptEntries bounds the work done on a hostile Accept-Language header.
const maxAcceptEntries = 32

// AcceptLanguage returns the supported language an Accept-Language header value prefers most
// (highest q-value, earlier entries winning ties), or "" when it names none. Entries with
// q=0 are refused; a malformed q-value is read as 0; the wildcard "*" is ignored.
func AcceptLanguage(header string) string {
	best, bestQ := "", 0.0
	n := 0
	for entry := range strings.SplitSeq(header, ",") {
		if n++; n > maxAcceptEntries {
			break
		}
		tag, params, _ := strings.Cut(entry, ";")
		l := supported(tag)
		if l == "" {
			continue
		}
		q := 1.0
		for p := range strings.SplitSeq(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if !ok || !strings.EqualFold(strings.TrimSpace(k), "q") {
				continue
			}
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil || f < 0 || f > 1 || f != f {
				f = 0
			}
			q = f
		}
		if q > bestQ {
			best, bestQ = l, q
		}
	}
	return best
}
