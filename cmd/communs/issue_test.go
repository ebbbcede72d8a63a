package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/communs/communs/node/bulk"
)

const testToken = "cmt_testtokenabcdefghijklmnopqrstuv"

// fakeNode implements the admin API contract of the award endpoints and records what it got.
type fakeNode struct {
	t        *testing.T
	existing map[string]bool // row keys already awarded

	mu        sync.Mutex
	requests  int
	headers   http.Header
	length    int64
	rows      []string // row keys received, in order
	award     map[string]any
	evidence  map[string]string // file name -> content
	evTypes   map[string]string
	firstRow  chan struct{} // closed when the first data row has been read
	firstOnce sync.Once
}

func newFakeNode(t *testing.T) (*fakeNode, *httptest.Server) {
	n := &fakeNode{t: t, existing: map[string]bool{}, firstRow: make(chan struct{})}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v1/issuers/{slug}/achievements/{id}/awards/bulk", n.bulk)
	mux.HandleFunc("POST /api/v1/issuers/{slug}/awards", n.one)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return n, srv
}

func problem(w http.ResponseWriter, status int, detail string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"type": "about:blank", "title": http.StatusText(status), "status": status, "detail": detail})
}

func (n *fakeNode) authorized(w http.ResponseWriter, r *http.Request) bool {
	n.mu.Lock()
	n.requests++
	n.headers = r.Header.Clone()
	n.length = r.ContentLength
	n.mu.Unlock()
	if r.Header.Get("Authorization") != "Bearer "+testToken {
		problem(w, http.StatusUnauthorized, "the token is unknown or expired; ask the node admin for a new one")
		return false
	}
	return true
}

