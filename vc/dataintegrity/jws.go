package dataintegrity

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// jwsHeader is the protected header of an Ed25519Signature2018 detached JWS with unencoded
// payload (RFC 7797), encoded as jsonld-signatures writes it.
var jwsHeader = base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"EdDSA","b64":false,"crit":["b64"]}`))

// jwsSigningInput is what a detached, unencoded-payload JWS signs: the encoded header, a dot,
// and the raw payload.
func jwsSigningInput(encodedHeader string, payload []byte) []byte {
	out := make([]byte, 0, len(encodedHeader)+1+len(payload))
	out = append(out, encodedHeader...)
	out = append(out, '.')
	return append(out, payload...)
}

// encodeJWS writes a detached JWS: header..signature.
func encodeJWS(encodedHeader string, sig []byte) string {
	return encodedHeader + ".." + base64.RawURLEncoding.EncodeToString(sig)
}

// decodeJWS reads the jws member of an Ed25519Signature2018 proof and returns its encoded
// header and signature.
func decodeJWS(proof map[string]any) (string, []byte, error) {
	raw, present := proof["jws"]
	if !present {
		return "", nil, fmt.Errorf("%w: an Ed25519Signature2018 proof needs a \"jws\"", ErrMalformedProof)
	}
	s, ok := raw.(string)
	if !ok {
		return "", nil, fmt.Errorf("%w: \"jws\" is a %s, not a string", ErrMalformedProof, jsonKind(raw))
	}
	parts := strings.Split(s, ".")
	if len(parts) != 3 || parts[1] != "" {
		return "", nil, fmt.Errorf("%w: \"jws\" is not a detached JWS (header..signature)", ErrMalformedProof)
	}
	headerJSON, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil {
		return "", nil, fmt.Errorf("%w: the JWS header is not base64url", ErrMalformedProof)
	}
	var header struct {
		Alg  string   `json:"alg"`
		B64  *bool    `json:"b64"`
		Crit []string `json:"crit"`
	}
	if err := json.Unmarshal(headerJSON, &header); err != nil {
		return "", nil, fmt.Errorf("%w: the JWS header is not a JSON object", ErrMalformedProof)
	}
	if header.Alg != "EdDSA" {
		return "", nil, fmt.Errorf("%w: the JWS algorithm is %q; Ed25519Signature2018 uses \"EdDSA\"", ErrMalformedProof, header.Alg)
	}
	if header.B64 == nil || *header.B64 || !slices.Contains(header.Crit, "b64") {
		return "", nil, fmt.Errorf("%w: the JWS header must say \"b64\": false and list \"b64\" in \"crit\"", ErrMalformedProof)
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return "", nil, fmt.Errorf("%w: the JWS signature is not base64url", ErrMalformedProof)
	}
	if len(sig) != ed25519.SignatureSize {
		return "", nil, fmt.Errorf("%w: the JWS signature has %d bytes; an Ed25519 signature has %d", ErrMalformedProof, len(sig), ed25519.SignatureSize)
	}
	return parts[0], sig, nil
}
