package jsonld

import "fmt"

// Expand returns the JSON-LD expanded form of doc (a JSON object or array as decoded by
// encoding/json), using the embedded contexts only and the same safe mode as Canonicalize.
func Expand(doc any) (out []any, err error) {
	defer recovered("expand", &err)
	out, err = expandSafe(doc)
	if err != nil {
		return nil, fmt.Errorf("expand: %w", err)
	}
	return out, nil
}
