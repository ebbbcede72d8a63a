package federation

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"encoding/json"
	"fmt"

	"github.com/communs/communs/vc/jwt"
	"github.com/communs/communs/vc/keys"
)

// signObject signs claims as a compact JWS with ES256, typ and the signer's
// JWK thumbprint as kid.
func signObject(claims any, typ string, signer crypto.Signer) ([]byte, string, error) {
	if signer == nil {
		return nil, "", fmt.Errorf("%w: no signer", ErrInvalidConfig)
	}
	pub, ok := signer.Public().(*ecdsa.PublicKey)
	if !ok || pub.Curve != elliptic.P256() {
		return nil, "", fmt.Errorf("%w: federation keys are ECDSA P-256 (ES256)", ErrInvalidConfig)
	}
	kid, err := keys.JWKThumbprint(pub)
	if err != nil {
		return nil, "", err
	}
	raw, err := json.Marshal(claims)
	if err != nil {
		return nil, "", fmt.Errorf("encode claims: %w", err)
	}
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		return nil, "", fmt.Errorf("encode claims: %w", err)
	}
	tok, err := jwt.Sign(m, jwt.AlgES256, kid, typ, signer)
	if err != nil {
		return nil, "", err
	}
	return []byte(tok), kid, nil
}

// verifyObject checks tok's signature with the origin key its kid names.
func verifyObject(tok *jwt.Token, kid string, ks originKeys) error {
	pub, ok := ks[kid]
	if !ok {
		return fmt.Errorf("%w: kid %q names no key the trust anchor attested for this origin", ErrBadSignature, kid)
	}
	if err := tok.Verify(pub); err != nil {
		return fmt.Errorf("%w: %v", ErrBadSignature, err)
	}
	return nil
}
