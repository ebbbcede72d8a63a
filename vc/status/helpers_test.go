package status

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

const vectors = "../../testdata/vectors"

// testNow is the clock of the tests: after every list's validFrom in the vectors.
var testNow = time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)

func clock() time.Time { return testNow }

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return b
}

func loadJSON(t testing.TB, path string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(readFile(t, path), &m); err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	return m
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	return b
}

// listServer is a real HTTP server on 127.0.0.1 publishing documents by their public URL: the
// status lists of testdata/vectors/web (index.json maps URL -> file) plus any the test adds.
type listServer struct {
	srv  *httptest.Server
	mu   sync.Mutex
	docs map[string][]byte // public URL -> body
	hits map[string]int
}

func newListServer(t testing.TB) *listServer {
	t.Helper()
	s := &listServer{docs: map[string][]byte{}, hits: map[string]int{}}
	var index map[string]string
	if err := json.Unmarshal(readFile(t, filepath.Join(vectors, "web", "index.json")), &index); err != nil {
		t.Fatalf("parse web/index.json: %v", err)
	}
	for u, file := range index {
		if u == "_comment" {
			continue
		}
		s.docs[u] = readFile(t, filepath.Join(vectors, "web", file))
	}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		public := r.URL.Query().Get("url")
		s.mu.Lock()
		body, ok := s.docs[public]
		s.hits[public]++
		s.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

// publish serves doc (JSON-marshalled unless already bytes) at the public URL u.
func (s *listServer) publish(t testing.TB, u string, doc any) {
	t.Helper()
	b, ok := doc.([]byte)
	if !ok {
		b = mustJSON(t, doc)
	}
	s.mu.Lock()
	s.docs[u] = b
	s.mu.Unlock()
}

func (s *listServer) hitsFor(u string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[u]
}

// Fetch retrieves a public URL from the test server over real HTTP.
func (s *listServer) Fetch(ctx context.Context, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.srv.URL+"/?url="+url.QueryEscape(u), nil)
	if err != nil {
		return nil, err
	}
	resp, err := s.srv.Client().Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: HTTP %d", u, resp.StatusCode)
	}
	return io.ReadAll(io.LimitReader(resp.Body, 1<<20))
}

// issuerOnly is the ListVerifier of these tests: it checks no proof and returns the list's
// issuer, as the brief for the status tests asks.
func issuerOnly(_ context.Context, list map[string]any) (string, error) {
	id := idOf(list["issuer"])
	if id == "" {
		return "", errors.New("the list credential has no issuer")
	}
	return id, nil
}

// checkOne runs Check and requires exactly one result.
func checkOne(t *testing.T, cred map[string]any, f Fetcher, opts ...Option) Result {
	t.Helper()
	results, err := Check(context.Background(), cred, f, issuerOnly, append([]Option{WithClock(clock)}, opts...)...)
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	if len(results) != 1 {
		t.Fatalf("Check gave %d results, want 1: %+v", len(results), results)
	}
	if results[0].Reason == "" {
		t.Errorf("result has no reason: %+v", results[0])
	}
	return results[0]
}

func wantState(t *testing.T, r Result, state State, sentinel error) {
	t.Helper()
	if r.State != state {
		t.Fatalf("state = %v, want %v (reason: %s; err: %v)", r.State, state, r.Reason, r.Err)
	}
	if sentinel == nil {
		if r.Err != nil {
			t.Fatalf("err = %v, want none", r.Err)
		}
		return
	}
	if !errors.Is(r.Err, sentinel) {
		t.Fatalf("err = %v, want %v", r.Err, sentinel)
	}
}
