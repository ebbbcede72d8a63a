package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/communs/communs/federation"
	"github.com/communs/communs/internal/httpx"
	"github.com/communs/communs/vc"
	"github.com/communs/communs/vc/did"
)

const (
	fedInterval = 300 * time.Millisecond
	fedStmtTTL  = 3 * time.Second
	fedToken    = "cmt_federation-test-admin-token-0123"
)

// fedProc is one `communs serve` process of the test federation.
type fedProc struct {
	t      *testing.T
	bin    string
	args   []string
	base   string
	badges []string
	cmd    *exec.Cmd
	logs   *lockedBuffer
	done   chan error
}

// freePort returns a loopback port free at the time of the call (the node's entity id and its
// issuers' did:web names carry it, so it stays the same across restarts).
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}

// startFedNode starts `communs serve` with the federation flags and waits for /healthz; with
// --demo it also collects the badge URLs printed.
func startFedNode(t *testing.T, bin, data, port string, extra ...string) *fedProc {
	t.Helper()
	p := &fedProc{t: t, bin: bin, base: "http://127.0.0.1:" + port}
	p.args = append([]string{"serve", "--data", data, "--addr", "127.0.0.1:" + port, "--log-format", "json", "--log-level", "warn",
		"--federation-interval", fedInterval.String()}, extra...)
	p.start()
	return p
}

func (p *fedProc) start() {
	t := p.t
	t.Helper()
	p.cmd = exec.Command(p.bin, p.args...)
	p.cmd.Env = append(os.Environ(), "COMMUNS_ADMIN_TOKEN="+fedToken)
	p.logs, p.done = &lockedBuffer{}, make(chan error, 1)
	p.cmd.Stderr = p.logs
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	cmd, done := p.cmd, p.done
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-done
		done <- nil
	})
	var badges []string
	sc := bufio.NewScanner(stdout)
	demo := false
	for _, a := range p.args {
		demo = demo || a == "--demo"
	}
	for demo && sc.Scan() && !strings.HasPrefix(sc.Text(), "Verify one:") {
		if line := sc.Text(); strings.HasPrefix(line, "  http") {
			badges = append(badges, strings.TrimSpace(line))
		}
	}
	go func() {
		for sc.Scan() {
		}
		done <- cmd.Wait()
	}()
	if len(badges) > 0 {
		p.badges = badges
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if st, _, body := fedGet(t, p.base+"/healthz", ""); st == 200 && string(body) == "ok" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never became healthy:\n%s", p.base, p.logs)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// kill9 kills the process without letting it shut down.
func (p *fedProc) kill9() {
	p.t.Helper()
	if err := p.cmd.Process.Kill(); err != nil {
		p.t.Fatal(err)
	}
	<-p.done
	p.done <- nil
}

func fedGet(t *testing.T, u, token string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, nil
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return resp.StatusCode, resp.Header, b.Bytes()
}

// assess asks a node's issuer API about a DID.
func (p *fedProc) assess(t *testing.T, issuer string) federation.IssuerAssessment {
	t.Helper()
	var a federation.IssuerAssessment
	st, _, body := fedGet(t, p.base+"/api/v1/issuers/"+issuer, "")
	if st == 200 {
		if err := json.Unmarshal(body, &a); err != nil {
			t.Fatalf("issuer API of %s: %v: %s", p.base, err, body)
		}
	}
	return a
}

// runCLI runs `communs ARGS...` with the admin token in the environment.
func runCLI(t *testing.T, bin string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "COMMUNS_TOKEN="+fedToken)
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return string(out), code
}

func mustCLI(t *testing.T, bin string, args ...string) string {
	t.Helper()
	out, code := runCLI(t, bin, args...)
	if code != 0 {
		t.Fatalf("communs %s: exit %d\n%s", strings.Join(args, " "), code, out)
	}
	return out
}

