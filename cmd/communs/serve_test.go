package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/communs/communs/internal/httpx"
	"github.com/communs/communs/vc"
	"github.com/communs/communs/vc/did"
)

// buildCommuns builds this command into a temporary directory and returns the binary's path.
func buildCommuns(t *testing.T) string {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command to build communs with: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "communs")
	cmd := exec.Command(gobin, "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// lockedBuffer collects a child process's output while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// servedNode is a `communs serve --demo` subprocess.
type servedNode struct {
	cmd    *exec.Cmd
	base   string
	urls   []string
	stderr *lockedBuffer
	done   chan error
}

// startServe runs `communs serve --demo --data data --addr addr` with env added to the
// environment, reads the base URL and badge URLs it prints, and waits for /healthz.
func startServe(t *testing.T, bin, data, addr string, env ...string) *servedNode {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--demo", "--data", data, "--addr", addr, "--log-format", "json")
	cmd.Env = append(os.Environ(), env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	sn := &servedNode{cmd: cmd, stderr: &lockedBuffer{}, done: make(chan error, 1)}
	cmd.Stderr = sn.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string)
	t.Cleanup(func() {
		cmd.Process.Kill() // no effect once it has exited
		go func() {
			for range lines { // unblock the reader if the test stopped reading early
			}
		}()
		<-sn.done
	})
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		sn.done <- cmd.Wait()
	}()
	timeout := time.After(60 * time.Second)
read:
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("communs serve stopped before printing its badges:\n%s", sn.stderr)
			}
			switch {
			case strings.HasPrefix(line, "Communs node at "):
				sn.base = strings.TrimPrefix(line, "Communs node at ")
			case strings.HasPrefix(line, "  http"):
				sn.urls = append(sn.urls, strings.TrimSpace(line))
			case strings.HasPrefix(line, "Verify one:"):
				break read
			}
		case <-timeout:
			t.Fatalf("communs serve printed no badge URLs within 60 s:\n%s", sn.stderr)
		}
	}
	go func() {
		for range lines { // keep draining stdout so the node never blocks on it
		}
	}()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(sn.base + "/healthz")
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == 200 && string(body) == "ok" {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("/healthz never answered ok: %v\n%s", err, sn.stderr)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return sn
}

// stop sends SIGTERM and returns the exit error (nil for exit 0).
func (sn *servedNode) stop(t *testing.T) error {
	t.Helper()
	if err := sn.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-sn.done:
		sn.done <- err // for the cleanup
		return err
	case <-time.After(30 * time.Second):
		t.Fatalf("communs serve did not stop within 30 s of SIGTERM:\n%s", sn.stderr)
	}
	return nil
}

