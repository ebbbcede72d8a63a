package httpx

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// logBuffer is a concurrency-safe buffer for a JSON slog handler.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// records returns the JSON log records written so far.
func (b *logBuffer) records(t *testing.T) []map[string]any {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(b.buf.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q is not JSON: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

// waitRecords waits until the log holds at least n records and returns
// them: the access log is written when the handler returns, which can be
// after the client has read the whole answer.
func (b *logBuffer) waitRecords(t *testing.T, n int) []map[string]any {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		recs := b.records(t)
		if len(recs) >= n || time.Now().After(deadline) {
			return recs
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// newLogger returns a JSON logger writing to a fresh buffer.
func newLogger() (*slog.Logger, *logBuffer) {
	buf := &logBuffer{}
	return slog.New(slog.NewJSONHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug})), buf
}

// serve starts a loopback server running mux behind the standard stack.
func serve(t *testing.T, mux http.Handler, o StackOptions) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(Chain(mux, Stack(o)...))
	t.Cleanup(srv.Close)
	return srv
}

func TestChainOrder(t *testing.T) {
	t.Run("the first middleware listed is the outermost", func(t *testing.T) {
		var order []string
		mark := func(name string) Middleware {
			return func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					order = append(order, name+" in")
					next.ServeHTTP(w, r)
					order = append(order, name+" out")
				})
			}
		}
		h := Chain(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { order = append(order, "handler") }),
			mark("a"), nil, mark("b"))
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
		if got, want := strings.Join(order, ","), "a in,b in,handler,b out,a out"; got != want {
			t.Errorf("order %s, want %s", got, want)
		}
	})
}

func TestRequestID(t *testing.T) {
	var seen string
	h := RequestID()(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen = RequestIDFrom(r.Context()) }))

	t.Run("a request without an id gets a fresh random one, echoed and in the context", func(t *testing.T) {
		ids := map[string]bool{}
		for range 100 {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
			id := w.Header().Get(RequestIDHeader)
			if len(id) != 16 || !ValidRequestID(id) {
				t.Fatalf("id %q is not 16 base32 characters", id)
			}
			if seen != id {
				t.Fatalf("context id %q, header id %q", seen, id)
			}
			ids[id] = true
		}
		if len(ids) != 100 {
			t.Errorf("100 requests got %d distinct ids", len(ids))
		}
	})

	t.Run("a well-formed incoming id is adopted", func(t *testing.T) {
		w := httptest.NewRecorder()
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set(RequestIDHeader, "proxy-7f3a.01:02")
		h.ServeHTTP(w, r)
		if got := w.Header().Get(RequestIDHeader); got != "proxy-7f3a.01:02" || seen != got {
			t.Errorf("echoed %q, context %q, want the incoming id", got, seen)
		}
	})

	t.Run("an incoming id that could forge log lines is replaced", func(t *testing.T) {
		for _, bad := range []string{"a b", "x\ny", `"quoted"`, strings.Repeat("a", 65), "é", "a;b"} {
			w := httptest.NewRecorder()
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.Header.Set(RequestIDHeader, bad)
			h.ServeHTTP(w, r)
			if got := w.Header().Get(RequestIDHeader); got == bad || !ValidRequestID(got) {
				t.Errorf("incoming %q gave id %q", bad, got)
			}
		}
	})
}

