package vc

import (
	"context"
	"time"
)

// IssuerTrust answers whether an issuer is a recognised member of the federation. The federation
// implements it; cmd/communs wires it into Options.
type IssuerTrust interface {
	// Recognize looks up issuerID (a DID) and, when keyID is not empty, whether that verification
	// method's key is among the keys the registry lists for the issuer.
	Recognize(ctx context.Context, issuerID, keyID string) (Recognition, error)
}

// Recognition is the federation's answer about one issuer.
type Recognition struct {
	Recognized bool      `json:"recognized"`
	Status     string    `json:"status,omitempty"` // active, suspended, revoked, unknown
	VouchedBy  []Voucher `json:"vouchedBy,omitempty"`
	// KeyListed is false when the signing key is not among the registry's keys for the issuer,
	// nil when the registry lists no keys.
	KeyListed *bool `json:"keyListed,omitempty"`
}

// Voucher is a federation member that vouches for an issuer.
type Voucher struct {
	EntityID string    `json:"entityId"`
	Name     string    `json:"name,omitempty"`
	Since    time.Time `json:"since"`
}
