package status

import (
	"context"
	"fmt"
	"time"
)

// listKind returns the credential and subject types the list of an entry type must have.
func listKind(entryType string) (credential, subject string) {
	if entryType == TypeStatusList2021Entry {
		return TypeStatusList2021Credential, TypeStatusList2021
	}
	return TypeBitstringStatusListCredential, TypeBitstringStatusList
}

// checkBitstring checks a BitstringStatusListEntry or StatusList2021Entry against its list.
func (c *checker) checkBitstring(ctx context.Context, e Entry) Result {
	r := Result{Entry: e}
	url := e.StatusListCredential
	l := c.document(ctx, url)
	if l.err != nil {
		return unknown(r, l.err)
	}
	credentialType, subjectType := listKind(e.Type)
	if types := stringsOf(l.doc["type"]); !contains(types, credentialType) {
		return unknown(r, fmt.Errorf("%w: %s is not a %s (its type is %q)", ErrTypeMismatch, url, credentialType, types))
	}
	if !l.verified {
		l.verified = true
		l.signer, l.vErr = c.verify(ctx, l.doc)
		if l.vErr == nil && l.signer == "" {
			l.vErr = fmt.Errorf("the list verifier returned no issuer")
		}
	}
	if l.vErr != nil {
		return unknown(r, fmt.Errorf("%w: %s: %v", ErrListNotVerified, url, l.vErr))
	}
	if c.issuer == "" {
		return unknown(r, fmt.Errorf("%w: the credential names no issuer to compare with the list's issuer %s", ErrIssuerMismatch, l.signer))
	}
	if l.signer != c.issuer {
		return unknown(r, fmt.Errorf("%w: %s was issued by %s, not by the credential's issuer %s", ErrIssuerMismatch, url, l.signer, c.issuer))
	}
	if err := c.checkDates(l.doc, url); err != nil {
		return unknown(r, err)
	}
	subject, ok := objectOf(l.doc["credentialSubject"])
	if !ok {
		return unknown(r, fmt.Errorf("%w: %s has no credentialSubject object holding the list", ErrMalformedList, url))
	}
	if types := stringsOf(subject["type"]); !contains(types, subjectType) {
		return unknown(r, fmt.Errorf("%w: the credentialSubject of %s is not a %s (its type is %q)", ErrTypeMismatch, url, subjectType, types))
	}
	if purposes := stringsOf(subject["statusPurpose"]); !contains(purposes, e.StatusPurpose) {
		return unknown(r, fmt.Errorf("%w: the entry's purpose is %q but %s serves %q", ErrPurposeMismatch, e.StatusPurpose, url, purposes))
	}
	if l.bits == nil && l.bitsErr == nil {
		encoded, _ := subject["encodedList"].(string)
		if encoded == "" {
			l.bitsErr = fmt.Errorf("%w: %s has no encodedList string", ErrMalformedList, url)
		} else if l.bits, l.bitsErr = Decode(encoded); l.bitsErr != nil {
			l.bitsErr = fmt.Errorf("%s: %w", url, l.bitsErr)
		}
	}
	if l.bitsErr != nil {
		return unknown(r, l.bitsErr)
	}
	if entries := l.bits.Entries(e.StatusSize); entries < c.minEntries {
		return unknown(r, fmt.Errorf("%w: %s holds %d entries of %d bit(s); at least %d are required for group privacy", ErrListTooShort, url, entries, e.StatusSize, c.minEntries))
	}
	v, err := l.bits.Value(e.StatusListIndex, e.StatusSize)
	if err != nil {
		return unknown(r, fmt.Errorf("status list %s: %w", url, err))
	}
	return decide(r, v)
}

// checkDates honours the list credential's validity period (validFrom/validUntil, or the
// VC 1.1 issuanceDate/expirationDate) at the checker's clock.
func (c *checker) checkDates(doc map[string]any, url string) error {
	now := c.now()
	for _, name := range []string{"validFrom", "issuanceDate"} {
		t, present, err := dateMember(doc, name)
		if err != nil {
			return fmt.Errorf("%w: %s: %s %v", ErrMalformedList, url, name, err)
		}
		if present && now.Before(t) {
			return fmt.Errorf("%w: %s is valid only from %s (%s)", ErrListNotYetValid, url, formatDateTime(t), name)
		}
	}
	for _, name := range []string{"validUntil", "expirationDate"} {
		t, present, err := dateMember(doc, name)
		if err != nil {
			return fmt.Errorf("%w: %s: %s %v", ErrMalformedList, url, name, err)
		}
		if present && now.After(t) {
			return fmt.Errorf("%w: %s was valid only until %s (%s); the issuer must publish a fresh list", ErrListExpired, url, formatDateTime(t), name)
		}
	}
	return nil
}

func dateMember(doc map[string]any, name string) (time.Time, bool, error) {
	v, present := doc[name]
	if !present {
		return time.Time{}, false, nil
	}
	s, ok := v.(string)
	if !ok {
		return time.Time{}, true, fmt.Errorf("is a %s, not a date-time string", jsonKind(v))
	}
	t, err := parseDateTime(s)
	return t, true, err
}

// decide turns the status value read for the entry into a state and a reason.
func decide(r Result, v uint64) Result {
	e := r.Entry
	r.Value = v
	r.Message, _ = e.MessageFor(v)
	where := fmt.Sprintf("status list %s, index %d", e.StatusListCredential, e.StatusListIndex)
	switch {
	case e.StatusPurpose == PurposeMessage:
		r.State = Message
		if r.Message != "" {
			r.Reason = fmt.Sprintf("the issuer's status message for this credential is %q (value %#x; %s)", r.Message, v, where)
		} else {
			r.Reason = fmt.Sprintf("the issuer's status for this credential is %#x, a value its statusMessage does not describe (%s)", v, where)
		}
	case v == 0:
		r.State = Valid
		r.Reason = fmt.Sprintf("the issuer's %s list does not mark this credential (%s)", e.StatusPurpose, where)
	case e.StatusPurpose == PurposeRevocation:
		r.State = Revoked
		r.Reason = fmt.Sprintf("the issuer has revoked this credential (%s)", where)
	case e.StatusPurpose == PurposeSuspension:
		r.State = Suspended
		r.Reason = fmt.Sprintf("the issuer has suspended this credential; it may be reinstated later (%s)", where)
	case e.StatusPurpose == PurposeRefresh:
		r.State = Message
		r.Reason = fmt.Sprintf("the issuer has published an updated version of this credential; fetch it from its refresh service (%s)", where)
	default:
		r.State = Message
		r.Reason = fmt.Sprintf("the issuer's list for purpose %q marks this credential with value %#x (%s)", e.StatusPurpose, v, where)
	}
	if r.Message != "" && r.State != Message {
		r.Reason += fmt.Sprintf("; the issuer's message: %q", r.Message)
	}
	return r
}