func TestAccessLog(t *testing.T) {
	logger, logs := newLogger()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /credentials/{id}", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "badge page")
	})
	mux.HandleFunc("POST /api/v1/issuers/{slug}/awards", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusCreated)
	})
	srv := serve(t, mux, StackOptions{Logger: logger})

	t.Run("each request logs method, route pattern, status, bytes, duration and request id", func(t *testing.T) {
		resp, err := http.Get(srv.URL + "/credentials/7kqzvx4bqj2mthd6rvo5fwy3ua?lang=fr&email=ada@example.org")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		recs := logs.waitRecords(t, 1)
		if len(recs) != 1 {
			t.Fatalf("%d log records, want 1", len(recs))
		}
		rec := recs[0]
		if rec["msg"] != "http request" || rec["method"] != "GET" || rec["route"] != "GET /credentials/{id}" ||
			rec["status"] != float64(200) || rec["bytes"] != float64(len("badge page")) ||
			rec["request_id"] != resp.Header.Get(RequestIDHeader) {
			t.Errorf("log record %v", rec)
		}
		if d, ok := rec["duration"].(float64); !ok || d <= 0 {
			t.Errorf("duration %v, want a positive number of nanoseconds", rec["duration"])
		}
	})

	t.Run("paths, query strings, bodies, tokens and cookies never reach the log", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/issuers/demo/awards?email=ada@example.org",
			strings.NewReader(`{"recipient":{"email":"ada@example.org","name":"Ada Lovelace"}}`))
		req.Header.Set("Authorization", "Bearer cmt_secrettokenvalue")
		req.Header.Set("Cookie", "session=sessionsecret")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		logs.waitRecords(t, 2)
		out := logs.String()
		for _, secret := range []string{"ada@example.org", "Ada Lovelace", "cmt_secrettokenvalue", "sessionsecret", "/api/v1/issuers/demo/awards?", "7kqzvx4bqj2mthd6rvo5fwy3ua"} {
			if strings.Contains(out, secret) {
				t.Errorf("log contains %q:\n%s", secret, out)
			}
		}
		if !strings.Contains(out, `"route":"POST /api/v1/issuers/{slug}/awards","status":201`) {
			t.Errorf("log lacks the award route and status:\n%s", out)
		}
	})

	t.Run("the route is logged even from outside the middleware that copy the request", func(t *testing.T) {
		logger, logs := newLogger()
		h := Chain(mux, AccessLog(logger), RequestID(), MaxBody(0))
		r := httptest.NewRequest(http.MethodPost, "/api/v1/issuers/demo/awards", strings.NewReader("{}"))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		recs := logs.records(t)
		if len(recs) != 1 || recs[0]["route"] != "POST /api/v1/issuers/{slug}/awards" || recs[0]["request_id"] != w.Header().Get(RequestIDHeader) {
			t.Errorf("log records %v", recs)
		}
	})

	t.Run("a request no pattern matches is logged as unmatched", func(t *testing.T) {
		resp, err := http.Get(srv.URL + "/no/such/page")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		recs := logs.waitRecords(t, 3)
		last := recs[len(recs)-1]
		if last["route"] != "unmatched" || last["status"] != float64(404) {
			t.Errorf("log record %v", last)
		}
	})
}

