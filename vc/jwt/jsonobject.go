package jwt

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"unicode/utf8"
)

// maxJSONDepth bounds the nesting of header and payload JSON. Credentials are
// a few levels deep; the bound keeps hostile input from nesting far.
const maxJSONDepth = 128

// decodeObject decodes one JSON object the way encoding/json decodes into an
// any (objects become map[string]any, numbers float64), but refuses what
// encoding/json would let through silently: invalid UTF-8, a member name
// that appears twice in the same object (two parsers could read different
// values), and nesting deeper than maxJSONDepth.
func decodeObject(data []byte) (map[string]any, error) {
	if !utf8.Valid(data) {
		return nil, errors.New("it is not valid UTF-8")
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, fmt.Errorf("it is not JSON: %w", err)
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("it is not a JSON object")
	}
	if err := checkMembers(data); err != nil {
		return nil, err
	}
	return obj, nil
}

// checkMembers scans JSON that encoding/json has already accepted and
// reports a member name repeated within one object, or nesting deeper than
// maxJSONDepth. It keeps the names of the open objects in one buffer and
// sorts each object's names when the object closes.
func checkMembers(data []byte) error {
	type level struct {
		object bool
		first  int // index in names of this object's first member name
	}
	var (
		stack     []level
		names     [][]byte
		expectKey bool
	)
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case '{', '[':
			if len(stack) == maxJSONDepth {
				return fmt.Errorf("it nests JSON deeper than %d levels", maxJSONDepth)
			}
			stack = append(stack, level{object: data[i] == '{', first: len(names)})
			expectKey = data[i] == '{'
		case '}', ']':
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if top.object {
				members := names[top.first:]
				slices.SortFunc(members, bytes.Compare)
				for j := 1; j < len(members); j++ {
					if bytes.Equal(members[j-1], members[j]) {
						return fmt.Errorf("member %q appears twice in the same JSON object", members[j])
					}
				}
				names = names[:top.first]
			}
			expectKey = false
		case ',':
			expectKey = len(stack) > 0 && stack[len(stack)-1].object
		case '"':
			end, escaped := stringEnd(data, i)
			if expectKey {
				name := data[i+1 : end]
				if escaped {
					var s string
					if err := json.Unmarshal(data[i:end+1], &s); err != nil {
						return fmt.Errorf("it is not JSON: %w", err)
					}
					name = []byte(s)
				}
				names = append(names, name)
				expectKey = false
			}
			i = end
		}
	}
	return nil
}

// stringEnd returns the index of the quote closing the JSON string that
// opens at data[start], and whether the string holds escapes.
func stringEnd(data []byte, start int) (end int, escaped bool) {
	for i := start + 1; i < len(data); i++ {
		switch data[i] {
		case '\\':
			escaped = true
			i++
		case '"':
			return i, escaped
		}
	}
	return len(data) - 1, escaped // unreachable for JSON that decoded
}

// cloneJSON returns a deep copy of a value produced by decodeObject, so that
// callers may change what they are given without touching the token.
func cloneJSON(v any) any {
	switch v := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, e := range v {
			m[k] = cloneJSON(e)
		}
		return m
	case []any:
		a := make([]any, len(v))
		for i, e := range v {
			a[i] = cloneJSON(e)
		}
		return a
	default:
		return v
	}
}
