package keys

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"sort"
	"strings"
)

// Bounds on RSA moduli accepted from JWKs.
const (
	minRSABits = 2048
	maxRSABits = 8192
)

// JWK is a public JSON Web Key (RFC 7517) of type OKP (Ed25519), EC (P-256,
// P-384) or RSA. Only public members are modelled; private members are
// refused when parsing.
type JWK struct {
	Kty string `json:"kty"`
	Crv string `json:"crv,omitempty"`
	X   string `json:"x,omitempty"`
	Y   string `json:"y,omitempty"`
	N   string `json:"n,omitempty"`
	E   string `json:"e,omitempty"`
	Kid string `json:"kid,omitempty"`
	Alg string `json:"alg,omitempty"`
	Use string `json:"use,omitempty"`
}

// privateJWKMembers are JWK members that carry private or symmetric key
// material (RFC 7518 §6.2.2, §6.3.2, §6.4.1, RFC 8037 §2).
var privateJWKMembers = []string{"d", "p", "q", "dp", "dq", "qi", "oth", "k"}

// ParseJWK parses a public JWK from JSON. It refuses private members ("d",
// "p", …), symmetric keys and members of the wrong JSON type, then checks that
// the key itself is valid (see (*JWK).PublicKey).
func ParseJWK(data []byte) (*JWK, error) {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(data, &members); err != nil {
		return nil, fmt.Errorf("parse JWK: %w: not a JSON object: %v", ErrMalformedKey, err)
	}
	if members == nil {
		return nil, fmt.Errorf("parse JWK: %w: not a JSON object", ErrMalformedKey)
	}
	for _, name := range privateJWKMembers {
		if _, ok := members[name]; ok {
			return nil, fmt.Errorf("parse JWK: %w: member %q is private key material and must not appear in a public JWK", ErrPrivateKeyMaterial, name)
		}
	}
	var j JWK
	fields := map[string]*string{"kty": &j.Kty, "crv": &j.Crv, "x": &j.X, "y": &j.Y, "n": &j.N, "e": &j.E, "kid": &j.Kid, "alg": &j.Alg, "use": &j.Use}
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		raw, ok := members[name]
		if !ok {
			continue
		}
		if err := json.Unmarshal(raw, fields[name]); err != nil {
			return nil, fmt.Errorf("parse JWK: %w: member %q must be a string", ErrMalformedKey, name)
		}
	}
	if _, err := j.PublicKey(); err != nil {
		return nil, fmt.Errorf("parse JWK: %w", err)
	}
	return &j, nil
}

// PublicKeyFromJWK parses a public JWK from JSON and returns its key:
// ed25519.PublicKey, *ecdsa.PublicKey or *rsa.PublicKey.
func PublicKeyFromJWK(data []byte) (crypto.PublicKey, error) {
	j, err := ParseJWK(data)
	if err != nil {
		return nil, err
	}
	return j.PublicKey()
}

// PublicKeyFromJWKMap is PublicKeyFromJWK for a JWK already decoded into a
// map (as found inside a parsed JSON document).
func PublicKeyFromJWKMap(m map[string]any) (crypto.PublicKey, error) {
	if m == nil {
		return nil, fmt.Errorf("parse JWK: %w: no JWK given", ErrMalformedKey)
	}
	data, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("parse JWK: %w: %v", ErrMalformedKey, err)
	}
	return PublicKeyFromJWK(data)
}

// PublicKey returns the key the JWK describes: ed25519.PublicKey for OKP
// Ed25519, *ecdsa.PublicKey for EC P-256/P-384, *rsa.PublicKey for RSA
// (2048 to 8192 bits). Coordinates must have the exact length of the curve
// and name a point on it.
func (j *JWK) PublicKey() (crypto.PublicKey, error) {
	switch j.Kty {
	case "OKP":
		if j.Crv != "Ed25519" {
			return nil, fmt.Errorf("%w: OKP curve %q (supported: Ed25519)", ErrUnsupportedKey, j.Crv)
		}
		x, err := b64Member("x", j.X)
		if err != nil {
			return nil, err
		}
		if len(x) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("%w: Ed25519 JWK \"x\" must be %d bytes, got %d", ErrMalformedKey, ed25519.PublicKeySize, len(x))
		}
		return ed25519.PublicKey(x), nil
	case "EC":
		ci, ok := curveByJWKName(j.Crv)
		if !ok {
			return nil, fmt.Errorf("%w: EC curve %q (supported: P-256, P-384)", ErrUnsupportedKey, j.Crv)
		}
		x, err := b64Member("x", j.X)
		if err != nil {
			return nil, err
		}
		y, err := b64Member("y", j.Y)
		if err != nil {
			return nil, err
		}
		if len(x) != ci.size || len(y) != ci.size {
			return nil, fmt.Errorf("%w: %s JWK \"x\" and \"y\" must be %d bytes each, got %d and %d", ErrMalformedKey, ci.jwkName, ci.size, len(x), len(y))
		}
		raw := make([]byte, 0, 1+2*ci.size)
		raw = append(raw, 0x04)
		raw = append(raw, x...)
		raw = append(raw, y...)
		return parseUncompressed(ci, raw)
	case "RSA":
		n, err := b64Member("n", j.N)
		if err != nil {
			return nil, err
		}
		e, err := b64Member("e", j.E)
		if err != nil {
			return nil, err
		}
		mod := new(big.Int).SetBytes(n)
		if bits := mod.BitLen(); bits < minRSABits || bits > maxRSABits {
			return nil, fmt.Errorf("%w: RSA modulus has %d bits (accepted: %d to %d)", ErrUnsupportedKey, bits, minRSABits, maxRSABits)
		}
		e = bytes.TrimLeft(e, "\x00")
		if len(e) > 4 {
			return nil, fmt.Errorf("%w: RSA exponent is too large", ErrMalformedKey)
		}
		var exp int64
		for _, b := range e {
			exp = exp<<8 | int64(b)
		}
		if exp < 3 || exp%2 == 0 || exp > 1<<31-1 {
			return nil, fmt.Errorf("%w: RSA exponent %d is not an odd number of at least 3", ErrMalformedKey, exp)
		}
		return &rsa.PublicKey{N: mod, E: int(exp)}, nil
	case "oct":
		return nil, fmt.Errorf("%w: symmetric JWK (kty \"oct\") is not a public key", ErrPrivateKeyMaterial)
	case "":
		return nil, fmt.Errorf("%w: JWK has no \"kty\" member", ErrMalformedKey)
	}
	return nil, fmt.Errorf("%w: JWK kty %q (supported: OKP, EC, RSA)", ErrUnsupportedKey, j.Kty)
}

