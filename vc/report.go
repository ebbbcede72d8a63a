package vc

import (
	"fmt"
	"strings"
)

// Outcome is the result of one check.
type Outcome string

// Outcomes of a check. Only Failed makes a credential "not verified"; Warning is shown to the
// evaluator but does not fail it; Skipped says why a check did not apply.
const (
	OK      Outcome = "ok"
	Failed  Outcome = "failed"
	Warning Outcome = "warning"
	Skipped Outcome = "skipped"
)

// Check names, in the order the pipeline runs them.
const (
	CheckFormat       = "format"
	CheckContexts     = "contexts"
	CheckSchema       = "schema"
	CheckProof        = "proof"
	CheckDates        = "dates"
	CheckStatus       = "status"
	CheckIssuer       = "issuer"
	CheckEndorsements = "endorsements"
	CheckCredentials  = "credentials" // a presentation's credentials
)

// Check is one step of a verification with a sentence a person can act on.
type Check struct {
	Name   string  `json:"name"`
	Status Outcome `json:"status"`
	Detail string  `json:"detail"`
}

// Summary is what a person wants to read about a badge (what 1EdTech asks a displayer to show).
type Summary struct {
	Name          string   `json:"name,omitempty"`
	Achievement   string   `json:"achievement,omitempty"`
	Description   string   `json:"description,omitempty"`
	Criteria      string   `json:"criteria,omitempty"`
	IssuerID      string   `json:"issuerId,omitempty"`
	IssuerName    string   `json:"issuerName,omitempty"`
	Recipient     string   `json:"recipient,omitempty"`
	ValidFrom     string   `json:"validFrom,omitempty"`
	ValidUntil    string   `json:"validUntil,omitempty"`
	Types         []string `json:"types,omitempty"`
	ImageURL      string   `json:"image,omitempty"`
	CreditsEarned *float64 `json:"creditsEarned,omitempty"`
}

// Report is the full account of a verification: the verdict and every check in order.
type Report struct {
	Input    string   `json:"input,omitempty"`
	Kind     string   `json:"kind"`             // credential | presentation
	Format   string   `json:"format,omitempty"` // json-ld, vc-jwt, png, svg (with the inner format)
	Version  string   `json:"version,omitempty"`
	Verified bool     `json:"verified"`
	Summary  *Summary `json:"summary,omitempty"`
	Checks   []Check  `json:"checks"`
	// Endorsements are the embedded endorsements, each verified on its own.
	Endorsements []*Report `json:"endorsements,omitempty"`
	// Credentials are the credentials inside a presentation.
	Credentials []*Report `json:"credentials,omitempty"`
	// Recognition is what the federation said about the issuer, when asked.
	Recognition *Recognition `json:"recognition,omitempty"`
	// Credential is the verified document (JSON-LD form; for a JWT, the decoded credential).
	Credential map[string]any `json:"-"`
}

func (r *Report) add(name string, o Outcome, format string, args ...any) {
	r.Checks = append(r.Checks, Check{Name: name, Status: o, Detail: fmt.Sprintf(format, args...)})
}

// Check returns the first check of that name, if any.
func (r *Report) Check(name string) (Check, bool) {
	for _, c := range r.Checks {
		if c.Name == name {
			return c, true
		}
	}
	return Check{}, false
}

// Failures returns the failed checks.
func (r *Report) Failures() []Check {
	var out []Check
	for _, c := range r.Checks {
		if c.Status == Failed {
			out = append(out, c)
		}
	}
	return out
}

// Reason is the one-sentence verdict: why it is not verified, or that it is.
func (r *Report) Reason() string {
	if f := r.Failures(); len(f) > 0 {
		return f[0].Detail
	}
	var warn []string
	for _, c := range r.Checks {
		if c.Status == Warning {
			warn = append(warn, c.Detail)
		}
	}
	if len(warn) > 0 {
		return "Verified, with warnings: " + strings.Join(warn, " ")
	}
	return "Verified: the signature is valid, the issuer's key matches, and the badge is current."
}

func (r *Report) settle() {
	r.Verified = len(r.Checks) > 0 && len(r.Failures()) == 0
}
