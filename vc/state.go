package vc

import "strings"

// BadgeState is what a report says about the badge itself, for displays: whether it is in
// force, and if not, why. It is derived from the checks; Verified stays the verdict.
type BadgeState string

// Badge states, in the order State looks for them.
const (
	// StateNotGenuine: the format or a proof failed, so nothing the badge says can be relied on.
	StateNotGenuine BadgeState = "notgenuine"
	// StateRevoked and StateSuspended: its issuer's status list says so.
	StateRevoked   BadgeState = "revoked"
	StateSuspended BadgeState = "suspended"
	// StateExpired and StateNotYetValid: its validity period (or the JWT's) excludes now.
	StateExpired     BadgeState = "expired"
	StateNotYetValid BadgeState = "notyet"
	// StateUnknown: its status or its dates could not be checked.
	StateUnknown BadgeState = "unknown"
	// StateInvalid: another check failed (contexts, schema, issuer, …).
	StateInvalid BadgeState = "invalid"
	// StateValid: nothing says otherwise.
	StateValid BadgeState = "valid"
)

// State is the badge's state according to the report (see BadgeState for the order).
func (r *Report) State() BadgeState {
	if r == nil {
		return StateUnknown
	}
	for _, name := range []string{CheckFormat, CheckProof} {
		if c, ok := r.Check(name); ok && c.Status == Failed {
			return StateNotGenuine
		}
	}
	st, _ := r.Check(CheckStatus)
	dt, _ := r.Check(CheckDates)
	switch {
	case st.Status == Failed && strings.Contains(st.Detail, "revoked"):
		return StateRevoked
	case st.Status == Failed && strings.Contains(st.Detail, "suspended"):
		return StateSuspended
	case dt.Status == Failed && strings.Contains(dt.Detail, "expired"):
		return StateExpired
	case dt.Status == Failed && (strings.Contains(dt.Detail, "not valid yet") || strings.Contains(dt.Detail, "not valid before")):
		return StateNotYetValid
	case dt.Status == Failed, st.Status == Failed, st.Status == Warning:
		return StateUnknown
	case !r.Verified:
		return StateInvalid
	}
	return StateValid
}
