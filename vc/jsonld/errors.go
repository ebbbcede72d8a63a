package jsonld

import "errors"

var (
	// ErrUnknownContext reports an @context URL that is not embedded. Contexts are never
	// fetched from the network.
	ErrUnknownContext = errors.New("JSON-LD context is not one of the embedded contexts (contexts are never fetched from the network)")

	// ErrUndefinedTerm reports a member name or a type that no context defines, so that
	// JSON-LD would drop it from the signed data (safe mode).
	ErrUndefinedTerm = errors.New("term is not defined by any @context of the document")

	// ErrRelativeIRI reports an identifier (id, or a value of a property typed @id) that is a
	// relative IRI: RDF cannot express it, so it would be dropped from the signed data.
	ErrRelativeIRI = errors.New("identifier is a relative IRI, not an absolute one")

	// ErrTooComplex reports a document nested too deeply, or whose objects without an id are
	// so alike that canonicalizing it could take very long (a known denial-of-service shape).
	ErrTooComplex = errors.New("document is too complex to canonicalize safely")

	// ErrInvalidDocument reports a document that JSON-LD processing rejects (malformed
	// @context, invalid keyword value, …).
	ErrInvalidDocument = errors.New("document is not valid JSON-LD")
)
