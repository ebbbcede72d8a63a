package federation

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

func TestServerEndpoints(t *testing.T) {
	now := fixedClock(testEpoch)
	a := newTestOrigin(t, "a.example", now)
	b := newTestOrigin(t, "b.example", now)
	first := b.append(t, "did:web:b.example:one", StatusActive)
	b.append(t, "did:web:b.example:two", StatusActive)
	reg := newTestRegistry(t, nil, now, b)
	for _, e := range []*Entry{first} {
		if _, err := reg.Apply(t.Context(), e.JWS); err != nil {
			t.Fatal(err)
		}
	}
	head, err := b.log.SignHead(b.key, 3600e9)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := reg.ApplyHead(t.Context(), head); err != nil {
		t.Fatal(err)
	}
	own := a.append(t, "did:web:a.example:x", StatusActive)
	s, err := NewServer(ServerConfig{Registry: reg, Log: a.log, Signer: a.key})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	get := func(t *testing.T, path string) (int, []byte) {
		t.Helper()
		resp, err := srv.Client().Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, body
	}

	t.Run("heads lists the node's own head and the heads it holds", func(t *testing.T) {
		code, body := get(t, PathHeads)
		heads, err := ParseHeads(body, DefaultLimits())
		if code != http.StatusOK || err != nil || len(heads) != 2 {
			t.Fatalf("%d %s (%v)", code, body, err)
		}
		var iss []string
		for _, h := range heads {
			p, err := ParseHead([]byte(h), DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			iss = append(iss, p.Claims.Iss)
		}
		if iss[0] != a.EntityID || iss[1] != b.EntityID {
			t.Fatalf("heads of %v", iss)
		}
	})
	t.Run("log serves only the verified entries it holds, in seq order", func(t *testing.T) {
		code, body := get(t, PathLog+"?origin="+url.QueryEscape(b.EntityID)+"&after=0&limit=5")
		p, err := ParseLogPage(body, b.EntityID, 0, 5, DefaultLimits())
		if code != http.StatusOK || err != nil || len(p.Entries) != 1 || p.Entries[0] != string(first.JWS) || p.More {
			t.Fatalf("%d %s (%v)", code, body, err)
		}
	})
	t.Run("log pages with limit and says there is more", func(t *testing.T) {
		a.append(t, "did:web:a.example:y", StatusActive)
		_, body := get(t, PathLog+"?origin="+url.QueryEscape(a.EntityID)+"&limit=1")
		p, err := ParseLogPage(body, a.EntityID, 0, 1, DefaultLimits())
		if err != nil || len(p.Entries) != 1 || p.Entries[0] != string(own.JWS) || !p.More {
			t.Fatalf("%s (%v)", body, err)
		}
	})
	t.Run("objects serves an entry by CID", func(t *testing.T) {
		for _, e := range []*Entry{own, first} {
			code, body := get(t, PathObjects+e.CID)
			if code != http.StatusOK || string(body) != string(e.JWS) {
				t.Fatalf("%s: %d %s", e.CID, code, body)
			}
		}
	})
	bad := []struct {
		name, path string
		code       int
	}{
		{"an unknown CID is not found", PathObjects + "bafkreinothere", http.StatusNotFound},
		{"an unknown origin is not found", PathLog + "?origin=https://c.example", http.StatusNotFound},
		{"a limit over 500 is refused", PathLog + "?origin=" + url.QueryEscape(a.EntityID) + "&limit=501", http.StatusBadRequest},
		{"a negative after is refused", PathLog + "?origin=" + url.QueryEscape(a.EntityID) + "&after=-1", http.StatusBadRequest},
	}
	for _, tc := range bad {
		t.Run(tc.name+" with problem+json", func(t *testing.T) {
			code, body := get(t, tc.path)
			var p struct {
				Status int
				Detail string
			}
			if code != tc.code || json.Unmarshal(body, &p) != nil || p.Status != tc.code || p.Detail == "" {
				t.Fatalf("%d %s", code, body)
			}
		})
	}
}
