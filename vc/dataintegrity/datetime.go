package dataintegrity

import (
	"fmt"
	"regexp"
	"time"
)

// dateTimePattern is the XML Schema 1.1 dateTime lexical form that Data Integrity requires
// for created and expires.
var dateTimePattern = regexp.MustCompile(`^-?([1-9][0-9]{3,}|0[0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T(([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?|(24:00:00(\.0+)?))(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))?$`)

// checkDateTime checks the syntax of an optional date-time member of a proof.
func checkDateTime(proof map[string]any, member string) error {
	raw, present := proof[member]
	if !present {
		return nil
	}
	s, ok := raw.(string)
	if !ok {
		return fmt.Errorf("%w: %q is a %s, not a date-time string", ErrMalformedProof, member, jsonKind(raw))
	}
	if !dateTimePattern.MatchString(s) {
		return fmt.Errorf("%w: %q is %q, not an XML Schema date-time such as 2024-06-01T12:00:00Z", ErrMalformedProof, member, s)
	}
	return nil
}

// formatDateTime writes t as the proofs write created: UTC, whole seconds, "Z".
func formatDateTime(t time.Time) string {
	return t.UTC().Truncate(time.Second).Format("2006-01-02T15:04:05Z")
}
