package httpx

import (
	"log/slog"
	"net/http"
)

// Middleware wraps an http.Handler with a concern shared by every route.
type Middleware func(http.Handler) http.Handler

// Chain wraps h with the middleware ms; the first one listed is the
// outermost, so it sees the request first and the response last:
//
//	Chain(mux, RequestID(), AccessLog(logger), Recover(logger))
//
// runs RequestID, then AccessLog, then Recover, then the mux. Nil entries
// are skipped.
func Chain(h http.Handler, ms ...Middleware) http.Handler {
	for i := len(ms) - 1; i >= 0; i-- {
		if ms[i] != nil {
			h = ms[i](h)
		}
	}
	return h
}

// StackOptions configures Stack.
type StackOptions struct {
	// Logger receives the access log and recovered panics; nil means
	// slog.Default().
	Logger *slog.Logger
	// Metrics, when set, records http_requests_total and
	// http_request_duration_seconds.
	Metrics *Registry
	// MaxBodyBytes caps request bodies; zero means DefaultMaxRequestBodyBytes.
	MaxBodyBytes int64
	// ContentSecurityPolicy overrides DefaultContentSecurityPolicy.
	ContentSecurityPolicy string
}

// Stack returns the node's middleware in the order they must run: body
// limit (first, so that it wraps the server's own ResponseWriter), request
// id, access log, metrics, security headers, panic recovery (last, so that
// a panic becomes a 500 that the log and the metrics see).
func Stack(o StackOptions) []Middleware {
	ms := []Middleware{
		MaxBody(o.MaxBodyBytes),
		RequestID(),
		AccessLog(o.Logger),
	}
	if o.Metrics != nil {
		ms = append(ms, Metrics(o.Metrics))
	}
	return append(ms,
		SecurityHeaders(o.ContentSecurityPolicy),
		Recover(o.Logger),
	)
}
