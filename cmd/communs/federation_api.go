package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/communs/communs/federation"
	"github.com/communs/communs/internal/httpx"
	"github.com/communs/communs/vc/did"
)

// federationAPI is the federation admin API of a node (admin token; problem+json errors):
//
//	POST /api/v1/federation/vouch            {did, reason?, issuer_keys?, organization_name?, …}
//	POST /api/v1/federation/suspend          {did, reason?}
//	POST /api/v1/federation/revoke           {did, reason?}
//	GET  /api/v1/federation/status           federation.NodeStatus
//	GET  /api/v1/federation/peers            {peers: [...]}
//	POST /api/v1/federation/partners         {entity_id, jwks, scope, organization_name} (anchor)
//	POST /api/v1/federation/partners/expel   {entity_id} (anchor)
//	GET  /api/v1/federation/partners         {partners: [...]} (anchor)
type federationAPI struct {
	fed      *federation.Node
	resolver did.Resolver
	logger   *slog.Logger
}

// vouchBody is the body of the vouch, suspend and revoke requests.
type vouchBody struct {
	DID              string    `json:"did"`
	Reason           string    `json:"reason,omitempty"`
	IssuerKeys       []string  `json:"issuer_keys,omitempty"`
	OrganizationName string    `json:"organization_name,omitempty"`
	HomepageURI      string    `json:"homepage_uri,omitempty"`
	OrganizationURI  string    `json:"organization_uri,omitempty"`
	LogoURI          string    `json:"logo_uri,omitempty"`
	Location         string    `json:"location,omitempty"`
	RenewBy          time.Time `json:"renew_by,omitzero"`
}

// entryAnswer is the answer to vouch, suspend and revoke: the entry appended to the log.
type entryAnswer struct {
	DID        string   `json:"did"`
	Status     string   `json:"status"`
	Seq        uint64   `json:"seq"`
	EntryCID   string   `json:"entry_cid"`
	IssuerKeys []string `json:"issuer_keys"`
	Reason     string   `json:"reason,omitempty"`
}

// partnerBody is the body of POST /api/v1/federation/partners.
type partnerBody struct {
	EntityID         string          `json:"entity_id"`
	JWKS             json.RawMessage `json:"jwks"`
	Scope            []string        `json:"scope"`
	OrganizationName string          `json:"organization_name,omitempty"`
}

func (a *federationAPI) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v1/federation/vouch", a.vouch)
	mux.HandleFunc("POST /api/v1/federation/suspend", a.status(federation.StatusSuspended))
	mux.HandleFunc("POST /api/v1/federation/revoke", a.status(federation.StatusRevoked))
	mux.HandleFunc("GET /api/v1/federation/status", func(w http.ResponseWriter, r *http.Request) {
		fedJSON(w, http.StatusOK, a.fed.Status(r.Context()))
	})
	mux.HandleFunc("GET /api/v1/federation/peers", func(w http.ResponseWriter, r *http.Request) {
		peers := a.fed.Status(r.Context()).Peers
		if peers == nil {
			peers = []federation.PeerStatus{}
		}
		fedJSON(w, http.StatusOK, map[string]any{"peers": peers})
	})
	mux.HandleFunc("POST /api/v1/federation/partners", a.addPartner)
	mux.HandleFunc("POST /api/v1/federation/partners/expel", a.expel)
	mux.HandleFunc("GET /api/v1/federation/partners", func(w http.ResponseWriter, r *http.Request) {
		if a.fed.Role() != federation.RoleAnchor {
			a.fail(w, r, fmt.Errorf("%w: partner records are kept by the trust anchor", federation.ErrWrongRole))
			return
		}
		list := a.fed.Partners()
		if list == nil {
			list = []federation.Partner{}
		}
		fedJSON(w, http.StatusOK, map[string]any{"partners": list})
	})
	mux.HandleFunc("/api/v1/federation/", func(w http.ResponseWriter, r *http.Request) {
		httpx.WriteProblem(w, r, httpx.Problem{Status: http.StatusNotFound, Detail: "no such federation admin route"})
	})
	return mux
}

