package federation

import (
	"bytes"
	"fmt"

	"github.com/communs/communs/vc/jwt"
)

// HeadClaims is the payload of a head: the latest entry of an origin's log.
type HeadClaims struct {
	Iss  string `json:"iss"`
	Seq  uint64 `json:"seq"`
	Head string `json:"head"`
	Iat  int64  `json:"iat"`
	Exp  int64  `json:"exp"`
}

// Head is a parsed head JWS.
type Head struct {
	JWS    []byte
	KeyID  string
	Claims HeadClaims
	token  *jwt.Token
}

// ParseHead decodes a head without verifying its signature or expiry. It
// returns [ErrTooLarge] or [ErrMalformed].
func ParseHead(data []byte, limits Limits) (*Head, error) {
	tok, kid, err := parseJWS(data, TypeHead, limits.MaxHeadBytes)
	if err != nil {
		return nil, fmt.Errorf("parse registry head: %w", err)
	}
	var c HeadClaims
	if err := decodeClaims(tok.Payload(), &c); err != nil {
		return nil, fmt.Errorf("parse registry head: %w", err)
	}
	if err := c.validate(); err != nil {
		return nil, fmt.Errorf("parse registry head: %w", err)
	}
	return &Head{JWS: bytes.Clone(data), KeyID: kid, Claims: c, token: tok}, nil
}

func (c *HeadClaims) validate() error {
	if err := checkEntityID(c.Iss); err != nil {
		return fmt.Errorf("%w: iss: %v", ErrMalformed, err)
	}
	if (c.Seq == 0) != (c.Head == "") {
		return fmt.Errorf("%w: head must be empty for seq 0 and only then", ErrMalformed)
	}
	if c.Head != "" {
		if err := checkCID(c.Head); err != nil {
			return fmt.Errorf("%w: head: %v", ErrMalformed, err)
		}
	}
	if c.Iat <= 0 || c.Exp <= c.Iat {
		return fmt.Errorf("%w: iat must be a positive NumericDate and exp later than iat", ErrMalformed)
	}
	return nil
}
