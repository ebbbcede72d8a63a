package jwt

import (
	"fmt"
	"math"
	"time"
)

// registeredClaims holds the RFC 7519 registered claims a verifier needs,
// type-checked once at parse time. Empty strings and zero times mean absent.
type registeredClaims struct {
	iss, sub, jti string
	exp, nbf, iat time.Time
	aud           []string
}

// NumericDate bounds: year 1 to year 9999, the range time.Time formats as
// an RFC 3339 date-time.
const (
	minNumericDate = -62135596800
	maxNumericDate = 253402300799
)

func parseRegisteredClaims(claims map[string]any) (registeredClaims, error) {
	var r registeredClaims
	for name, dst := range map[string]*string{"iss": &r.iss, "sub": &r.sub, "jti": &r.jti} {
		v, ok := claims[name]
		if !ok {
			continue
		}
		s, ok := v.(string)
		if !ok {
			return r, fmt.Errorf("%w: claim %q must be a string", ErrMalformed, name)
		}
		*dst = s
	}
	for name, dst := range map[string]*time.Time{"exp": &r.exp, "nbf": &r.nbf, "iat": &r.iat} {
		v, ok := claims[name]
		if !ok {
			continue
		}
		t, err := numericDate(v)
		if err != nil {
			return r, fmt.Errorf("%w: claim %q %v", ErrMalformed, name, err)
		}
		*dst = t
	}
	if v, ok := claims["aud"]; ok {
		switch v := v.(type) {
		case string:
			r.aud = []string{v}
		case []any:
			for _, e := range v {
				s, ok := e.(string)
				if !ok {
					return r, fmt.Errorf("%w: claim \"aud\" must be a string or an array of strings", ErrMalformed)
				}
				r.aud = append(r.aud, s)
			}
		default:
			return r, fmt.Errorf("%w: claim \"aud\" must be a string or an array of strings", ErrMalformed)
		}
	}
	return r, nil
}

// numericDate converts an RFC 7519 NumericDate (seconds since the epoch,
// possibly fractional) to a UTC time.
func numericDate(v any) (time.Time, error) {
	f, ok := v.(float64)
	if !ok {
		return time.Time{}, fmt.Errorf("must be a number of seconds since 1970-01-01T00:00:00Z")
	}
	if math.IsNaN(f) || f < minNumericDate || f > maxNumericDate {
		return time.Time{}, fmt.Errorf("is %v, outside the years 1 to 9999", f)
	}
	sec := math.Floor(f)
	nsec := math.Round((f - sec) * 1e9)
	return time.Unix(int64(sec), int64(nsec)).UTC(), nil
}

// Expiry returns the exp claim, and whether it is present. It is not
// compared with any clock here.
func (t *Token) Expiry() (time.Time, bool) { return t.reg.exp, !t.reg.exp.IsZero() }

// NotBefore returns the nbf claim, and whether it is present. It is not
// compared with any clock here.
func (t *Token) NotBefore() (time.Time, bool) { return t.reg.nbf, !t.reg.nbf.IsZero() }

// IssuedAt returns the iat claim, and whether it is present.
func (t *Token) IssuedAt() (time.Time, bool) { return t.reg.iat, !t.reg.iat.IsZero() }

// Subject returns the sub claim, or "" when absent.
func (t *Token) Subject() string { return t.reg.sub }

// ID returns the jti claim, or "" when absent.
func (t *Token) ID() string { return t.reg.jti }

// Audience returns the aud claim as a list (a single string becomes a list
// of one), or nil when absent.
func (t *Token) Audience() []string { return append([]string(nil), t.reg.aud...) }

// Issuer returns who the token says issued it: the iss claim when present;
// otherwise the id of the credential's issuer (or, for a presentation, of
// its holder), read from the payload or the vc/vp claim. It returns "" when
// none of these is present. The issuer is not authenticated until the
// signature is verified with a key the issuer controls.
func (t *Token) Issuer() string {
	if t.reg.iss != "" {
		return t.reg.iss
	}
	doc := t.document()
	if doc == nil {
		return ""
	}
	if t.shape.IsPresentation() {
		return idOf(doc["holder"])
	}
	return idOf(doc["issuer"])
}

// idOf returns v when it is a string, v["id"] when v is an object with a
// string id, and "" otherwise.
func idOf(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case map[string]any:
		if s, ok := v["id"].(string); ok {
			return s
		}
	}
	return ""
}
