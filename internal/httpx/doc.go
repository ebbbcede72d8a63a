// Package httpx holds the outbound HTTP plumbing of Communs: the guarded
// client every remote fetch goes through (did:web documents, status lists,
// registry statements) and FileTransport, which answers URLs from local
// files for offline verification.
//
// The guarded client fetches https URLs only (plain http only to loopback
// hosts when allowed), checks every address it connects to at dial time
// (refusing loopback, private, shared, link-local, multicast and other
// special addresses, including their IPv4-mapped IPv6 forms), re-checks
// redirects, bounds time and body size, and caches successful GETs for a
// short time. It never logs.
package httpx
