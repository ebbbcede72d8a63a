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
// Wallet key space: a learner's local wallet (package wallet) is a separate pebble database; its
// keys all start with "w/" so that they can never be mistaken for node keys.

// KeyWalletHolder holds the wallet's holder key: did:key, key id, the encrypted Ed25519 seed and
// the passphrase key-derivation parameters.
func KeyWalletHolder() []byte { return []byte("w/holder") }

// KeyWalletBadge holds one stored badge (credential, verification report, import details) under
// its wallet id.
func KeyWalletBadge(id string) []byte { return []byte("w/badge/" + id) }

// PrefixWalletBadges is the prefix of every stored badge.
func PrefixWalletBadges() []byte { return []byte("w/badge/") }

// KeyWalletImage holds the baked image a badge was imported from (media type and bytes).
func KeyWalletImage(id string) []byte { return []byte("w/image/" + id) }

// KeyWalletCredentialID maps the SHA-256 (hex) of a credential's id to the wallet id.
func KeyWalletCredentialID(idHash string) []byte { return []byte("w/credid/" + idHash) }

// KeyWalletContent maps the SHA-256 (hex) of a credential's content to the wallet id.
func KeyWalletContent(contentHash string) []byte { return []byte("w/content/" + contentHash) }

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

func fedOrigin(origin string) string { return base64.RawURLEncoding.EncodeToString([]byte(origin)) }
