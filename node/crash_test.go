package node

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/communs/communs/internal/httpx"
	"github.com/communs/communs/internal/store"
	"github.com/communs/communs/vc"
	"github.com/communs/communs/vc/did"
)

// The crash test runs the real binary: awards acknowledged on the NDJSON answer of a bulk upload
// must survive a kill -9 of the node, and the status list indexes must never be handed out twice.

const (
	crashRows      = 2000
	crashKillAfter = 500
	crashToken     = "cmt_crash-test-admin-token-0123456789"
)

// crashLine is one line of the bulk award answer (the wire contract, not the node's Go type).
type crashLine struct {
	Line     int    `json:"line"`
	RowKey   string `json:"rowKey"`
	Status   string `json:"status"`
	ID       string `json:"id"`
	URL      string `json:"url"`
	ClaimURL string `json:"claimUrl"`
	Error    string `json:"error"`
	Done     bool   `json:"done"`
	Awarded  int    `json:"awarded"`
	Existing int    `json:"existing"`
	Errors   int    `json:"errors"`
}

// crashLog collects a child process's output while the test reads it.
type crashLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *crashLog) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *crashLog) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// nodeProcess is a `communs serve` subprocess.
type nodeProcess struct {
	cmd  *exec.Cmd
	addr string
	logs *crashLog
	done chan error
	// client and resolver verify the node's credentials from outside, over loopback.
	client   *http.Client
	resolver did.Resolver
}

// buildCommunsBinary builds ./cmd/communs into a temporary directory.
func buildCommunsBinary(t *testing.T) string {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command to build communs with: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "communs")
	if out, err := exec.Command(gobin, "build", "-o", bin, "../cmd/communs").CombinedOutput(); err != nil {
		t.Fatalf("go build ../cmd/communs: %v\n%s", err, out)
	}
	return bin
}

// startNodeProcess runs `communs serve --data data --addr addr`, reads the address it listens
// on from its JSON log and waits for /healthz.
func startNodeProcess(t *testing.T, bin, data, addr string) *nodeProcess {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--data", data, "--addr", addr, "--log-format", "json")
	cmd.Env = append(os.Environ(), "COMMUNS_ADMIN_TOKEN="+crashToken)
	client := httpx.NewGuardedClient(httpx.GuardOptions{AllowLoopback: true, CacheTTL: -1})
	p := &nodeProcess{cmd: cmd, logs: &crashLog{}, done: make(chan error, 1),
		client: client, resolver: did.NewResolver(did.Options{HTTPClient: client, AllowHTTP: true})}
	cmd.Stderr = p.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-p.done
	})
	deadline := time.Now().Add(60 * time.Second)
	for p.addr == "" {
		for line := range strings.SplitSeq(p.logs.String(), "\n") {
			var rec struct{ Msg, Addr string }
			if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "node listening" {
				p.addr = rec.Addr
			}
		}
		select {
		case err := <-p.done:
			p.done <- err
			t.Fatalf("communs serve exited (%v) before listening:\n%s", err, p.logs)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("communs serve did not log its address within 60 s:\n%s", p.logs)
		}
		time.Sleep(20 * time.Millisecond)
	}
	for {
		resp, err := http.Get(p.base() + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return p
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("/healthz never answered: %v\n%s", err, p.logs)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (p *nodeProcess) base() string { return "http://" + p.addr }

// api sends an admin API request with a JSON body and decodes the JSON answer into out.
func (p *nodeProcess) api(t *testing.T, method, path string, body, out any, want int) {
	t.Helper()
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, p.base()+path, bytes.NewReader(raw))
	req.Header.Set("Authorization", "Bearer "+crashToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("%s %s = %d, want %d: %s", method, path, resp.StatusCode, want, got)
	}
	if out != nil {
		if err := json.Unmarshal(got, out); err != nil {
			t.Fatalf("%s %s: %v: %s", method, path, err, got)
		}
	}
}

// bulkUpload posts csv to the bulk endpoint and calls onLine with every complete NDJSON line
// received, in order, until the answer ends or breaks (a killed node breaks it); onLine
// returning false stops reading. It returns the read error, if any.
func (p *nodeProcess) bulkUpload(t *testing.T, path string, csv []byte, onLine func(crashLine) bool) error {
	t.Helper()
	req, _ := http.NewRequest("POST", p.base()+path, bytes.NewReader(csv))
	req.Header.Set("Authorization", "Bearer "+crashToken)
	req.Header.Set("Content-Type", "text/csv")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/x-ndjson") {
		body, _ := io.ReadAll(resp.Body)
		t.Fatalf("bulk upload = %d %s: %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		var l crashLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			// A line cut by the crash is not an acknowledgement.
			continue
		}
		if !onLine(l) {
			return nil
		}
	}
	return sc.Err()
}

