// Package jsonld processes JSON-LD offline: every context a credential may use is embedded in
// the binary and served by an in-memory document loader, so expansion and canonicalization
// never touch the network.
//
// Canonicalize turns a JSON-LD document into RDFC-1.0 canonical N-Quads, the bytes that Data
// Integrity proofs hash. It runs in safe mode: a term that has no definition, a type that is
// not an absolute IRI, or an identifier that is a relative IRI is an error instead of being
// dropped silently, because data dropped from the canonical form would not be signed.
package jsonld
