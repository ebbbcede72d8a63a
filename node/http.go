package node

import (
	"encoding/json"
	"errors"
	"github.com/communs/communs/internal/web"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/communs/communs/internal/httpx"
	"github.com/communs/communs/internal/store"
	"github.com/communs/communs/vc/keys"
)

// maxJSONBody bounds JSON request bodies of the admin API and VC-API.
const maxJSONBody = 2 << 20

// Handler returns the node's HTTP handler: public documents and pages, the admin API under
// /api/v1 and the W3C VC-API. Middleware (request ids, logs, metrics) is added by the caller.
func (n *Node) Handler() http.Handler {
	n.handlerOnce.Do(func() {
		mux := http.NewServeMux()
		n.routes(mux)
		n.handler = mux
	})
	return n.handler
}

func (n *Node) routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	// Public documents and pages (with the pages' style sheet).
	mux.Handle("GET /static/", web.StaticHandler())
	mux.HandleFunc("GET /issuers/{slug}/did.json", n.getDIDDocument)
	mux.HandleFunc("GET /issuers/{slug}", n.getIssuerPublic)
	mux.HandleFunc("GET /credentials/{id}", n.getCredentialPublic)
	mux.HandleFunc("GET /credentials/{id}/qr.png", n.getCredentialQR)
	mux.HandleFunc("GET /evidence/{cid}", n.getEvidence)
	mux.HandleFunc("GET /status/{slug}/{list}", n.getStatusList)
	mux.HandleFunc("GET /achievements/{id}/image", n.getAchievementImage)
	mux.HandleFunc("GET /claim/{token}", n.getClaim)
	// OpenID4VCI Credential Issuer (pre-authorized code flow).
	n.oid4vciRoutes(mux)
	// Admin API.
	mux.HandleFunc("POST /api/v1/issuers", n.admin("", n.postIssuer))
	mux.HandleFunc("GET /api/v1/issuers", n.admin("", n.listIssuers))
	mux.HandleFunc("GET /api/v1/issuers/{slug}", n.admin("slug", n.getIssuerAPI))
	mux.HandleFunc("POST /api/v1/issuers/{slug}/keys/rotate", n.admin("", n.postRotate))
	mux.HandleFunc("POST /api/v1/issuers/{slug}/achievements", n.admin("slug", n.postAchievement))
	mux.HandleFunc("GET /api/v1/issuers/{slug}/achievements", n.admin("slug", n.listAchievements))
	mux.HandleFunc("GET /api/v1/issuers/{slug}/achievements/{id}", n.admin("slug", n.getAchievementAPI))
	mux.HandleFunc("PUT /api/v1/issuers/{slug}/achievements/{id}", n.admin("slug", n.putAchievement))
	mux.HandleFunc("POST /api/v1/issuers/{slug}/achievements/{id}/archive", n.admin("slug", n.postArchive))
	mux.HandleFunc("PUT /api/v1/issuers/{slug}/achievements/{id}/image", n.admin("slug", n.putImage))
	mux.HandleFunc("POST /api/v1/issuers/{slug}/awards", n.admin("slug", n.postAward))
	mux.HandleFunc("POST /api/v1/issuers/{slug}/achievements/{id}/awards/bulk", n.admin("slug", n.postBulkAwards))
	mux.HandleFunc("GET /api/v1/awards/{id}", n.admin("award", n.getAwardAPI))
	mux.HandleFunc("POST /api/v1/awards/{id}/revoke", n.admin("award", n.postRevoke))
	mux.HandleFunc("POST /api/v1/tokens", n.admin("", n.postToken))
	mux.HandleFunc("DELETE /api/v1/tokens/{id}", n.admin("", n.deleteToken))
	// W3C VC-API.
	mux.HandleFunc("POST /credentials/issue", n.admin("-", n.vcapiIssue))
	mux.HandleFunc("POST /credentials/verify", n.vcapiVerify)
	mux.HandleFunc("POST /presentations/verify", n.vcapiVerifyPresentation)
	mux.HandleFunc("POST /credentials/status", n.admin("-", n.vcapiStatus))
}

// statusFor maps the node's errors to HTTP statuses (the one map of this server).
func statusFor(err error) int {
	switch {
	case errors.Is(err, ErrUnauthorized):
		return http.StatusUnauthorized
	case errors.Is(err, ErrForbidden):
		return http.StatusForbidden
	case errors.Is(err, ErrNotFound), errors.Is(err, store.ErrNotFound), errors.Is(err, keys.ErrKeyNotFound):
		return http.StatusNotFound
	case errors.Is(err, ErrInvalid), errors.Is(err, errBadJSON):
		return http.StatusBadRequest
	case errors.Is(err, ErrExists), errors.Is(err, ErrArchived), errors.Is(err, ErrAlreadyRevoked):
		return http.StatusConflict
	case errors.Is(err, ErrTooLarge):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, ErrUnsupported):
		return http.StatusUnsupportedMediaType
	}
	return http.StatusInternalServerError
}

// fail writes err as problem+json; 5xx details are not shown (the request id is).
func (n *Node) fail(w http.ResponseWriter, r *http.Request, err error) {
	st := statusFor(err)
	if st >= 500 {
		n.cfg.Logger.ErrorContext(r.Context(), "request failed", "path", r.URL.Path, "requestId", httpx.RequestIDFrom(r.Context()), "error", err)
	}
	if st == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="communs"`)
	}
	httpx.WriteProblem(w, r, httpx.Problem{Status: st, Detail: err.Error()})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

var errBadJSON = errors.New("malformed JSON body")

// readJSON decodes a bounded JSON body into v, refusing unknown members when strict.
func readJSON(r *http.Request, v any, strict bool) error {
	// Raise the server-wide cap of the MaxBody middleware to this route's; without the
	// middleware (ErrNoBodyLimit) the reader below is the only cap.
	_ = httpx.SetBodyLimit(r, maxJSONBody)
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, maxJSONBody))
	if strict {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return errors.Join(ErrTooLarge, errors.New("the JSON body is larger than 2 MiB"))
		}
		return errors.Join(errBadJSON, errors.New("the request body is not the expected JSON: "+err.Error()))
	}
	return nil
}

func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "Bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

type authedHandler func(w http.ResponseWriter, r *http.Request, tok *Token)

// admin wraps an API handler with token authentication and scope: scope "" needs an admin
// token; "slug" needs access to the {slug} issuer; "award" to the issuer of award {id}; "-"
// any valid token (the handler checks the issuer itself).
func (n *Node) admin(scope string, h authedHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok, err := n.Authenticate(r.Context(), bearer(r))
		if err != nil {
			n.fail(w, r, err)
			return
		}
		var allowed bool
		switch scope {
		case "":
			allowed = tok.Role == RoleAdmin
		case "slug":
			allowed = tok.Allows(r.PathValue("slug"))
		case "award":
			a, err := n.GetAward(r.Context(), r.PathValue("id"))
			if err != nil {
				if tok.Role != RoleAdmin {
					err = ErrForbidden // do not tell other issuers' staff which ids exist
				}
				n.fail(w, r, err)
				return
			}
			allowed = tok.Allows(a.Issuer)
		case "-":
			allowed = true
		}
		if !allowed {
			n.fail(w, r, errors.Join(ErrForbidden, errors.New("this token may not act here")))
			return
		}
		n.cfg.Logger.DebugContext(r.Context(), "api", slog.String("token", tok.ID), slog.String("path", r.URL.Path))
		h(w, r.WithContext(WithActor(r.Context(), tok.ID)), tok)
	}
}
