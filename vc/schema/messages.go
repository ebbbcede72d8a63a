package schema

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// libraryPrinter renders the library's own message for the rare keywords the
// OB 3.0 schemas do not use.
var libraryPrinter = message.NewPrinter(language.English)

// languageTagPattern is the key pattern of every language map in the OB 3.0
// schemas.
const languageTagPattern = `^[a-z]{2}(-[A-Z]{2})?$`

// maxListed is how many allowed values a message spells out.
const maxListed = 6

// describe turns one keyword failure into an issue worded for a person.
func describe(f failure, set *compiled) Issue {
	return Issue{Path: pointer(f.loc), Message: messageFor(f, set)}
}

func messageFor(f failure, set *compiled) string {
	switch k := f.kind.(type) {
	case *kind.Required:
		if len(k.Missing) == 1 {
			return fmt.Sprintf("missing required property %q", k.Missing[0])
		}
		return "missing required properties " + quoteAll(k.Missing)
	case *kind.Type:
		return fmt.Sprintf("must be %s, not %s", typeList(k.Want), withArticle(k.Got))
	case *kind.Enum:
		if len(k.Want) == 1 {
			return "must be " + jsonText(k.Want[0])
		}
		return "must be one of " + valueList(k.Want)
	case *kind.Const:
		return "must be " + jsonText(k.Want)
	case *kind.Contains:
		return containsMessage(f, set)
	case *kind.MinContains:
		return fmt.Sprintf("must contain at least %d items matching the schema, has %d", k.Want, len(k.Got))
	case *kind.MaxContains:
		return fmt.Sprintf("must contain at most %d items matching the schema, has %d", k.Want, len(k.Got))
	case *kind.Format:
		return formatMessage(k)
	case *kind.Pattern:
		return fmt.Sprintf("%s does not match the required pattern %s", jsonText(k.Got), k.Want)
	case *kind.PropertyNames:
		p, ok := lookup(set, f.schemaURL)["pattern"].(string)
		if p == languageTagPattern {
			return fmt.Sprintf("%q is not a language tag such as \"en\" or \"en-US\" (the keys of a language map must match %s)", k.Property, p)
		}
		if ok {
			return fmt.Sprintf("property name %q is not allowed here (names must match %s)", k.Property, p)
		}
		return fmt.Sprintf("property name %q is not allowed here", k.Property)
	case *kind.AdditionalProperties:
		if len(k.Properties) == 1 {
			return fmt.Sprintf("property %q is not allowed here", k.Properties[0])
		}
		return "properties " + quoteAll(slices.Sorted(slices.Values(k.Properties))) + " are not allowed here"
	case *kind.AdditionalItems:
		return fmt.Sprintf("has %d more items than allowed", k.Count)
	case *kind.MinItems:
		return fmt.Sprintf("must have at least %s, has %d", count(k.Want, "item"), k.Got)
	case *kind.MaxItems:
		return fmt.Sprintf("must have at most %s, has %d", count(k.Want, "item"), k.Got)
	case *kind.MinLength:
		return fmt.Sprintf("must be at least %s long, is %d", count(k.Want, "character"), k.Got)
	case *kind.MaxLength:
		return fmt.Sprintf("must be at most %s long, is %d", count(k.Want, "character"), k.Got)
	case *kind.MinProperties:
		return fmt.Sprintf("must have at least %s, has %d", count(k.Want, "property"), k.Got)
	case *kind.MaxProperties:
		return fmt.Sprintf("must have at most %s, has %d", count(k.Want, "property"), k.Got)
	case *kind.UniqueItems:
		return fmt.Sprintf("items %d and %d are equal; items must be unique", k.Duplicates[0], k.Duplicates[1])
	case *kind.Dependency:
		return fmt.Sprintf("property %q also requires %s", k.Prop, quoteAll(k.Missing))
	case *kind.DependentRequired:
		return fmt.Sprintf("property %q also requires %s", k.Prop, quoteAll(k.Missing))
	case *kind.OneOf:
		return fmt.Sprintf("matches more than one of the allowed forms (alternatives %d and %d) but must match exactly one", k.Subschemas[0], k.Subschemas[1])
	case *kind.Not:
		return "must not match the form the schema excludes here"
	case *kind.FalseSchema:
		return "is not allowed here"
	default:
		return f.kind.LocalizedString(libraryPrinter)
	}
}

