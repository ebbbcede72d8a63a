package dataintegrity

// copyJSON deep-copies a value decoded by encoding/json (maps and slices are copied, other
// values are shared).
func copyJSON(v any) any {
	switch t := v.(type) {
	case map[string]any:
		return copyObject(t)
	case []any:
		s := make([]any, len(t))
		for i, e := range t {
			s[i] = copyJSON(e)
		}
		return s
	case []map[string]any:
		s := make([]any, len(t))
		for i, e := range t {
			s[i] = copyObject(e)
		}
		return s
	default:
		return v
	}
}

func copyObject(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, e := range m {
		out[k] = copyJSON(e)
	}
	return out
}