func TestRecover(t *testing.T) {
	logger, logs := newLogger()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /boom", func(http.ResponseWriter, *http.Request) {
		panic("recipient ada@example.org has no key")
	})
	mux.HandleFunc("GET /index", func(w http.ResponseWriter, r *http.Request) {
		var s []int
		_ = s[len(r.URL.Path)]
	})
	mux.HandleFunc("GET /half", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		_, _ = io.WriteString(w, "partial")
		w.(http.Flusher).Flush()
		panic(errors.New("stream broke"))
	})
	srv := serve(t, mux, StackOptions{Logger: logger})

	t.Run("a panic becomes a 500 problem with the request id and no panic text", func(t *testing.T) {
		resp, err := http.Get(srv.URL + "/boom")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		id := resp.Header.Get(RequestIDHeader)
		want := `{"title":"Internal Server Error","status":500,"detail":"internal error","requestId":"` + id + `"}` + "\n"
		if resp.StatusCode != 500 || string(body) != want || resp.Header.Get("Content-Type") != ProblemContentType {
			t.Errorf("answer %d %s %q, want 500 %s", resp.StatusCode, resp.Header.Get("Content-Type"), body, want)
		}
	})

	t.Run("the panic is logged with its stack but a non-runtime value only by type", func(t *testing.T) {
		logs.waitRecords(t, 2)
		out := logs.String()
		if strings.Contains(out, "ada@example.org") {
			t.Errorf("log holds the panic text:\n%s", out)
		}
		var panicRec, accessRec map[string]any
		for _, rec := range logs.records(t) {
			if rec["msg"] == "handler panic" && rec["route"] == "GET /boom" {
				panicRec = rec
			}
			if rec["msg"] == "http request" && rec["route"] == "GET /boom" {
				accessRec = rec
			}
		}
		if panicRec == nil || panicRec["panic"] != "panic value of type string" || !strings.Contains(panicRec["stack"].(string), "middleware_test.go") {
			t.Errorf("panic record %v", panicRec)
		}
		if accessRec == nil || accessRec["status"] != float64(500) || accessRec["request_id"] != panicRec["request_id"] {
			t.Errorf("access record %v, want status 500 and the panic's request id", accessRec)
		}
	})

	t.Run("a runtime error is logged with its message", func(t *testing.T) {
		resp, err := http.Get(srv.URL + "/index")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		logs.waitRecords(t, 4)
		if !strings.Contains(logs.String(), "index out of range [6] with length 0") {
			t.Errorf("log lacks the runtime error:\n%s", logs.String())
		}
	})

	t.Run("a panic after the answer started aborts the connection", func(t *testing.T) {
		resp, err := http.Get(srv.URL + "/half")
		if err == nil {
			_, err = io.ReadAll(resp.Body)
			resp.Body.Close()
		}
		if err == nil {
			t.Fatal("the client read a complete answer from a handler that panicked mid-way")
		}
	})
}

func TestMaxBody(t *testing.T) {
	read := func(w http.ResponseWriter, r *http.Request) {
		n, err := io.Copy(io.Discard, r.Body)
		if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
			WriteProblem(w, r, Problem{Status: http.StatusRequestEntityTooLarge, Detail: "body over the limit"})
			return
		}
		_, _ = io.WriteString(w, strings.Repeat("x", int(n%10)))
		w.Header().Set("X-Read", "ok")
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /small", read)
	mux.HandleFunc("POST /large", func(w http.ResponseWriter, r *http.Request) {
		if err := SetBodyLimit(r, 1000); err != nil {
			t.Errorf("SetBodyLimit: %v", err)
		}
		read(w, r)
	})
	mux.HandleFunc("POST /late", func(w http.ResponseWriter, r *http.Request) {
		_, _ = r.Body.Read(make([]byte, 1))
		err := SetBodyLimit(r, 1000)
		if !errors.Is(err, ErrBodyStarted) {
			t.Errorf("SetBodyLimit after a read: %v, want ErrBodyStarted", err)
		}
	})
	srv := serve(t, mux, StackOptions{MaxBodyBytes: 100, Logger: discardLogger()})
	post := func(path string, n int) int {
		resp, err := http.Post(srv.URL+path, "application/octet-stream", bytes.NewReader(make([]byte, n)))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}

	t.Run("a body within the limit is read", func(t *testing.T) {
		if got := post("/small", 100); got != 200 {
			t.Errorf("status %d, want 200", got)
		}
	})
	t.Run("a body over the limit fails with MaxBytesError", func(t *testing.T) {
		if got := post("/small", 101); got != 413 {
			t.Errorf("status %d, want 413", got)
		}
	})
	t.Run("a route can raise the limit before reading", func(t *testing.T) {
		if got := post("/large", 1000); got != 200 {
			t.Errorf("1000 bytes: status %d, want 200", got)
		}
		if got := post("/large", 1001); got != 413 {
			t.Errorf("1001 bytes: status %d, want 413", got)
		}
	})
	t.Run("raising the limit after reading started fails", func(t *testing.T) {
		post("/late", 10)
	})
	t.Run("a request that did not pass MaxBody cannot change its limit", func(t *testing.T) {
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("x"))
		if err := SetBodyLimit(r, 10); !errors.Is(err, ErrNoBodyLimit) {
			t.Errorf("err %v, want ErrNoBodyLimit", err)
		}
	})
	t.Run("the default limit is 1 MiB", func(t *testing.T) {
		var err error
		h := MaxBody(0)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, err = io.Copy(io.Discard, r.Body) }))
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(make([]byte, 1<<20))))
		if err != nil {
			t.Errorf("1 MiB: %v", err)
		}
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(make([]byte, 1<<20+1))))
		if mbe := (*http.MaxBytesError)(nil); !errors.As(err, &mbe) || mbe.Limit != 1<<20 {
			t.Errorf("1 MiB + 1: %v, want a MaxBytesError at 1048576", err)
		}
	})
}

