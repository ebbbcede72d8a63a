package jsonld

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/piprate/json-gold/ld"
)

// newOptions returns json-gold options for offline, safe JSON-LD 1.1 processing.
func newOptions() *ld.JsonLdOptions {
	opts := ld.NewJsonLdOptions("")
	opts.DocumentLoader = offlineLoader{}
	opts.ProcessingMode = ld.JsonLd_1_1
	opts.ExpandContext = sentinelContext
	// json-gold's own safe mode turns a member that expands to nothing (a misplaced keyword,
	// a term mapped to null) into an error instead of dropping it.
	opts.SafeMode = true
	return opts
}

// expandSafe expands doc with the embedded contexts and rejects what safe mode forbids.
func expandSafe(doc any) ([]any, error) {
	switch doc.(type) {
	case map[string]any, []any:
	default:
		return nil, fmt.Errorf("%w: a JSON-LD document must be a JSON object or array, not %T", ErrInvalidDocument, doc)
	}
	if err := checkDepth(doc, 0); err != nil {
		return nil, err
	}
	proc := ld.NewJsonLdProcessor()
	expanded, err := proc.Expand(doc, newOptions())
	if err != nil {
		return nil, classify(doc, err)
	}
	if p := findUnsafe(expanded); p != nil {
		return nil, locate(doc, p)
	}
	return expanded, nil
}

// classify turns a json-gold error into one of this package's errors.
func classify(doc any, err error) error {
	var ce *ContextError
	if errors.As(err, &ce) {
		return ce
	}
	var je *ld.JsonLdError
	if errors.As(err, &je) && je.Code == ld.InvalidProperty {
		if ptr, key, ok := findMisplacedKeyword(doc, ""); ok {
			return &TermError{Path: ptr, Kind: KindMember, Term: key, Err: ErrUndefinedTerm}
		}
		return fmt.Errorf("%w: a member maps to null in its @context, so JSON-LD would drop it from the signed data", ErrUndefinedTerm)
	}
	return fmt.Errorf("%w: %v", ErrInvalidDocument, err)
}

// maxReported caps how many further problems a TermError lists.
const maxReported = 10

// locate expands doc again, reporting each node object with its JSON Pointer, and returns the
// problems found in expansion order (members sorted by name, inner objects first): the first
// one, listing the others in Also. It runs only on the failure path, and returns fallback if it
// finds nothing.
func locate(doc any, fallback *TermError) (first *TermError) {
	defer func() {
		if recover() != nil {
			first = fallback
		}
	}()
	var found []TermError
	opts := newOptions()
	opts.ExpandedElementHandler = func(pointer string, expanded any) {
		if len(found) > maxReported {
			return
		}
		if node, ok := expanded.(map[string]any); ok {
			for _, p := range problemsIn(node) {
				p.Path = pointer
				found = append(found, p)
			}
		}
	}
	_, _ = ld.NewJsonLdProcessor().Expand(doc, opts)
	if len(found) == 0 {
		return fallback
	}
	first = &found[0]
	first.Also = found[1:min(len(found), maxReported+1)]
	return first
}

// problemsIn returns the problems carried by the expanded node itself (its member names,
// types, id and the ids and datatypes of its direct values), not by its descendants.
func problemsIn(node map[string]any) []TermError {
	var out []TermError
	add := func(p *TermError) {
		if p != nil {
			out = append(out, *p)
		}
	}
	keys := sortedKeys(node)
	for _, k := range keys {
		if term, undefined := strings.CutPrefix(k, undefinedTermVocab); undefined {
			out = append(out, TermError{Kind: KindMember, Term: term, Err: ErrUndefinedTerm})
		}
	}
	types, ok := node["@type"].([]any)
	if !ok {
		types = []any{node["@type"]}
	}
	for _, t := range types {
		if t != nil {
			add(checkTypes(t))
		}
	}
	if s, ok := node["@id"].(string); ok {
		add(checkIdentifier(s))
	}
	for _, k := range keys {
		if strings.HasPrefix(k, "@") {
			continue
		}
		values, _ := node[k].([]any)
		for _, e := range values {
			m, ok := e.(map[string]any)
			if !ok {
				continue
			}
			if _, isValue := m["@value"]; isValue {
				if dt, ok := m["@type"].(string); ok {
					if term, undefined := strings.CutPrefix(dt, undefinedTermVocab); undefined {
						out = append(out, TermError{Kind: KindType, Term: term, Err: ErrUndefinedTerm})
					}
				}
				continue
			}
			if s, ok := m["@id"].(string); ok && len(m) == 1 {
				add(checkIdentifier(s))
			}
		}
	}
	return out
}

// recovered converts a panic inside json-gold into an error.
func recovered(op string, err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%s: %w: JSON-LD processing failed on this input (%v)", op, ErrInvalidDocument, r)
	}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