func (a *federationAPI) vouch(w http.ResponseWriter, r *http.Request) {
	var b vouchBody
	if err := readFedJSON(r, &b); err != nil {
		a.fail(w, r, err)
		return
	}
	if _, err := did.Parse(b.DID); err != nil {
		a.fail(w, r, fmt.Errorf("%w: did %q is not a DID", federation.ErrMalformed, b.DID))
		return
	}
	if len(b.IssuerKeys) == 0 {
		// Without listed keys, take the issuer's current assertion keys from its DID document.
		if doc, err := a.resolver.Resolve(r.Context(), b.DID); err == nil {
			for _, vm := range doc.VerificationMethod {
				if vm.PublicKeyMultibase != "" && doc.HasVerificationRelationship(vm.ID, "assertionMethod") {
					b.IssuerKeys = append(b.IssuerKeys, vm.PublicKeyMultibase)
				}
			}
		} else {
			a.logger.InfoContext(r.Context(), "federation: vouching without issuer keys: the DID did not resolve", "did", b.DID, "error", err)
		}
	}
	e, err := a.fed.Vouch(r.Context(), federation.VouchRequest{
		DID: b.DID, IssuerKeys: b.IssuerKeys, RenewBy: b.RenewBy, Reason: b.Reason,
		Organization: federation.FederationEntity{
			OrganizationName: b.OrganizationName, HomepageURI: b.HomepageURI,
			OrganizationURI: b.OrganizationURI, LogoURI: b.LogoURI, Location: b.Location,
		},
	})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.logger.InfoContext(r.Context(), "federation: vouched", "did", e.Claims.Sub, "seq", e.Claims.Seq, "entry", e.CID)
	fedJSON(w, http.StatusOK, answerOf(e))
}

func (a *federationAPI) status(st federation.Status) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var b vouchBody
		if err := readFedJSON(r, &b); err != nil {
			a.fail(w, r, err)
			return
		}
		if b.DID == "" {
			a.fail(w, r, fmt.Errorf("%w: did is required", federation.ErrMalformed))
			return
		}
		var e *federation.Entry
		var err error
		if st == federation.StatusRevoked {
			e, err = a.fed.Revoke(r.Context(), b.DID, b.Reason)
		} else {
			e, err = a.fed.Suspend(r.Context(), b.DID, b.Reason)
		}
		if err != nil {
			a.fail(w, r, err)
			return
		}
		a.logger.InfoContext(r.Context(), "federation: status changed", "did", e.Claims.Sub, "status", string(e.Claims.Status), "seq", e.Claims.Seq, "entry", e.CID)
		fedJSON(w, http.StatusOK, answerOf(e))
	}
}

func answerOf(e *federation.Entry) entryAnswer {
	keys := e.Claims.IssuerKeys
	if keys == nil {
		keys = []string{}
	}
	return entryAnswer{DID: e.Claims.Sub, Status: string(e.Claims.Status), Seq: e.Claims.Seq, EntryCID: e.CID, IssuerKeys: keys, Reason: e.Claims.StatusReason}
}

func (a *federationAPI) addPartner(w http.ResponseWriter, r *http.Request) {
	var b partnerBody
	if err := readFedJSON(r, &b); err != nil {
		a.fail(w, r, err)
		return
	}
	if len(b.JWKS) == 0 {
		a.fail(w, r, fmt.Errorf("%w: jwks is required (the partner's federation public keys)", federation.ErrMalformed))
		return
	}
	keys, err := federation.ParseJWKS(b.JWKS)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	p, err := a.fed.AddPartner(r.Context(), federation.Partner{
		EntityID: strings.TrimSuffix(b.EntityID, "/"), Keys: keys, Scope: b.Scope, OrganizationName: b.OrganizationName,
	})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.logger.InfoContext(r.Context(), "federation: partner added", "entity_id", p.EntityID, "scope", strings.Join(p.Scope, " "))
	fedJSON(w, http.StatusOK, p)
}

