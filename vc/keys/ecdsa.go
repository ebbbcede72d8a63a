package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"crypto/sha512"
	"fmt"
	"hash"
)

// curveInfo describes one supported NIST curve.
type curveInfo struct {
	curve   elliptic.Curve
	jwkName string // "P-256"
	size    int    // field element and scalar size in bytes
	hash    crypto.Hash
	newHash func() hash.Hash
}

var (
	curveP256 = curveInfo{curve: elliptic.P256(), jwkName: "P-256", size: 32, hash: crypto.SHA256, newHash: sha256.New}
	curveP384 = curveInfo{curve: elliptic.P384(), jwkName: "P-384", size: 48, hash: crypto.SHA384, newHash: sha512.New384}
)

// curveOf returns the description of the curve of pub.
func curveOf(c elliptic.Curve) (curveInfo, error) {
	if c == nil {
		return curveInfo{}, fmt.Errorf("%w: ECDSA key without a curve", ErrUnsupportedKey)
	}
	switch c.Params().Name {
	case "P-256":
		return curveP256, nil
	case "P-384":
		return curveP384, nil
	default:
		return curveInfo{}, fmt.Errorf("%w: ECDSA curve %s (supported: P-256, P-384)", ErrUnsupportedKey, c.Params().Name)
	}
}

// curveByJWKName returns the curve named by a JWK "crv" value.
func curveByJWKName(name string) (curveInfo, bool) {
	switch name {
	case "P-256":
		return curveP256, true
	case "P-384":
		return curveP384, true
	}
	return curveInfo{}, false
}

// compressPoint returns the SEC 1 compressed form (0x02/0x03 || X) of pub.
func compressPoint(pub *ecdsa.PublicKey) ([]byte, error) {
	raw, err := pub.Bytes() // 0x04 || X || Y
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformedKey, err)
	}
	size := (len(raw) - 1) / 2
	out := make([]byte, 1+size)
	out[0] = 0x02 | raw[len(raw)-1]&1
	copy(out[1:], raw[1:1+size])
	return out, nil
}

// decompressPoint parses a SEC 1 compressed point and checks that it lies on
// the curve.
func decompressPoint(ci curveInfo, data []byte) (*ecdsa.PublicKey, error) {
	if len(data) != 1+ci.size {
		return nil, fmt.Errorf("%w: %s compressed point must be %d bytes, got %d", ErrMalformedKey, ci.jwkName, 1+ci.size, len(data))
	}
	if data[0] != 0x02 && data[0] != 0x03 {
		return nil, fmt.Errorf("%w: %s compressed point must start with 0x02 or 0x03, got 0x%02x", ErrMalformedKey, ci.jwkName, data[0])
	}
	x, y := elliptic.UnmarshalCompressed(ci.curve, data)
	if x == nil {
		return nil, fmt.Errorf("%w: %s point is not on the curve", ErrMalformedKey, ci.jwkName)
	}
	raw := make([]byte, 1+2*ci.size)
	raw[0] = 0x04
	x.FillBytes(raw[1 : 1+ci.size])
	y.FillBytes(raw[1+ci.size:])
	return parseUncompressed(ci, raw)
}

// parseUncompressed parses 0x04 || X || Y and checks that the point is valid.
func parseUncompressed(ci curveInfo, raw []byte) (*ecdsa.PublicKey, error) {
	pub, err := ecdsa.ParseUncompressedPublicKey(ci.curve, raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %s point is not valid: %v", ErrMalformedKey, ci.jwkName, err)
	}
	return pub, nil
}
