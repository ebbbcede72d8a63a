package httpx_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"

	"github.com/communs/communs/internal/httpx"
)

// A node wraps its ServeMux with the standard middleware and serves its
// metrics; handlers answer errors with problem details.
func ExampleStack() {
	reg := httpx.NewRegistry()
	httpx.RegisterRuntimeMetrics(reg)

	mux := http.NewServeMux()
	mux.Handle("GET /metrics", reg.Handler())
	mux.HandleFunc("GET /credentials/{id}", func(w http.ResponseWriter, r *http.Request) {
		httpx.WriteProblem(w, r, httpx.Problem{
			Status: http.StatusNotFound,
			Detail: "no credential with id " + r.PathValue("id"),
		})
	})
	h := httpx.Chain(mux, httpx.Stack(httpx.StackOptions{
		Logger:       slog.New(slog.DiscardHandler),
		Metrics:      reg,
		MaxBodyBytes: 1 << 20,
	})...)

	r := httptest.NewRequest(http.MethodGet, "/credentials/7kq", nil)
	r.Header.Set(httpx.RequestIDHeader, "example-1")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	fmt.Println(w.Code, w.Header().Get("Content-Type"))
	fmt.Print(w.Body.String())
	// Output:
	// 404 application/problem+json
	// {"title":"Not Found","status":404,"detail":"no credential with id 7kq","requestId":"example-1"}
}