// waitFor polls cond until it holds or timeout passes; it returns how long that took.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() (bool, string)) time.Duration {
	t.Helper()
	start := time.Now()
	var last string
	for {
		ok, why := cond()
		if ok {
			return time.Since(start)
		}
		last = why
		if time.Since(start) > timeout {
			t.Fatalf("%s: not within %v: %s", what, timeout, last)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// everywhere checks want(assessment) for every DID on every node.
func everywhere(t *testing.T, nodes []*fedProc, dids []string, want func(federation.IssuerAssessment) bool) func() (bool, string) {
	return func() (bool, string) {
		for _, n := range nodes {
			for _, d := range dids {
				if a := n.assess(t, d); !want(a) {
					return false, fmt.Sprintf("%s says %s is %q (recognized %v)", n.base, d, a.Status, a.Recognized)
				}
			}
		}
		return true, ""
	}
}

func TestFederationOfServeProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs five communs processes")
	}
	bin := buildCommuns(t)
	dir := t.TempDir()
	jwks := filepath.Join(dir, "anchor.jwks")
	mustCLI(t, bin, "federation", "anchor", "init", "--data", filepath.Join(dir, "anchor"), "--out", jwks)
	if fi, err := os.Stat(filepath.Join(dir, "anchor", "federation.key")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("anchor init: federation.key %v %v, want mode 0600", fi, err)
	}

	anchor := startFedNode(t, bin, filepath.Join(dir, "anchor"), freePort(t),
		"--federation-role", "anchor", "--federation-statement-ttl", fedStmtTTL.String(), "--federation-org-name", "Gouvernance")
	partners := make([]*fedProc, 3)
	for i := range partners {
		partners[i] = startFedNode(t, bin, filepath.Join(dir, fmt.Sprintf("p%d", i+1)), freePort(t), "--demo",
			"--federation-role", "partner", "--federation-anchor", anchor.base, "--federation-anchor-jwks", jwks,
			"--federation-refresh-interval", "500ms")
	}
	all := append([]*fedProc{anchor}, partners...)
	host := func(p *fedProc) string {
		return "did:web:" + strings.ReplaceAll(strings.TrimPrefix(p.base, "http://"), ":", "%3A")
	}
	demoDID := func(p *fedProc) string { return host(p) + ":issuers:demo" }
	extraDID := func(p *fedProc, n int) string { return fmt.Sprintf("%s:issuers:extra-%d", host(p), n) }

	for i, p := range partners {
		out := mustCLI(t, bin, "federation", "anchor", "add-partner", "--node", anchor.base, p.base,
			"--scope", host(p)+":*", "--name", fmt.Sprintf("Partner %d", i+1))
		if !strings.Contains(out, "partner:  "+p.base) {
			t.Fatalf("add-partner printed:\n%s", out)
		}
	}
	waitFor(t, 10*time.Second, "attestation of every partner", func() (bool, string) {
		for _, p := range partners {
			var st federation.NodeStatus
			_, _, body := fedGet(t, p.base+"/api/v1/federation/status", fedToken)
			if json.Unmarshal(body, &st) != nil || !st.Attested {
				return false, p.base + " is not attested: " + st.RefreshError
			}
		}
		return true, ""
	})
	for i, p := range partners {
		mustCLI(t, bin, "federation", "vouch", "--node", p.base, extraDID(p, 1), "--name", fmt.Sprintf("Extra %d", i+1))
	}
	var dids []string
	for _, p := range partners {
		dids = append(dids, demoDID(p), extraDID(p, 1))
	}
	active := func(a federation.IssuerAssessment) bool { return a.Recognized && a.Status == "active" }

	t.Run("every node recognises every partner's issuers", func(t *testing.T) {
		took := waitFor(t, 15*time.Second, "convergence", everywhere(t, all, dids, active))
		t.Logf("4 nodes × %d issuers converged %v after the last vouch", len(dids), took.Round(time.Millisecond))
		a := partners[2].assess(t, demoDID(partners[0]))
		if len(a.VouchedBy) != 1 || a.VouchedBy[0].EntityID != partners[0].base || a.VouchedBy[0].OrganizationName != "Partner 1" {
			t.Errorf("vouched_by of %s on partner 3 = %+v", demoDID(partners[0]), a.VouchedBy)
		}
		if len(a.IssuerKeys) != 1 || !strings.HasPrefix(a.IssuerKeys[0], "z6Mk") {
			t.Errorf("the hosted issuer's keys were not vouched for: %v", a.IssuerKeys)
		}
	})
	if t.Failed() {
		return
	}

	t.Run("a badge verifies as vouched for through the registry of another node", func(t *testing.T) {
		client := httpx.NewGuardedClient(httpx.GuardOptions{AllowLoopback: true, CacheTTL: -1})
		resolver := did.NewResolver(did.Options{HTTPClient: client, AllowHTTP: true})
		trust, err := newRegistryTrust(anchor.base, client, resolver)
		if err != nil {
			t.Fatal(err)
		}
		st, _, raw := serveGet(t, partners[1].badges[0], "application/vc+ld+json", "")
		if st != 200 {
			t.Fatalf("GET badge = %d", st)
		}
		rep, err := vc.Verify(context.Background(), raw, vc.Options{Resolver: resolver, HTTPClient: client, Trust: trust})
		if err != nil {
			t.Fatal(err)
		}
		r := rep.Recognition
		if !rep.Verified || r == nil || !r.Recognized || len(r.VouchedBy) != 1 || r.VouchedBy[0].EntityID != partners[1].base ||
			r.VouchedBy[0].Name != "Partner 2" || r.VouchedBy[0].Since.IsZero() || r.KeyListed == nil || !*r.KeyListed {
			t.Fatalf("verified %v (%s), recognition %+v", rep.Verified, rep.Reason(), r)
		}
		unknown, err := trust.Recognize(context.Background(), "did:web:unknown.example", "")
		if err != nil || unknown.Recognized || unknown.Status != "unknown" {
			t.Fatalf("unknown issuer: %+v %v", unknown, err)
		}
	})

	t.Run("communs verify --registry says who vouches for the issuer", func(t *testing.T) {
		out, code := runCLI(t, bin, "verify", "--allow-loopback", "--registry", anchor.base, partners[1].badges[0])
		if code != exitOK || !strings.Contains(out, "vouched for by Partner 2") {
			t.Fatalf("verify --registry: exit %d\n%s", code, out)
		}
	})
	t.Run("the verify page of one node shows the partner that vouches for another node's badge", func(t *testing.T) {
		for lang, want := range map[string]string{"en": "Partner 2", "fr": "Partner 2"} {
			form := url.Values{"url": {partners[1].badges[0]}}
			req, _ := http.NewRequest("POST", partners[2].base+"/verify?lang="+lang, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			page := string(body)
			if resp.StatusCode != http.StatusOK || !strings.Contains(page, want) {
				t.Fatalf("%s verify page: %d, no %q:\n%s", lang, resp.StatusCode, want, page)
			}
			if lang == "fr" && !strings.Contains(page, "avalis") {
				t.Errorf("the French page does not say who vouches (avalisé par):\n%s", page)
			}
		}
	})

	t.Run("a suspension on one partner reaches every node within two sync intervals", func(t *testing.T) {
		target := demoDID(partners[0])
		out := mustCLI(t, bin, "federation", "suspend", "--node", partners[0].base, target, "--reason", "audit pending")
		if !strings.Contains(out, "status:   suspended") {
			t.Fatalf("suspend printed:\n%s", out)
		}
		took := waitFor(t, 10*time.Second, "suspension", everywhere(t, all, []string{target}, func(a federation.IssuerAssessment) bool {
			return !a.Recognized && a.Status == "suspended"
		}))
		t.Logf("suspension seen by all 4 nodes after %v (sync interval %v)", took.Round(time.Millisecond), fedInterval)
		// Two intervals (each up to +20 % jitter), plus the polling and HTTP overhead.
		if limit := 2*fedInterval*12/10 + 250*time.Millisecond; took > limit {
			t.Errorf("suspension took %v to reach every node, want at most %v", took, limit)
		}
	})

	t.Run("a node killed with SIGKILL and restarted loses nothing and catches up", func(t *testing.T) {
		victim := partners[1]
		var before federation.NodeStatus
		_, _, body := fedGet(t, victim.base+"/api/v1/federation/status", fedToken)
		if err := json.Unmarshal(body, &before); err != nil || before.Seq == 0 {
			t.Fatalf("status before: %v %s", err, body)
		}
		victim.kill9()
		mustCLI(t, bin, "federation", "vouch", "--node", partners[0].base, extraDID(partners[0], 2))
		mustCLI(t, bin, "federation", "vouch", "--node", partners[2].base, extraDID(partners[2], 2))
		victim.start()
		var after federation.NodeStatus
		_, _, body = fedGet(t, victim.base+"/api/v1/federation/status", fedToken)
		if err := json.Unmarshal(body, &after); err != nil || after.Seq != before.Seq {
			t.Fatalf("own log seq after restart = %d, before %d (%v)", after.Seq, before.Seq, err)
		}
		fresh := []string{extraDID(partners[0], 2), extraDID(partners[2], 2), demoDID(victim), extraDID(victim, 1)}
		took := waitFor(t, 10*time.Second, "catch-up", everywhere(t, []*fedProc{victim}, fresh, active))
		t.Logf("restarted node caught up %v after it answered /healthz", took.Round(time.Millisecond))
		if a := victim.assess(t, demoDID(partners[0])); a.Status != "suspended" {
			t.Errorf("after restart the suspension is lost: %q", a.Status)
		}
		waitFor(t, 10*time.Second, "others still recognise the restarted node's issuers", everywhere(t, all, fresh, active))
	})

	t.Run("the expelled partner's issuers stop being recognised once its statement expires", func(t *testing.T) {
		expelled := partners[2]
		gone := []string{demoDID(expelled), extraDID(expelled, 1), extraDID(expelled, 2)}
		out := mustCLI(t, bin, "federation", "anchor", "expel", "--node", anchor.base, expelled.base)
		if !strings.Contains(out, "expelled: "+expelled.base) {
			t.Fatalf("expel printed:\n%s", out)
		}
		expelledAt := time.Now()
		waitFor(t, time.Second, "the anchor drops the expelled partner at once", everywhere(t, []*fedProc{anchor}, gone, func(a federation.IssuerAssessment) bool { return !a.Recognized }))
		waitFor(t, fedStmtTTL+5*time.Second, "expulsion", everywhere(t, partners[:2], gone, func(a federation.IssuerAssessment) bool { return !a.Recognized }))
		t.Logf("expelled partner's issuers unrecognised everywhere %v after the expulsion (statement TTL %v)", time.Since(expelledAt).Round(time.Millisecond), fedStmtTTL)
		if a := partners[0].assess(t, extraDID(partners[1], 1)); !a.Recognized {
			t.Errorf("a member's issuer is no longer recognised: %+v", a)
		}
		out, code := runCLI(t, bin, "federation", "anchor", "partners", "--node", anchor.base, "--json")
		if code != 0 || !strings.Contains(out, `"expelled_at"`) {
			t.Errorf("partners after expulsion (exit %d):\n%s", code, out)
		}
	})

	t.Run("the CLI exits 1 with the node's reason when the node refuses", func(t *testing.T) {
		out, code := runCLI(t, bin, "federation", "vouch", "--node", partners[0].base, "did:web:elsewhere.example")
		if code != exitFailure || !strings.Contains(out, "outside the origin's scope") {
			t.Errorf("vouch outside the scope: exit %d\n%s", code, out)
		}
		out, code = runCLI(t, bin, "federation", "vouch", "--node", anchor.base, extraDID(partners[0], 3))
		if code != exitFailure || !strings.Contains(out, "role") {
			t.Errorf("vouch on the anchor: exit %d\n%s", code, out)
		}
	})

	t.Run("the node's own issuer API by slug still answers beside the issuer API by DID", func(t *testing.T) {
		st, _, body := fedGet(t, partners[0].base+"/api/v1/issuers/demo", fedToken)
		if st != 200 || !strings.Contains(string(body), `"slug":"demo"`) {
			t.Errorf("GET /api/v1/issuers/demo with the admin token = %d: %.200s", st, body)
		}
		if st, _, _ := fedGet(t, partners[0].base+"/api/v1/issuers/demo", ""); st != http.StatusUnauthorized {
			t.Errorf("GET /api/v1/issuers/demo without a token = %d, want 401", st)
		}
		st, h, _ := fedGet(t, partners[0].base+"/api/v1/issuers/"+demoDID(partners[1]), "")
		if st != 200 || h.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("GET /api/v1/issuers/{did} = %d, CORS %q", st, h.Get("Access-Control-Allow-Origin"))
		}
	})

	t.Run("status shows origins, peers and no equivocation alarm", func(t *testing.T) {
		out := mustCLI(t, bin, "federation", "status", "--node", partners[0].base)
		for _, want := range []string{"attested:      yes", "equivocations: none", partners[1].base, "ORIGIN", "PEER", anchor.base} {
			if !strings.Contains(out, want) {
				t.Errorf("status lacks %q:\n%s", want, out)
			}
		}
		st, h, body := fedGet(t, partners[0].base+"/admin/federation", fedToken)
		if st != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/html") || !strings.Contains(string(body), partners[1].base) {
			t.Errorf("/admin/federation = %d %s", st, h.Get("Content-Type"))
		}
		if st, _, _ := fedGet(t, partners[0].base+"/admin/federation", ""); st != http.StatusUnauthorized {
			t.Errorf("/admin/federation without a token = %d, want 401", st)
		}
		_, _, metrics := fedGet(t, partners[0].base+"/metrics", "")
		for _, want := range []string{"communs_federation_sync_rounds ", "communs_federation_equivocations_total 0", "communs_federation_origins "} {
			if !strings.Contains(string(metrics), want) {
				t.Errorf("/metrics lacks %q", want)
			}
		}
	})
}
