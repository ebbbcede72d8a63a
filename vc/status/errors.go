package status

import "errors"

// Sentinel errors, matched with errors.Is. Every error this package returns wraps one of them
// and says in words what is wrong.
var (
	// ErrMalformedList: an encoded list or a fetched list document cannot be read
	// (not multibase base64url, not GZIP, not JSON, a required member missing).
	ErrMalformedList = errors.New("malformed status list")
	// ErrListTooLarge: a decompressed list is above MaxListBytes, or a list to create is.
	ErrListTooLarge = errors.New("status list too large")
	// ErrListTooShort: a list has fewer entries than required.
	ErrListTooShort = errors.New("status list too short")
	// ErrIndexOutOfRange: an index (times the status size) falls outside the list.
	ErrIndexOutOfRange = errors.New("status list index out of range")
	// ErrInvalidStatusSize: a status size is not an integer from 1 to MaxStatusSize, or a value
	// does not fit in it.
	ErrInvalidStatusSize = errors.New("invalid status size")
	// ErrMalformedEntry: a credentialStatus entry breaks its specification.
	ErrMalformedEntry = errors.New("malformed credential status entry")
	// ErrUnsupportedType: a credentialStatus entry has a type this package does not check.
	ErrUnsupportedType = errors.New("unsupported credential status type")
	// ErrListUnavailable: the Fetcher could not retrieve a status list.
	ErrListUnavailable = errors.New("status list unavailable")
	// ErrListNotVerified: the ListVerifier rejected a status list credential.
	ErrListNotVerified = errors.New("status list credential not verified")
	// ErrIssuerMismatch: the status list was not issued by the credential's issuer.
	ErrIssuerMismatch = errors.New("status list issuer does not match the credential issuer")
	// ErrTypeMismatch: the fetched document is not the kind of list the entry points to.
	ErrTypeMismatch = errors.New("status list type does not match the entry")
	// ErrPurposeMismatch: the list does not serve the entry's status purpose.
	ErrPurposeMismatch = errors.New("status list purpose does not match the entry")
	// ErrListNotYetValid: the list credential's validFrom (or issuanceDate) is in the future.
	ErrListNotYetValid = errors.New("status list credential not yet valid")
	// ErrListExpired: the list credential's validUntil (or expirationDate) has passed.
	ErrListExpired = errors.New("status list credential expired")
	// ErrMissingDependency: Check was called without a Fetcher or a ListVerifier.
	ErrMissingDependency = errors.New("missing status check dependency")
)
