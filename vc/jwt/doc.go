// Package jwt reads, verifies and signs credentials secured as compact JWS
// (VC-JWT).
//
// Two payload shapes are understood:
//
//   - the VC Data Model 2.0 shape of "Securing Verifiable Credentials using
//     JOSE and COSE" (VC-JOSE-COSE): the JWT payload is the credential or the
//     presentation itself, usually with typ "vc+jwt" or "vp+jwt";
//   - the VC Data Model 1.1 shape used by Open Badges 3.0 (§8.2 "JSON Web
//     Token Proof Format"): the credential sits in the "vc" claim (a
//     presentation in the "vp" claim) and the registered claims iss, sub, jti,
//     nbf and exp stand for issuer, credentialSubject.id, id, issuanceDate or
//     validFrom, and expirationDate or validUntil.
//
// [Parse] only decodes: it checks the compact serialization, the JOSE header
// and the JSON of the payload, and works out the shape. [Token.Verify] checks
// the signature with a public key the caller has resolved, typically from
// [Token.VerificationMethod]. Dates (exp, nbf) are exposed, never judged:
// the verification pipeline compares them with its own clock.
//
// Supported algorithms are EdDSA (Ed25519), ES256 (ECDSA P-256, signature
// as r||s) and RS256 (RSA of at least 2048 bits). The algorithm in the header
// must be the one the key type calls for; "none" and HMAC algorithms are
// always refused.
package jwt