func (n *fakeNode) bulk(w http.ResponseWriter, r *http.Request) {
	if !n.authorized(w, r) {
		return
	}
	switch r.PathValue("id") {
	case "archived":
		problem(w, http.StatusConflict, "achievement archived is archived: it can no longer be awarded")
		return
	case "broken":
		problem(w, http.StatusInternalServerError, "request id 42")
		return
	case "html":
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html>login</html>")
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "text/csv" {
		problem(w, http.StatusUnsupportedMediaType, "send text/csv")
		return
	}
	if err := http.NewResponseController(w).EnableFullDuplex(); err != nil {
		n.t.Errorf("full duplex: %v", err)
	}
	rd, err := bulk.NewReader(r.Body)
	if err != nil {
		problem(w, http.StatusBadRequest, err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/x-ndjson")
	enc := json.NewEncoder(w)
	flush := http.NewResponseController(w).Flush
	var awarded, existing, errs int
	for {
		row, err := rd.Next()
		if err == io.EOF {
			break
		}
		n.firstOnce.Do(func() { close(n.firstRow) })
		var re *bulk.RowError
		switch {
		case errors.As(err, &re):
			errs++
			enc.Encode(map[string]any{"line": re.Line, "status": "error", "error": re.Error()})
		case err != nil:
			n.t.Errorf("server read: %v", err)
			return
		case r.PathValue("id") == "cut" && len(n.rows) == 2:
			return // the answer stops without its summary
		default:
			n.mu.Lock()
			n.rows = append(n.rows, row.RowKey)
			n.mu.Unlock()
			id := fmt.Sprintf("c%03d", row.Line)
			line := map[string]any{"line": row.Line, "rowKey": row.RowKey, "id": id, "url": "http://node.test/credentials/" + id, "claimUrl": "http://node.test/claim/" + id}
			switch {
			case strings.HasSuffix(row.Email, "@fail.example"):
				errs++
				line = map[string]any{"line": row.Line, "rowKey": row.RowKey, "status": "error", "error": "the mailbox refused the claim e-mail"}
			case n.existing[row.RowKey]:
				existing++
				line["status"] = "existing"
			default:
				awarded++
				line["status"] = "awarded"
			}
			enc.Encode(line)
		}
		flush()
	}
	enc.Encode(map[string]any{"done": true, "awarded": awarded, "existing": existing, "errors": errs})
}

func (n *fakeNode) one(w http.ResponseWriter, r *http.Request) {
	if !n.authorized(w, r) {
		return
	}
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var award map[string]any
	files, types := map[string]string{}, map[string]string{}
	switch mt {
	case "application/json":
		if err := json.NewDecoder(r.Body).Decode(&award); err != nil {
			problem(w, http.StatusBadRequest, err.Error())
			return
		}
	case "multipart/form-data":
		mr := multipart.NewReader(r.Body, params["boundary"])
		for {
			p, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				problem(w, http.StatusBadRequest, err.Error())
				return
			}
			data, _ := io.ReadAll(p)
			switch p.FormName() {
			case "award":
				if err := json.Unmarshal(data, &award); err != nil {
					problem(w, http.StatusBadRequest, err.Error())
					return
				}
			case "evidence":
				files[p.FileName()] = string(data)
				types[p.FileName()] = p.Header.Get("Content-Type")
			}
		}
	default:
		problem(w, http.StatusUnsupportedMediaType, "send JSON or multipart")
		return
	}
	n.mu.Lock()
	n.award, n.evidence, n.evTypes = award, files, types
	n.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(map[string]any{"id": "abc", "url": "http://node.test/credentials/abc", "claimUrl": "http://node.test/claim/abc", "credential": map[string]any{}})
}

// tokenFile writes the test token to a file.
func tokenFile(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(p, []byte(testToken+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// csvFile writes a CSV file of the given lines.
func csvFile(t *testing.T, lines ...string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "recipients.csv")
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func recipients(n int, domain string) []string {
	lines := []string{"email;name"}
	for i := range n {
		lines = append(lines, fmt.Sprintf("learner%d@%s;Learner %d", i, domain, i))
	}
	return lines
}

func readResultsCSV(t *testing.T, data string) [][]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatalf("results CSV: %v\n%s", err, data)
	}
	return recs
}

func TestIssueCSV(t *testing.T) {
	t.Run("every row awarded or existing exits 0, writes the results and shows plain progress", func(t *testing.T) {
		node, srv := newFakeNode(t)
		node.existing["learner3@example.org"] = true
		node.existing["learner7@example.org"] = true
		out := filepath.Join(t.TempDir(), "results.csv")
		code, stdout, stderr := communs(t, "", "issue", "--node", srv.URL, "--token-file", tokenFile(t), "--issuer", "demo",
			"--achievement", "cua-1", "--csv", csvFile(t, recipients(10, "example.org")...), "--out", out)
		if code != exitOK {
			t.Fatalf("code %d\n%s", code, stderr)
		}
		if stdout != "" {
			t.Fatalf("stdout must stay empty with --out: %q", stdout)
		}
		for _, want := range []string{"1/10 awarded 1 existing 0 errors 0\n", "10/10 awarded 8 existing 2 errors 0\n", "10 rows: awarded 8, existing 2, errors 0"} {
			if !strings.Contains(stderr, want) {
				t.Errorf("stderr lacks %q:\n%s", want, stderr)
			}
		}
		if strings.Contains(stderr, "\r") {
			t.Errorf("no bar when standard error is not a terminal:\n%q", stderr)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if fi, _ := os.Stat(out); fi.Mode().Perm() != 0o600 {
			t.Errorf("results file mode %v, want 0600 (it holds claim links)", fi.Mode().Perm())
		}
		recs := readResultsCSV(t, string(data))
		if len(recs) != 11 || strings.Join(recs[0], ",") != "line,row_key,status,url,claim_url,error" {
			t.Fatalf("results:\n%s", data)
		}
		if got := strings.Join(recs[4], ","); got != "5,learner3@example.org,existing,http://node.test/credentials/c005,http://node.test/claim/c005," {
			t.Fatalf("row for line 5: %s", got)
		}
		node.mu.Lock()
		defer node.mu.Unlock()
		if len(node.rows) != 10 || node.headers.Get("Authorization") != "Bearer "+testToken || !strings.HasPrefix(node.headers.Get("Content-Type"), "text/csv") {
			t.Fatalf("node got %d rows, headers %v", len(node.rows), node.headers)
		}
		if node.length <= 0 {
			t.Errorf("a regular file is sent with its Content-Length, got %d", node.length)
		}
	})
	t.Run("the results go to standard output by default", func(t *testing.T) {
		_, srv := newFakeNode(t)
		code, stdout, _ := communs(t, "", "issue", "--node", srv.URL+"/", "--token-file", tokenFile(t), "--issuer", "demo",
			"--achievement", "cua-1", "--csv", csvFile(t, recipients(2, "example.org")...), "--progress", "none")
		if code != exitOK || len(readResultsCSV(t, stdout)) != 3 {
			t.Fatalf("code %d stdout:\n%s", code, stdout)
		}
	})
	t.Run("--progress bar redraws one line with \\r and ends full", func(t *testing.T) {
		_, srv := newFakeNode(t)
		code, _, stderr := communs(t, "", "issue", "--node", srv.URL, "--token-file", tokenFile(t), "--issuer", "demo",
			"--achievement", "cua-1", "--csv", csvFile(t, recipients(5, "example.org")...), "--progress", "bar", "--out", filepath.Join(t.TempDir(), "r.csv"))
		if code != exitOK {
			t.Fatalf("code %d\n%s", code, stderr)
		}
		if !strings.Contains(stderr, "\r[==============================] 5/5 awarded 5 existing 0 errors 0\n") {
			t.Fatalf("stderr:\n%q", stderr)
		}
	})
	t.Run("rows the node refuses exit 1, are printed with their line and written as errors", func(t *testing.T) {
		_, srv := newFakeNode(t)
		lines := append(recipients(3, "example.org"), "bounce@fail.example;Bounce")
		code, stdout, stderr := communs(t, "", "issue", "--node", srv.URL, "--token-file", tokenFile(t), "--issuer", "demo",
			"--achievement", "cua-1", "--csv", csvFile(t, lines...))
		if code != exitFailure {
			t.Fatalf("code %d\n%s", code, stderr)
		}
		if !strings.Contains(stderr, "line 5: the mailbox refused the claim e-mail") || !strings.Contains(stderr, "errors 1") {
			t.Fatalf("stderr:\n%s", stderr)
		}
		recs := readResultsCSV(t, stdout)
		if got := strings.Join(recs[4], ","); got != "5,bounce@fail.example,error,,,the mailbox refused the claim e-mail" {
			t.Fatalf("results row: %s", got)
		}
	})
	t.Run("invalid rows are printed with line numbers and nothing is sent", func(t *testing.T) {
		node, srv := newFakeNode(t)
		code, _, stderr := communs(t, "", "issue", "--node", srv.URL, "--token-file", tokenFile(t), "--issuer", "demo",
			"--achievement", "cua-1", "--csv", csvFile(t, "email,credits_earned", "a@example.org,1", "not-an-address,2", "b@example.org,lots"))
		if code != exitFailure {
			t.Fatalf("code %d\n%s", code, stderr)
		}
		for _, want := range []string{"line 3, column email: is not an e-mail address", "line 4, column credits_earned: is not a number", "2 of 3 rows", "--skip-invalid"} {
			if !strings.Contains(stderr, want) {
				t.Errorf("stderr lacks %q:\n%s", want, stderr)
			}
		}
		node.mu.Lock()
		defer node.mu.Unlock()
		if node.requests != 0 {
			t.Fatalf("the node got %d requests", node.requests)
		}
	})
	t.Run("--skip-invalid uploads anyway and the refused invalid rows do not fail the run", func(t *testing.T) {
		node, srv := newFakeNode(t)
		code, stdout, stderr := communs(t, "", "issue", "--node", srv.URL, "--token-file", tokenFile(t), "--issuer", "demo",
			"--achievement", "cua-1", "--skip-invalid", "--csv", csvFile(t, "email", "a@example.org", "not-an-address", "b@example.org"))
		if code != exitOK {
			t.Fatalf("code %d\n%s", code, stderr)
		}
		if !strings.Contains(stderr, "(1 invalid rows skipped)") || strings.Count(stderr, "line 3") != 1 {
			t.Fatalf("stderr:\n%s", stderr)
		}
		if recs := readResultsCSV(t, stdout); len(recs) != 4 || recs[2][2] != "error" {
			t.Fatalf("results:\n%s", stdout)
		}
		node.mu.Lock()
		defer node.mu.Unlock()
		if len(node.rows) != 2 {
			t.Fatalf("node awarded %v", node.rows)
		}
	})
	t.Run("a missing CSV file is a usage error, a wrong header a failure", func(t *testing.T) {
		_, srv := newFakeNode(t)
		base := []string{"issue", "--node", srv.URL, "--token-file", tokenFile(t), "--issuer", "demo", "--achievement", "cua-1"}
		code, _, stderr := communs(t, "", append(base, "--csv", filepath.Join(t.TempDir(), "nope.csv"))...)
		if code != exitUsage || !strings.Contains(stderr, "no file") {
			t.Fatalf("code %d\n%s", code, stderr)
		}
		code, _, stderr = communs(t, "", append(base, "--csv", csvFile(t, "mail,name", "a@example.org,A"))...)
		if code != exitFailure || !strings.Contains(stderr, `unknown column "mail"`) {
			t.Fatalf("code %d\n%s", code, stderr)
		}
	})
}

func TestIssueNodeAnswers(t *testing.T) {
	_, srv := newFakeNode(t)
	file := csvFile(t, recipients(3, "example.org")...)
	run := func(t *testing.T, node, tokenPath, achievement string) (int, string, string) {
		return communs(t, "", "issue", "--node", node, "--token-file", tokenPath, "--issuer", "demo", "--achievement", achievement, "--csv", file)
	}
	t.Run("a problem+json refusal shows its detail, exits 1 and never shows the token", func(t *testing.T) {
		bad := filepath.Join(t.TempDir(), "token")
		os.WriteFile(bad, []byte("cmt_wrongwrongwrong"), 0o600)
		code, stdout, stderr := run(t, srv.URL, bad, "cua-1")
		if code != exitFailure || !strings.Contains(stderr, "the node refused: the token is unknown or expired; ask the node admin for a new one (HTTP 401)") {
			t.Fatalf("code %d\n%s", code, stderr)
		}
		if strings.Contains(stdout+stderr, "cmt_wrong") {
			t.Fatal("the token appears in the output")
		}
	})
	t.Run("a refusal of the achievement shows the detail", func(t *testing.T) {
		code, _, stderr := run(t, srv.URL, tokenFile(t), "archived")
		if code != exitFailure || !strings.Contains(stderr, "is archived: it can no longer be awarded (HTTP 409)") {
			t.Fatalf("code %d\n%s", code, stderr)
		}
	})
	t.Run("a server error exits 3", func(t *testing.T) {
		code, _, stderr := run(t, srv.URL, tokenFile(t), "broken")
		if code != exitInternal || !strings.Contains(stderr, "the node failed: request id 42 (HTTP 500)") {
			t.Fatalf("code %d\n%s", code, stderr)
		}
	})
	t.Run("an answer that is not NDJSON exits 3", func(t *testing.T) {
		code, _, stderr := run(t, srv.URL, tokenFile(t), "html")
		if code != exitInternal || !strings.Contains(stderr, "instead of application/x-ndjson") {
			t.Fatalf("code %d\n%s", code, stderr)
		}
	})
	t.Run("an answer cut before its summary exits 3 and says a re-run is safe", func(t *testing.T) {
		code, stdout, stderr := run(t, srv.URL, tokenFile(t), "cut")
		if code != exitInternal || !strings.Contains(stderr, "ended without its summary line after 2 of 3 rows") || !strings.Contains(stderr, "come back as existing") {
			t.Fatalf("code %d\n%s", code, stderr)
		}
		if len(readResultsCSV(t, stdout)) != 3 {
			t.Fatalf("the rows received are still written:\n%s", stdout)
		}
	})
	t.Run("a node that cannot be reached exits 3", func(t *testing.T) {
		dead := httptest.NewServer(http.NotFoundHandler())
		url := dead.URL
		dead.Close()
		code, _, stderr := run(t, url, tokenFile(t), "cua-1")
		if code != exitInternal || !strings.Contains(stderr, "could not reach the node") || strings.Contains(stderr, testToken) {
			t.Fatalf("code %d\n%s", code, stderr)
		}
	})
	t.Run("a redirect is not followed and names where to go", func(t *testing.T) {
		redir := httptest.NewServer(http.RedirectHandler("https://elsewhere.example/", http.StatusTemporaryRedirect))
		defer redir.Close()
		code, _, stderr := run(t, redir.URL, tokenFile(t), "cua-1")
		if code != exitFailure || !strings.Contains(stderr, `to "https://elsewhere.example/": use that address as --node`) {
			t.Fatalf("code %d\n%s", code, stderr)
		}
	})
}

func TestIssueStreamsTheFile(t *testing.T) {
	t.Run("the node reads the first row before the client has sent the last", func(t *testing.T) {
		node, srv := newFakeNode(t)
		client, err := newIssueClient(srv.URL, tokenFile(t))
		if err != nil {
			t.Fatal(err)
		}
		lines := recipients(50, "example.org")
		whole := strings.Join(lines, "\n") + "\n"
		opened := 0
		var waited error
		done := make(chan struct{})
		job := csvJob{client: client, issuer: "demo", achievement: "cua-1", name: "pipe.csv", mode: progressNone,
			open: func() (io.ReadCloser, error) {
				opened++
				if opened == 1 { // the local check reads the whole file
					return io.NopCloser(strings.NewReader(whole)), nil
				}
				pr, pw := io.Pipe()
				go func() {
					defer close(done)
					io.WriteString(pw, lines[0]+"\n"+lines[1]+"\n")
					select {
					case <-node.firstRow:
					case <-time.After(10 * time.Second):
						waited = errors.New("the node had not read the first row 10 s after it was written: the body is not streamed")
					}
					io.WriteString(pw, strings.Join(lines[2:], "\n")+"\n")
					pw.Close()
				}()
				return pr, nil
			}}
		var stdout, stderr strings.Builder
		code := job.run(context.Background(), "-", &stdout, &stderr)
		<-done
		if waited != nil {
			t.Fatal(waited)
		}
		if code != exitOK || !strings.Contains(stderr.String(), "50 rows: awarded 50") {
			t.Fatalf("code %d\n%s", code, stderr.String())
		}
	})
}

func TestIssueOne(t *testing.T) {
	t.Run("one recipient is sent as JSON and the credential and claim URLs are printed", func(t *testing.T) {
		node, srv := newFakeNode(t)
		code, stdout, stderr := communs(t, "", "issue", "--node", srv.URL, "--token-file", tokenFile(t), "--issuer", "demo",
			"--achievement", "cua-1", "--email", "ada@example.org", "--name", "Ada", "--show-name", "--narrative", "Built a loom")
		if code != exitOK {
			t.Fatalf("code %d\n%s", code, stderr)
		}
		if stdout != "credential: http://node.test/credentials/abc\nclaim:      http://node.test/claim/abc\n" {
			t.Fatalf("stdout %q", stdout)
		}
		node.mu.Lock()
		defer node.mu.Unlock()
		got, _ := json.Marshal(node.award)
		if string(got) != `{"achievementId":"cua-1","narrative":"Built a loom","recipient":{"email":"ada@example.org","name":"Ada","showName":true}}` {
			t.Fatalf("award %s", got)
		}
	})
	t.Run("evidence files go as multipart parts next to the award", func(t *testing.T) {
		node, srv := newFakeNode(t)
		dir := t.TempDir()
		pdf, txt := filepath.Join(dir, "essay.pdf"), filepath.Join(dir, "notes")
		os.WriteFile(pdf, []byte("%PDF-1.7 essay"), 0o600)
		os.WriteFile(txt, []byte("plain notes"), 0o600)
		code, _, stderr := communs(t, "", "issue", "--node", srv.URL, "--token-file", tokenFile(t), "--issuer", "demo",
			"--achievement", "cua-1", "--did", "did:key:z6MkhWqdDBPojHA7cprTGTt5yHv5yUi1B8cnXn8ReLumkw6E", "--evidence", pdf, "--evidence", txt)
		if code != exitOK {
			t.Fatalf("code %d\n%s", code, stderr)
		}
		node.mu.Lock()
		defer node.mu.Unlock()
		if node.evidence["essay.pdf"] != "%PDF-1.7 essay" || node.evidence["notes"] != "plain notes" {
			t.Fatalf("evidence %v", node.evidence)
		}
		if node.evTypes["essay.pdf"] != "application/pdf" || !strings.HasPrefix(node.evTypes["notes"], "text/plain") {
			t.Fatalf("types %v", node.evTypes)
		}
		if r, _ := node.award["recipient"].(map[string]any); r["did"] != "did:key:z6MkhWqdDBPojHA7cprTGTt5yHv5yUi1B8cnXn8ReLumkw6E" {
			t.Fatalf("award %v", node.award)
		}
	})
	t.Run("the token can come from COMMUNS_TOKEN", func(t *testing.T) {
		_, srv := newFakeNode(t)
		t.Setenv("COMMUNS_TOKEN", testToken)
		code, _, stderr := communs(t, "", "issue", "--node", srv.URL, "--issuer", "demo", "--achievement", "cua-1", "--email", "ada@example.org")
		if code != exitOK {
			t.Fatalf("code %d\n%s", code, stderr)
		}
	})
}

func TestIssueUsage(t *testing.T) {
	tok := tokenFile(t)
	t.Setenv("COMMUNS_TOKEN", "")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"issuer and achievement are required", []string{"--node", "http://127.0.0.1:1", "--token-file", tok, "--csv", "x.csv"}, "--issuer and --achievement are required"},
		{"a CSV and one recipient together are refused", []string{"--node", "http://127.0.0.1:1", "--token-file", tok, "--issuer", "d", "--achievement", "a", "--csv", "x.csv", "--email", "a@example.org"}, "not both"},
		{"nothing to award is refused", []string{"--node", "http://127.0.0.1:1", "--token-file", tok, "--issuer", "d", "--achievement", "a"}, "give --csv FILE"},
		{"plain http to another host is refused", []string{"--node", "http://badges.example.org", "--token-file", tok, "--issuer", "d", "--achievement", "a", "--email", "a@example.org"}, "must use https://"},
		{"a missing token is refused", []string{"--node", "http://127.0.0.1:1", "--issuer", "d", "--achievement", "a", "--email", "a@example.org"}, "no token"},
		{"the token is never a flag", []string{"--token", testToken, "--node", "http://127.0.0.1:1", "--issuer", "d", "--achievement", "a", "--email", "a@example.org"}, "flag provided but not defined"},
		{"a bad e-mail is refused before anything is sent", []string{"--node", "http://127.0.0.1:1", "--token-file", tok, "--issuer", "d", "--achievement", "a", "--email", "Ada <a@example.org>"}, "--email is not an e-mail address"},
		{"a bad DID is refused", []string{"--node", "http://127.0.0.1:1", "--token-file", tok, "--issuer", "d", "--achievement", "a", "--did", "did:nope"}, "--did is not a DID"},
		{"a missing evidence file is refused", []string{"--node", "http://127.0.0.1:1", "--token-file", tok, "--issuer", "d", "--achievement", "a", "--email", "a@example.org", "--evidence", "/nonexistent/x.pdf"}, "not a readable file"},
		{"an unknown progress mode is refused", []string{"--node", "http://127.0.0.1:1", "--token-file", tok, "--issuer", "d", "--achievement", "a", "--csv", "x.csv", "--progress", "fancy"}, "--progress"},
	} {
		t.Run(tc.name+" (exit 2)", func(t *testing.T) {
			code, stdout, stderr := communs(t, "", append([]string{"issue"}, tc.args...)...)
			if code != exitUsage || !strings.Contains(stderr, tc.want) {
				t.Fatalf("code %d, stderr:\n%s", code, stderr)
			}
			if tc.name == "the token is never a flag" {
				return
			}
			if strings.Contains(stdout+stderr, testToken) {
				t.Fatal("the token appears in the output")
			}
		})
	}
	t.Run("a token file with two lines is refused without showing it", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "token")
		os.WriteFile(p, []byte("cmt_secretpart1\ncmt_secretpart2\n"), 0o600)
		code, _, stderr := communs(t, "", "issue", "--node", "http://127.0.0.1:1", "--token-file", p, "--issuer", "d", "--achievement", "a", "--email", "a@example.org")
		if code != exitUsage || !strings.Contains(stderr, "alone, on one line") || strings.Contains(stderr, "secretpart") {
			t.Fatalf("code %d\n%s", code, stderr)
		}
	})
}

