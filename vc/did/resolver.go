package did

import (
	"context"
	"fmt"
	"net/http"
)

// Resolver resolves a DID to its DID document.
type Resolver interface {
	// Resolve returns the document of did. Errors wrap ErrInvalidDID (bad
	// syntax), ErrUnsupportedMethod, ErrNotFound (no such document),
	// ErrIDMismatch (a document for another DID) or ErrInvalidDocument.
	Resolve(ctx context.Context, did string) (*Document, error)
}

// ResolverFunc adapts a function to the Resolver interface.
type ResolverFunc func(ctx context.Context, did string) (*Document, error)

// Resolve calls f.
func (f ResolverFunc) Resolve(ctx context.Context, did string) (*Document, error) {
	return f(ctx, did)
}

// Options configures NewResolver.
type Options struct {
	// HTTPClient fetches did:web documents. It should be the guarded client
	// of internal/httpx. When nil, did:web resolution is off and fails with
	// ErrUnsupportedMethod; there is no fallback to http.DefaultClient.
	HTTPClient *http.Client
	// AllowHTTP fetches the documents of did:web DIDs whose host is
	// "localhost" or a loopback IP literal (did:web:127.0.0.1%3A8080:…)
	// over plain http, for tests and local development. Other hosts always
	// use https, and IP literals other than loopback are always refused.
	// Leave false in production.
	AllowHTTP bool
}

// BuiltinResolver resolves did:key and did:jwk locally and did:web over
// HTTP. It is safe for concurrent use.
type BuiltinResolver struct {
	client    *http.Client
	allowHTTP bool
}

var _ Resolver = (*BuiltinResolver)(nil)

// NewResolver returns a resolver for did:key, did:jwk and did:web.
func NewResolver(opts Options) *BuiltinResolver {
	return &BuiltinResolver{client: opts.HTTPClient, allowHTTP: opts.AllowHTTP}
}

// Resolve returns the document of did (see Resolver).
func (r *BuiltinResolver) Resolve(ctx context.Context, did string) (*Document, error) {
	d, err := Parse(did)
	if err != nil {
		return nil, fmt.Errorf("resolve %s: %w", quote(did), err)
	}
	var doc *Document
	switch d.Method {
	case "key":
		doc, err = ResolveKey(did)
	case "jwk":
		doc, err = ResolveJWK(did)
	case "web":
		doc, err = r.resolveWeb(ctx, did)
	default:
		err = fmt.Errorf("%w: did:%s (supported: did:key, did:jwk, did:web)", ErrUnsupportedMethod, d.Method)
	}
	if err != nil {
		return nil, fmt.Errorf("resolve %s: %w", quote(did), err)
	}
	return doc, nil
}

// ResolveVerificationMethod resolves a DID URL naming a verification method
// ("did:…#fragment", as in a proof's verificationMethod) and returns the
// method (with an absolute id) and the document it was found in. A DID URL
// without a fragment is refused with ErrInvalidDID; a fragment absent from
// the document gives ErrNotFound. Checking the controller and the
// verification relationship is the caller's job (see
// HasVerificationRelationship).
func ResolveVerificationMethod(ctx context.Context, r Resolver, didURL string) (*VerificationMethod, *Document, error) {
	did, frag, err := SplitURL(didURL)
	if err != nil {
		return nil, nil, fmt.Errorf("resolve verification method: %w", err)
	}
	if frag == "" {
		return nil, nil, fmt.Errorf("resolve verification method: %w: %s has no #fragment; a verification method must be named by fragment (did:…#key-1)", ErrInvalidDID, quote(didURL))
	}
	doc, err := r.Resolve(ctx, did)
	if err != nil {
		return nil, nil, fmt.Errorf("resolve verification method %s: %w", quote(didURL), err)
	}
	if doc == nil || doc.ID != did {
		id := ""
		if doc != nil {
			id = doc.ID
		}
		return nil, nil, fmt.Errorf("resolve verification method %s: %w: resolver returned document %s for DID %s", quote(didURL), ErrIDMismatch, quote(id), quote(did))
	}
	vm, err := doc.VerificationMethodByID(didURL)
	if err != nil {
		return nil, nil, fmt.Errorf("resolve verification method: %w", err)
	}
	return vm, doc, nil
}
