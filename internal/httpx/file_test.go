package httpx

import (
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const webVectors = "../../testdata/vectors/web"

const dccStatusURL = "https://raw.githubusercontent.com/digitalcredentials/verifier-core/refs/heads/main/src/test-fixtures/status/e5WK8CbZ1GjycuPombrj"

func TestFileTransportServesTheVectorIndex(t *testing.T) {
	files, err := LoadIndex(webVectors)
	if err != nil {
		t.Fatal(err)
	}
	ft := &FileTransport{Files: files}
	c := &http.Client{Transport: ft}
	t.Run("both status lists of the index are listed with paths inside the folder", func(t *testing.T) {
		if urls := ft.URLs(); len(urls) != 2 || files[dccStatusURL] != filepath.Join(webVectors, "dcc-status-e5WK8CbZ1GjycuPombrj.json") {
			t.Fatalf("URLs %v", urls)
		}
	})
	t.Run("a mapped URL answers with the file's bytes as JSON", func(t *testing.T) {
		resp, err := c.Get(dccStatusURL)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		got, _ := io.ReadAll(resp.Body)
		want, _ := os.ReadFile(filepath.Join(webVectors, "dcc-status-e5WK8CbZ1GjycuPombrj.json"))
		if resp.StatusCode != 200 || string(got) != string(want) || resp.Header.Get("Content-Type") != "application/json" {
			t.Fatalf("status %d, type %s, %d bytes", resp.StatusCode, resp.Header.Get("Content-Type"), len(got))
		}
	})
	t.Run("a fragment does not change the lookup", func(t *testing.T) {
		resp, err := c.Get(dccStatusURL + "#list")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	})
	t.Run("an unknown URL fails with ErrNotMapped naming it, without network", func(t *testing.T) {
		_, err := c.Get("https://example.com/status/1")
		if !errors.Is(err, ErrNotMapped) || !strings.Contains(err.Error(), "https://example.com/status/1") {
			t.Fatalf("error %v", err)
		}
	})
	t.Run("a POST is refused", func(t *testing.T) {
		_, err := c.Post(dccStatusURL, "application/json", strings.NewReader("{}"))
		if err == nil || !strings.Contains(err.Error(), "only GET and HEAD") {
			t.Fatalf("error %v", err)
		}
	})
	t.Run("HEAD answers the length without a body", func(t *testing.T) {
		resp, err := c.Head(dccStatusURL)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.ContentLength <= 0 {
			t.Fatalf("length %d", resp.ContentLength)
		}
	})
	t.Run("the guarded body cap applies on top of a file transport", func(t *testing.T) {
		capped := &http.Client{Transport: LimitBody(ft, 10)}
		resp, err := capped.Get(dccStatusURL)
		if !errors.Is(err, ErrTooLarge) {
			if resp != nil {
				resp.Body.Close()
			}
			t.Fatalf("error %v", err)
		}
	})
}

func TestFileTransportMappingsAndFallback(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "did.json"), []byte(`{"id":"did:web:example.com"}`), 0o600)

	t.Run("an explicit URL=FILE mapping is served", func(t *testing.T) {
		ft, err := NewFileTransport(map[string]string{"https://example.com/.well-known/did.json": filepath.Join(dir, "did.json")})
		if err != nil {
			t.Fatal(err)
		}
		body, err := get(&http.Client{Transport: ft}, "https://example.com/.well-known/did.json")
		if err != nil || !strings.Contains(body, "did:web:example.com") {
			t.Fatalf("body %q, error %v", body, err)
		}
	})
	t.Run("unmapped URLs go to the fallback when one is set", func(t *testing.T) {
		var asked string
		ft := &FileTransport{Fallback: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			asked = r.URL.String()
			return &http.Response{StatusCode: 204, Body: http.NoBody, Request: r}, nil
		})}
		resp, err := (&http.Client{Transport: ft}).Get("https://example.org/x")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if asked != "https://example.org/x" {
			t.Fatalf("fallback asked for %q", asked)
		}
	})
	t.Run("a mapping that is not an absolute URL is refused", func(t *testing.T) {
		if _, err := NewFileTransport(map[string]string{"/relative": "x"}); err == nil {
			t.Fatal("expected an error")
		}
	})
	t.Run("a mapped file that is missing is reported with its path", func(t *testing.T) {
		ft := &FileTransport{Files: map[string]string{"https://example.com/x#frag": filepath.Join(dir, "nope.json")}}
		_, err := (&http.Client{Transport: ft}).Get("https://example.com/x")
		if err == nil || !strings.Contains(err.Error(), "nope.json") {
			t.Fatalf("error %v", err)
		}
	})
	t.Run("an index pointing outside its folder is refused", func(t *testing.T) {
		bad := t.TempDir()
		os.WriteFile(filepath.Join(bad, "index.json"), []byte(`{"https://example.com/x": "../secret.json"}`), 0o600)
		_, err := LoadIndex(bad)
		if err == nil || !strings.Contains(err.Error(), "outside") {
			t.Fatalf("error %v", err)
		}
	})
	t.Run("an index key that is not an absolute URL is refused", func(t *testing.T) {
		bad := t.TempDir()
		os.WriteFile(filepath.Join(bad, "index.json"), []byte(`{"example.com/x": "x.json"}`), 0o600)
		if _, err := LoadIndex(bad); err == nil || !strings.Contains(err.Error(), "absolute") {
			t.Fatalf("error %v", err)
		}
	})
	t.Run("a folder without index.json is an error", func(t *testing.T) {
		if _, err := LoadIndex(t.TempDir()); err == nil {
			t.Fatal("expected an error")
		}
	})
}

// roundTripFunc adapts a function to http.RoundTripper.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
