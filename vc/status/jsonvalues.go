package status

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"
)

// stringsOf reads a JSON member that holds one string or an array of strings; anything else
// yields nil.
func stringsOf(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []string:
		return x
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// idOf reads a member that is either an IRI string or an object with an "id" (issuer, subject).
func idOf(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case map[string]any:
		s, _ := x["id"].(string)
		return s
	}
	return ""
}

// objectOf reads a member that is an object, or an array holding exactly one object.
func objectOf(v any) (map[string]any, bool) {
	switch x := v.(type) {
	case map[string]any:
		return x, true
	case []any:
		if len(x) == 1 {
			m, ok := x[0].(map[string]any)
			return m, ok
		}
	}
	return nil, false
}

// nonNegativeInt reads a JSON integer given as base-10 digits in a string (the form the
// specifications require) or as a JSON number (seen in the wild); fractions, signs, exponents
// and values above the largest int are refused with a sentence saying so.
func nonNegativeInt(v any) (int, error) {
	switch x := v.(type) {
	case string:
		if x == "" {
			return 0, fmt.Errorf("it is an empty string, not a base-10 integer")
		}
		for i := 0; i < len(x); i++ {
			if x[i] < '0' || x[i] > '9' {
				return 0, fmt.Errorf("%q is not a base-10 integer string (digits 0-9 only)", x)
			}
		}
		n, err := strconv.ParseInt(x, 10, 0)
		if err != nil {
			return 0, fmt.Errorf("%q is too large", x)
		}
		return int(n), nil
	case json.Number:
		n, err := strconv.ParseInt(string(x), 10, 0)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("%s is not a non-negative whole number", x)
		}
		return int(n), nil
	case float64:
		if x < 0 || x != math.Trunc(x) {
			return 0, fmt.Errorf("%v is not a non-negative whole number", x)
		}
		if x >= 1<<53 {
			return 0, fmt.Errorf("%v is too large", x)
		}
		return int(x), nil
	case int:
		if x < 0 {
			return 0, fmt.Errorf("%d is negative", x)
		}
		return x, nil
	case int64:
		if x < 0 || int64(int(x)) != x {
			return 0, fmt.Errorf("%d is not a non-negative int", x)
		}
		return int(x), nil
	case nil:
		return 0, fmt.Errorf("it is missing")
	}
	return 0, fmt.Errorf("it is a %s, not a base-10 integer string", jsonKind(v))
}

// jsonKind names the JSON type of a decoded value, for error messages.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case bool:
		return "boolean"
	case float64, json.Number, int, int64:
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

// parseDateTime reads an XSD dateTime as credentials carry it (RFC 3339 with or without
// fractional seconds; a missing zone is read as UTC).
func parseDateTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date-time like 2025-01-31T12:00:00Z", s)
}

// formatDateTime writes t as credentials carry it: UTC, whole seconds.
func formatDateTime(t time.Time) string {
	return t.UTC().Truncate(time.Second).Format(time.RFC3339)
}
