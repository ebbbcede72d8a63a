package store

import (
	"encoding/base64"
	"fmt"
	"time"
)

// The key schema of the node store: every key of the database is built here, and
// docs/storage.md describes the same layout. Keys are '/'-separated ASCII; the variable parts
// (slugs, ids, CIDs, hashes) never contain '/'. Values are JSON objects with a "v" version
// member, except evidence blobs, stored as raw bytes.

// KeySchema holds the schema version record.
func KeySchema() []byte { return []byte("meta/schema") }

// PrefixIssuers is the prefix of every issuer record.
func PrefixIssuers() []byte { return []byte("issuer/") }

// KeyIssuer holds the issuer (tenant) slug: its profile, key ids and settings.
func KeyIssuer(slug string) []byte { return []byte("issuer/" + slug) }

// KeyIssuerKey holds one encrypted signing key of an issuer (fragment is the DID URL fragment).
func KeyIssuerKey(slug, fragment string) []byte { return []byte("key/" + slug + "/" + fragment) }

// PrefixIssuerKeys is the prefix of an issuer's keys.
func PrefixIssuerKeys(slug string) []byte { return []byte("key/" + slug + "/") }

// KeyAchievement holds an achievement of an issuer.
func KeyAchievement(slug, id string) []byte { return []byte("ach/" + slug + "/" + id) }

// PrefixAchievements is the prefix of an issuer's achievements.
func PrefixAchievements(slug string) []byte { return []byte("ach/" + slug + "/") }

// KeyAchievementImage holds an achievement's image (media type and bytes).
func KeyAchievementImage(slug, id string) []byte { return []byte("achimg/" + slug + "/" + id) }

// KeyCredential holds an award: the signed credential and what the node knows about it.
func KeyCredential(id string) []byte { return []byte("cred/" + id) }

// KeyIssuerCredential indexes an issuer's awards (value: empty JSON record).
func KeyIssuerCredential(slug, id string) []byte { return []byte("credby/" + slug + "/" + id) }

// PrefixIssuerCredentials is the prefix of an issuer's award index.
func PrefixIssuerCredentials(slug string) []byte { return []byte("credby/" + slug + "/") }

// KeyRowKey maps an idempotency key of an award request to the credential id.
func KeyRowKey(slug, achievementID, rowKeyHash string) []byte {
	return []byte("rowkey/" + slug + "/" + achievementID + "/" + rowKeyHash)
}

// KeyClaim maps the SHA-256 (hex) of a claim token to the credential id.
func KeyClaim(tokenHash string) []byte { return []byte("claim/" + tokenHash) }

// KeyStatusList holds a status list's record (size, allocated count, revoked bits).
func KeyStatusList(slug, list string) []byte { return []byte("slist/" + slug + "/" + list) }

// PrefixStatusLists is the prefix of an issuer's status lists.
func PrefixStatusLists(slug string) []byte { return []byte("slist/" + slug + "/") }

// KeyStatusAlloc marks index of a list as allocated, forever (value: the credential id).
func KeyStatusAlloc(slug, list string, index int) []byte {
	return fmt.Appendf(nil, "salloc/%s/%s/%08d", slug, list, index)
}

// PrefixStatusAllocs is the prefix of a list's allocations.
func PrefixStatusAllocs(slug, list string) []byte { return []byte("salloc/" + slug + "/" + list + "/") }

// KeyRevocation holds the revocation of a credential of an issuer (1EdTech list entries).
func KeyRevocation(slug, credID string) []byte { return []byte("revoked/" + slug + "/" + credID) }

// PrefixRevocations is the prefix of an issuer's revocations.
func PrefixRevocations(slug string) []byte { return []byte("revoked/" + slug + "/") }

// KeyEvidenceMeta holds an evidence file's media type, size and first storage time.
func KeyEvidenceMeta(cid string) []byte { return []byte("evmeta/" + cid) }

// KeyEvidenceBlob holds an evidence file's bytes (raw, not JSON).
func KeyEvidenceBlob(cid string) []byte { return []byte("evblob/" + cid) }

// KeyToken holds an API token record under the SHA-256 (hex) of the token.
func KeyToken(hash string) []byte { return []byte("token/" + hash) }