// b64Member decodes a base64url (no padding) JWK member.
func b64Member(name, v string) ([]byte, error) {
	if v == "" {
		return nil, fmt.Errorf("%w: JWK member %q is missing", ErrMalformedKey, name)
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(v)
	if err != nil {
		return nil, fmt.Errorf("%w: JWK member %q is not base64url without padding", ErrMalformedKey, name)
	}
	return b, nil
}

// JWKFromPublicKey returns the public JWK of pub (ed25519.PublicKey,
// *ecdsa.PublicKey on P-256/P-384, or *rsa.PublicKey). Kid, Alg and Use are
// left empty.
func JWKFromPublicKey(pub crypto.PublicKey) (*JWK, error) {
	b64 := base64.RawURLEncoding.EncodeToString
	switch k := pub.(type) {
	case ed25519.PublicKey:
		if len(k) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("JWK from public key: %w: Ed25519 public key must be %d bytes, got %d", ErrMalformedKey, ed25519.PublicKeySize, len(k))
		}
		return &JWK{Kty: "OKP", Crv: "Ed25519", X: b64(k)}, nil
	case *ecdsa.PublicKey:
		if k == nil {
			return nil, fmt.Errorf("JWK from public key: %w: nil ECDSA public key", ErrMalformedKey)
		}
		ci, err := curveOf(k.Curve)
		if err != nil {
			return nil, fmt.Errorf("JWK from public key: %w", err)
		}
		raw, err := k.Bytes()
		if err != nil {
			return nil, fmt.Errorf("JWK from public key: %w: %v", ErrMalformedKey, err)
		}
		return &JWK{Kty: "EC", Crv: ci.jwkName, X: b64(raw[1 : 1+ci.size]), Y: b64(raw[1+ci.size:])}, nil
	case *rsa.PublicKey:
		if k == nil || k.N == nil {
			return nil, fmt.Errorf("JWK from public key: %w: nil RSA public key", ErrMalformedKey)
		}
		e := big.NewInt(int64(k.E)).Bytes()
		return &JWK{Kty: "RSA", N: b64(k.N.Bytes()), E: b64(e)}, nil
	}
	return nil, fmt.Errorf("JWK from public key: %w: %T", ErrUnsupportedKey, pub)
}

// Thumbprint returns the RFC 7638 JWK thumbprint: the unpadded base64url
// SHA-256 of the required members in lexicographic order, without
// whitespace. The key must be valid.
func (j *JWK) Thumbprint() (string, error) {
	if _, err := j.PublicKey(); err != nil {
		return "", fmt.Errorf("JWK thumbprint: %w", err)
	}
	var members [][2]string
	switch j.Kty {
	case "OKP":
		members = [][2]string{{"crv", j.Crv}, {"kty", j.Kty}, {"x", j.X}}
	case "EC":
		members = [][2]string{{"crv", j.Crv}, {"kty", j.Kty}, {"x", j.X}, {"y", j.Y}}
	case "RSA":
		members = [][2]string{{"e", j.E}, {"kty", j.Kty}, {"n", j.N}}
	}
	var b strings.Builder
	b.WriteByte('{')
	for i, m := range members {
		if i > 0 {
			b.WriteByte(',')
		}
		name, _ := json.Marshal(m[0])
		value, _ := json.Marshal(m[1])
		b.Write(name)
		b.WriteByte(':')
		b.Write(value)
	}
	b.WriteByte('}')
	sum := sha256.Sum256([]byte(b.String()))
	return base64.RawURLEncoding.EncodeToString(sum[:]), nil
}

// JWKThumbprint returns the RFC 7638 thumbprint of a public key.
func JWKThumbprint(pub crypto.PublicKey) (string, error) {
	j, err := JWKFromPublicKey(pub)
	if err != nil {
		return "", err
	}
	return j.Thumbprint()
}