// crashCSV lists n recipients, one per line.
func crashCSV(n int) []byte {
	var b bytes.Buffer
	b.WriteString("email,name,show_name\n")
	for i := range n {
		fmt.Fprintf(&b, "learner%04d@example.org,Learner %04d,false\n", i, i)
	}
	return b.Bytes()
}

func TestCrashDuringBulkAward(t *testing.T) {
	if testing.Short() {
		t.Skip("builds communs, awards 2,000 badges and kills the node")
	}
	bin := buildCommunsBinary(t)
	data := filepath.Join(t.TempDir(), "data")
	csv := crashCSV(crashRows)

	first := startNodeProcess(t, bin, data, "127.0.0.1:0")
	addr := first.addr
	first.api(t, "POST", "/api/v1/issuers", map[string]any{"slug": "crash", "name": "Centre de test", "url": "https://example.org", "email": "badges@example.org", "description": "Test"}, nil, 201)
	var ach struct{ ID string }
	first.api(t, "POST", "/api/v1/issuers/crash/achievements", testAchievement, &ach, 201)
	bulkPath := "/api/v1/issuers/crash/achievements/" + ach.ID + "/awards/bulk"

	// First upload: kill -9 the node once crashKillAfter rows are acknowledged, and keep
	// every line that still arrives.
	var acked []crashLine
	var killedAt time.Time
	began := time.Now()
	readErr := first.bulkUpload(t, bulkPath, csv, func(l crashLine) bool {
		acked = append(acked, l)
		if len(acked) == crashKillAfter && killedAt.IsZero() {
			if err := first.cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatalf("kill -9: %v", err)
			}
			killedAt = time.Now()
		}
		return true
	})
	if killedAt.IsZero() {
		t.Fatalf("the upload ended after %d lines without reaching %d (read error %v); nothing was killed", len(acked), crashKillAfter, readErr)
	}
	<-first.done
	first.done <- nil
	t.Logf("%d lines acknowledged in %v before kill -9; %d more arrived after it; the answer ended with %v",
		crashKillAfter, killedAt.Sub(began).Round(time.Millisecond), len(acked)-crashKillAfter, readErr)
	for _, l := range acked {
		if l.Done {
			t.Fatalf("the answer was complete before the kill (%+v): the test needs more rows", l)
		}
		if l.Status != "awarded" || l.ID == "" || l.RowKey == "" {
			t.Fatalf("first upload line %+v, want an award", l)
		}
	}

	second := startNodeProcess(t, bin, data, addr)

	t.Run("every award acknowledged before the crash is present and verifies", func(t *testing.T) {
		work := make(chan crashLine)
		var wg sync.WaitGroup
		var mu sync.Mutex
		var failures []string
		for range 8 {
			wg.Go(func() {
				for l := range work {
					if msg := checkAckedAward(second, l); msg != "" {
						mu.Lock()
						failures = append(failures, msg)
						mu.Unlock()
					}
				}
			})
		}
		for _, l := range acked {
			work <- l
		}
		close(work)
		wg.Wait()
		for i, f := range failures {
			if i == 10 {
				t.Errorf("... and %d more", len(failures)-10)
				break
			}
			t.Error(f)
		}
	})

	ackedByKey := map[string]crashLine{}
	for _, l := range acked {
		ackedByKey[l.RowKey] = l
	}
	var summary crashLine
	t.Run("uploading the file again completes the rest and awards nobody twice", func(t *testing.T) {
		ids := map[string]string{}
		var rows, existingUnacked int
		err := second.bulkUpload(t, bulkPath, csv, func(l crashLine) bool {
			if l.Done {
				summary = l
				return false
			}
			rows++
			if l.Status == "error" {
				t.Errorf("line %d: %s", l.Line, l.Error)
				return true
			}
			if prev, ok := ids[l.ID]; ok {
				t.Errorf("award %s given to %s and %s", l.ID, prev, l.RowKey)
			}
			ids[l.ID] = l.RowKey
			if a, ok := ackedByKey[l.RowKey]; ok {
				if l.Status != "existing" || l.ID != a.ID {
					t.Errorf("row %s acknowledged before the crash as %s comes back %s %s", l.RowKey, a.ID, l.Status, l.ID)
				}
			} else if l.Status == "existing" {
				existingUnacked++ // awarded and stored, but its line was lost with the crash
			}
			return true
		})
		if err != nil {
			t.Fatalf("second upload: %v", err)
		}
		t.Logf("second upload: %d rows, summary awarded %d existing %d errors %d (%d rows stored but unacknowledged before the crash)",
			rows, summary.Awarded, summary.Existing, summary.Errors, existingUnacked)
		if !summary.Done || rows != crashRows || summary.Awarded+summary.Existing != crashRows || summary.Errors != 0 {
			t.Fatalf("second upload: %d rows, summary %+v; want %d rows all awarded or existing", rows, summary, crashRows)
		}
		if summary.Existing < len(acked) {
			t.Errorf("only %d existing rows, but %d were acknowledged before the crash", summary.Existing, len(acked))
		}
		if len(ids) != crashRows {
			t.Errorf("%d distinct awards for %d rows", len(ids), crashRows)
		}
	})

	if err := second.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := <-second.done; err != nil {
		t.Errorf("the node exited with %v after SIGTERM:\n%.2000s", err, second.logs)
	}
	second.done <- nil

	t.Run("the store holds one award per row and no status index twice", func(t *testing.T) {
		db, err := store.Open(filepath.Join(data, "store"), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		checkStoreAfterCrash(t, db)
	})
}