func TestProgress(t *testing.T) {
	t.Run("the bar fills with = and points with >", func(t *testing.T) {
		for _, tc := range []struct {
			done, total int
			want        string
		}{{0, 10, ">         "}, {5, 10, "=====>    "}, {9, 10, "=========>"}, {10, 10, "=========="}, {12, 10, "=========="}, {0, 0, "          "}} {
			if got := bar(tc.done, tc.total, 10); got != tc.want {
				t.Errorf("bar(%d, %d) = %q, want %q", tc.done, tc.total, got, tc.want)
			}
		}
	})
	t.Run("plain mode prints a line at each tenth and the last", func(t *testing.T) {
		var sb strings.Builder
		p := newProgress(&sb, progressPlain, 25)
		now := time.Unix(0, 0)
		p.now = func() time.Time { return now }
		for range 25 {
			p.add("awarded")
		}
		p.finish()
		if n := strings.Count(sb.String(), "\n"); n != 11 { // the first row, nine tenths, the last
			t.Fatalf("%d lines:\n%s", n, sb.String())
		}
		if !strings.HasSuffix(sb.String(), "25/25 awarded 25 existing 0 errors 0\n") {
			t.Fatalf("output:\n%s", sb.String())
		}
	})
	t.Run("plain mode also prints every 10 s when rows come slowly", func(t *testing.T) {
		var sb strings.Builder
		p := newProgress(&sb, progressPlain, 1000)
		now := time.Unix(0, 0)
		p.now = func() time.Time { return now }
		p.add("awarded") // first line (0 -> tenth 0)
		p.add("existing")
		now = now.Add(11 * time.Second)
		p.add("error")
		if got := sb.String(); got != "1/1000 awarded 1 existing 0 errors 0\n3/1000 awarded 1 existing 1 errors 1\n" {
			t.Fatalf("output:\n%s", got)
		}
	})
	t.Run("a note clears the bar, prints above it and redraws it", func(t *testing.T) {
		var sb strings.Builder
		p := newProgress(&sb, progressBar, 4)
		p.add("awarded")
		p.note("line 3: refused")
		want := "\r[=======>                      ] 1/4 awarded 1 existing 0 errors 0" +
			"\r" + strings.Repeat(" ", 66) + "\rline 3: refused\n" +
			"\r[=======>                      ] 1/4 awarded 1 existing 0 errors 0"
		if sb.String() != want {
			t.Fatalf("output:\n%q\nwant\n%q", sb.String(), want)
		}
	})
}

