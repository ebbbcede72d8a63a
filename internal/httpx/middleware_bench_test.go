package httpx

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkStack measures the cost the standard middleware adds to a
// request (body limit, request id, access log to a discarding JSON
// handler, metrics, security headers, recovery) around a ServeMux route.
func BenchmarkStack(b *testing.B) {
	reg := NewRegistry()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /credentials/{id}", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "ok")
	})
	h := Chain(mux, Stack(StackOptions{Logger: discardLogger(), Metrics: reg})...)
	r := httptest.NewRequest(http.MethodGet, "/credentials/7kqzvx4bqj2mthd6rvo5fwy3ua", nil)
	w := httptest.NewRecorder()
	b.ReportAllocs()
	for b.Loop() {
		w.Body.Reset()
		h.ServeHTTP(w, r)
	}
}

// BenchmarkBareMux is the same route without middleware, for comparison.
func BenchmarkBareMux(b *testing.B) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /credentials/{id}", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "ok")
	})
	r := httptest.NewRequest(http.MethodGet, "/credentials/7kqzvx4bqj2mthd6rvo5fwy3ua", nil)
	w := httptest.NewRecorder()
	b.ReportAllocs()
	for b.Loop() {
		w.Body.Reset()
		mux.ServeHTTP(w, r)
	}
}

// BenchmarkCounterVecWith measures a labelled counter increment.
func BenchmarkCounterVecWith(b *testing.B) {
	cv := NewRegistry().CounterVec("c_total", "h", "method", "route", "code")
	b.ReportAllocs()
	for b.Loop() {
		cv.With("GET", "GET /credentials/{id}", "200").Inc()
	}
}

// BenchmarkHistogramObserve measures one observation.
func BenchmarkHistogramObserve(b *testing.B) {
	h := NewRegistry().Histogram("h_seconds", "h", nil)
	b.ReportAllocs()
	for b.Loop() {
		h.Observe(0.042)
	}
}

// BenchmarkRegistryWriteTo measures a scrape of 100 request series and
// their histograms.
func BenchmarkRegistryWriteTo(b *testing.B) {
	reg := NewRegistry()
	cv := reg.CounterVec("http_requests_total", "h", "method", "route", "code")
	hv := reg.HistogramVec("http_request_duration_seconds", "h", nil, "method", "route")
	for i := range 100 {
		route := "GET /r" + string(rune('a'+i%26)) + string(rune('a'+i/26))
		cv.With("GET", route, "200").Inc()
		hv.With("GET", route).Observe(0.01)
	}
	b.ReportAllocs()
	for b.Loop() {
		_, _ = reg.WriteTo(io.Discard)
	}
}

// BenchmarkRuntimeMetrics measures a scrape of the runtime gauges alone.
func BenchmarkRuntimeMetrics(b *testing.B) {
	reg := NewRegistry()
	RegisterRuntimeMetrics(reg)
	b.ReportAllocs()
	for b.Loop() {
		_, _ = reg.WriteTo(io.Discard)
	}
}
