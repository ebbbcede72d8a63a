// Package httpx holds the HTTP plumbing of Communs. Outbound: the guarded
// client every remote fetch goes through (did:web documents, status lists,
// registry statements) and FileTransport, which answers URLs from local
// files for offline verification. Inbound: RFC 9457 problem details
// (WriteProblem), the server middleware (Chain, Stack: request ids, access
// log without personal data, panic recovery, body limits, security
// headers, metrics) and a hand-written Prometheus text exposition
// (Registry).
//
// The guarded client fetches https URLs only (plain http only to loopback
// hosts when allowed), checks every address it connects to at dial time
// (refusing loopback, private, shared, link-local, multicast and other
// special addresses, including their IPv4-mapped IPv6 forms), re-checks
// redirects, bounds time and body size, and caches successful GETs for a
// short time. The client never logs; only the AccessLog and Recover
// middleware do, with ids and never request data.
package httpx
