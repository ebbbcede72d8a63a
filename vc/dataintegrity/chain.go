package dataintegrity

import "fmt"

// previousProofIDs returns the ids a proof chains to (previousProof: a string or an array of
// strings).
func previousProofIDs(proof map[string]any) ([]string, error) {
	switch v := proof["previousProof"].(type) {
	case nil:
		return nil, nil
	case string:
		return []string{v}, nil
	case []any:
		ids := make([]string, len(v))
		for i, e := range v {
			s, ok := e.(string)
			if !ok {
				return nil, fmt.Errorf("%w: \"previousProof\" must hold proof ids (strings)", ErrMalformedProof)
			}
			ids[i] = s
		}
		return ids, nil
	default:
		return nil, fmt.Errorf("%w: \"previousProof\" must be a proof id or an array of proof ids", ErrMalformedProof)
	}
}

// chainedDocument returns the document a chained proof signs: the unsecured document with,
// as its proof, the proofs named by ids (Data Integrity, "Add Proof" and "Verify Proof Sets
// and Chains"). All of them must be present.
func chainedDocument(unsecured map[string]any, proofs []map[string]any, ids []string) (map[string]any, error) {
	matching := make([]any, 0, len(ids))
	for _, id := range ids {
		found := false
		for _, p := range proofs {
			if pid, _ := p["id"].(string); pid == id {
				matching = append(matching, p)
				found = true
				break
			}
		}
		if !found {
			return nil, fmt.Errorf("%w: %q", ErrPreviousProof, id)
		}
	}
	doc := make(map[string]any, len(unsecured)+1)
	for k, v := range unsecured {
		doc[k] = v
	}
	doc["proof"] = matching
	return doc, nil
}
