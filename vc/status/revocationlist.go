package status

import (
	"context"
	"fmt"
	"strings"
)

// RevocationList is a 1EdTech Revocation List Status Method document: the list an OB 3.0
// credential's 1EdTechRevocationList entry points to.
type RevocationList struct {
	ID      string
	Issuer  string
	Revoked []RevokedCredential
}

// RevokedCredential is one element of revokedCredentials: a credential id and, optionally, why
// the issuer revoked it.
type RevokedCredential struct {
	ID     string
	Reason string
}

// NewRevocationList builds the JSON document an issuer publishes at a 1EdTechRevocationList URL:
// {id, issuer, revokedCredentials: [{id, revoked: true, revocationReason?}]}. Entries without an
// id are left out.
func NewRevocationList(id, issuer string, revoked []RevokedCredential) map[string]any {
	items := make([]any, 0, len(revoked))
	for _, r := range revoked {
		if r.ID == "" {
			continue
		}
		item := map[string]any{"id": r.ID, "revoked": true}
		if r.Reason != "" {
			item["revocationReason"] = r.Reason
		}
		items = append(items, item)
	}
	return map[string]any{
		"id":                 id,
		"issuer":             issuer,
		"revokedCredentials": items,
	}
}

// ParseRevocationList reads a 1EdTech revocation list document. revokedCredentials holds
// objects {id, revoked?, revocationReason?} (revoked omitted or true, also as the string
// "true", means revoked; false leaves the credential out) or bare credential ids.
func ParseRevocationList(doc map[string]any) (RevocationList, error) {
	l := RevocationList{Issuer: idOf(doc["issuer"])}
	l.ID, _ = doc["id"].(string)
	raw, present := doc["revokedCredentials"]
	if !present {
		return l, fmt.Errorf("%w: the revocation list has no revokedCredentials member", ErrMalformedList)
	}
	items, ok := raw.([]any)
	if !ok {
		return l, fmt.Errorf("%w: revokedCredentials is a %s, not an array", ErrMalformedList, jsonKind(raw))
	}
	l.Revoked = make([]RevokedCredential, 0, len(items))
	for i, item := range items {
		switch x := item.(type) {
		case string:
			l.Revoked = append(l.Revoked, RevokedCredential{ID: x})
		case map[string]any:
			id, _ := x["id"].(string)
			if id == "" {
				return l, fmt.Errorf("%w: revokedCredentials[%d] has no id string", ErrMalformedList, i)
			}
			revoked, err := revokedFlag(x["revoked"])
			if err != nil {
				return l, fmt.Errorf("%w: revokedCredentials[%d].revoked %v", ErrMalformedList, i, err)
			}
			if !revoked {
				continue
			}
			reason, _ := x["revocationReason"].(string)
			l.Revoked = append(l.Revoked, RevokedCredential{ID: id, Reason: reason})
		default:
			return l, fmt.Errorf("%w: revokedCredentials[%d] is a %s, not a credential id or an object", ErrMalformedList, i, jsonKind(item))
		}
	}
	return l, nil
}

// revokedFlag reads the optional "revoked" member: absent means revoked.
func revokedFlag(v any) (bool, error) {
	switch x := v.(type) {
	case nil:
		return true, nil
	case bool:
		return x, nil
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
		return false, fmt.Errorf("is %q; it must be true or false", x)
	}
	return false, fmt.Errorf("is a %s; it must be true or false", jsonKind(v))
}

// Find returns the revocation of the credential with the given id, if the list has one.
func (l RevocationList) Find(credentialID string) (RevokedCredential, bool) {
	for _, r := range l.Revoked {
		if r.ID == credentialID {
			return r, true
		}
	}
	return RevokedCredential{}, false
}

// checkRevocationList checks a 1EdTechRevocationList entry.
func (c *checker) checkRevocationList(ctx context.Context, e Entry) Result {
	r := Result{Entry: e}
	url := e.StatusListCredential
	if c.credentialID == "" {
		return unknown(r, fmt.Errorf("%w: the credential has no id to look up in the 1EdTech revocation list %s", ErrMalformedEntry, url))
	}
	l := c.document(ctx, url)
	if l.err != nil {
		return unknown(r, l.err)
	}
	list, err := ParseRevocationList(l.doc)
	if err != nil {
		return unknown(r, fmt.Errorf("1EdTech revocation list %s: %w", url, err))
	}
	if list.Issuer != "" && list.Issuer != c.issuer {
		return unknown(r, fmt.Errorf("%w: the 1EdTech revocation list %s names %s as its issuer, not the credential's issuer %s", ErrIssuerMismatch, url, list.Issuer, c.issuer))
	}
	revoked, found := list.Find(c.credentialID)
	if !found {
		r.State = Valid
		r.Reason = fmt.Sprintf("the issuer's 1EdTech revocation list %s does not list this credential", url)
		return r
	}
	r.State = Revoked
	r.Value = 1
	r.Message = revoked.Reason
	r.Reason = fmt.Sprintf("the issuer has revoked this credential (1EdTech revocation list %s)", url)
	if revoked.Reason != "" {
		r.Reason += fmt.Sprintf("; the issuer's reason: %q", revoked.Reason)
	}
	return r
}
