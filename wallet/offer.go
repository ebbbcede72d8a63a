package wallet

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
)

// GrantPreAuthorizedCode is the OAuth grant type of the OpenID4VCI pre-authorized code flow.
const GrantPreAuthorizedCode = "urn:ietf:params:oauth:grant-type:pre-authorized_code"

// Limits on offers, which come from strangers (a QR code, a link).
const (
	maxOfferURI  = 16 << 10
	maxOfferJSON = 64 << 10
)

// Offer is an OpenID4VCI 1.0 Credential Offer (§4.1.1), restricted to what a pre-authorized
// code flow needs.
type Offer struct {
	CredentialIssuer           string   `json:"credential_issuer"`
	CredentialConfigurationIDs []string `json:"credential_configuration_ids"`
	Grants                     struct {
		PreAuthorizedCode *PreAuthorizedGrant `json:"urn:ietf:params:oauth:grant-type:pre-authorized_code,omitempty"`
	} `json:"grants"`
}

// PreAuthorizedGrant is the pre-authorized code grant of an offer.
type PreAuthorizedGrant struct {
	Code                string  `json:"pre-authorized_code"`
	TxCode              *TxCode `json:"tx_code,omitempty"`
	AuthorizationServer string  `json:"authorization_server,omitempty"`
}

// TxCode says that the issuer will ask for a transaction code sent to the learner separately.
type TxCode struct {
	InputMode   string `json:"input_mode,omitempty"`
	Length      int    `json:"length,omitempty"`
	Description string `json:"description,omitempty"`
}

// OfferRef is a parsed offer link: the offer itself (credential_offer) or the URL to fetch it
// from (credential_offer_uri).
type OfferRef struct {
	Offer *Offer
	URI   string
}

// ParseOfferURI reads an offer link: openid-credential-offer://?credential_offer=… (URL-encoded
// JSON) or …?credential_offer_uri=https://… (any scheme is accepted, since issuers also publish
// https links with the same query). It returns ErrOffer with the reason.
func ParseOfferURI(s string) (*OfferRef, error) {
	s = strings.TrimSpace(s)
	if len(s) > maxOfferURI {
		return nil, fmt.Errorf("%w: the offer link is longer than %d bytes", ErrOffer, maxOfferURI)
	}
	u, err := url.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("%w: the offer link cannot be read: %v", ErrOffer, err)
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return nil, fmt.Errorf("%w: the offer link's query cannot be read: %v", ErrOffer, err)
	}
	byValue, byRef := q["credential_offer"], q["credential_offer_uri"]
	switch {
	case len(byValue)+len(byRef) == 0:
		return nil, fmt.Errorf("%w: the link has neither credential_offer nor credential_offer_uri", ErrOffer)
	case len(byValue)+len(byRef) > 1:
		return nil, fmt.Errorf("%w: the link must have exactly one credential_offer or credential_offer_uri", ErrOffer)
	case len(byValue) == 1:
		o, err := ParseOffer([]byte(byValue[0]))
		if err != nil {
			return nil, err
		}
		return &OfferRef{Offer: o}, nil
	}
	ref, err := url.Parse(byRef[0])
	if err != nil || (ref.Scheme != "https" && ref.Scheme != "http") || ref.Host == "" {
		return nil, fmt.Errorf("%w: credential_offer_uri %q is not an http(s) URL", ErrOffer, byRef[0])
	}
	return &OfferRef{URI: ref.String()}, nil
}

// ParseOffer reads a Credential Offer (JSON) and checks that it can be used: an http(s)
// credential issuer without query or fragment, at least one configuration id, and a
// pre-authorized code.
func ParseOffer(data []byte) (*Offer, error) {
	if len(data) > maxOfferJSON {
		return nil, fmt.Errorf("%w: the offer is larger than %d bytes", ErrOffer, maxOfferJSON)
	}
	var o Offer
	if err := json.Unmarshal(data, &o); err != nil {
		return nil, fmt.Errorf("%w: the offer is not the expected JSON object: %v", ErrOffer, err)
	}
	if err := checkIssuerURL(o.CredentialIssuer); err != nil {
		return nil, err
	}
	if len(o.CredentialConfigurationIDs) == 0 || o.CredentialConfigurationIDs[0] == "" {
		return nil, fmt.Errorf("%w: the offer names no credential_configuration_ids", ErrOffer)
	}
	g := o.Grants.PreAuthorizedCode
	if g == nil || g.Code == "" {
		return nil, fmt.Errorf("%w: the offer has no pre-authorized code (only the pre-authorized code flow is supported)", ErrOffer)
	}
	if g.AuthorizationServer != "" {
		if err := checkIssuerURL(g.AuthorizationServer); err != nil {
			return nil, err
		}
	}
	return &o, nil
}

func checkIssuerURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("%w: issuer %q is not an http(s) URL without query or fragment", ErrOffer, s)
	}
	return nil
}
