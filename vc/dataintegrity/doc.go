// Package dataintegrity creates and verifies Ed25519 Linked Data proofs on JSON-LD documents:
// W3C Data Integrity proofs with the eddsa-rdfc-2022 cryptosuite (what Communs issues), and,
// for credentials in the wild, the legacy Ed25519Signature2020 and Ed25519Signature2018
// suites.
//
// All three hash the same way: SHA-256 of the canonical (RDFC-1.0) proof configuration,
// followed by SHA-256 of the canonical document, signed with Ed25519. They differ in how the
// signature is written: proofValue as base58btc multibase ("z…") for eddsa-rdfc-2022 and
// Ed25519Signature2020, a detached JWS (b64: false) in jws for Ed25519Signature2018.
//
// The package checks proofs cryptographically. Resolving the key of a verification method,
// and checking that it belongs to the issuer and is authorized for the proof purpose, is the
// caller's job.
package dataintegrity
