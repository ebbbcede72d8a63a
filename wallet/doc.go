// Package wallet is a learner's local wallet: a holder did:key whose private key is encrypted at
// rest with a passphrase, and the badges the learner keeps, each stored with the report of its
// last verification.
//
// Badges come in by Import (a JSON or JWT credential, or a baked PNG/SVG image), ImportURL, or
// Receive (the OpenID4VCI 1.0 pre-authorized code flow against a credential issuer). Every badge
// is verified with vc.Verify before it is stored; an invalid one is refused with the reasons
// unless the caller chooses to keep it marked invalid. A badge is stored in one synced write
// with its indexes, so nothing is ever half-stored. Present signs a Verifiable Presentation with
// the holder key; Export writes badges as JSON, baked images or a ZIP archive.
//
// The wallet stores its data through internal/store (keys "w/…" of internal/store/keys.go) and
// fetches remote documents only through the HTTP client it is given (the guarded client).
package wallet
