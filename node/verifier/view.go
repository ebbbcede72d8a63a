package verifier

import (
	"encoding/json"
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/communs/communs/internal/web"
	"github.com/communs/communs/vc"
)

// Verdicts shown at a glance.
const (
	VerdictValid    = "valid"
	VerdictWarnings = "warnings"
	VerdictInvalid  = "invalid"
)

// Badge statuses, as the shared badge page names them, plus one of our own.
const (
	StatusValid     = web.StatusValid
	StatusExpired   = web.StatusExpired
	StatusRevoked   = web.StatusRevoked
	StatusSuspended = web.StatusSuspended
	StatusUnknown   = web.StatusUnknown
	StatusNotYet    = "notyet" // not valid yet
)

// Verdict is the verdict of a report: valid, valid with warnings, or not valid.
func Verdict(r *vc.Report) string {
	if !r.Verified {
		return VerdictInvalid
	}
	for _, c := range r.Checks {
		if c.Status == vc.Warning {
			return VerdictWarnings
		}
	}
	return VerdictValid
}

// BadgeStatus is the status of the badge a report is about: revoked, suspended, expired, not
// valid yet, unknown (its status list could not be read, or the badge is not genuine, so
// nothing it says can be relied on) or valid.
func BadgeStatus(r *vc.Report) string {
	switch r.State() {
	case vc.StateRevoked:
		return StatusRevoked
	case vc.StateSuspended:
		return StatusSuspended
	case vc.StateNotYetValid:
		return StatusNotYet
	case vc.StateExpired:
		return StatusExpired
	case vc.StateNotGenuine, vc.StateUnknown:
		return StatusUnknown
	}
	return StatusValid
}

// Reason is the report's one-sentence verdict in lang.
func Reason(lang string, r *vc.Report) string {
	failed, detail, warnings := "", "", false
	for _, c := range r.Checks {
		switch {
		case c.Status == vc.Failed && failed == "":
			failed, detail = c.Name, c.Detail
		case c.Status == vc.Warning:
			warnings = true
		}
	}
	if failed == vc.CheckDates {
		switch BadgeStatus(r) {
		case StatusExpired:
			return msgs.T(lang, "reason.expired")
		case StatusNotYet:
			return msgs.T(lang, "reason.notyet")
		}
	}
	if failed == vc.CheckIssuer {
		return msgs.T(lang, "reason.issuer.key")
	}
	return web.Reason(lang, failed, detail, warnings)
}

// resultView is what the result page shows of one report (a credential, a presentation, an
// endorsement).
type resultView struct {
	// Lang is the page language; ID prefixes the element ids of this report; Nested is set for
	// the reports inside another (a presentation's credentials, endorsements).
	Lang, ID                string
	Nested                  bool
	Verdict, Reason, Status string
	Kind                    string // credential | presentation
	Format, Version         string
	Badge                   *badgeView
	Holder                  string
	Checks                  []checkView
	Endorsements            []*resultView
	Credentials             []*resultView
	Recognition             recognitionView
}

// badgeView holds what 1EdTech asks a displayer to show.
type badgeView struct {
	Name, AchievementName, Description, AchievementType string
	Image                                               template.URL
	Criteria                                            template.HTML
	CriteriaURL                                         string
	IssuerName, IssuerID, IssuerURL                     string
	Recipient                                           string
	RecipientHashed                                     string // identity type of a hashed identifier
	IssuedOn, ExpiresOn                                 *time.Time
	ActivityStart, ActivityEnd                          *time.Time
	CreditsEarned, CreditsAvailable                     *float64
	Narrative                                           string
	Evidence                                            []evidenceView
	Alignments                                          []web.AlignmentView
	Results                                             []resultLine
	Tags                                                []string
	EndorsementComment                                  string
	ID                                                  string
}

type evidenceView struct {
	Name, Description, URL, Genre, Narrative string
}

type resultLine struct {
	Name, Value, Status, Level string
}

type checkView struct {
	Name, Status, Detail, Advice string
}

// recognitionView is the recognition line: State is "recognised", "unknown" (not found in the
// registries), "suspended"/"revoked" (in the registry with that status), "unchecked" (no registry
// consulted) or "error" (the registry could not be consulted).
type recognitionView struct {
	State    string
	Vouchers []voucherView
}

type voucherView struct {
	Name  string
	Since time.Time
}

// newResultView builds the page view of a report in lang.
func newResultView(lang string, r *vc.Report) *resultView {
	n := 0
	return buildResultView(lang, r, &n, false)
}

func buildResultView(lang string, r *vc.Report, n *int, nested bool) *resultView {
	*n++
	v := &resultView{
		Lang: lang, ID: fmt.Sprintf("r%d", *n), Nested: nested,
		Verdict: Verdict(r), Reason: Reason(lang, r), Status: BadgeStatus(r),
		Kind: r.Kind, Format: r.Format, Version: r.Version,
		Recognition: recognition(r),
	}
	for _, c := range r.Checks {
		v.Checks = append(v.Checks, checkView{Name: c.Name, Status: string(c.Status), Detail: c.Detail, Advice: advice(lang, c)})
	}
	if r.Kind == "presentation" {
		if h, ok := r.Credential["holder"].(string); ok {
			v.Holder = h
		}
	} else if r.Credential != nil {
		v.Badge = newBadgeView(r.Credential)
	}
	for _, e := range r.Endorsements {
		v.Endorsements = append(v.Endorsements, buildResultView(lang, e, n, true))
	}
	for _, c := range r.Credentials {
		v.Credentials = append(v.Credentials, buildResultView(lang, c, n, true))
	}
	return v
}

