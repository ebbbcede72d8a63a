// Package did parses Decentralized Identifiers and DID documents and
// resolves did:key, did:jwk and did:web.
//
// did:web documents are fetched through an injected *http.Client (in
// Communs, the guarded client of internal/httpx); this package opens no
// connection of its own and has no default client.
package did
