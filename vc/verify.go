package vc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/communs/communs/vc/bake"
	"github.com/communs/communs/vc/did"
)

// MaxInput is the largest input Verify reads (a baked image included).
const MaxInput = 20 << 20

// Options carry what a verification depends on: the clock, how to resolve DIDs and fetch status
// lists, and the evaluator's policy.
type Options struct {
	// Now is the verification time; zero means time.Now().
	Now time.Time
	// Resolver resolves DIDs; nil resolves did:key and did:jwk only (no network).
	Resolver did.Resolver
	// HTTPClient fetches status lists (use the guarded client); nil: status lists are not
	// fetched and their status is unknown.
	HTTPClient *http.Client
	// Trust, when set, adds the issuer-recognition check.
	Trust IssuerTrust
	// RequireRecognizedIssuer makes an issuer unknown to the federation a failure instead of a
	// warning.
	RequireRecognizedIssuer bool
	// UnknownStatusIsWarning accepts a credential whose status list cannot be read (default: the
	// credential is not verified, with that reason).
	UnknownStatusIsWarning bool
	// FragmentKeys accepts verification methods of the form https://host/path#z6Mk… whose
	// fragment is the public key itself, with the URL before '#' as controller (a convention of
	// 1EdTech examples). Off by default: nothing binds such a key to the issuer.
	FragmentKeys bool
	// Challenge and Domain, when set, must match a presentation's proof.
	Challenge, Domain string
	// Input names the input in the report (a file name or URL).
	Input string
}

func (o *Options) now() time.Time {
	if o.Now.IsZero() {
		return time.Now()
	}
	return o.Now
}

func (o *Options) resolver() did.Resolver {
	if o.Resolver != nil {
		return o.Resolver
	}
	return did.NewResolver(did.Options{})
}

// maxDepth bounds recursion through endorsements and presentations.
const maxDepth = 4

// Verify checks a credential or presentation given as JSON, a compact JWT, or a baked PNG/SVG, and
// returns the report of every check. It never panics; the error is non-nil only when ctx is done.
func Verify(ctx context.Context, input []byte, opts Options) (rep *Report, err error) {
	defer func() {
		if p := recover(); p != nil {
			rep = &Report{Input: opts.Input, Kind: "credential"}
			rep.add(CheckFormat, Failed, "The input could not be processed (internal error: %v). Please report it.", p)
			rep.settle()
		}
	}()
	rep = verifyInput(ctx, input, &opts, 0)
	rep.Input = opts.Input
	return rep, ctx.Err()
}

func verifyInput(ctx context.Context, input []byte, opts *Options, depth int) *Report {
	rep := &Report{Kind: "credential"}
	if len(input) > MaxInput {
		rep.add(CheckFormat, Failed, "The input is %d bytes; the limit is %d.", len(input), MaxInput)
		rep.settle()
		return rep
	}
	trimmed := bytes.TrimSpace(input)
	prefix := ""
	if _, kind, err := bake.Unbake(trimmed); !errors.Is(err, bake.ErrNotImage) {
		if err != nil {
			rep.Format = kind
			rep.add(CheckFormat, Failed, "The %s image carries no readable badge: %v.", strings.ToUpper(kind), err)
			rep.settle()
			return rep
		}
		cred, _, _ := bake.Unbake(trimmed)
		prefix = kind + "/"
		trimmed = bytes.TrimSpace(cred)
	}
	// A JSON string holding a JWT.
	if len(trimmed) > 0 && trimmed[0] == '"' {
		var s string
		if json.Unmarshal(trimmed, &s) == nil {
			trimmed = []byte(strings.TrimSpace(s))
		}
	}
	switch {
	case len(trimmed) == 0:
		rep.add(CheckFormat, Failed, "The input is empty.")
	case trimmed[0] == '{':
		var doc map[string]any
		if err := json.Unmarshal(trimmed, &doc); err != nil {
			rep.add(CheckFormat, Failed, "The input is not valid JSON: %v.", err)
			break
		}
		rep.Format = prefix + "json-ld"
		verifyDocument(ctx, rep, doc, opts, depth)
	case looksLikeJWT(trimmed):
		rep.Format = prefix + "vc-jwt"
		verifyJWT(ctx, rep, string(trimmed), opts, depth)
	default:
		rep.add(CheckFormat, Failed, "The input is neither a JSON credential, a VC-JWT, nor a baked PNG or SVG badge.")
	}
	if prefix != "" && len(rep.Checks) > 0 && rep.Checks[0].Name == CheckFormat {
		rep.Checks[0].Detail = "Baked in a " + strings.ToUpper(strings.TrimSuffix(prefix, "/")) + " image: " + rep.Checks[0].Detail
	}
	rep.settle()
	return rep
}