// advice is what the evaluator can do about a check that did not pass.
func advice(lang string, c vc.Check) string {
	if c.Status != vc.Failed && c.Status != vc.Warning {
		return ""
	}
	key := "advice." + c.Name
	if msgs.Has(lang, key) {
		return msgs.T(lang, key)
	}
	return ""
}

func recognition(r *vc.Report) recognitionView {
	c, ok := r.Check(vc.CheckIssuer)
	switch {
	case r.Recognition != nil && r.Recognition.Recognized:
		rv := recognitionView{State: "recognised"}
		for _, vch := range r.Recognition.VouchedBy {
			rv.Vouchers = append(rv.Vouchers, voucherView{Name: firstNonEmpty(vch.Name, vch.EntityID), Since: vch.Since})
		}
		return rv
	case r.Recognition != nil && (r.Recognition.Status == "suspended" || r.Recognition.Status == "revoked"):
		return recognitionView{State: r.Recognition.Status}
	case r.Recognition != nil:
		return recognitionView{State: "unknown"}
	case ok && c.Status == vc.Warning:
		return recognitionView{State: "error"}
	}
	return recognitionView{State: "unchecked"}
}

// newBadgeView reads the displayable members of a verified document.
func newBadgeView(doc map[string]any) *badgeView {
	raw, err := json.Marshal(doc)
	if err != nil {
		return nil
	}
	var c vc.Credential
	if json.Unmarshal(raw, &c) != nil {
		return nil
	}
	b := &badgeView{Name: c.Name.String(), ID: c.ID}
	if c.Issuer != nil {
		b.IssuerName, b.IssuerURL = c.Issuer.Name.String(), httpURL(c.Issuer.URL)
	}
	b.IssuerID = c.IssuerID()
	b.IssuedOn = parseTime(firstNonEmpty(c.ValidFrom, c.IssuanceDate, c.AwardedDate))
	b.ExpiresOn = parseTime(firstNonEmpty(c.ValidUntil, c.ExpirationDate))
	if c.Image != nil {
		b.Image = imageURL(c.Image.ID)
	}
	if s := c.CredentialSubject; s != nil {
		b.Recipient = s.ID
		if n := extraString(s.Extra, "name"); n != "" {
			b.Recipient = n
		}
		if b.Recipient == "" && len(s.Identifier) > 0 {
			id := s.Identifier[0]
			if id.Hashed {
				b.RecipientHashed = firstNonEmpty(id.IdentityType, "identifier")
			} else {
				b.Recipient = id.IdentityHash
			}
		}
		b.ActivityStart, b.ActivityEnd = parseTime(s.ActivityStartDate), parseTime(s.ActivityEndDate)
		b.CreditsEarned = s.CreditsEarned
		b.Narrative = s.Narrative.String()
		b.EndorsementComment = s.EndorsementComment.String()
		if s.Image != nil && b.Image == "" {
			b.Image = imageURL(s.Image.ID)
		}
		names := map[string]string{}
		if a := s.Achievement; a != nil {
			b.AchievementName = a.Name.String()
			b.Description = a.Description.String()
			b.AchievementType = a.AchievementType
			b.CreditsAvailable = a.CreditsAvailable
			b.Tags = a.Tag
			if a.Criteria != nil {
				b.Criteria = web.Markdown(a.Criteria.Narrative.String())
				b.CriteriaURL = httpURL(a.Criteria.ID)
			}
			if a.Image != nil && b.Image == "" {
				b.Image = imageURL(a.Image.ID)
			}
			for _, al := range a.Alignment {
				b.Alignments = append(b.Alignments, web.AlignmentView{Name: firstNonEmpty(al.TargetName.String(), al.TargetCode, al.TargetURL), URL: httpURL(al.TargetURL), Framework: al.TargetFramework, Code: al.TargetCode})
			}
			for _, rd := range a.ResultDescription {
				names[rd.ID] = rd.Name.String()
			}
		}
		for _, res := range s.Result {
			name := names[res.ResultDescription]
			b.Results = append(b.Results, resultLine{Name: name, Value: res.Value, Status: res.Status, Level: res.AchievedLevel})
		}
	}
	if b.Name == "" {
		b.Name = b.AchievementName
	}
	for _, e := range c.Evidence.Items {
		b.Evidence = append(b.Evidence, evidenceView{Name: e.Name.String(), Description: e.Description.String(), URL: httpURL(e.ID), Genre: e.Genre, Narrative: e.Narrative.String()})
	}
	return b
}

func extraString(e vc.Extra, key string) string {
	var s string
	if raw, ok := e[key]; ok && json.Unmarshal(raw, &s) == nil {
		return s
	}
	return ""
}

func parseTime(s string) *time.Time {
	if s == "" {
		return nil
	}
	t, err := vc.ParseDateTime(s)
	if err != nil {
		return nil
	}
	return &t
}

// httpURL keeps an http(s) URL (for a link) and drops anything else.
func httpURL(s string) string {
	l := strings.ToLower(s)
	if strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://") {
		return s
	}
	return ""
}

// imageURL keeps an http(s) URL or a data: URI of a raster or SVG image (shown in <img>, where
// an SVG cannot run scripts).
func imageURL(s string) template.URL {
	if httpURL(s) != "" {
		return template.URL(s)
	}
	l := strings.ToLower(s)
	for _, p := range []string{"data:image/png;", "data:image/jpeg;", "data:image/gif;", "data:image/webp;", "data:image/svg+xml;", "data:image/svg+xml,"} {
		if strings.HasPrefix(l, p) {
			return template.URL(s)
		}
	}
	return ""
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
