package federation

// Limits bound what a replica accepts from an origin.
type Limits struct {
	// MaxEntryBytes is the largest entry JWS accepted.
	MaxEntryBytes int
	// MaxHeadBytes is the largest head JWS accepted.
	MaxHeadBytes int
	// MaxIssuerKeys is the most issuer_keys an entry may list.
	MaxIssuerKeys int
	// MaxStringBytes bounds sub, status_reason and each metadata string.
	MaxStringBytes int
}

// DefaultLimits returns the limits of docs/federation.md.
func DefaultLimits() Limits {
	return Limits{MaxEntryBytes: 16 << 10, MaxHeadBytes: 4 << 10, MaxIssuerKeys: 16, MaxStringBytes: 1024}
}