// containsMessage names what an array must contain, from the "contains"
// subschema (an enum or a const in the OB 3.0 schemas).
func containsMessage(f failure, set *compiled) string {
	sub, _ := lookup(set, f.schemaURL)["contains"].(map[string]any)
	if want, ok := sub["enum"].([]any); ok && len(want) > 0 {
		if len(want) == 1 {
			return "must contain " + jsonText(want[0])
		}
		return "must contain one of " + valueList(want)
	}
	if want, ok := sub["const"]; ok {
		return "must contain " + jsonText(want)
	}
	return "must contain at least one item matching the schema"
}

func formatMessage(k *kind.Format) string {
	got := jsonText(k.Got)
	switch k.Want {
	case "date-time":
		return got + ` is not a valid date-time (RFC 3339 with a time zone, for example "2024-05-01T12:00:00Z")`
	case "date":
		return got + ` is not a valid date (for example "2024-05-01")`
	default:
		return fmt.Sprintf("%s is not a valid %s", got, k.Want)
	}
}

// lookup returns the raw schema object at an absolute schema location
// ("https://...schema.json#/$defs/X/properties/y"), or nil.
func lookup(set *compiled, location string) map[string]any {
	base, frag, _ := strings.Cut(location, "#")
	node := set.raw[base]
	if frag != "" {
		if f, err := url.PathUnescape(frag); err == nil {
			frag = f
		}
		for _, tok := range strings.Split(strings.TrimPrefix(frag, "/"), "/") {
			tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
			switch n := node.(type) {
			case map[string]any:
				node = n[tok]
			case []any:
				i := indexOf(tok, len(n))
				if i < 0 {
					return nil
				}
				node = n[i]
			default:
				return nil
			}
		}
	}
	m, _ := node.(map[string]any)
	return m
}

// indexOf parses an array index token, returning -1 when it is not one
// below n.
func indexOf(tok string, n int) int {
	if tok == "" || len(tok) > 9 {
		return -1
	}
	i := 0
	for _, c := range []byte(tok) {
		if c < '0' || c > '9' {
			return -1
		}
		i = i*10 + int(c-'0')
	}
	if i >= n {
		return -1
	}
	return i
}

func withArticle(t string) string {
	switch t {
	case "object", "array", "integer":
		return "an " + t
	case "null":
		return "null"
	default:
		return "a " + t
	}
}

func typeList(types []string) string {
	words := make([]string, len(types))
	for i, t := range types {
		words[i] = withArticle(t)
	}
	return joinOr(words)
}

func joinOr(words []string) string {
	switch len(words) {
	case 0:
		return "something else"
	case 1:
		return words[0]
	default:
		return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
	}
}

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

func valueList(values []any) string {
	shown := values
	if len(shown) > maxListed {
		shown = shown[:maxListed]
	}
	q := make([]string, len(shown))
	for i, v := range shown {
		q[i] = jsonText(v)
	}
	s := strings.Join(q, ", ")
	if len(values) > len(shown) {
		s += fmt.Sprintf(" (and %d more)", len(values)-len(shown))
	}
	return s
}

// jsonText renders a JSON value compactly, shortening long ones.
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	const limit = 80
	if len(b) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(b[cut]) {
			cut--
		}
		return string(b[:cut]) + "…"
	}
	return string(b)
}

func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if strings.HasSuffix(noun, "y") {
		return fmt.Sprintf("%d %sies", n, strings.TrimSuffix(noun, "y"))
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
