package status

import (
	"strconv"
	"time"
)

// ContextV2 is the VC Data Model 2.0 context, which defines the Bitstring Status List terms.
const ContextV2 = "https://www.w3.org/ns/credentials/v2"

// ListOption adds an optional member to a list credential built by NewListCredential.
type ListOption func(credential, subject map[string]any)

// WithValidUntil sets the list credential's validUntil, after which verifiers must fetch a
// fresh list.
func WithValidUntil(t time.Time) ListOption {
	return func(credential, _ map[string]any) { credential["validUntil"] = formatDateTime(t) }
}

// WithTTL sets credentialSubject.ttl, the time in milliseconds verifiers may cache the list.
func WithTTL(d time.Duration) ListOption {
	return func(_, subject map[string]any) { subject["ttl"] = d.Milliseconds() }
}

// NewListCredential builds an UNSIGNED BitstringStatusListCredential publishing bits for the
// given purpose: context VC 2.0, type [VerifiableCredential, BitstringStatusListCredential],
// credentialSubject {id: id+"#list", type: BitstringStatusList, statusPurpose, encodedList}.
// validFrom is written when not zero. A nil bits publishes an all-clear list of MinEntries bits.
// The caller signs the result.
func NewListCredential(id, issuer string, purpose string, bits *Bitstring, validFrom time.Time, opts ...ListOption) map[string]any {
	if bits == nil {
		bits = &Bitstring{bits: make([]byte, MinEntries/8)}
	}
	subject := map[string]any{
		"id":            id + "#list",
		"type":          TypeBitstringStatusList,
		"statusPurpose": purpose,
		"encodedList":   bits.Encode(),
	}
	credential := map[string]any{
		"@context":          []any{ContextV2},
		"id":                id,
		"type":              []any{"VerifiableCredential", TypeBitstringStatusListCredential},
		"issuer":            issuer,
		"credentialSubject": subject,
	}
	if !validFrom.IsZero() {
		credential["validFrom"] = formatDateTime(validFrom)
	}
	for _, o := range opts {
		o(credential, subject)
	}
	return credential
}

// NewEntry builds the BitstringStatusListEntry an issuer puts in a credential's credentialStatus
// for a one-bit status at index of the list credential at listURL. Its id is listURL#index.
func NewEntry(listURL, purpose string, index int) map[string]any {
	i := strconv.Itoa(index)
	return map[string]any{
		"id":                   listURL + "#" + i,
		"type":                 TypeBitstringStatusListEntry,
		"statusPurpose":        purpose,
		"statusListIndex":      i,
		"statusListCredential": listURL,
	}
}
