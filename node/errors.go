package node

import "errors"

// Errors returned by the node; the HTTP layer maps them to statuses in statusFor.
var (
	ErrNotFound       = errors.New("not found")
	ErrInvalid        = errors.New("invalid request")
	ErrExists         = errors.New("already exists")
	ErrUnauthorized   = errors.New("missing or unknown token")
	ErrForbidden      = errors.New("token does not allow this")
	ErrTooLarge       = errors.New("too large")
	ErrUnsupported    = errors.New("unsupported media type")
	ErrArchived       = errors.New("achievement is archived")
	ErrAlreadyRevoked = errors.New("credential is already revoked")
)
