package jsonld

import (
	"fmt"

	"github.com/piprate/json-gold/ld"
)

// Canonicalize returns the RDFC-1.0 canonical N-Quads of doc (one quad per line, each line
// ending in "\n"), expanding it with the embedded contexts only, in safe mode.
//
// Errors: *ContextError (ErrUnknownContext) for a context that is not embedded; *TermError
// (ErrUndefinedTerm, ErrRelativeIRI) for data that JSON-LD would silently drop;
// ErrTooComplex for a document whose canonicalization could be made to run for very long;
// ErrInvalidDocument for anything else JSON-LD rejects.
func Canonicalize(doc map[string]any) (out []byte, err error) {
	defer recovered("canonicalize", &err)
	expanded, err := expandSafe(doc)
	if err != nil {
		return nil, fmt.Errorf("canonicalize: %w", err)
	}
	return canonicalizeExpanded(expanded)
}

// canonicalizeExpanded is the one place that runs RDF dataset canonicalization.
func canonicalizeExpanded(expanded []any) ([]byte, error) {
	opts := newOptions()
	api := ld.NewJsonLdApi()
	dataset, err := api.ToRDF(expanded, opts)
	if err != nil {
		return nil, fmt.Errorf("canonicalize: convert to RDF: %w: %v", ErrInvalidDocument, err)
	}
	if err := checkBlankNodes(dataset); err != nil {
		return nil, fmt.Errorf("canonicalize: %w", err)
	}
	opts.Algorithm = ld.AlgorithmURDNA2015
	opts.Format = "application/n-quads"
	res, err := api.Normalize(dataset, opts)
	if err != nil {
		return nil, fmt.Errorf("canonicalize: RDFC-1.0: %w: %v", ErrInvalidDocument, err)
	}
	s, ok := res.(string)
	if !ok {
		return nil, fmt.Errorf("canonicalize: RDFC-1.0 returned %T, not N-Quads text", res)
	}
	return []byte(s), nil
}
