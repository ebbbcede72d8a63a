package jwt

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
)

// MaxTokenSize is the longest compact JWS [Parse] accepts, in bytes. It
// leaves room for a 5 MiB credential once base64url-encoded.
const MaxTokenSize = 8 << 20

// b64 is base64url without padding, refusing non-canonical trailing bits, as
// RFC 7515 requires for every segment.
var b64 = base64.RawURLEncoding.Strict()

// Header is the JOSE header of a token, reduced to the parameters a
// verifier acts on.
type Header struct {
	// Alg is the signature algorithm ("EdDSA", "ES256", "RS256", ...).
	Alg string
	// Kid identifies the verification key: a DID URL, an HTTPS URL, or a
	// fragment relative to the issuer. Empty when absent.
	Kid string
	// Typ is the media type of the whole token ("vc+jwt", "JWT", ...).
	// Empty when absent.
	Typ string
	// Cty is the media type of the payload ("vc", "vp", ...). Empty when
	// absent.
	Cty string
	// JWK is the public key carried in the header (OB 3.0 allows it in
	// place of kid), as JSON; nil when absent. Parse refuses a JWK that
	// holds private or symmetric key material.
	JWK json.RawMessage
}

// Token is a parsed, not yet verified, compact JWS. It is immutable: every
// accessor returns values the caller may keep and change.
type Token struct {
	header    Header
	signed    []byte // ASCII(BASE64URL(header) || '.' || BASE64URL(payload))
	signature []byte
	payload   []byte
	claims    map[string]any
	reg       registeredClaims
	shape     Shape
}

// Parse decodes a compact JWS ("header.payload.signature") without verifying
// its signature. Surrounding white space is ignored. It returns
// [ErrTooLarge], [ErrUnsupported] (JWE, nested JWT, unencoded payload,
// critical extensions), [ErrUnsupportedAlgorithm] (alg "none" or missing)
// or [ErrMalformed].
func Parse(token string) (*Token, error) {
	t, err := parse(strings.TrimSpace(token))
	if err != nil {
		return nil, fmt.Errorf("parse jwt: %w", err)
	}
	return t, nil
}

func parse(token string) (*Token, error) {
	if len(token) > MaxTokenSize {
		return nil, fmt.Errorf("%w: %d bytes, at most %d are accepted", ErrTooLarge, len(token), MaxTokenSize)
	}
	if token == "" {
		return nil, fmt.Errorf("%w: token is empty", ErrMalformed)
	}
	switch n := strings.Count(token, "."); n {
	case 2:
	case 4:
		return nil, fmt.Errorf("%w: token has five segments, so it is an encrypted JWT (JWE)", ErrUnsupported)
	default:
		return nil, fmt.Errorf("%w: token has %d segments, a compact JWS has three (header.payload.signature)", ErrMalformed, n+1)
	}
	first := strings.IndexByte(token, '.')
	last := strings.LastIndexByte(token, '.')
	encHeader, encPayload, encSig := token[:first], token[first+1:last], token[last+1:]
	if encPayload == "" {
		return nil, fmt.Errorf("%w: payload segment is empty (detached payloads are not supported)", ErrUnsupported)
	}
	if encSig == "" {
		return nil, fmt.Errorf("%w: signature segment is empty (an unsecured JWT)", ErrUnsupportedAlgorithm)
	}

	rawHeader, err := b64.DecodeString(encHeader)
	if err != nil {
		return nil, fmt.Errorf("%w: header segment is not base64url without padding: %v", ErrMalformed, err)
	}
	header, err := parseHeader(rawHeader)
	if err != nil {
		return nil, err
	}
	payload, err := b64.DecodeString(encPayload)
	if err != nil {
		return nil, fmt.Errorf("%w: payload segment is not base64url without padding: %v", ErrMalformed, err)
	}
	signature, err := b64.DecodeString(encSig)
	if err != nil {
		return nil, fmt.Errorf("%w: signature segment is not base64url without padding: %v", ErrMalformed, err)
	}
	claims, err := decodeObject(payload)
	if err != nil {
		return nil, fmt.Errorf("%w: payload: %v", ErrMalformed, err)
	}
	reg, err := parseRegisteredClaims(claims)
	if err != nil {
		return nil, err
	}
	shape, err := detectShape(header, claims)
	if err != nil {
		return nil, err
	}
	return &Token{
		header:    header,
		signed:    []byte(token[:last]),
		signature: signature,
		payload:   payload,
		claims:    claims,
		reg:       reg,
		shape:     shape,
	}, nil
}

// privateJWKMembers are JWK members that carry private or symmetric key
// material (RFC 7518 §6); a header must never hold them.
var privateJWKMembers = []string{"d", "p", "q", "dp", "dq", "qi", "oth", "k"}

