package verifier

import (
	"cmp"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/communs/communs/internal/web"
	"github.com/communs/communs/vc"
)

// Recognition values of a Row.
const (
	RecognisedYes       = "yes"
	RecognisedNo        = "no"
	RecognisedUnchecked = "unchecked"
)

// Row is one badge of a report: who holds it, what it attests, who issued it and whether it
// verified. Dates are YYYY-MM-DD (UTC); Status is a badge status (StatusValid, StatusRevoked…),
// Verdict a verdict (VerdictValid, VerdictWarnings, VerdictInvalid).
type Row struct {
	N             int      `json:"n"`
	Input         string   `json:"input,omitempty"`
	Learner       string   `json:"learner,omitempty"`
	Achievement   string   `json:"achievement,omitempty"`
	Issuer        string   `json:"issuer,omitempty"`
	IssuerID      string   `json:"issuerId,omitempty"`
	Recognised    string   `json:"recognised"`
	Status        string   `json:"status"`
	IssuedOn      string   `json:"issuedOn,omitempty"`
	ExpiresOn     string   `json:"expiresOn,omitempty"`
	CreditsEarned *float64 `json:"creditsEarned,omitempty"`
	ActivityStart string   `json:"activityStart,omitempty"`
	ActivityEnd   string   `json:"activityEnd,omitempty"`
	Results       string   `json:"results,omitempty"`
	Verified      bool     `json:"verified"`
	Verdict       string   `json:"verdict"`
	// Reasons is the one-sentence verdict per language ("fr", "en").
	Reasons map[string]string `json:"reasons"`
	// Detail is the technical sentence of the first failed check (English), if any.
	Detail string `json:"detail,omitempty"`
}

// ReasonIn returns the row's reason in lang (English when missing).
func (r Row) ReasonIn(lang string) string {
	if s, ok := r.Reasons[lang]; ok {
		return s
	}
	return r.Reasons["en"]
}

// Total sums one learner's badges: how many, how many valid, and the credits earned by the
// valid ones.
type Total struct {
	Learner string  `json:"learner"`
	Badges  int     `json:"badges"`
	Valid   int     `json:"valid"`
	Credits float64 `json:"credits"`
}

// RowsFromReport turns a report into rows numbered from n: one row for a credential, one per
// credential of a presentation (each not valid when the presentation itself fails). input names
// what was checked (a file name or URL).
func RowsFromReport(n int, input string, rep *vc.Report) []Row {
	if rep.Kind != "presentation" {
		return []Row{rowFromReport(n, input, rep)}
	}
	if len(rep.Credentials) == 0 {
		return []Row{rowFromReport(n, input, rep)}
	}
	var rows []Row
	for i, c := range rep.Credentials {
		row := rowFromReport(n+i, input, c)
		if !rep.Verified && row.Verified {
			// The holder's proof failed: the credential itself is fine, the presentation is not.
			outer := rowFromReport(n+i, input, rep)
			row.Verified, row.Verdict, row.Reasons, row.Detail = false, VerdictInvalid, outer.Reasons, outer.Detail
		}
		rows = append(rows, row)
	}
	return rows
}

func rowFromReport(n int, input string, rep *vc.Report) Row {
	row := Row{
		N: n, Input: input, Verified: rep.Verified, Verdict: Verdict(rep), Status: BadgeStatus(rep),
		Recognised: RecognisedUnchecked, Reasons: map[string]string{},
	}
	for _, l := range web.Langs() {
		row.Reasons[l] = Reason(l, rep)
	}
	if f := rep.Failures(); len(f) > 0 {
		row.Detail = f[0].Detail
	}
	if rep.Recognition != nil {
		row.Recognised = RecognisedNo
		if rep.Recognition.Recognized {
			row.Recognised = RecognisedYes
		}
	}
	b := newBadgeView(rep.Credential)
	if b == nil {
		return row
	}
	row.Learner = b.Recipient
	if row.Learner == "" && rep.Credential != nil {
		row.Learner = hashedIdentity(rep.Credential)
	}
	row.Achievement = firstNonEmpty(b.AchievementName, b.Name)
	row.Issuer, row.IssuerID = firstNonEmpty(b.IssuerName, b.IssuerID), b.IssuerID
	row.IssuedOn, row.ExpiresOn = day(b.IssuedOn), day(b.ExpiresOn)
	row.ActivityStart, row.ActivityEnd = day(b.ActivityStart), day(b.ActivityEnd)
	row.CreditsEarned = b.CreditsEarned
	var res []string
	for _, r := range b.Results {
		s := strings.TrimSpace(firstNonEmpty(r.Value, r.Level, r.Status))
		if r.Name != "" {
			s = r.Name + ": " + s
		}
		res = append(res, s)
	}
	row.Results = strings.Join(res, "; ")
	return row
}

// hashedIdentity is the identityHash of a credential's first identifier: the same e-mail
// hashed with the same salt groups badges, and the address itself is never shown.
func hashedIdentity(doc map[string]any) string {
	raw, err := json.Marshal(doc)
	if err != nil {
		return ""
	}
	var c vc.Credential
	if json.Unmarshal(raw, &c) != nil || c.CredentialSubject == nil || len(c.CredentialSubject.Identifier) == 0 {
		return ""
	}
	return c.CredentialSubject.Identifier[0].IdentityHash
}

func day(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

// Totals sums rows per learner, in order of learner.
func Totals(rows []Row) []Total {
	by := map[string]*Total{}
	for _, r := range rows {
		t, ok := by[r.Learner]
		if !ok {
			t = &Total{Learner: r.Learner}
			by[r.Learner] = t
		}
		t.Badges++
		if r.Verified {
			t.Valid++
			if r.CreditsEarned != nil {
				t.Credits += *r.CreditsEarned
			}
		}
	}
	out := make([]Total, 0, len(by))
	for _, t := range by {
		out = append(out, *t)
	}
	slices.SortFunc(out, func(a, b Total) int { return cmp.Compare(a.Learner, b.Learner) })
	return out
}

// Counts returns how many rows are valid, valid with warnings, and not valid.
func Counts(rows []Row) (valid, warnings, invalid int) {
	for _, r := range rows {
		switch r.Verdict {
		case VerdictValid:
			valid++
		case VerdictWarnings:
			warnings++
		default:
			invalid++
		}
	}
	return
}
