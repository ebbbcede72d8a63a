package federation

import (
	"errors"
	"fmt"
)

// Sentinel errors. Match them with errors.Is; messages carry the details.
var (
	// ErrMalformed: the bytes are not a well-formed entry or head.
	ErrMalformed = errors.New("registry object is malformed")
	// ErrTooLarge: the entry or head is over the size limit.
	ErrTooLarge = errors.New("registry object is too large")
	// ErrBadSignature: the kid names no key attested for the origin, or the
	// signature does not verify with it (a forged entry or head).
	ErrBadSignature = errors.New("registry object is not signed by a key attested for its origin")
	// ErrUnknownOrigin: iss names an origin the registry was not configured with.
	ErrUnknownOrigin = errors.New("registry object comes from an unknown origin")
	// ErrOutOfScope: the entry is about a DID outside the origin's scope.
	ErrOutOfScope = errors.New("issuer DID is outside the origin's scope")
	// ErrGap: the entry's seq is past the next expected one.
	ErrGap = errors.New("entry seq leaves a gap in the log")
	// ErrReplay: the entry is the last entry already applied; nothing changed.
	ErrReplay = errors.New("entry is already applied")
	// ErrRollback: the entry is an older entry already applied; nothing changed.
	ErrRollback = errors.New("entry is older than the last applied entry")
	// ErrBrokenChain: prev is not the CID of the last applied entry.
	ErrBrokenChain = errors.New("entry prev does not name the last entry")
	// ErrEquivocation: the origin signed two different entries for one seq.
	// The error is an [*EquivocationError] carrying both as evidence.
	ErrEquivocation = errors.New("origin equivocated")
	// ErrFrozen: the origin is frozen after an equivocation; nothing from it
	// is applied any more.
	ErrFrozen = errors.New("origin is frozen after an equivocation")
	// ErrHeadExpired: the head is past its exp; the origin is stale.
	ErrHeadExpired = errors.New("head is expired")
	// ErrInvalidConfig: an origin, log or registry configuration is unusable.
	ErrInvalidConfig = errors.New("invalid federation configuration")
)

// EquivocationError is the proof that an origin signed two different
// objects for one seq: Held is what the replica held (an entry), Conflicting
// the validly signed entry or head that contradicts it. It matches
// [ErrEquivocation].
type EquivocationError struct {
	Origin      string
	Seq         uint64
	Held        []byte
	Conflicting []byte
}

// Error implements error.
func (e *EquivocationError) Error() string {
	return fmt.Sprintf("%s: %s signed two different objects for seq %d; the origin is frozen", ErrEquivocation, e.Origin, e.Seq)
}

// Unwrap makes errors.Is(err, ErrEquivocation) true.
func (e *EquivocationError) Unwrap() error { return ErrEquivocation }
