package jwt

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Shape says where a token carries its credential or presentation.
type Shape int

const (
	// ShapeNone: the payload holds neither a credential nor a presentation.
	ShapeNone Shape = iota
	// ShapeCredential: VC Data Model 2.0 (VC-JOSE-COSE); the payload is the
	// credential.
	ShapeCredential
	// ShapeCredentialClaim: VC Data Model 1.1 and OB 3.0 §8.2; the
	// credential is the "vc" claim.
	ShapeCredentialClaim
	// ShapePresentation: VC Data Model 2.0 (VC-JOSE-COSE); the payload is the
	// presentation.
	ShapePresentation
	// ShapePresentationClaim: VC Data Model 1.1; the presentation is the
	// "vp" claim.
	ShapePresentationClaim
)

// String names the shape for reports.
func (s Shape) String() string {
	switch s {
	case ShapeCredential:
		return "credential payload (VC-JOSE-COSE)"
	case ShapeCredentialClaim:
		return "credential in the vc claim (VC-JWT 1.1)"
	case ShapePresentation:
		return "presentation payload (VC-JOSE-COSE)"
	case ShapePresentationClaim:
		return "presentation in the vp claim (VC-JWT 1.1)"
	default:
		return "no credential"
	}
}

// IsPresentation reports whether the shape carries a presentation.
func (s Shape) IsPresentation() bool {
	return s == ShapePresentation || s == ShapePresentationClaim
}

// Shape returns where the token carries its credential or presentation.
func (t *Token) Shape() Shape { return t.shape }

// docKind is what a typ, a cty or a payload's type says the token carries.
type docKind int

const (
	kindUnknown docKind = iota
	kindCredential
	kindPresentation
)

func (k docKind) String() string {
	switch k {
	case kindCredential:
		return "a credential"
	case kindPresentation:
		return "a presentation"
	default:
		return "neither a credential nor a presentation"
	}
}

// mediaKind classifies a typ or cty value. Media types compare without case
// and may omit the "application/" prefix (RFC 7515 §4.1.9).
func mediaKind(v string) docKind {
	v = strings.ToLower(v)
	v = strings.TrimPrefix(v, "application/")
	switch v {
	case "vc+jwt", "vc+ld+jwt", "vc-ld+jwt", "vc", "vc+ld+json":
		return kindCredential
	case "vp+jwt", "vp+ld+jwt", "vp-ld+jwt", "vp", "vp+ld+json":
		return kindPresentation
	default:
		return kindUnknown
	}
}

// typeKind classifies a JSON-LD document by its type property.
func typeKind(doc map[string]any) (docKind, error) {
	types := typeList(doc["type"])
	vc := slices.Contains(types, "VerifiableCredential")
	vp := slices.Contains(types, "VerifiablePresentation")
	switch {
	case vc && vp:
		return kindUnknown, fmt.Errorf("%w: payload type lists both VerifiableCredential and VerifiablePresentation", ErrMalformed)
	case vc:
		return kindCredential, nil
	case vp:
		return kindPresentation, nil
	default:
		return kindUnknown, nil
	}
}

