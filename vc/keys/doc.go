// Package keys holds the key types of Communs and their encodings: Multikey
// (multibase + multicodec, as used by did:key and Data Integrity proofs), JSON
// Web Keys with RFC 7638 thumbprints, base58 Ed25519VerificationKey2018 values,
// key files, and the KeyStore interface through which private keys are used by
// key ID and never handed out.
//
// Supported public keys: Ed25519 (ed25519.PublicKey), ECDSA P-256 and P-384
// (*ecdsa.PublicKey) and, for JWK only, RSA of at least 2048 bits
// (*rsa.PublicKey).
package keys
