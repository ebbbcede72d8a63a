package dataintegrity

import (
	"errors"
	"fmt"
)

// Split returns the document without its proof member, and its proofs (one object, or each
// object of an array). A document without proof (or with "proof": null or []) gives no proofs
// and no error. The unsecured document is a new top-level map that shares nested values with
// doc. A proof that is not a JSON object is ErrMalformedProof.
func Split(doc map[string]any) (unsecured map[string]any, proofs []map[string]any, err error) {
	if doc == nil {
		return nil, nil, errors.New("split proofs: the document is empty")
	}
	unsecured = make(map[string]any, len(doc))
	for k, v := range doc {
		if k != "proof" {
			unsecured[k] = v
		}
	}
	switch p := doc["proof"].(type) {
	case nil:
		return unsecured, nil, nil
	case map[string]any:
		return unsecured, []map[string]any{p}, nil
	case []any:
		proofs = make([]map[string]any, 0, len(p))
		for i, e := range p {
			m, ok := e.(map[string]any)
			if !ok {
				return nil, nil, fmt.Errorf("split proofs: %w: proof %d is a %s, not a JSON object", ErrMalformedProof, i+1, jsonKind(e))
			}
			proofs = append(proofs, m)
		}
		return unsecured, proofs, nil
	default:
		return nil, nil, fmt.Errorf("split proofs: %w: \"proof\" is a %s, not an object or an array of objects", ErrMalformedProof, jsonKind(p))
	}
}

// jsonKind names the JSON type of a decoded value.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case bool:
		return "boolean"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	default:
		return "number"
	}
}
