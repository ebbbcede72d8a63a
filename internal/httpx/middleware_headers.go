package httpx

import "net/http"

// DefaultContentSecurityPolicy allows the node's own style sheets, fonts and
// images (and data: images, for inline QR codes), forms posting to the node
// itself, and nothing else: no scripts, no frames, no plugins, no
// embedding in other sites' frames.
const DefaultContentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// SecurityHeaders sets, before the handler runs (so a handler may override
// them, e.g. a stricter policy with "sandbox" for evidence files):
// X-Content-Type-Options: nosniff, Referrer-Policy: same-origin (badge and
// share URLs are not leaked to other sites), X-Frame-Options: DENY and the
// Content-Security-Policy csp ("" means DefaultContentSecurityPolicy).
func SecurityHeaders(csp string) Middleware {
	if csp == "" {
		csp = DefaultContentSecurityPolicy
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("Referrer-Policy", "same-origin")
			h.Set("X-Frame-Options", "DENY")
			h.Set("Content-Security-Policy", csp)
			next.ServeHTTP(w, r)
		})
	}
}