func TestSecurityHeaders(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /page", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("GET /evidence/{cid}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	})
	srv := serve(t, mux, StackOptions{Logger: discardLogger()})

	t.Run("every answer carries nosniff, referrer policy, frame denial and the strict policy", func(t *testing.T) {
		resp, err := http.Get(srv.URL + "/page")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		for k, v := range map[string]string{
			"X-Content-Type-Options":  "nosniff",
			"Referrer-Policy":         "same-origin",
			"X-Frame-Options":         "DENY",
			"Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
		} {
			if got := resp.Header.Get(k); got != v {
				t.Errorf("%s = %q, want %q", k, got, v)
			}
		}
	})

	t.Run("a handler can set a stricter policy of its own", func(t *testing.T) {
		resp, err := http.Get(srv.URL + "/evidence/bafk")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Content-Security-Policy"); got != "default-src 'none'; sandbox" {
			t.Errorf("policy %q", got)
		}
	})
}

func TestResponseWriterFeaturesSurviveTheStack(t *testing.T) {
	reg := NewRegistry()
	logger, logs := newLogger()
	release := make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("POST /bulk", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-ndjson")
		_, _ = io.WriteString(w, `{"line":2,"status":"awarded"}`+"\n")
		w.(http.Flusher).Flush()
		<-release
		_, _ = io.WriteString(w, `{"done":true}`+"\n")
	})
	dir := t.TempDir()
	file := filepath.Join(dir, "evidence.pdf")
	if err := os.WriteFile(file, bytes.Repeat([]byte("%PDF"), 5000), 0o600); err != nil {
		t.Fatal(err)
	}
	mux.HandleFunc("GET /evidence/{cid}", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, file)
	})
	mux.HandleFunc("GET /deadline", func(w http.ResponseWriter, r *http.Request) {
		if err := http.NewResponseController(w).SetWriteDeadline(time.Now().Add(time.Minute)); err != nil {
			t.Errorf("SetWriteDeadline through the stack: %v", err)
		}
	})
	srv := serve(t, mux, StackOptions{Logger: logger, Metrics: reg})

	t.Run("a flushed NDJSON line reaches the client before the handler returns", func(t *testing.T) {
		resp, err := http.Post(srv.URL+"/bulk", "text/csv", strings.NewReader("email\n"))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		line, err := bufio.NewReader(resp.Body).ReadString('\n')
		close(release)
		if err != nil || line != `{"line":2,"status":"awarded"}`+"\n" {
			t.Errorf("first line %q, %v", line, err)
		}
	})

	t.Run("a file served through the stack is counted in full", func(t *testing.T) {
		resp, err := http.Get(srv.URL + "/evidence/bafk")
		if err != nil {
			t.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if n != 20000 {
			t.Fatalf("client got %d bytes, want 20000", n)
		}
		var found bool
		for _, rec := range logs.waitRecords(t, 2) {
			if rec["route"] == "GET /evidence/{cid}" {
				found = rec["bytes"] == float64(20000)
			}
		}
		if !found {
			t.Errorf("no access record with 20000 bytes:\n%s", logs.String())
		}
	})

	t.Run("http.ResponseController reaches the connection", func(t *testing.T) {
		resp, err := http.Get(srv.URL + "/deadline")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	})
}

// discardLogger returns a logger that writes nowhere.
func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
