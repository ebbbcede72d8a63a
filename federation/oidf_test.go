package federation

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// get fetches u (raw, not re-encoded) and returns status, headers, body.
func get(t *testing.T, u string) (int, http.Header, []byte) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, body
}

func TestOpenIDFederationEndpoints(t *testing.T) {
	clock := newTestClock()
	web := newWebDID(t)
	anchor, partners := federation(t, clock, 2, []string{"did:web:127.0.0.1%3A" + web.port + ":*"})
	p := partners[0]
	mk, _ := multikey(t)
	if _, err := p.Vouch(context.Background(), VouchRequest{DID: web.did, IssuerKeys: []string{mk}, Organization: FederationEntity{OrganizationName: "Acme Academy", HomepageURI: "https://acme.example/"}}); err != nil {
		t.Fatal(err)
	}
	p.vouch(t, issuerDID(0, 1), "Suspended School")
	p.vouch(t, issuerDID(0, 2), "Revoked School")
	if _, err := p.Suspend(context.Background(), issuerDID(0, 1), ""); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Revoke(context.Background(), issuerDID(0, 2), ""); err != nil {
		t.Fatal(err)
	}
	partners[1].vouch(t, issuerDID(1, 0), "Other School")
	syncAll(t, anchor, partners[0], partners[1])

	t.Run("the Entity Configuration is a self-signed entity statement with the endpoints", func(t *testing.T) {
		for _, n := range []*testNode{anchor, p} {
			code, h, body := get(t, n.url+PathEntityConfiguration)
			if code != 200 || h.Get("Content-Type") != "application/entity-statement+jwt" || h.Get("Access-Control-Allow-Origin") != "*" {
				t.Fatalf("%d %v", code, h)
			}
			ec, err := ParseEntityConfiguration(body, n.url, nil, clock.Now())
			if err != nil {
				t.Fatal(err)
			}
			fe := ec.Claims.Metadata.FederationEntity
			if fe.FederationFetchEndpoint != n.url+PathFetch || fe.FederationListEndpoint != n.url+PathList || fe.FederationResolveEndpoint != n.url+PathResolve ||
				fe.OrganizationName == "" || fe.HomepageURI == "" || fe.PolicyURI == "" {
				t.Fatalf("metadata %+v", fe)
			}
			wantHints := []string(nil)
			if n == p {
				wantHints = []string{anchor.url}
			}
			if !slices.Equal(ec.Claims.AuthorityHints, wantHints) {
				t.Fatalf("authority_hints %v, want %v", ec.Claims.AuthorityHints, wantHints)
			}
		}
		_, _, body := get(t, anchor.url+PathEntityConfiguration)
		if _, err := ParseEntityConfiguration(body, anchor.url, &p.cfg.AnchorKeys, clock.Now()); err != nil {
			t.Fatalf("the anchor's EC does not verify with the pinned keys: %v", err)
		}
	})

	fetch := func(n *testNode, rawSub string) (int, http.Header, []byte) {
		return get(t, n.url+PathFetch+"?sub="+rawSub)
	}
	t.Run("fetch answers a statement about a vouched DID, sent raw or encoded, at the anchor and at the partner", func(t *testing.T) {
		for _, n := range []*testNode{anchor, p, partners[1]} {
			for _, sub := range []string{web.did, url.QueryEscape(web.did)} {
				code, h, body := fetch(n, sub)
				if code != 200 || h.Get("Content-Type") != "application/entity-statement+jwt" || h.Get("Access-Control-Allow-Origin") != "*" {
					t.Fatalf("%s fetch %s: %d %s", n.url, sub, code, body)
				}
				tok, _, c, err := parseStatement(body, TypeEntityStatement, clock.Now())
				if err != nil {
					t.Fatal(err)
				}
				if err := tok.Verify(&n.key.PublicKey); err != nil {
					t.Fatal(err)
				}
				ri := c.RegistrationInfo
				if c.Iss != n.url || c.Sub != web.did || c.Exp-c.Iat > 24*3600 || c.Metadata.FederationEntity.OrganizationName != "Acme Academy" ||
					ri == nil || ri.Status != StatusActive || !slices.Equal(ri.VouchedBy, []string{p.url}) || ri.RegisteredAt != testEpoch.Unix() || len(c.JWKS.Keys) != 1 {
					t.Fatalf("claims %+v (registration %+v)", c, ri)
				}
			}
		}
	})
	t.Run("fetch answers 404 not_found for unknown, suspended and revoked DIDs", func(t *testing.T) {
		for _, sub := range []string{"did:web:nobody.example", issuerDID(0, 1), issuerDID(0, 2)} {
			code, h, body := fetch(anchor, sub)
			var e OIDFError
			if code != 404 || json.Unmarshal(body, &e) != nil || e.Error != "not_found" || e.Description == "" || h.Get("Access-Control-Allow-Origin") != "*" {
				t.Fatalf("fetch %s: %d %s", sub, code, body)
			}
		}
		if code, _, _ := get(t, anchor.url+PathFetch); code != 400 {
			t.Fatalf("fetch without sub: %d", code)
		}
	})
	t.Run("the anchor's fetch answers a partner's statement", func(t *testing.T) {
		code, _, body := fetch(anchor, url.QueryEscape(p.url))
		if code != 200 {
			t.Fatalf("%d %s", code, body)
		}
		s, err := ParseSubordinateStatement(body, anchor.url, anchor.AnchorJWKS(), clock.Now())
		if err != nil || s.Origin.EntityID != p.url {
			t.Fatalf("%v %+v", err, s)
		}
	})
	t.Run("list gives the recognised DIDs, intermediate=true the partners", func(t *testing.T) {
		_, _, body := get(t, anchor.url+PathList)
		ids, err := ParseEntityList(body)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{issuerDID(1, 0), web.did}
		slices.Sort(want)
		if !slices.Equal(ids, want) {
			t.Fatalf("list %v, want %v", ids, want)
		}
		_, _, body = get(t, anchor.url+PathList+"?intermediate=true")
		ids, _ = ParseEntityList(body)
		want = []string{p.url, partners[1].url}
		slices.Sort(want)
		if !slices.Equal(ids, want) {
			t.Fatalf("intermediates %v, want %v", ids, want)
		}
		if code, _, body := get(t, anchor.url+PathList+"?trust_marked=true"); code != 400 || !strings.Contains(string(body), "unsupported_parameter") {
			t.Fatalf("%d %s", code, body)
		}
	})
	t.Run("resolve answers from what the node holds, for its own anchor only", func(t *testing.T) {
		code, h, body := get(t, p.url+PathResolve+"?sub="+url.QueryEscape(web.did)+"&trust_anchor="+url.QueryEscape(anchor.url))
		if code != 200 || h.Get("Content-Type") != "application/resolve-response+jwt" {
			t.Fatalf("%d %s", code, body)
		}
		_, _, c, err := parseStatement(body, TypeResolveResponse, clock.Now())
		if err != nil || c.Sub != web.did || len(c.TrustChain) != 2 || c.Metadata.FederationEntity.OrganizationName != "Acme Academy" {
			t.Fatalf("%v %+v", err, c)
		}
		if code, _, _ := get(t, p.url+PathResolve+"?sub="+url.QueryEscape(web.did)+"&trust_anchor=https://other.example"); code != 404 {
			t.Fatalf("another trust anchor: %d", code)
		}
	})
	t.Run("preflights are answered for any origin", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodOptions, anchor.url+PathFetch, nil)
		req.Header.Set("Origin", "https://verifier.example")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 204 || resp.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Fatalf("%d %v", resp.StatusCode, resp.Header)
		}
	})

	t.Run("the issuer API says who vouches, since when, with which keys, how fresh", func(t *testing.T) {
		clock.Advance(time.Minute)
		for _, path := range []string{web.did, url.PathEscape(web.did)} {
			code, h, body := get(t, anchor.url+PathIssuers+path)
			if code != 200 || h.Get("Access-Control-Allow-Origin") != "*" {
				t.Fatalf("%d %s", code, body)
			}
			var a struct {
				DID        string `json:"did"`
				Recognized bool   `json:"recognized"`
				Status     string `json:"status"`
				VouchedBy  []struct {
					EntityID     string    `json:"entity_id"`
					EntryCID     string    `json:"entry_cid"`
					RegisteredAt time.Time `json:"registered_at"`
				} `json:"vouched_by"`
				IssuerKeys  []string  `json:"issuer_keys"`
				TrustAnchor string    `json:"trust_anchor"`
				EvaluatedAt time.Time `json:"evaluated_at"`
				ValidUntil  time.Time `json:"valid_until"`
				Freshness   struct {
					Stale          bool  `json:"stale"`
					HeadAgeSeconds int64 `json:"head_age_seconds"`
					Origins        []struct {
						EntityID  string    `json:"entity_id"`
						LastHeard time.Time `json:"last_heard"`
					} `json:"origins"`
				} `json:"freshness"`
			}
			if err := json.Unmarshal(body, &a); err != nil {
				t.Fatal(err)
			}
			if a.DID != web.did || !a.Recognized || a.Status != "active" || len(a.VouchedBy) != 1 || a.VouchedBy[0].EntityID != p.url ||
				!a.VouchedBy[0].RegisteredAt.Equal(testEpoch) || !slices.Equal(a.IssuerKeys, []string{mk}) || a.TrustAnchor != anchor.url ||
				a.ValidUntil.IsZero() || a.Freshness.HeadAgeSeconds != 60 || len(a.Freshness.Origins) != 1 || a.Freshness.Origins[0].LastHeard.IsZero() {
				t.Fatalf("answer %s", body)
			}
			if !strings.Contains(string(body), `"organization_name":"Partner 0"`) {
				t.Fatalf("the vouching partner is not named: %s", body)
			}
		}
		_, _, body := get(t, anchor.url+PathIssuers+issuerDID(0, 1))
		if !strings.Contains(string(body), `"status":"suspended"`) || !strings.Contains(string(body), `"recognized":false`) {
			t.Fatalf("suspended: %s", body)
		}
		_, _, body = get(t, anchor.url+PathIssuers+"did:web:nobody.example")
		if !strings.Contains(string(body), `"status":"unknown"`) || !strings.Contains(string(body), `"vouched_by":[]`) {
			t.Fatalf("unknown: %s", body)
		}
	})
}
