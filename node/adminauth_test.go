package node

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cockroachdb/pebble/v2/vfs"
)

func TestAdminAuthRequireAdmin(t *testing.T) {
	tn := startNode(t, vfs.NewMem(), nil)
	defer tn.stop()
	tn.mustJSON(t, "POST", "/api/v1/issuers", map[string]any{"slug": "a", "name": "A"}, 201)
	staff := tn.mustJSON(t, "POST", "/api/v1/tokens", map[string]any{"role": "staff", "issuer": "a"}, 201)["token"].(string)
	reached := 0
	h := tn.RequireAdmin(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached++
		w.WriteHeader(http.StatusNoContent)
	}))
	call := func(token string) *httptest.ResponseRecorder {
		r := httptest.NewRequestWithContext(context.Background(), "GET", "/api/v1/federation/status", nil)
		if token != "" {
			r.Header.Set("Authorization", "Bearer "+token)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	problem := func(t *testing.T, w *httptest.ResponseRecorder, status int) {
		t.Helper()
		if w.Code != status {
			t.Fatalf("status %d, want %d: %s", w.Code, status, w.Body)
		}
		if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
			t.Fatalf("Content-Type %q, want problem+json", ct)
		}
		var p map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil || p["status"] == nil {
			t.Fatalf("not a problem document: %s", w.Body)
		}
	}
	t.Run("no token is refused with 401 and a Bearer challenge", func(t *testing.T) {
		w := call("")
		problem(t, w, http.StatusUnauthorized)
		if !strings.HasPrefix(w.Header().Get("WWW-Authenticate"), "Bearer") {
			t.Fatalf("WWW-Authenticate %q", w.Header().Get("WWW-Authenticate"))
		}
	})
	t.Run("a wrong token is refused with 401", func(t *testing.T) {
		problem(t, call(tn.admin+"x"), http.StatusUnauthorized)
	})
	t.Run("an issuer's staff token is refused with 403", func(t *testing.T) {
		problem(t, call(staff), http.StatusForbidden)
	})
	if reached != 0 {
		t.Fatalf("the protected handler ran %d times for refused requests", reached)
	}
	t.Run("the node admin token reaches the handler", func(t *testing.T) {
		if w := call(tn.admin); w.Code != http.StatusNoContent || reached != 1 {
			t.Fatalf("status %d, handler reached %d times", w.Code, reached)
		}
	})
}
