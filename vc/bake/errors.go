package bake

import "errors"

// ErrNotBaked is returned when a well-formed image holds no Open Badges
// credential.
var ErrNotBaked = errors.New("image holds no baked Open Badges credential")

// ErrDuplicate is returned when an image holds more than one credential
// (two openbadgecredential chunks, two <openbadges:credential> elements).
// OB 3.0 forbids it, and picking one would let an image show one badge and
// verify another.
var ErrDuplicate = errors.New("image holds more than one baked credential")

// ErrTooLarge is returned when an image is larger than [MaxImageSize] or a
// credential larger than [MaxCredentialSize].
var ErrTooLarge = errors.New("image or credential is too large")

// ErrMalformed is returned for damaged or unsafe input: a PNG with a bad
// signature, a failed CRC or a truncated chunk; an SVG that is not
// well-formed XML, whose root is not <svg>, or that declares a DTD internal
// subset or entities; a credential chunk or element that breaks the baking
// rules; or, when baking, a credential that is neither JSON nor a compact
// JWS.
var ErrMalformed = errors.New("image is malformed")

// ErrOpenBadges2 is returned when an image holds an Open Badges 2.0
// assertion (PNG keyword "openbadges", SVG <openbadges:assertion>) and no
// OB 3.0 credential. OB 2.0 assertions are not supported.
var ErrOpenBadges2 = errors.New("image holds an Open Badges 2.0 assertion, which is not supported (only Open Badges 3.0 credentials are)")

// ErrNotImage is returned by [Unbake] when the data is neither a PNG nor an
// SVG image.
var ErrNotImage = errors.New("data is neither a PNG nor an SVG image")