// checkAckedAward says what is wrong with an award acknowledged before the crash ("" if nothing).
func checkAckedAward(p *nodeProcess, l crashLine) string {
	req, _ := http.NewRequest("GET", p.base()+"/api/v1/awards/"+l.ID, nil)
	req.Header.Set("Authorization", "Bearer "+crashToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Sprintf("award %s (line %d): %v", l.ID, l.Line, err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Sprintf("award %s (line %d) acknowledged before the crash is missing: GET = %d", l.ID, l.Line, resp.StatusCode)
	}
	req, _ = http.NewRequest("GET", l.URL, nil)
	req.Header.Set("Accept", "application/vc+ld+json")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Sprintf("credential %s: %v", l.URL, err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Sprintf("credential %s = %d", l.URL, resp.StatusCode)
	}
	rep, err := vc.Verify(context.Background(), raw, vc.Options{Resolver: p.resolver, HTTPClient: p.client})
	if err != nil {
		return fmt.Sprintf("credential %s (line %d): %v", l.URL, l.Line, err)
	}
	if !rep.Verified {
		return fmt.Sprintf("credential %s (line %d) does not verify after the crash: %s", l.URL, l.Line, rep.Reason())
	}
	return ""
}

// checkStoreAfterCrash reads the stopped node's store: exactly one credential per CSV row, each
// with its own status list index, the index recorded in the credential itself, and one
// allocation record per credential.
func checkStoreAfterCrash(t *testing.T, db *store.DB) {
	t.Helper()
	type slot struct {
		list  string
		index int
	}
	byIndex := map[slot]string{}
	var creds int
	err := db.Scan(store.KeyCredential(""), nil, func(_, v []byte) error {
		creds++
		var a Award
		if err := json.Unmarshal(v, &a); err != nil {
			return err
		}
		var c struct {
			CredentialStatus struct {
				StatusListIndex      string `json:"statusListIndex"`
				StatusListCredential string `json:"statusListCredential"`
			} `json:"credentialStatus"`
		}
		if err := json.Unmarshal(a.Credential, &c); err != nil {
			return fmt.Errorf("credential %s: %w", a.ID, err)
		}
		cs := c.CredentialStatus
		if cs.StatusListIndex != fmt.Sprint(a.StatusIndex) || !strings.HasSuffix(cs.StatusListCredential, "/"+a.StatusList) {
			t.Errorf("award %s is stored at %s/%d but its credential says %s #%s", a.ID, a.StatusList, a.StatusIndex, cs.StatusListCredential, cs.StatusListIndex)
		}
		s := slot{cs.StatusListCredential, a.StatusIndex}
		if other, ok := byIndex[s]; ok {
			t.Errorf("status index %d of %s is used by %s and %s", s.index, s.list, other, a.ID)
		}
		byIndex[s] = a.ID
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if creds != crashRows {
		t.Errorf("%d credentials stored for %d rows", creds, crashRows)
	}
	var indexed int
	if err := db.Scan(store.PrefixIssuerCredentials("crash"), nil, func(_, _ []byte) error { indexed++; return nil }); err != nil {
		t.Fatal(err)
	}
	if indexed != crashRows {
		t.Errorf("%d entries in the issuer's award index for %d rows", indexed, crashRows)
	}
	var lists []string
	if err := db.Scan(store.PrefixStatusLists("crash"), nil, func(k, _ []byte) error {
		lists = append(lists, string(k[len(store.PrefixStatusLists("crash")):]))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var allocs int
	for _, list := range lists {
		if err := db.Scan(store.PrefixStatusAllocs("crash", list), nil, func(_, _ []byte) error { allocs++; return nil }); err != nil {
			t.Fatal(err)
		}
	}
	if allocs != crashRows {
		t.Errorf("%d status index allocations on lists %v for %d credentials", allocs, lists, crashRows)
	}
	t.Logf("store: %d credentials, %d distinct status indexes, %d allocations on lists %v", creds, len(byIndex), allocs, lists)
}
