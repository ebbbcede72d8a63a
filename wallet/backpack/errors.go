package backpack

import "errors"

// Errors of the backpack, for matching with errors.Is. Their messages are for people.
var (
	// ErrEmailTaken: an account already uses that e-mail address.
	ErrEmailTaken = errors.New("an account already uses this e-mail address")
	// ErrBadEmail: the e-mail address is not one.
	ErrBadEmail = errors.New("this is not an e-mail address")
	// ErrWeakPassword: the password is too short or too long.
	ErrWeakPassword = errors.New("the password must have at least 10 characters (and at most 256)")
	// ErrBadCredentials: wrong e-mail or password (deliberately not saying which).
	ErrBadCredentials = errors.New("wrong e-mail address or password")
	// ErrTooMany: too many attempts; try again later.
	ErrTooMany = errors.New("too many attempts; try again later")
	// ErrNoAccount: the account does not exist (deleted, or never did).
	ErrNoAccount = errors.New("no such account")
	// ErrNoSession: not signed in, or the session ended.
	ErrNoSession = errors.New("you are not signed in, or your session has ended")
	// ErrNotFound: no such collection, share link or portfolio.
	ErrNotFound = errors.New("not found")
	// ErrBadHandle: a portfolio name is not usable.
	ErrBadHandle = errors.New("a portfolio name has 3 to 40 characters: lowercase letters, digits and hyphens")
	// ErrHandleTaken: another learner uses that portfolio name.
	ErrHandleTaken = errors.New("another learner already uses this portfolio name")
	// ErrBadInput: a form value is missing or malformed.
	ErrBadInput = errors.New("a value of the form is missing or malformed")
)