func parseHeader(raw []byte) (Header, error) {
	params, err := decodeObject(raw)
	if err != nil {
		return Header{}, fmt.Errorf("%w: header: %v", ErrMalformed, err)
	}
	var h Header
	for name, dst := range map[string]*string{"alg": &h.Alg, "kid": &h.Kid, "typ": &h.Typ, "cty": &h.Cty} {
		v, ok := params[name]
		if !ok {
			continue
		}
		s, ok := v.(string)
		if !ok {
			return Header{}, fmt.Errorf("%w: header parameter %q must be a string", ErrMalformed, name)
		}
		*dst = s
	}
	switch {
	case h.Alg == "":
		return Header{}, fmt.Errorf("%w: header has no alg", ErrUnsupportedAlgorithm)
	case strings.EqualFold(h.Alg, "none"):
		return Header{}, fmt.Errorf("%w: alg is %q, an unsecured JWT, which is never accepted", ErrUnsupportedAlgorithm, h.Alg)
	}
	if _, ok := params["enc"]; ok {
		return Header{}, fmt.Errorf("%w: header has enc, so the token is encrypted (JWE)", ErrUnsupported)
	}
	if _, ok := params["crit"]; ok {
		return Header{}, fmt.Errorf("%w: header lists critical extensions (crit) this verifier does not implement", ErrUnsupported)
	}
	if _, ok := params["b64"]; ok {
		return Header{}, fmt.Errorf("%w: header has b64 (unencoded payload, RFC 7797)", ErrUnsupported)
	}
	if strings.EqualFold(h.Cty, "JWT") {
		return Header{}, fmt.Errorf("%w: cty is JWT, so the payload is a nested JWT", ErrUnsupported)
	}
	if v, ok := params["jwk"]; ok {
		key, ok := v.(map[string]any)
		if !ok {
			return Header{}, fmt.Errorf("%w: header parameter \"jwk\" must be a JSON object", ErrMalformed)
		}
		for _, m := range privateJWKMembers {
			if _, ok := key[m]; ok {
				return Header{}, fmt.Errorf("%w: header jwk contains private or symmetric key material (%q); only a public key may appear there", ErrMalformed, m)
			}
		}
		jwk, err := json.Marshal(key)
		if err != nil {
			return Header{}, fmt.Errorf("%w: header jwk: %v", ErrMalformed, err)
		}
		h.JWK = jwk
	}
	return h, nil
}

// Header returns the token's JOSE header.
func (t *Token) Header() Header {
	h := t.header
	h.JWK = bytes.Clone(t.header.JWK)
	return h
}

// Alg returns the alg header parameter.
func (t *Token) Alg() string { return t.header.Alg }

// Kid returns the kid header parameter, or "" when absent. It may be
// relative to the issuer; see [Token.VerificationMethod].
func (t *Token) Kid() string { return t.header.Kid }

// Payload returns the decoded payload bytes (the JSON claims set).
func (t *Token) Payload() []byte { return bytes.Clone(t.payload) }

// Claims returns the payload claims as encoding/json decodes them into an
// any: objects as map[string]any, numbers as float64.
func (t *Token) Claims() map[string]any {
	return cloneJSON(t.claims).(map[string]any)
}

// VerificationMethod returns the kid made absolute: a kid that is already an
// absolute URI (a DID URL or an https URL) is returned as is; a fragment
// ("#key-1") is resolved against [Token.Issuer]. It returns [ErrNoKeyID]
// when there is no kid, when a fragment has no issuer to resolve against,
// or when the kid is neither an absolute URI nor a fragment.
func (t *Token) VerificationMethod() (string, error) {
	kid := t.header.Kid
	switch {
	case kid == "":
		return "", fmt.Errorf("jwt verification method: %w: the header has no kid", ErrNoKeyID)
	case strings.HasPrefix(kid, "#"):
		iss := t.Issuer()
		if iss == "" {
			return "", fmt.Errorf("jwt verification method: %w: kid %q is a fragment but the token names no issuer to resolve it against", ErrNoKeyID, kid)
		}
		if i := strings.IndexByte(iss, '#'); i >= 0 {
			iss = iss[:i]
		}
		return iss + kid, nil
	case isAbsoluteURI(kid):
		return kid, nil
	default:
		return "", fmt.Errorf("jwt verification method: %w: kid %q is neither an absolute URI nor a fragment (#...)", ErrNoKeyID, kid)
	}
}

// isAbsoluteURI reports whether s starts with a URI scheme (RFC 3986 §3.1)
// followed by ':'.
func isAbsoluteURI(s string) bool {
	i := strings.IndexByte(s, ':')
	if i <= 0 {
		return false
	}
	for j, c := range s[:i] {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case j > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return true
}
