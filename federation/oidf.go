package federation

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/go-jose/go-jose/v4"

	"github.com/communs/communs/internal/httpx"
	"github.com/communs/communs/vc/keys"
)

// Handler returns every route of the node (docs/federation.md): the sync
// endpoints under /federation/, the OpenID Federation endpoints
// (/.well-known/openid-federation, /federation/fetch, /federation/list,
// /federation/resolve) and the issuer API (/api/v1/issuers/{did}).
func (n *Node) Handler() http.Handler {
	mux := http.NewServeMux()
	sync := n.server.Handler()
	mux.Handle(PathHeads, sync)
	mux.Handle(PathLog, sync)
	mux.Handle(PathObjects, sync)
	mux.Handle(PathEntityConfiguration, cors(http.HandlerFunc(n.serveEntityConfiguration)))
	mux.Handle(PathFetch, cors(http.HandlerFunc(n.serveFetch)))
	mux.Handle(PathList, cors(http.HandlerFunc(n.serveList)))
	mux.Handle(PathResolve, cors(http.HandlerFunc(n.serveResolve)))
	mux.Handle(PathIssuers, n.IssuerAPIHandler())
	return mux
}

// OIDFError is an OpenID Federation error answer.
type OIDFError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

// cors lets any web origin read the answers (evaluators' pages, wallets)
// and answers preflights; other methods than GET, HEAD and OPTIONS are
// refused.
func cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			next.ServeHTTP(w, r)
		case http.MethodOptions:
			w.Header().Set("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
			w.Header().Set("Access-Control-Max-Age", "86400")
			w.WriteHeader(http.StatusNoContent)
		default:
			w.Header().Set("Allow", "GET, HEAD, OPTIONS")
			oidfError(w, r, http.StatusMethodNotAllowed, "invalid_request", "only GET is supported")
		}
	})
}

func oidfError(w http.ResponseWriter, r *http.Request, status int, code, desc string) {
	if status >= 500 {
		desc = "internal error; request id " + httpx.RequestIDFrom(r.Context())
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(OIDFError{Error: code, Description: desc})
}

func writeJWT(w http.ResponseWriter, typ string, jws []byte) {
	w.Header().Set("Content-Type", "application/"+typ)
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(jws)
}

func (n *Node) serveEntityConfiguration(w http.ResponseWriter, r *http.Request) {
	ec, err := n.entityConfiguration()
	if err != nil {
		oidfError(w, r, http.StatusInternalServerError, "server_error", "")
		return
	}
	writeJWT(w, TypeEntityStatement, ec)
}

// subCandidates returns the sub parameter as percent-decoded by the query
// parser and as it appears in the raw query (the DCC client appends the
// DID unencoded, so did:web:host%3A8443 arrives with its %3A).
func subCandidates(r *http.Request) []string {
	var out []string
	if v := r.URL.Query().Get("sub"); v != "" {
		out = append(out, v)
	}
	for part := range strings.SplitSeq(r.URL.RawQuery, "&") {
		if raw, ok := strings.CutPrefix(part, "sub="); ok && raw != "" && !slices.Contains(out, raw) {
			out = append(out, raw)
		}
	}
	return out
}

// partnerFor finds, on the anchor, a partner that is not expelled among
// the candidates.
func (n *Node) partnerFor(cands []string) (Partner, bool) {
	if n.anchor == nil {
		return Partner{}, false
	}
	for _, c := range cands {
		if p, ok := n.anchor.Partner(c); ok && !p.Expelled() {
			return p, true
		}
	}
	return Partner{}, false
}

// recognized finds the first candidate the node recognises.
func (n *Node) recognized(cands []string) (IssuerAssessment, bool) {
	for _, c := range cands {
		if a := n.Assess(c); a.Recognized {
			return a, true
		}
	}
	return IssuerAssessment{}, false
}

func (n *Node) serveFetch(w http.ResponseWriter, r *http.Request) {
	cands := subCandidates(r)
	if len(cands) == 0 {
		oidfError(w, r, http.StatusBadRequest, "invalid_request", "the sub parameter is required")
		return
	}
	if p, ok := n.partnerFor(cands); ok {
		jws, err := n.anchor.Statement(p.EntityID)
		if err != nil {
			oidfError(w, r, http.StatusInternalServerError, "server_error", "")
			return
		}
		writeJWT(w, TypeEntityStatement, jws)
		return
	}
	a, ok := n.recognized(cands)
	if !ok {
		oidfError(w, r, http.StatusNotFound, "not_found", "this registry does not recognise that subject (unknown, suspended or revoked)")
		return
	}
	jws, err := n.issuerStatement(a)
	if err != nil {
		oidfError(w, r, http.StatusInternalServerError, "server_error", "")
		return
	}
	writeJWT(w, TypeEntityStatement, jws)
}

// issuerClaims are the claims of the node's statement about a recognised
// issuer DID.
func (n *Node) issuerClaims(a IssuerAssessment) StatementClaims {
	now := n.cfg.Now()
	exp := now.Add(n.cfg.IssuerStatementTTL)
	if a.ValidUntil.After(now) && a.ValidUntil.Before(exp) {
		exp = a.ValidUntil
	}
	set := &jose.JSONWebKeySet{Keys: []jose.JSONWebKey{}}
	for _, mk := range a.IssuerKeys {
		pub, err := keys.DecodeMultikey(mk)
		if err != nil {
			continue
		}
		kid, _ := keys.JWKThumbprint(pub)
		set.Keys = append(set.Keys, jose.JSONWebKey{Key: pub, KeyID: kid, Use: "sig"})
	}
	fe := EntityMetadata{}
	if a.Metadata != nil {
		m := a.Metadata.FederationEntity
		fe = EntityMetadata{OrganizationName: m.OrganizationName, HomepageURI: m.HomepageURI, OrganizationURI: m.OrganizationURI, LogoURI: m.LogoURI, Location: m.Location}
	}
	return StatementClaims{
		Iss: n.cfg.EntityID, Sub: a.DID, Iat: now.Unix(), Exp: max(exp.Unix(), now.Unix()+1),
		JWKS: set, Metadata: &StatementMetadata{FederationEntity: fe},
		RegistrationInfo: &RegistrationInfo{RegisteredAt: a.registeredAt.Unix(), VouchedBy: slices.Clone(a.active), Status: StatusActive},
	}
}

// issuerStatement signs the node's statement about a recognised issuer.
func (n *Node) issuerStatement(a IssuerAssessment) ([]byte, error) {
	return signStatement(n.issuerClaims(a), TypeEntityStatement, n.cfg.Signer)
}

func (n *Node) serveList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	for name := range q {
		switch name {
		case "intermediate":
		case "entity_type":
			if q.Get(name) != "federation_entity" {
				oidfError(w, r, http.StatusBadRequest, "unsupported_parameter", "only entity_type=federation_entity is supported")
				return
			}
		default:
			oidfError(w, r, http.StatusBadRequest, "unsupported_parameter", "the list endpoint supports intermediate and entity_type only")
			return
		}
	}
	out := []string{}
	switch q.Get("intermediate") {
	case "true":
		if n.anchor != nil {
			for _, p := range n.anchor.Partners() {
				if !p.Expelled() {
					out = append(out, p.EntityID)
				}
			}
		}
	case "", "false":
		out = n.recognizedDIDs()
	default:
		oidfError(w, r, http.StatusBadRequest, "invalid_request", "intermediate must be true or false")
		return
	}
	writeJSON(w, out)
}