func typeList(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// detectShape works out where the credential or presentation is, and
// refuses tokens whose header contradicts their payload (a typ of vp+jwt on
// a credential, say), which would let one kind of token pass for another.
func detectShape(h Header, claims map[string]any) (Shape, error) {
	vcClaim, hasVC := claims["vc"]
	vpClaim, hasVP := claims["vp"]
	payloadKind, err := typeKind(claims)
	if err != nil {
		return ShapeNone, err
	}
	var shape Shape
	var carried docKind
	switch {
	case hasVC && hasVP:
		return ShapeNone, fmt.Errorf("%w: payload has both a vc and a vp claim", ErrMalformed)
	case hasVC || hasVP:
		name, doc := "vc", vcClaim
		shape, carried = ShapeCredentialClaim, kindCredential
		if hasVP {
			name, doc = "vp", vpClaim
			shape, carried = ShapePresentationClaim, kindPresentation
		}
		if _, ok := doc.(map[string]any); !ok {
			return ShapeNone, fmt.Errorf("%w: the %s claim must be a JSON object", ErrMalformed, name)
		}
		if payloadKind != kindUnknown {
			return ShapeNone, fmt.Errorf("%w: payload is %s and also has a %s claim; it must be one or the other", ErrMalformed, payloadKind, name)
		}
	case payloadKind == kindCredential:
		shape, carried = ShapeCredential, kindCredential
	case payloadKind == kindPresentation:
		shape, carried = ShapePresentation, kindPresentation
	}
	for _, p := range []struct{ name, value string }{{"typ", h.Typ}, {"cty", h.Cty}} {
		want := mediaKind(p.value)
		if want != kindUnknown && want != carried {
			return ShapeNone, fmt.Errorf("%w: header %s %q announces %s but the payload carries %s", ErrMalformed, p.name, p.value, want, carried)
		}
	}
	return shape, nil
}

// document returns the credential or presentation object inside the
// token's claims (not a copy), or nil for ShapeNone.
func (t *Token) document() map[string]any {
	switch t.shape {
	case ShapeCredential, ShapePresentation:
		return t.claims
	case ShapeCredentialClaim:
		m, _ := t.claims["vc"].(map[string]any)
		return m
	case ShapePresentationClaim:
		m, _ := t.claims["vp"].(map[string]any)
		return m
	}
	return nil
}

// Credential returns the credential (or, when [Shape.IsPresentation], the
// presentation) the token secures, as a fresh map the caller owns, together
// with its shape. For ShapeNone it returns nil.
//
// For the vc-claim shape the registered claims fill in what the credential
// leaves out, as VC Data Model 1.1 §6.3.1 and OB 3.0 §8.2 describe: jti
// becomes id, iss becomes issuer (or issuer.id when issuer is an object
// without id), sub becomes credentialSubject.id, and nbf and exp become
// validFrom and validUntil when the credential uses the VC 2.0 context,
// issuanceDate and expirationDate otherwise. For the vp-claim shape jti
// becomes id and iss becomes holder. Values already in the credential are
// kept; [Token.CheckClaims] reports where they disagree with the claims.
func (t *Token) Credential() (map[string]any, Shape) {
	doc := t.document()
	if doc == nil {
		return nil, ShapeNone
	}
	out := cloneJSON(doc).(map[string]any)
	switch t.shape {
	case ShapeCredentialClaim:
		fillCredential(out, t.reg)
	case ShapePresentationClaim:
		fillPresentation(out, t.reg)
	}
	return out, t.shape
}

// dateKeys returns the names of the validity properties the credential's
// data model uses.
func dateKeys(doc map[string]any) (from, until string) {
	if slices.Contains(typeList(doc["@context"]), "https://www.w3.org/ns/credentials/v2") {
		return "validFrom", "validUntil"
	}
	return "issuanceDate", "expirationDate"
}

// formatDate writes t as an XML Schema dateTime in UTC.
func formatDate(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func fillCredential(vc map[string]any, r registeredClaims) {
	if _, ok := vc["id"]; !ok && r.jti != "" {
		vc["id"] = r.jti
	}
	if r.iss != "" {
		switch issuer := vc["issuer"].(type) {
		case nil:
			vc["issuer"] = r.iss
		case map[string]any:
			if _, ok := issuer["id"]; !ok {
				issuer["id"] = r.iss
			}
		}
	}
	if r.sub != "" {
		switch cs := vc["credentialSubject"].(type) {
		case nil:
			vc["credentialSubject"] = map[string]any{"id": r.sub}
		case map[string]any:
			if _, ok := cs["id"]; !ok {
				cs["id"] = r.sub
			}
		case []any:
			if len(cs) == 1 {
				if m, ok := cs[0].(map[string]any); ok {
					if _, ok := m["id"]; !ok {
						m["id"] = r.sub
					}
				}
			}
		}
	}
	from, until := dateKeys(vc)
	if _, ok := vc[from]; !ok && !r.nbf.IsZero() {
		vc[from] = formatDate(r.nbf)
	}
	if _, ok := vc[until]; !ok && !r.exp.IsZero() {
		vc[until] = formatDate(r.exp)
	}
}

func fillPresentation(vp map[string]any, r registeredClaims) {
	if _, ok := vp["id"]; !ok && r.jti != "" {
		vp["id"] = r.jti
	}
	if r.iss != "" {
		switch holder := vp["holder"].(type) {
		case nil:
			vp["holder"] = r.iss
		case map[string]any:
			if _, ok := holder["id"]; !ok {
				holder["id"] = r.iss
			}
		}
	}
}

// subjectID returns the id of a credential's only subject, or "".
func subjectID(v any) string {
	if a, ok := v.([]any); ok {
		if len(a) != 1 {
			return ""
		}
		v = a[0]
	}
	if m, ok := v.(map[string]any); ok {
		s, _ := m["id"].(string)
		return s
	}
	return ""
}

// CheckClaims reports, as one [ErrClaimMismatch] error, every registered
// claim that disagrees with the credential or presentation it secures. A
// claim or property that is absent is not a disagreement.
//
// For the vc-claim shape (OB 3.0 §8.2 "Verify a Credential") it compares
// iss with issuer.id, sub with credentialSubject.id, jti with id, nbf with
// issuanceDate or validFrom, and exp with expirationDate or validUntil
// (to the second). For the vp-claim shape it compares iss with holder and
// jti with id. For the VC-JOSE-COSE shapes, where the payload is the
// document, it compares iss with issuer (holder for a presentation).
func (t *Token) CheckClaims() error {
	doc := t.document()
	if doc == nil {
		return nil
	}
	var problems []string
	same := func(claim, claimValue, prop, propValue string) {
		if claimValue != "" && propValue != "" && claimValue != propValue {
			problems = append(problems, fmt.Sprintf("claim %s is %q but %s is %q", claim, claimValue, prop, propValue))
		}
	}
	sameTime := func(claim string, claimValue time.Time, prop string) {
		raw, ok := doc[prop]
		if !ok || claimValue.IsZero() {
			return
		}
		s, _ := raw.(string)
		pt, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s %v is not an RFC 3339 date-time, so it cannot be compared with claim %s", prop, raw, claim))
			return
		}
		if !pt.Truncate(time.Second).Equal(claimValue.Truncate(time.Second)) {
			problems = append(problems, fmt.Sprintf("claim %s is %s but %s is %s", claim, formatDate(claimValue), prop, s))
		}
	}
	switch t.shape {
	case ShapeCredentialClaim:
		same("iss", t.reg.iss, "issuer.id", idOf(doc["issuer"]))
		same("sub", t.reg.sub, "credentialSubject.id", subjectID(doc["credentialSubject"]))
		same("jti", t.reg.jti, "id", idOf(doc["id"]))
		from, until := dateKeys(doc)
		sameTime("nbf", t.reg.nbf, from)
		sameTime("exp", t.reg.exp, until)
	case ShapePresentationClaim:
		same("iss", t.reg.iss, "holder", idOf(doc["holder"]))
		same("jti", t.reg.jti, "id", idOf(doc["id"]))
	case ShapeCredential:
		same("iss", t.reg.iss, "issuer", idOf(doc["issuer"]))
	case ShapePresentation:
		same("iss", t.reg.iss, "holder", idOf(doc["holder"]))
	}
	if len(problems) > 0 {
		return fmt.Errorf("jwt claims: %w: %s", ErrClaimMismatch, strings.Join(problems, "; "))
	}
	return nil
}
