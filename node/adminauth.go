package node

import (
	"net/http"
)

// RequireAdmin protects h with the node's admin bearer tokens, for routes mounted beside the
// node's own handler (the federation admin API and pages): a request without a valid token
// gets a problem+json 401 (with WWW-Authenticate), a valid token that is not a node admin
// token a problem+json 403. The token id is attached to the request's context as the actor
// (see WithActor).
func (n *Node) RequireAdmin(h http.Handler) http.Handler {
	return n.admin("", func(w http.ResponseWriter, r *http.Request, _ *Token) {
		h.ServeHTTP(w, r)
	})
}
