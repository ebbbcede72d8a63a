package schema

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
)

// MaxIssues is the most issues a [Result] lists; [Result.Total] counts them all.
const MaxIssues = 20

// Issue is one way a document departs from its schema.
type Issue struct {
	// Path is a JSON pointer (RFC 6901) to the value at fault; "" is the
	// whole document.
	Path string `json:"path"`
	// Message says what is wrong, for a person ("must contain \"AchievementSubject\"").
	Message string `json:"message"`
}

// String renders the issue as "path: message", with "/" standing for the whole
// document.
func (i Issue) String() string {
	p := i.Path
	if p == "" {
		p = "/"
	}
	return p + ": " + i.Message
}

// Result is the outcome of validating one document against one schema.
type Result struct {
	// Schema is the $id of the schema the document was checked against.
	Schema string `json:"schema"`
	// Issues lists what is wrong, ordered by path then message, at most
	// MaxIssues of them. Empty when the document conforms.
	Issues []Issue `json:"issues,omitempty"`
	// Total is how many distinct issues were found; it exceeds len(Issues)
	// when the list was cut at MaxIssues.
	Total int `json:"total"`
}

// Valid reports whether the document conforms to the schema.
func (r Result) Valid() bool { return r.Total == 0 }

// Truncated reports whether some issues were left out of Issues.
func (r Result) Truncated() bool { return r.Total > len(r.Issues) }

// pointer renders instance-location tokens as a JSON pointer.
func pointer(tokens []string) string {
	var sb strings.Builder
	for _, t := range tokens {
		sb.WriteByte('/')
		t = strings.ReplaceAll(t, "~", "~0")
		sb.WriteString(strings.ReplaceAll(t, "/", "~1"))
	}
	return sb.String()
}

// finish sorts and de-duplicates issues and caps the list at MaxIssues.
func finish(schemaID string, issues []Issue) Result {
	slices.SortFunc(issues, compareIssues)
	issues = slices.Compact(issues)
	r := Result{Schema: schemaID, Total: len(issues)}
	if len(issues) > MaxIssues {
		issues = issues[:MaxIssues]
	}
	if len(issues) > 0 {
		r.Issues = slices.Clip(issues)
	}
	return r
}

// compareIssues orders issues by path, comparing array indexes as numbers
// ("/proof/2" before "/proof/10"), then by message.
func compareIssues(a, b Issue) int {
	if c := comparePointers(a.Path, b.Path); c != 0 {
		return c
	}
	return strings.Compare(a.Message, b.Message)
}

func comparePointers(a, b string) int {
	as, bs := strings.Split(a, "/"), strings.Split(b, "/")
	for i := 0; i < len(as) && i < len(bs); i++ {
		if as[i] == bs[i] {
			continue
		}
		an, aerr := strconv.Atoi(as[i])
		bn, berr := strconv.Atoi(bs[i])
		if aerr == nil && berr == nil && an != bn {
			return cmp.Compare(an, bn)
		}
		return strings.Compare(as[i], bs[i])
	}
	return cmp.Compare(len(as), len(bs))
}
