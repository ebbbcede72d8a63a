package httpx

import (
	"bytes"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// expose returns the registry's text exposition.
func expose(t testing.TB, reg *Registry) string {
	t.Helper()
	var b bytes.Buffer
	if _, err := reg.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestRegistryExposition(t *testing.T) {
	t.Run("counters, gauges and histograms are written sorted in format 0.0.4", func(t *testing.T) {
		reg := NewRegistry()
		awards := reg.CounterVec("communs_awards_total", "Badges awarded.", "issuer", "status")
		awards.With("demo", "awarded").Add(3)
		awards.With("atelier", "error").Inc()
		awards.With("demo", "existing").Inc()
		reg.Gauge("communs_status_lists", "Status lists\nper node, in C:\\data.").Set(2.5)
		h := reg.Histogram("communs_sign_seconds", "Time to sign.", []float64{0.001, 0.01, 0.1})
		for _, v := range []float64{0.0005, 0.001, 0.003, 0.05, 7} {
			h.Observe(v)
		}
		reg.Counter("communs_empty_total", "Never incremented.")
		reg.CounterVec("communs_unused_total", "No series yet.", "issuer")
		reg.GaugeFunc("communs_answer", "Computed at scrape.", func() float64 { return math.Inf(1) })

		want := `# HELP communs_answer Computed at scrape.
# TYPE communs_answer gauge
communs_answer +Inf
# HELP communs_awards_total Badges awarded.
# TYPE communs_awards_total counter
communs_awards_total{issuer="atelier",status="error"} 1
communs_awards_total{issuer="demo",status="awarded"} 3
communs_awards_total{issuer="demo",status="existing"} 1
# HELP communs_empty_total Never incremented.
# TYPE communs_empty_total counter
communs_empty_total 0
# HELP communs_sign_seconds Time to sign.
# TYPE communs_sign_seconds histogram
communs_sign_seconds_bucket{le="0.001"} 2
communs_sign_seconds_bucket{le="0.01"} 3
communs_sign_seconds_bucket{le="0.1"} 4
communs_sign_seconds_bucket{le="+Inf"} 5
communs_sign_seconds_sum 7.0545
communs_sign_seconds_count 5
# HELP communs_status_lists Status lists\nper node, in C:\\data.
# TYPE communs_status_lists gauge
communs_status_lists 2.5
`
		if got := expose(t, reg); got != want {
			t.Errorf("exposition\n--- got ---\n%s--- want ---\n%s", got, want)
		}
	})

	t.Run("label values are escaped and made valid UTF-8", func(t *testing.T) {
		reg := NewRegistry()
		reg.CounterVec("c_total", "h", "v").With("a\\b\"c\nd\xff").Inc()
		want := "# HELP c_total h\n# TYPE c_total counter\nc_total{v=\"a\\\\b\\\"c\\nd\uFFFD\"} 1\n"
		if got := expose(t, reg); got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})

	t.Run("histogram vectors put le after the other labels", func(t *testing.T) {
		reg := NewRegistry()
		reg.HistogramVec("d_seconds", "h", []float64{1}, "route").With(`GET /x`).Observe(0.5)
		want := `# HELP d_seconds h
# TYPE d_seconds histogram
d_seconds_bucket{route="GET /x",le="1"} 1
d_seconds_bucket{route="GET /x",le="+Inf"} 1
d_seconds_sum{route="GET /x"} 0.5
d_seconds_count{route="GET /x"} 1
`
		if got := expose(t, reg); got != want {
			t.Errorf("exposition\n--- got ---\n%s--- want ---\n%s", got, want)
		}
	})

	t.Run("counters ignore negative and NaN additions, gauges go both ways", func(t *testing.T) {
		reg := NewRegistry()
		c := reg.Counter("c_total", "h")
		c.Add(-1)
		c.Add(math.NaN())
		c.Add(0.5)
		g := reg.Gauge("g", "h")
		g.Inc()
		g.Inc()
		g.Dec()
		g.Add(-3)
		if c.Value() != 0.5 || g.Value() != -2 {
			t.Errorf("counter %v gauge %v, want 0.5 and -2", c.Value(), g.Value())
		}
	})
}

func TestRegistryRegistration(t *testing.T) {
	t.Run("asking again for the same metric returns the registered one", func(t *testing.T) {
		reg := NewRegistry()
		a := reg.CounterVec("x_total", "h", "a")
		b := reg.CounterVec("x_total", "h", "a")
		a.With("1").Inc()
		if b.With("1").Value() != 1 {
			t.Error("second registration returned a different counter")
		}
		h1 := reg.HistogramVec("h_seconds", "h", nil, "route")
		h2 := reg.HistogramVec("h_seconds", "h", DefaultBuckets, "route")
		if h1 != h2 {
			t.Error("nil buckets and DefaultBuckets registered twice")
		}
	})

	mustPanic := func(t *testing.T, want string, f func()) {
		t.Helper()
		defer func() {
			v := recover()
			if v == nil || !strings.Contains(v.(string), want) {
				t.Errorf("panic %v, want one mentioning %q", v, want)
			}
		}()
		f()
	}
	t.Run("a name registered with another kind or labels is a programming error", func(t *testing.T) {
		reg := NewRegistry()
		reg.CounterVec("x_total", "h", "a")
		mustPanic(t, "already registered", func() { reg.CounterVec("x_total", "h", "b") })
		mustPanic(t, "already registered", func() { reg.Gauge("x_total", "h") })
		reg.Histogram("y", "h", []float64{1, 2})
		mustPanic(t, "already registered", func() { reg.Histogram("y", "h", []float64{1, 3}) })
	})
	t.Run("invalid names, labels, buckets and label counts are programming errors", func(t *testing.T) {
		reg := NewRegistry()
		mustPanic(t, "invalid metric name", func() { reg.Counter("1x", "h") })
		mustPanic(t, "invalid metric name", func() { reg.Counter("a-b", "h") })
		mustPanic(t, "invalid label name", func() { reg.CounterVec("a", "h", "__x") })
		mustPanic(t, "invalid label name", func() { reg.HistogramVec("a", "h", nil, "le") })
		mustPanic(t, "strictly increasing", func() { reg.Histogram("a", "h", []float64{2, 1}) })
		mustPanic(t, "takes 2 label values", func() { reg.CounterVec("b", "h", "x", "y").With("1") })
	})
}

func TestRegistryIsSafeForConcurrentUse(t *testing.T) {
	t.Run("parallel updates and scrapes lose no increment", func(t *testing.T) {
		reg := NewRegistry()
		cv := reg.CounterVec("c_total", "h", "w")
		h := reg.Histogram("h", "h", []float64{1})
		var wg sync.WaitGroup
		for w := range 8 {
			wg.Go(func() {
				for i := range 1000 {
					cv.With(string(rune('a' + w%2))).Inc()
					h.Observe(float64(i % 2))
					if i%100 == 0 {
						_, _ = reg.WriteTo(io.Discard)
					}
				}
			})
		}
		wg.Wait()
		if a, b := cv.With("a").Value(), cv.With("b").Value(); a+b != 8000 {
			t.Errorf("counters %v + %v, want 8000", a, b)
		}
		if h.Count() != 8000 {
			t.Errorf("histogram count %d, want 8000", h.Count())
		}
	})
}

func TestMetricsHandler(t *testing.T) {
	reg := NewRegistry()
	reg.Counter("x_total", "h").Inc()
	srv := httptest.NewServer(reg.Handler())
	t.Cleanup(srv.Close)

	t.Run("GET answers the text format with its content type", func(t *testing.T) {
		resp, err := http.Get(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.Header.Get("Content-Type") != "text/plain; version=0.0.4; charset=utf-8" ||
			string(body) != "# HELP x_total h\n# TYPE x_total counter\nx_total 1\n" {
			t.Errorf("%s %q", resp.Header.Get("Content-Type"), body)
		}
	})
	t.Run("POST is refused with a problem", func(t *testing.T) {
		resp, err := http.Post(srv.URL, "text/plain", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 405 || resp.Header.Get("Allow") != "GET, HEAD" {
			t.Errorf("status %d Allow %q", resp.StatusCode, resp.Header.Get("Allow"))
		}
	})
}

func TestMetricsMiddleware(t *testing.T) {
	reg := NewRegistry()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /credentials/{id}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("id") == "missing" {
			WriteProblem(w, r, Problem{Status: http.StatusNotFound})
		}
	})
	mux.Handle("GET /metrics", reg.Handler())
	srv := serve(t, mux, StackOptions{Metrics: reg, Logger: discardLogger()})
	do := func(method, path string) {
		req, _ := http.NewRequest(method, srv.URL+path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	do("GET", "/credentials/a")
	do("GET", "/credentials/b")
	do("GET", "/credentials/missing")
	do("BREW", "/credentials/a")
	do("GET", "/nothing/here")
	// Metrics are recorded when a handler returns, which can be after its
	// client has read the answer: wait for all five.
	for deadline := time.Now().Add(5 * time.Second); requestsCounted(expose(t, reg)) < 5 && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}

	t.Run("requests are counted by method, route pattern and code, never by path", func(t *testing.T) {
		out := expose(t, reg)
		want := `# HELP http_requests_total HTTP requests answered, by method, route pattern and status code.
# TYPE http_requests_total counter
http_requests_total{method="GET",route="GET /credentials/{id}",code="200"} 2
http_requests_total{method="GET",route="GET /credentials/{id}",code="404"} 1
http_requests_total{method="GET",route="unmatched",code="404"} 1
http_requests_total{method="OTHER",route="unmatched",code="405"} 1
`
		if !strings.Contains(out, want) {
			t.Errorf("exposition lacks\n%s\n--- got ---\n%s", want, out)
		}
		if strings.Contains(out, "/credentials/a") || strings.Contains(out, "BREW") {
			t.Errorf("exposition holds a path or a made-up method:\n%s", out)
		}
	})

	t.Run("durations are observed per method and route", func(t *testing.T) {
		out := expose(t, reg)
		for _, line := range []string{
			"# TYPE http_request_duration_seconds histogram\n",
			`http_request_duration_seconds_bucket{method="GET",route="GET /credentials/{id}",le="+Inf"} 3` + "\n",
			`http_request_duration_seconds_count{method="GET",route="GET /credentials/{id}"} 3` + "\n",
			`http_request_duration_seconds_bucket{method="GET",route="GET /credentials/{id}",le="0.005"} `,
		} {
			if !strings.Contains(out, line) {
				t.Errorf("exposition lacks %q:\n%s", line, out)
			}
		}
	})
}

func TestRuntimeMetrics(t *testing.T) {
	t.Run("goroutines and process memory are exposed as gauges", func(t *testing.T) {
		reg := NewRegistry()
		RegisterRuntimeMetrics(reg)
		RegisterRuntimeMetrics(reg) // idempotent
		out := expose(t, reg)
		for _, name := range []string{"go_goroutines", "go_memstats_heap_alloc_bytes", "go_memstats_sys_bytes", "process_start_time_seconds", "process_resident_memory_bytes"} {
			if !strings.Contains(out, "# TYPE "+name+" gauge\n"+name+" ") {
				t.Errorf("exposition lacks gauge %s:\n%s", name, out)
			}
		}
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(line, "go_memstats_sys_bytes ") && strings.HasSuffix(line, " 0") {
				t.Errorf("runtime memory reads zero: %s", line)
			}
		}
	})
}

// requestsCounted sums the http_requests_total samples of an exposition.
func requestsCounted(exposition string) int {
	n := 0
	for _, line := range strings.Split(exposition, "\n") {
		if strings.HasPrefix(line, "http_requests_total{") {
			v, _ := strconv.Atoi(line[strings.LastIndexByte(line, ' ')+1:])
			n += v
		}
	}
	return n
}
