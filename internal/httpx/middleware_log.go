package httpx

import (
	"log/slog"
	"net/http"
	"time"
)

// Attribute keys of the access log and of recovered panics.
const (
	logKeyMethod    = "method"
	logKeyRoute     = "route"
	logKeyStatus    = "status"
	logKeyBytes     = "bytes"
	logKeyDuration  = "duration"
	logKeyRequestID = "request_id"
	logKeyPanic     = "panic"
	logKeyStack     = "stack"
)

// unmatchedRoute stands for the route of a request no pattern matched.
const unmatchedRoute = "unmatched"

// AccessLog logs one line per request at Info level ("http request") with
// the method, the matched ServeMux pattern (never the path: paths carry
// ids, query strings may carry anything), the status, the bytes written,
// the duration and the request id. It never logs query strings, bodies,
// headers, cookies or tokens. A nil logger means slog.Default().
func AccessLog(logger *slog.Logger) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			l := logger
			if l == nil {
				l = slog.Default()
			}
			start := time.Now()
			rec := record(w)
			defer func() {
				// Deferred so that a request whose handler aborted with a
				// panic is logged too.
				l.LogAttrs(r.Context(), slog.LevelInfo, "http request",
					slog.String(logKeyMethod, methodLabel(r.Method)),
					slog.String(logKeyRoute, routeLabel(r)),
					slog.Int(logKeyStatus, rec.Status()),
					slog.Int64(logKeyBytes, rec.bytes),
					slog.Duration(logKeyDuration, time.Since(start)),
					slog.String(logKeyRequestID, requestIDOf(r, w)),
				)
			}()
			next.ServeHTTP(rec, r)
		})
	}
}

// routeLabel returns the pattern ServeMux matched, or "unmatched".
func routeLabel(r *http.Request) string {
	if r.Pattern == "" {
		return unmatchedRoute
	}
	return r.Pattern
}

// methodLabel returns the method when it is a standard one and "OTHER"
// otherwise, so that clients cannot grow log fields or metric series with
// made-up methods.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut,
		http.MethodPatch, http.MethodDelete, http.MethodOptions,
		http.MethodConnect, http.MethodTrace:
		return m
	}
	return "OTHER"
}

// requestIDOf returns the request id from the context or, for middleware
// outside RequestID, from the response header RequestID set.
func requestIDOf(r *http.Request, w http.ResponseWriter) string {
	if id := RequestIDFrom(r.Context()); id != "" {
		return id
	}
	return w.Header().Get(RequestIDHeader)
}