// KeyTokenID maps a token's public id to its hash (for deletion).
func KeyTokenID(id string) []byte { return []byte("tokenid/" + id) }

// KeyAudit holds one audit record; keys sort by time.
func KeyAudit(at time.Time, id string) []byte {
	return fmt.Appendf(nil, "audit/%020d/%s", at.UnixNano(), id)
}

// PrefixAudit is the prefix of every audit record.
func PrefixAudit() []byte { return []byte("audit/") }

// KeyBulkJob holds a bulk award job's progress.
func KeyBulkJob(id string) []byte { return []byte("bulk/" + id) }

// ---------------------------------------------------------------------------------------------
// Wallet key spaces (package wallet). A learner's local wallet is a separate pebble database
// whose keys all start with "w/". A node's hosted backpack keeps each account's wallet in the
// node's database under "hw/{account}/", next to the account records under "acct/…", so that
// deleting an account is deleting its prefixes. The keys of one wallet are built by a
// WalletSpace, the same way for both.

// WalletSpace builds the keys of one wallet.
type WalletSpace struct{ prefix string }

// LocalWallet is the key space of a local wallet database.
func LocalWallet() WalletSpace { return WalletSpace{prefix: "w/"} }

// HostedWallet is the key space of a hosted account's wallet (account is the account id).
func HostedWallet(account string) WalletSpace { return WalletSpace{prefix: "hw/" + account + "/"} }

// Prefix is the prefix of every key of the wallet.
func (s WalletSpace) Prefix() []byte { return []byte(s.prefix) }

// Holder holds the wallet's holder key: did:key, key id, the encrypted Ed25519 seed and how
// its encryption key is derived.
func (s WalletSpace) Holder() []byte { return []byte(s.prefix + "holder") }

// Badge holds one stored badge (credential, verification report, import details) under its
// wallet id.
func (s WalletSpace) Badge(id string) []byte { return []byte(s.prefix + "badge/" + id) }

// Badges is the prefix of every stored badge.
func (s WalletSpace) Badges() []byte { return []byte(s.prefix + "badge/") }

// Image holds the baked image a badge was imported from (media type and bytes).
func (s WalletSpace) Image(id string) []byte { return []byte(s.prefix + "image/" + id) }

// CredentialID maps the SHA-256 (hex) of a credential's id to the wallet id.
func (s WalletSpace) CredentialID(idHash string) []byte {
	return []byte(s.prefix + "credid/" + idHash)
}

// Content maps the SHA-256 (hex) of a credential's content to the wallet id.
func (s WalletSpace) Content(contentHash string) []byte {
	return []byte(s.prefix + "content/" + contentHash)
}

// Picture holds a copy of a badge's image (media type and bytes) fetched from its URL or decoded
// from its data: URL, so that pages show it without asking the issuer's server.
func (s WalletSpace) Picture(id string) []byte { return []byte(s.prefix + "picture/" + id) }

// Evidence holds an evidence file of a badge kept by the wallet (media type, name and bytes);
// n is the evidence's position in the credential.
func (s WalletSpace) Evidence(id string, n int) []byte {
	return []byte(fmt.Sprintf("%sevidence/%s/%03d", s.prefix, id, n))
}

// EvidenceOf is the prefix of a badge's evidence files.
func (s WalletSpace) EvidenceOf(id string) []byte { return []byte(s.prefix + "evidence/" + id + "/") }

// Hosted backpack accounts (package wallet). {account} is a random id (lowercase base32);
// e-mail addresses appear in keys only as a keyed hash.

// KeyAccount holds an account: e-mail, argon2id password hash, holder DID, portfolio settings.
func KeyAccount(account string) []byte { return []byte("acct/" + account + "/profile") }

// PrefixAccount is the prefix of every record of an account (profile, sessions' index,
// collections, shares); its wallet is under HostedWallet(account).Prefix().
func PrefixAccount(account string) []byte { return []byte("acct/" + account + "/") }

// KeyAccountCollection holds a collection of an account's badges.
func KeyAccountCollection(account, id string) []byte {
	return []byte("acct/" + account + "/coll/" + id)
}