func verifyDocument(ctx context.Context, rep *Report, doc map[string]any, opts *Options, depth int) {
	rep.Credential = doc
	types := stringsOf(doc["type"])
	if containsStr(types, TypeVP) {
		rep.Kind = "presentation"
		verifyPresentation(ctx, rep, doc, opts, depth)
		return
	}
	if doc["credentialSubject"] == nil || !containsStr(types, TypeVC) {
		rep.add(CheckFormat, Failed, "The JSON is not a verifiable credential: it needs \"type\" with \"VerifiableCredential\" and a \"credentialSubject\".")
		return
	}
	rep.Version = dataModelVersion(doc)
	rep.add(CheckFormat, OK, "A JSON-LD verifiable credential (VC Data Model %s) of type %s.", rep.Version, strings.Join(types, ", "))
	rep.Summary = summarize(doc)
	contextsOK := checkContexts(rep, doc)
	checkSchema(rep, doc)
	if !contextsOK {
		return
	}
	issuer := issuerID(doc)
	keyID := checkProofs(ctx, rep, doc, issuer, "assertionMethod", opts)
	checkDates(rep, doc, opts.now())
	checkStatus(ctx, rep, doc, opts, depth)
	checkIssuer(ctx, rep, issuer, keyID, opts)
	checkEndorsements(ctx, rep, doc, opts, depth)
}

func dataModelVersion(doc map[string]any) string {
	if ctx := stringsOf(doc["@context"]); len(ctx) > 0 && ctx[0] == ContextV1 {
		return "1.1"
	}
	return "2.0"
}

func issuerID(doc map[string]any) string {
	switch v := doc["issuer"].(type) {
	case string:
		return v
	case map[string]any:
		s, _ := v["id"].(string)
		return s
	}
	return ""
}

// stringsOf returns the strings of a single-or-array member.
func stringsOf(v any) []string {
	switch t := v.(type) {
	case string:
		return []string{t}
	case []any:
		out := make([]string, 0, len(t))
		for _, x := range t {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func containsStr(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func summarize(doc map[string]any) *Summary {
	raw, err := json.Marshal(doc)
	if err != nil {
		return nil
	}
	var c Credential
	if json.Unmarshal(raw, &c) != nil {
		return &Summary{IssuerID: issuerID(doc), Types: stringsOf(doc["type"])}
	}
	s := &Summary{
		Name:       c.Name.String(),
		IssuerID:   c.IssuerID(),
		ValidFrom:  firstNonEmpty(c.ValidFrom, c.IssuanceDate),
		ValidUntil: firstNonEmpty(c.ValidUntil, c.ExpirationDate),
		Types:      c.Type.Items,
	}
	if c.Issuer != nil {
		s.IssuerName = c.Issuer.Name.String()
	}
	if c.Image != nil {
		s.ImageURL = c.Image.ID
	}
	if sub := c.CredentialSubject; sub != nil {
		s.Recipient = sub.ID
		if s.Recipient == "" && len(sub.Identifier) > 0 {
			if sub.Identifier[0].Hashed {
				s.Recipient = "identified by a hashed " + sub.Identifier[0].IdentityType
			} else {
				s.Recipient = sub.Identifier[0].IdentityHash
			}
		}
		s.CreditsEarned = sub.CreditsEarned
		if a := sub.Achievement; a != nil {
			s.Achievement = a.Name.String()
			s.Description = a.Description.String()
			if a.Criteria != nil {
				s.Criteria = firstNonEmpty(a.Criteria.Narrative.String(), a.Criteria.ID)
			}
			if s.ImageURL == "" && a.Image != nil {
				s.ImageURL = a.Image.ID
			}
		}
		if s.Name == "" {
			s.Name = s.Achievement
		}
	}
	return s
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
