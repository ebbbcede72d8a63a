package schema

import "errors"

// errNotEmbedded is what the compiler gets for any schema URL that is not
// embedded: Communs never fetches a schema.
var errNotEmbedded = errors.New("schema is not embedded and schemas are never fetched")

// offlineLoader is the compiler's URL loader. Embedded schemas are registered
// as resources up front and the draft meta-schemas ship with the library, so
// the compiler only calls Load for a URL that is neither; it always refuses.
type offlineLoader struct{}

// Load refuses every URL.
func (offlineLoader) Load(url string) (any, error) {
	return nil, errNotEmbedded
}
