package schema

import (
	"fmt"
	"slices"
)

// Context URLs that tell which VC data model a credential follows.
const (
	vcdm2Context  = "https://www.w3.org/ns/credentials/v2"
	vcdm11Context = "https://www.w3.org/2018/credentials/v1"
)

// credentialSchemaFor picks the schema that describes doc, or says why none
// does. The type decides: OpenBadgeCredential or AchievementCredential (the
// AchievementCredential schema, which also wins when a document claims both
// an achievement and an endorsement type), else EndorsementCredential. The
// document must then be a VC Data Model 2.0 credential: its first @context
// must be https://www.w3.org/ns/credentials/v2.
func credentialSchemaFor(doc any) (string, error) {
	obj, ok := doc.(map[string]any)
	if !ok {
		return "", fmt.Errorf("%w: the document is %s, not a credential object", ErrNotApplicable, jsonKind(doc))
	}
	types := stringsOf(obj["type"])
	var id string
	switch {
	case slices.Contains(types, "OpenBadgeCredential"), slices.Contains(types, "AchievementCredential"):
		id = AchievementCredentialSchema
	case slices.Contains(types, "EndorsementCredential"):
		id = EndorsementCredentialSchema
	default:
		return "", fmt.Errorf("%w: type %s names no OB 3.0 credential type (OpenBadgeCredential, AchievementCredential or EndorsementCredential)", ErrNotApplicable, jsonText(obj["type"]))
	}
	first, ok := firstContext(obj["@context"])
	switch {
	case !ok:
		return "", fmt.Errorf("%w: the document has no @context, so its VC data model version is unknown (the first @context must be %s)", ErrNotApplicable, vcdm2Context)
	case first == vcdm11Context:
		return "", fmt.Errorf("%w: this is a VC Data Model 1.1 credential (first @context %s); the OB 3.0 JSON schemas describe VC Data Model 2.0 credentials", ErrNotApplicable, vcdm11Context)
	case first != vcdm2Context:
		return "", fmt.Errorf("%w: the first @context is %s, not %s, so this is not a VC Data Model 2.0 credential", ErrNotApplicable, jsonText(first), vcdm2Context)
	}
	return id, nil
}

// firstContext returns the first entry of an @context value (a single
// context or an array of them).
func firstContext(v any) (any, bool) {
	switch c := v.(type) {
	case nil:
		return nil, false
	case []any:
		if len(c) == 0 {
			return nil, false
		}
		return c[0], true
	default:
		return c, true
	}
}

// stringsOf returns the strings of a JSON-LD value that is a single string
// or an array.
func stringsOf(v any) []string {
	switch t := v.(type) {
	case string:
		return []string{t}
	case []any:
		out := make([]string, 0, len(t))
		for _, item := range t {
			if s, ok := item.(string); ok {
				out = append(out, s)
			}
		}
		return out
	default:
		return nil
	}
}

// jsonKind names the JSON type of a decoded value, with its article.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case string:
		return "a string"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	default:
		return "a number"
	}
}
