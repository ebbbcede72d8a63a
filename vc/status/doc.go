// Package status reads and writes credential status: W3C Bitstring Status List v1.0
// (BitstringStatusListEntry / BitstringStatusListCredential), its predecessor StatusList2021,
// and the 1EdTech Revocation List Status Method used by Open Badges 3.0 (1EdTechRevocationList).
//
// The package does no I/O of its own. Check fetches status lists through an injected Fetcher
// and has each fetched list credential verified (proof, key binding) by an injected
// ListVerifier, so that the verification pipeline decides how documents are retrieved and how
// proofs are checked.
//
// Bit order follows the W3C Recommendation: index 0 is the most significant (left-most) bit
// of the first byte of the uncompressed bitstring.
package status