// PrefixAccountCollections is the prefix of an account's collections.
func PrefixAccountCollections(account string) []byte { return []byte("acct/" + account + "/coll/") }

// KeyAccountShare records a share link an account made (so that deleting the account deletes
// the link); the value names what is shared.
func KeyAccountShare(account, token string) []byte {
	return []byte("acct/" + account + "/share/" + token)
}

// PrefixAccountShares is the prefix of an account's share links.
func PrefixAccountShares(account string) []byte { return []byte("acct/" + account + "/share/") }

// KeyAccountSession records a session of an account (so that deleting the account ends them).
func KeyAccountSession(account, sessionHash string) []byte {
	return []byte("acct/" + account + "/sess/" + sessionHash)
}

// PrefixAccountSessions is the prefix of an account's sessions.
func PrefixAccountSessions(account string) []byte { return []byte("acct/" + account + "/sess/") }

// KeyAccountReset records a pending password reset of an account (so that deleting the
// account deletes it).
func KeyAccountReset(account, resetHash string) []byte {
	return []byte("acct/" + account + "/pwreset/" + resetHash)
}

// PrefixAccountResets is the prefix of an account's pending password resets.
func PrefixAccountResets(account string) []byte { return []byte("acct/" + account + "/pwreset/") }

// KeyPasswordReset maps the SHA-256 (hex) of a password-reset token to the reset (account,
// expiry); the token itself is only in the e-mail.
func KeyPasswordReset(resetHash string) []byte { return []byte("pwreset/" + resetHash) }

// KeyEmail maps the keyed hash of an e-mail address to its account id.
func KeyEmail(emailHash string) []byte { return []byte("email/" + emailHash) }

// KeySession maps the SHA-256 (hex) of a session token to the session (account, expiry, CSRF).
func KeySession(sessionHash string) []byte { return []byte("sess/" + sessionHash) }

// KeyShare maps a public share token to what it shows (account and badge, collection,
// portfolio or presentation).
func KeyShare(token string) []byte { return []byte("share/" + token) }

// KeyPortfolio maps a public portfolio name to its account.
func KeyPortfolio(handle string) []byte { return []byte("portfolio/" + handle) }

// ---------------------------------------------------------------------------------------------
// Federation key space (package federation): verified replicas of origins' registry logs. The
// origin is written as base64url (no padding) of its entity id, since entity ids contain '/'.
// Entry and head values are the raw JWS bytes (not JSON), as verified; docs/federation.md.

// KeyFedEntry holds entry seq of an origin's log (raw JWS); keys sort by seq.
func KeyFedEntry(origin string, seq uint64) []byte {
	return fmt.Appendf(nil, "fed/entry/%s/%020d", fedOrigin(origin), seq)
}

// PrefixFedEntries is the prefix of an origin's log entries.
func PrefixFedEntries(origin string) []byte { return []byte("fed/entry/" + fedOrigin(origin) + "/") }

// KeyFedHead holds the best verified head of an origin (raw JWS).
func KeyFedHead(origin string) []byte { return []byte("fed/head/" + fedOrigin(origin)) }

// KeyFedEquivocation holds the proof that an origin equivocated: {v, seq, held, conflicting}.
func KeyFedEquivocation(origin string) []byte { return []byte("fed/equiv/" + fedOrigin(origin)) }

// KeyFedPartner holds, on a trust anchor, one partner record (JSON: {v, entity_id, jwks, scope,
// organization_name, added_at, expelled_at}); expelled partners are kept as history.
func KeyFedPartner(entityID string) []byte { return []byte("fed/partner/" + fedOrigin(entityID)) }

// PrefixFedPartners is the prefix of every partner record.
func PrefixFedPartners() []byte { return []byte("fed/partner/") }

// KeyFedStatement holds, on a partner, the last verified anchor statement about an origin (raw
// JWS, not JSON).
func KeyFedStatement(entityID string) []byte { return []byte("fed/stmt/" + fedOrigin(entityID)) }

// PrefixFedStatements is the prefix of every held anchor statement.
func PrefixFedStatements() []byte { return []byte("fed/stmt/") }

func fedOrigin(origin string) string { return base64.RawURLEncoding.EncodeToString([]byte(origin)) }
