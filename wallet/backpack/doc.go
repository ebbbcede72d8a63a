// Package backpack is the hosted backpack a node offers learners: accounts (e-mail and an
// argon2id password hash), sessions in secure cookies with CSRF protection and rate-limited
// sign-in, one hosted wallet per account (package wallet, in the node's database under the
// account's own key space, its holder key encrypted with a key derived from the node's master
// key), the backpack pages (French and English), collections, share links, the opt-in public
// portfolio, presentations, exports, and account deletion that deletes every record of the
// account (Québec's Law 25, GDPR).
//
// It imports wallet, vc and internal packages only; cmd/communs mounts Handler next to the
// node's. docs/backpack.md describes its pages, records and security choices.
package backpack
