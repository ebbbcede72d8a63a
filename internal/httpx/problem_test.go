package httpx

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestWriteProblem(t *testing.T) {
	t.Run("a 4xx problem keeps its detail and field errors and carries the request id", func(t *testing.T) {
		r := httptest.NewRequest(http.MethodPost, "/api/v1/issuers/demo/awards", nil)
		r.Header.Set(RequestIDHeader, "req-1")
		w := httptest.NewRecorder()
		RequestID()(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			WriteProblem(w, r, Problem{
				Type:   "https://communs.example/problems/invalid-award",
				Status: http.StatusUnprocessableEntity,
				Detail: "the award request has 1 invalid field",
				Errors: []FieldError{{Field: "recipient.email", Pointer: "#/recipient/email", Detail: "e-mail address has no '@'"}},
			})
		})).ServeHTTP(w, r)

		want := `{"type":"https://communs.example/problems/invalid-award","title":"Unprocessable Entity","status":422,` +
			`"detail":"the award request has 1 invalid field","requestId":"req-1",` +
			`"errors":[{"field":"recipient.email","pointer":"#/recipient/email","detail":"e-mail address has no '@'"}]}` + "\n"
		if got := w.Body.String(); got != want {
			t.Errorf("body\n got %s\nwant %s", got, want)
		}
		if w.Code != http.StatusUnprocessableEntity {
			t.Errorf("status %d, want 422", w.Code)
		}
		for k, v := range map[string]string{
			"Content-Type":           "application/problem+json",
			"Cache-Control":          "no-store",
			"X-Content-Type-Options": "nosniff",
		} {
			if got := w.Header().Get(k); got != v {
				t.Errorf("%s = %q, want %q", k, got, v)
			}
		}
	})

	t.Run("a 5xx problem never shows the internal error text", func(t *testing.T) {
		r := httptest.NewRequest(http.MethodGet, "/credentials/x", nil)
		w := httptest.NewRecorder()
		w.Header().Set(RequestIDHeader, "abc")
		WriteProblem(w, r, Problem{
			Title:  "pebble: disk full at /var/lib/communs",
			Status: http.StatusServiceUnavailable,
			Detail: "write batch: open /var/lib/communs/000123.sst: no space left on device",
			Errors: []FieldError{{Field: "x", Detail: "y"}},
		})
		want := `{"title":"Service Unavailable","status":503,"detail":"internal error","requestId":"abc"}` + "\n"
		if got := w.Body.String(); got != want {
			t.Errorf("body\n got %s\nwant %s", got, want)
		}
	})

	t.Run("a zero or non-error status becomes 500", func(t *testing.T) {
		for _, status := range []int{0, 200, 302, 999} {
			w := httptest.NewRecorder()
			WriteProblem(w, httptest.NewRequest(http.MethodGet, "/", nil), Problem{Status: status, Detail: "secret"})
			if w.Code != http.StatusInternalServerError {
				t.Errorf("status %d answered %d, want 500", status, w.Code)
			}
			if want := `{"title":"Internal Server Error","status":500,"detail":"internal error"}` + "\n"; w.Body.String() != want {
				t.Errorf("status %d body %s, want %s", status, w.Body.String(), want)
			}
		}
	})

	t.Run("an empty title is the status text", func(t *testing.T) {
		w := httptest.NewRecorder()
		WriteProblem(w, httptest.NewRequest(http.MethodGet, "/", nil), Problem{Status: http.StatusNotFound, Detail: "no credential with id 7kq"})
		if want := `{"title":"Not Found","status":404,"detail":"no credential with id 7kq"}` + "\n"; w.Body.String() != want {
			t.Errorf("body %s, want %s", w.Body.String(), want)
		}
	})

	t.Run("a HEAD request gets the status and headers without a body", func(t *testing.T) {
		w := httptest.NewRecorder()
		WriteProblem(w, httptest.NewRequest(http.MethodHead, "/", nil), Problem{Status: http.StatusNotFound})
		if w.Code != http.StatusNotFound || w.Body.Len() != 0 {
			t.Errorf("HEAD answered %d with %d body bytes, want 404 and none", w.Code, w.Body.Len())
		}
	})

	t.Run("validators set for the successful answer are dropped", func(t *testing.T) {
		w := httptest.NewRecorder()
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Content-Length", "999")
		WriteProblem(w, httptest.NewRequest(http.MethodGet, "/", nil), Problem{Status: http.StatusConflict})
		if w.Header().Get("ETag") != "" || w.Header().Get("Content-Length") != "" {
			t.Errorf("headers %v still carry ETag or Content-Length", w.Header())
		}
	})
}
