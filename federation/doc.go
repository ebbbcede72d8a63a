// Package federation implements the core of the partner registries of
// docs/federation.md: signed registry entries (compact JWS, ES256), the
// single-writer hash-chained [Log] an origin appends to, and the [Registry]
// that holds verified replicas of origins' logs and answers [Registry.Lookup].
//
// The core is pure: state lives in memory and is persisted through the small
// [Storage] interface ([MemStorage] here, a pebble-backed one in
// [PebbleStorage]). Every entry is verified before it is stored, and a
// replica rebuilds its state on open by verifying its stored entries again.
//
// Around the core: the trust [Anchor] signing OpenID Federation subordinate
// statements about partners ([ParseSubordinateStatement] verifies them),
// the HTTP sync [Server] and [Syncer], the issuer-recognition [Trust], and
// the [Node] façade that opens all of it over one pebble database and
// serves the sync, OpenID Federation and issuer API endpoints.
package federation
