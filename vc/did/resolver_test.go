package did

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestResolverDispatchesByMethod(t *testing.T) {
	ctx := context.Background()
	r := NewResolver(Options{})
	t.Run("an unsupported method is ErrUnsupportedMethod naming it", func(t *testing.T) {
		_, err := r.Resolve(ctx, "did:ion:EiClkZMDxPKqC9c-umQfTkR8vvZ9JPhl_xLDI9Nfk38w5w")
		if !errors.Is(err, ErrUnsupportedMethod) || !strings.Contains(err.Error(), "did:ion") {
			t.Fatalf("error %v", err)
		}
	})
	t.Run("an invalid DID is ErrInvalidDID", func(t *testing.T) {
		_, err := r.Resolve(ctx, "did:KEY:z6Mk")
		if !errors.Is(err, ErrInvalidDID) {
			t.Fatalf("error %v", err)
		}
	})
	t.Run("did:key and did:jwk resolve without a network client", func(t *testing.T) {
		for _, did := range []string{"did:key:" + dccKey, "did:jwk:eyJrdHkiOiJPS1AiLCJjcnYiOiJFZDI1NTE5IiwieCI6IjExcVlBWUt4Q3JmVlNfN1R5V1FIT2c3aGN2UGFwaU1scndJYWFQY0hVUm8ifQ"} {
			if _, err := r.Resolve(ctx, did); err != nil {
				t.Fatalf("%s: %v", did, err)
			}
		}
	})
	t.Run("a resolver answering with another DID's document is caught", func(t *testing.T) {
		lying := ResolverFunc(func(ctx context.Context, did string) (*Document, error) {
			return ResolveKey("did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2")
		})
		_, _, err := ResolveVerificationMethod(ctx, lying, "did:key:"+dccKey+"#"+dccKey)
		if !errors.Is(err, ErrIDMismatch) {
			t.Fatalf("error %v", err)
		}
	})
	t.Run("an https verification method is not a DID URL", func(t *testing.T) {
		_, _, err := ResolveVerificationMethod(ctx, r, "https://example.edu/issuers/565049#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi")
		if !errors.Is(err, ErrInvalidDID) {
			t.Fatalf("error %v", err)
		}
	})
}
