package node

import (
	"context"
	"fmt"

	"github.com/communs/communs/internal/store"
)

// ClaimAward returns the award whose claim link carries token (the link is BASE/claim/{token};
// only the token's SHA-256 is stored). Errors: ErrNotFound.
func (n *Node) ClaimAward(ctx context.Context, token string) (*Award, error) {
	if !isRandomID(token) {
		return nil, fmt.Errorf("claim link: %w", ErrNotFound)
	}
	var ref struct {
		Credential string `json:"credential"`
	}
	if err := getJSON(n.db.Get, store.KeyClaim(hashHex(token)), &ref, "claim link"); err != nil {
		return nil, err
	}
	return n.GetAward(ctx, ref.Credential)
}

// isRandomID reports whether s looks like an id of randomID: 26 characters of lowercase base32.
func isRandomID(s string) bool {
	if len(s) != 26 {
		return false
	}
	for _, c := range s {
		if (c < 'a' || c > 'z') && (c < '2' || c > '7') {
			return false
		}
	}
	return true
}