func (n *Node) serveResolve(w http.ResponseWriter, r *http.Request) {
	cands := subCandidates(r)
	ta := r.URL.Query().Get("trust_anchor")
	switch {
	case len(cands) == 0 || ta == "":
		oidfError(w, r, http.StatusBadRequest, "invalid_request", "sub and trust_anchor are required")
		return
	case ta != n.cfg.AnchorID:
		oidfError(w, r, http.StatusNotFound, "invalid_trust_anchor", "this node belongs to another trust anchor")
		return
	}
	now := n.cfg.Now()
	var c StatementClaims
	if p, ok := n.partnerFor(cands); ok {
		st, err := n.anchor.Statement(p.EntityID)
		if err != nil {
			oidfError(w, r, http.StatusInternalServerError, "server_error", "")
			return
		}
		c = StatementClaims{Sub: p.EntityID, Exp: now.Add(n.cfg.StatementTTL).Unix(),
			Metadata:   &StatementMetadata{FederationEntity: EntityMetadata{OrganizationName: p.OrganizationName}},
			TrustChain: []string{string(st)}}
	} else {
		a, ok := n.recognized(cands)
		if !ok {
			oidfError(w, r, http.StatusNotFound, "not_found", "this registry does not recognise that subject")
			return
		}
		ic := n.issuerClaims(a)
		st, err := signStatement(ic, TypeEntityStatement, n.cfg.Signer)
		if err != nil {
			oidfError(w, r, http.StatusInternalServerError, "server_error", "")
			return
		}
		c = StatementClaims{Sub: a.DID, Exp: ic.Exp, Metadata: ic.Metadata, TrustChain: []string{string(st)}}
		n.mu.RLock()
		if own := n.statements[n.cfg.EntityID]; own != nil && now.Before(own.Expires) {
			c.TrustChain = append(c.TrustChain, string(own.JWS))
			c.Exp = min(c.Exp, own.Expires.Unix())
		}
		n.mu.RUnlock()
	}
	c.Iss, c.Iat = n.cfg.EntityID, now.Unix()
	c.Exp = max(c.Exp, c.Iat+1)
	jws, err := signStatement(c, TypeResolveResponse, n.cfg.Signer)
	if err != nil {
		oidfError(w, r, http.StatusInternalServerError, "server_error", "")
		return
	}
	writeJWT(w, TypeResolveResponse, jws)
}

// IssuerAPIHandler serves GET /api/v1/issuers/{did}: the DID is the rest
// of the path, matched as received and percent-decoded. Mount it where the
// server routes /api/v1/issuers/ paths whose last segment starts with
// "did:".
func (n *Node) IssuerAPIHandler() http.Handler {
	return cors(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, ok := strings.CutPrefix(r.URL.EscapedPath(), PathIssuers)
		dec, err := url.PathUnescape(raw)
		if !ok || err != nil || !strings.HasPrefix(dec, "did:") {
			oidfError(w, r, http.StatusNotFound, "not_found", "the path must be "+PathIssuers+"{did}")
			return
		}
		a := n.Assess(raw)
		if len(a.VouchedBy) == 0 && !strings.HasPrefix(raw, "did:") {
			a.DID = dec
		}
		writeJSON(w, a)
	}))
}