// serveGet fetches url with the given Accept and bearer token (either may be empty).
func serveGet(t *testing.T, url, accept, token string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
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

// verifyBadgeURL downloads the credential at u and verifies it, resolving did:web and the
// status list over loopback HTTP the way an outside verifier would.
func verifyBadgeURL(t *testing.T, u string) *vc.Report {
	t.Helper()
	st, _, raw := serveGet(t, u, "application/vc+ld+json", "")
	if st != 200 {
		t.Fatalf("GET %s = %d: %s", u, st, raw)
	}
	client := httpx.NewGuardedClient(httpx.GuardOptions{AllowLoopback: true, CacheTTL: -1})
	rep, err := vc.Verify(context.Background(), raw, vc.Options{
		Resolver:   did.NewResolver(did.Options{HTTPClient: client, AllowHTTP: true}),
		HTTPClient: client,
	})
	if err != nil {
		t.Fatalf("verify %s: %v", u, err)
	}
	return rep
}

func TestServeDemoAsASubprocess(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the communs binary")
	}
	bin := buildCommuns(t)
	data := filepath.Join(t.TempDir(), "data")
	token := "cmt_serve-test-admin-token-0123456789"

	first := startServe(t, bin, data, "127.0.0.1:0", "COMMUNS_ADMIN_TOKEN="+token)
	u, err := url.Parse(first.base)
	if err != nil || u.Hostname() != "127.0.0.1" || u.Port() == "" || u.Port() == "0" {
		t.Fatalf("printed base URL %q is not a loopback URL with a port", first.base)
	}
	addr := u.Host

	t.Run("the demo prints three badge URLs on this node", func(t *testing.T) {
		if len(first.urls) != 3 {
			t.Fatalf("badge URLs %q, want 3", first.urls)
		}
		for _, b := range first.urls {
			if !strings.HasPrefix(b, first.base+"/credentials/") || len(strings.TrimPrefix(b, first.base+"/credentials/")) != 26 {
				t.Errorf("badge URL %q is not %s/credentials/{26 chars}", b, first.base)
			}
		}
	})
	t.Run("every demo badge verifies with did:web and its status list fetched over loopback", func(t *testing.T) {
		for _, b := range first.urls {
			rep := verifyBadgeURL(t, b)
			if !rep.Verified {
				t.Errorf("%s not verified: %s", b, rep.Reason())
			}
		}
	})
	t.Run("/metrics is Prometheus text counting the requests answered", func(t *testing.T) {
		st, h, body := serveGet(t, first.base+"/metrics", "", "")
		if st != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/plain") {
			t.Fatalf("/metrics = %d %s", st, h.Get("Content-Type"))
		}
		for _, want := range []string{"# TYPE http_requests_total counter", `http_requests_total{`, `code="200"`} {
			if !strings.Contains(string(body), want) {
				t.Errorf("/metrics lacks %q:\n%.2000s", want, body)
			}
		}
	})
	t.Run("COMMUNS_ADMIN_TOKEN provisions a token the admin API accepts", func(t *testing.T) {
		st, _, body := serveGet(t, first.base+"/api/v1/issuers", "application/json", token)
		if st != 200 || !strings.Contains(string(body), `"demo"`) {
			t.Fatalf("GET /api/v1/issuers with the token = %d: %s", st, body)
		}
		if st, _, _ := serveGet(t, first.base+"/api/v1/issuers", "application/json", token+"x"); st != http.StatusUnauthorized {
			t.Fatalf("a wrong token gets %d, want 401", st)
		}
	})
	t.Run("master.key is created with mode 0600", func(t *testing.T) {
		fi, err := os.Stat(filepath.Join(data, "master.key"))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Fatalf("master.key mode %v, want -rw-------", fi.Mode().Perm())
		}
	})
	t.Run("the logs carry neither the admin token nor the learners' names", func(t *testing.T) {
		logs := first.stderr.String()
		for _, secret := range []string{token, "Marie Lemieux", "marie.lemieux@example.org"} {
			if strings.Contains(logs, secret) {
				t.Errorf("the logs contain %q", secret)
			}
		}
	})
	t.Run("SIGTERM stops the node cleanly with exit status 0", func(t *testing.T) {
		if err := first.stop(t); err != nil {
			t.Fatalf("exit: %v\n%s", err, first.stderr)
		}
		if _, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			t.Fatalf("%s still accepts connections after the node stopped", addr)
		}
	})
	if t.Failed() {
		return
	}

	t.Run("a restart on the same data does not seed the demo twice and the badges still verify", func(t *testing.T) {
		second := startServe(t, bin, data, addr)
		defer func() {
			if err := second.stop(t); err != nil {
				t.Errorf("second run exit: %v", err)
			}
		}()
		if second.base != first.base || strings.Join(second.urls, " ") != strings.Join(first.urls, " ") {
			t.Fatalf("after restart: base %s urls %q, want %s %q", second.base, second.urls, first.base, first.urls)
		}
		for _, b := range second.urls {
			if rep := verifyBadgeURL(t, b); !rep.Verified {
				t.Errorf("%s not verified after restart: %s", b, rep.Reason())
			}
		}
		st, _, body := serveGet(t, second.base+"/api/v1/issuers", "application/json", token)
		if st != 200 || strings.Count(string(body), `"slug":"demo"`) != 1 {
			t.Errorf("issuers after restart = %d: %s", st, body)
		}
		st, _, body = serveGet(t, second.base+"/api/v1/issuers/demo/achievements", "application/json", token)
		var list struct {
			Achievements []json.RawMessage `json:"achievements"`
		}
		if err := json.Unmarshal(body, &list); st != 200 || err != nil || len(list.Achievements) != 6 {
			t.Errorf("achievements after restart = %d (%d, want the 6 demo editions): %.500s", st, len(list.Achievements), body)
		}
		if fi, err := os.Stat(filepath.Join(data, "master.key")); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("master.key after restart: %v %v", fi.Mode(), err)
		}
	})
}