func (a *federationAPI) expel(w http.ResponseWriter, r *http.Request) {
	var b struct {
		EntityID string `json:"entity_id"`
	}
	if err := readFedJSON(r, &b); err != nil {
		a.fail(w, r, err)
		return
	}
	p, err := a.fed.Expel(r.Context(), strings.TrimSuffix(b.EntityID, "/"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.logger.InfoContext(r.Context(), "federation: partner expelled", "entity_id", p.EntityID)
	fedJSON(w, http.StatusOK, p)
}

// errFedBody marks a request body that is not the expected JSON.
var errFedBody = errors.New("malformed JSON body")

// readFedJSON decodes a JSON body of at most 256 KiB, refusing unknown members.
func readFedJSON(r *http.Request, v any) error {
	_ = httpx.SetBodyLimit(r, 256<<10)
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 256<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w: the request body is not the expected JSON: %v", errFedBody, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("%w: the request body holds more than one JSON value", errFedBody)
	}
	return nil
}

// fail answers err as problem+json with the status its kind calls for.
func (a *federationAPI) fail(w http.ResponseWriter, r *http.Request, err error) {
	st := http.StatusInternalServerError
	switch {
	case errors.Is(err, errFedBody), errors.Is(err, federation.ErrMalformed), errors.Is(err, federation.ErrInvalidConfig):
		st = http.StatusBadRequest
	case errors.Is(err, federation.ErrNotVouched), errors.Is(err, federation.ErrUnknownPartner):
		st = http.StatusNotFound
	case errors.Is(err, federation.ErrWrongRole), errors.Is(err, federation.ErrNotAttested), errors.Is(err, federation.ErrExpelled), errors.Is(err, federation.ErrFrozen):
		st = http.StatusConflict
	case errors.Is(err, federation.ErrOutOfScope):
		st = http.StatusForbidden
	}
	if st >= 500 {
		a.logger.ErrorContext(r.Context(), "federation admin request failed", "path", r.URL.Path, "requestId", httpx.RequestIDFrom(r.Context()), "error", err)
	}
	httpx.WriteProblem(w, r, httpx.Problem{Status: st, Detail: err.Error()})
}

func fedJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// page serves GET /admin/federation: the operator's view of the node's origins, peers and
// equivocation alarms.
func (a *federationAPI) page(w http.ResponseWriter, r *http.Request) {
	st := a.fed.Status(r.Context())
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := federationPage.Execute(w, pageData{Status: st, Now: time.Now()}); err != nil {
		a.logger.WarnContext(r.Context(), "federation page", "error", err)
	}
}

type pageData struct {
	Status federation.NodeStatus
	Now    time.Time
}

var federationPage = template.Must(template.New("federation").Funcs(template.FuncMap{
	"when": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.UTC().Format("2006-01-02 15:04:05Z")
	},
	"age": func(d time.Duration) string {
		if d <= 0 {
			return "—"
		}
		return d.Round(time.Second).String()
	},
}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Federation — {{.Status.EntityID}}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#1b1b1b}
table{border-collapse:collapse;margin:1rem 0;width:100%}
th,td{border-bottom:1px solid #ddd;padding:.35rem .6rem;text-align:left;font-size:.92rem}
th{background:#f4f4f4}.bad{color:#b00020;font-weight:600}.ok{color:#126b2f}
code{font-size:.88rem}
</style></head><body>
<h1>Federation</h1>
<p><code>{{.Status.EntityID}}</code> — role <strong>{{.Status.Role}}</strong>, trust anchor <code>{{.Status.TrustAnchor}}</code></p>
{{if eq (print .Status.Role) "partner"}}<p>Attested: {{if .Status.Attested}}<span class="ok">yes</span>, until {{when .Status.AttestedUntil}}{{else}}<span class="bad">no</span>{{end}} ·
own log seq {{.Status.Seq}} · last refresh {{when .Status.LastRefresh}}{{if .Status.RefreshError}} · <span class="bad">{{.Status.RefreshError}}</span>{{end}}</p>{{end}}
<h2>Equivocation alarms</h2>
{{if .Status.Equivocations}}<table><tr><th>origin</th><th>seq</th></tr>
{{range .Status.Equivocations}}<tr class="bad"><td><code>{{.Origin}}</code></td><td>{{.Seq}}</td></tr>{{end}}</table>
{{else}}<p class="ok">None.</p>{{end}}
<h2>Origins</h2>
<table><tr><th>origin</th><th>organization</th><th>seq</th><th>head seq</th><th>head age</th><th>head expires</th><th>last sync</th><th>statement until</th><th>state</th></tr>
{{range .Status.Origins}}<tr><td><code>{{.EntityID}}</code></td><td>{{.OrganizationName}}</td><td>{{.Seq}}</td><td>{{.HeadSeq}}</td><td>{{age .HeadAge}}</td><td>{{when .HeadExpiresAt}}</td><td>{{when .LastHeard}}</td><td>{{when .StatementExpires}}</td>
<td>{{if .Frozen}}<span class="bad">frozen (equivocation at seq {{.EquivocationSeq}})</span>{{else if .Stale}}<span class="bad">stale</span>{{else}}<span class="ok">fresh</span>{{end}}</td></tr>
{{else}}<tr><td colspan="9">No origin followed yet.</td></tr>{{end}}</table>
<h2>Peers</h2>
<table><tr><th>peer</th><th>last sync</th><th>last error</th></tr>
{{range .Status.Peers}}<tr><td><code>{{.URL}}</code></td><td>{{when .LastSync}}</td><td>{{if .LastError}}<span class="bad">{{.LastError}}</span>{{end}}</td></tr>
{{else}}<tr><td colspan="3">No peer.</td></tr>{{end}}</table>
<h2>Counters</h2>
<p>sync rounds {{.Status.Metrics.Sync.Rounds}} · failures {{.Status.Metrics.Sync.Failures}} · entries applied {{.Status.Metrics.Sync.EntriesApplied}} · refused {{.Status.Metrics.Sync.Refused}} · origins {{.Status.Metrics.Origins}} (stale {{.Status.Metrics.StaleOrigins}}, frozen {{.Status.Metrics.FrozenOrigins}})</p>
<p><small>{{when .Now}}</small></p>
</body></html>
`))
