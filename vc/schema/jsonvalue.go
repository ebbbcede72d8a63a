package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// maxDepth bounds how deeply nested a document may be; it matches the limit
// encoding/json applies when decoding.
const maxDepth = 10000

// decodeJSON parses exactly one JSON value, keeping numbers exact.
func decodeJSON(data []byte) (any, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotJSON, err)
	}
	return doc, nil
}

// checkJSONValue reports the first place in v holding something encoding/json
// would not produce when decoding into an any (nil, bool, float64,
// json.Number, string, []any, map[string]any).
func checkJSONValue(v any) error {
	var tokens []string
	var walk func(v any, depth int) error
	walk = func(v any, depth int) error {
		if depth > maxDepth {
			return fmt.Errorf("%w: value at %s is nested more than %d levels deep", ErrNotJSON, pointer(tokens), maxDepth)
		}
		switch v := v.(type) {
		case nil, bool, string:
			return nil
		case float64:
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("%w: value at %s is %v, which JSON cannot represent", ErrNotJSON, pointer(tokens), v)
			}
			return nil
		case json.Number:
			if !isJSONNumber(string(v)) {
				return fmt.Errorf("%w: value at %s is %q, which is not a JSON number", ErrNotJSON, pointer(tokens), string(v))
			}
			return nil
		case []any:
			for i, item := range v {
				tokens = append(tokens, strconv.Itoa(i))
				if err := walk(item, depth+1); err != nil {
					return err
				}
				tokens = tokens[:len(tokens)-1]
			}
			return nil
		case map[string]any:
			for k, item := range v {
				tokens = append(tokens, k)
				if err := walk(item, depth+1); err != nil {
					return err
				}
				tokens = tokens[:len(tokens)-1]
			}
			return nil
		default:
			return fmt.Errorf("%w: value at %s is a Go %T; pass what encoding/json decodes into an any, or use ValidateJSON", ErrNotJSON, pointer(tokens), v)
		}
	}
	return walk(v, 0)
}

// isJSONNumber reports whether s is a number in JSON syntax.
func isJSONNumber(s string) bool {
	if s == "" || (s[0] != '-' && !isDigit(s[0])) || !isDigit(s[len(s)-1]) {
		return false
	}
	return json.Valid([]byte(s))
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
