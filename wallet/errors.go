package wallet

import (
	"errors"
	"fmt"
	"strings"

	"github.com/communs/communs/vc"
)

// Errors returned by the wallet, for matching with errors.Is.
var (
	// ErrNotInitialized: the wallet has no holder key yet (run Init).
	ErrNotInitialized = errors.New("the wallet has no holder key yet (run 'communs wallet init')")
	// ErrAlreadyInitialized: Init was called on a wallet that already has a holder key.
	ErrAlreadyInitialized = errors.New("the wallet already has a holder key")
	// ErrWrongPassphrase: the passphrase does not decrypt the holder key.
	ErrWrongPassphrase = errors.New("the passphrase does not unlock this wallet's holder key")
	// ErrNoPassphrase: an empty passphrase was given.
	ErrNoPassphrase = errors.New("a passphrase is required to protect the holder key")
	// ErrNotFound: no badge with that id.
	ErrNotFound = errors.New("no badge with that id in the wallet")
	// ErrInvalid: the credential did not verify (see InvalidError for the report).
	ErrInvalid = errors.New("the credential did not verify")
	// ErrDuplicate: the wallet already holds this credential (see DuplicateError).
	ErrDuplicate = errors.New("the wallet already holds this credential")
	// ErrNotCredential: the input is not a credential (a presentation, or unreadable).
	ErrNotCredential = errors.New("the input is not a verifiable credential")
	// ErrNotBound: a received credential is not issued to this wallet's holder DID.
	ErrNotBound = errors.New("the credential is not issued to this wallet's holder DID")
	// ErrOffer: a credential offer is malformed or unusable.
	ErrOffer = errors.New("the credential offer is not usable")
	// ErrIssuer: the credential issuer answered with an error or something unusable.
	ErrIssuer = errors.New("the credential issuer refused or answered something unusable")
	// ErrNoImage: a badge has no image to bake the credential into.
	ErrNoImage = errors.New("the badge has no PNG or SVG image to bake the credential into")
	// ErrCorrupt: a stored record cannot be read.
	ErrCorrupt = errors.New("a wallet record is corrupt")
)

// InvalidError carries the verification report of a refused credential.
type InvalidError struct {
	Report *vc.Report
}

func (e *InvalidError) Error() string {
	var reasons []string
	for _, c := range e.Report.Failures() {
		reasons = append(reasons, c.Name+": "+c.Detail)
	}
	if len(reasons) == 0 {
		return fmt.Sprintf("%v: %s", ErrInvalid, e.Report.Reason())
	}
	return fmt.Sprintf("%v: %s", ErrInvalid, strings.Join(reasons, "; "))
}

// Unwrap lets errors.Is match ErrInvalid.
func (e *InvalidError) Unwrap() error { return ErrInvalid }

// DuplicateError names the badge already in the wallet.
type DuplicateError struct {
	// ID is the wallet id of the badge already stored.
	ID string
	// By says how the duplicate was found: "credential id" or "content".
	By string
}

func (e *DuplicateError) Error() string {
	return fmt.Sprintf("%v (same %s as badge %s)", ErrDuplicate, e.By, e.ID)
}

// Unwrap lets errors.Is match ErrDuplicate.
func (e *DuplicateError) Unwrap() error { return ErrDuplicate }
