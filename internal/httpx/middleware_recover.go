package httpx

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"runtime/debug"
)

// Recover turns a panicking handler into a 500 problem+json answer carrying
// the request id, and logs the panic at Error level with the stack. The
// panic value is logged only when the runtime raised it (index out of
// range, nil dereference…); other values are logged by type alone, since
// they may hold request data. When the handler had already started its
// answer, the connection is aborted instead (http.ErrAbortHandler), so the
// client sees a broken response rather than a truncated one that looks
// complete. http.ErrAbortHandler itself passes through. A nil logger means
// slog.Default().
func Recover(logger *slog.Logger) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := record(w)
			defer func() {
				v := recover()
				if v == nil {
					return
				}
				if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
					panic(v)
				}
				l := logger
				if l == nil {
					l = slog.Default()
				}
				l.LogAttrs(r.Context(), slog.LevelError, "handler panic",
					slog.String(logKeyRoute, routeLabel(r)),
					slog.String(logKeyRequestID, requestIDOf(r, w)),
					slog.String(logKeyPanic, describePanic(v)),
					slog.String(logKeyStack, string(debug.Stack())),
				)
				if rec.status != 0 {
					panic(http.ErrAbortHandler)
				}
				WriteProblem(rec, r, Problem{Status: http.StatusInternalServerError})
			}()
			next.ServeHTTP(rec, r)
		})
	}
}

// describePanic returns the message of a runtime error and only the type of
// any other panic value.
func describePanic(v any) string {
	if re, ok := v.(runtime.Error); ok {
		return re.Error()
	}
	return fmt.Sprintf("panic value of type %T", v)
}
