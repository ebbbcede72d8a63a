package web

import (
	"fmt"
	"github.com/communs/communs/vc"
	"strconv"
	"strings"
	"time"
)

// T returns the message key in lang, formatted with args when given. An unknown language
// falls back to DefaultLang; an unknown key is returned as is, so a missing message shows on
// the page instead of vanishing.
func T(lang, key string, args ...any) string {
	msg, ok := catalog[lang][key]
	if !ok {
		msg, ok = catalog[DefaultLang][key]
	}
	if !ok {
		return key
	}
	if len(args) == 0 {
		return msg
	}
	return fmt.Sprintf(msg, args...)
}

// HasMessage reports whether the catalog of lang holds key.
func HasMessage(lang, key string) bool {
	_, ok := catalog[lang][key]
	return ok
}

var monthsFR = [12]string{"janvier", "février", "mars", "avril", "mai", "juin",
	"juillet", "août", "septembre", "octobre", "novembre", "décembre"}

// FormatDate writes the calendar date of t (in t's own location) the way readers of lang
// expect: « 15 septembre 2026 », « 1er mars 2026 » in French, "September 15, 2026" in English.
// Other languages get the French form.
func FormatDate(lang string, t time.Time) string {
	y, m, d := t.Date()
	if lang == "en" {
		return fmt.Sprintf("%s %d, %d", m.String(), d, y)
	}
	day := strconv.Itoa(d)
	if d == 1 {
		day = "1er"
	}
	return day + "\u00a0" + monthsFR[m-1] + "\u00a0" + strconv.Itoa(y)
}

// FormatNumber writes f with the shortest exact decimals, using a decimal comma in French
// (« 1,5 ») and a point in English ("1.5").
func FormatNumber(lang string, f float64) string {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// Reason returns the one-sentence verdict of a verification in lang. failed is the name of the
// first failed check ("" when the credential verified), detail that check's own sentence (it
// tells a revocation from a suspension), warnings whether any check warned.
func Reason(lang, failed, detail string, warnings bool) string {
	switch {
	case failed == "" && warnings:
		return T(lang, "reason.warnings")
	case failed == "":
		return T(lang, "reason.ok")
	case failed == "status" && strings.Contains(detail, "revoked"):
		return T(lang, "reason.status.revoked")
	case failed == "status" && strings.Contains(detail, "suspended"):
		return T(lang, "reason.status.suspended")
	case HasMessage(lang, "reason."+failed):
		return T(lang, "reason."+failed)
	}
	return T(lang, "reason.format")
}

// ReportReason is a verification report's verdict in one sentence in lang: the first failed
// check's reason, or that it passed (with warnings). The checks' own details stay in English.
func ReportReason(lang string, rep *vc.Report) string {
	failed, detail, warnings := "", "", false
	for _, c := range rep.Checks {
		switch {
		case c.Status == vc.Failed && failed == "":
			failed, detail = c.Name, c.Detail
		case c.Status == vc.Warning:
			warnings = true
		}
	}
	return Reason(lang, failed, detail, warnings)
}
