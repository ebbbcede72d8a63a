package httpx

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzRequestID feeds arbitrary X-Request-Id headers to the RequestID
// middleware: the id it settles on is always safe to log, and an incoming
// id is adopted only when it is.
func FuzzRequestID(f *testing.F) {
	for _, s := range []string{"", "req-1", "proxy-7f3a.01:02", "a b", "x\ny", strings.Repeat("a", 64), strings.Repeat("a", 65), "\xff", `{"inject":true}`} {
		f.Add(s)
	}
	h := RequestID()(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	f.Fuzz(func(t *testing.T, incoming string) {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header[RequestIDHeader] = []string{incoming}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		id := w.Header().Get(RequestIDHeader)
		if !ValidRequestID(id) {
			t.Fatalf("incoming %q gave unsafe id %q", incoming, id)
		}
		if (id == incoming) != ValidRequestID(incoming) {
			t.Fatalf("incoming %q (valid %v) gave id %q", incoming, ValidRequestID(incoming), id)
		}
	})
}
