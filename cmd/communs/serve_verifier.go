package main

import (
	"log/slog"
	"net/http"

	"github.com/communs/communs/internal/httpx"
	"github.com/communs/communs/node"
	"github.com/communs/communs/node/verifier"
	"github.com/communs/communs/vc"
)

// mountVerifier serves the evaluator's verify page, batch reports and POST /api/v1/verify on
// mux. It verifies with the node's resolver and client (the node's own documents in-process,
// others through the guarded client) and the federation's trust (nil: no recognition check).
// clients says how its rate limit tells clients apart. The returned verifier must be closed when the node stops (it stops running batches).
func mountVerifier(mux *http.ServeMux, n *node.Node, trust vc.IssuerTrust, clients httpx.RateLimitOptions, logger *slog.Logger) (*verifier.Verifier, error) {
	cfg := verifier.DefaultConfig()
	cfg.Options = vc.Options{Resolver: n.Resolver(), HTTPClient: n.Client(), Trust: trust}
	cfg.NodeName, cfg.Logger = "Communs", logger
	cfg.RateLimit.ClientIPHeader, cfg.RateLimit.TrustedProxies = clients.ClientIPHeader, clients.TrustedProxies
	v, err := verifier.New(cfg)
	if err != nil {
		return nil, err
	}
	h := v.Handler()
	mux.Handle("/verify", h)
	mux.Handle("/verify/", h)
	mux.Handle("POST /api/v1/verify", h)
	return v, nil
}