// ndjsonAnswer is a node's answer of n rows and the summary.
func ndjsonAnswer(n int) string {
	var sb strings.Builder
	for i := range n {
		fmt.Fprintf(&sb, `{"line":%d,"rowKey":"learner%d@example.org","status":"awarded","id":"c%d","url":"https://node.example/credentials/c%d","claimUrl":"https://node.example/claim/c%d"}`+"\n", i+2, i, i, i, i)
	}
	fmt.Fprintf(&sb, `{"done":true,"awarded":%d,"existing":0,"errors":0}`+"\n", n)
	return sb.String()
}

// FuzzReadResults feeds arbitrary node answers to the NDJSON reader: no panic, and either a
// summary or an error.
func FuzzReadResults(f *testing.F) {
	f.Add([]byte(ndjsonAnswer(3)))
	f.Add([]byte(`{"line":2,"status":"error","error":"line 2\nrefused\u0007"}` + "\n" + `{"line":3,"status":"weird"}` + "\n{\"done\":true}"))
	f.Add([]byte(`{"line":2,"status":"awarded"}`))
	f.Add([]byte("<html>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var out strings.Builder
		results, _, err := openResults("-", &out)
		if err != nil {
			t.Fatal(err)
		}
		job := csvJob{name: "f.csv"}
		p := newProgress(io.Discard, progressBar, 3)
		failed, _ := job.readResults(strings.NewReader(string(data)), p, results, map[int]bool{})
		p.finish()
		if failed < 0 || failed > p.done {
			t.Fatalf("failed %d of %d", failed, p.done)
		}
		if err := results.flush(); err != nil {
			t.Fatal(err)
		}
	})
}

// BenchmarkReadResults reads a 10,000-row answer into the results CSV.
func BenchmarkReadResults(b *testing.B) {
	answer := ndjsonAnswer(10_000)
	b.SetBytes(int64(len(answer)))
	b.ReportAllocs()
	for b.Loop() {
		results, _, _ := openResults("-", io.Discard)
		p := newProgress(io.Discard, progressPlain, 10_000)
		if _, err := (&csvJob{}).readResults(strings.NewReader(answer), p, results, nil); err != nil {
			b.Fatal(err)
		}
		results.flush()
	}
}
