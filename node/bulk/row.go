package bulk

import (
	"math"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/communs/communs/vc/did"
)

// MaxFieldRunes is the longest a cell may be, in characters.
const MaxFieldRunes = 2000

// Row is one valid data row.
type Row struct {
	// Line is the line of the file on which the row starts (the header is line 1).
	Line int
	// RowKey identifies the recipient for idempotency: row_key, else the lowercased
	// e-mail, else the DID.
	RowKey string
	// Email is the recipient's e-mail address (may be empty when DID is set).
	Email string
	// DID is the recipient's DID (may be empty when Email is set).
	DID string
	// Name is the recipient's name, shown on the badge only when ShowName is true.
	Name     string
	ShowName bool
	// Narrative says how the recipient earned the badge.
	Narrative string
	// EvidenceURL is an https URL to evidence; EvidenceName names it.
	EvidenceURL  string
	EvidenceName string
	// CreditsEarned is nil when the cell is empty.
	CreditsEarned *float64
	// Dates are zero when their cell is empty. A date without a time (YYYY-MM-DD) is the
	// start of that day in UTC.
	ActivityStart, ActivityEnd, ValidUntil time.Time
}

// parseRow turns the cells of one record into a Row, or says what is wrong.
func parseRow(h *header, rec []string, line int) (Row, *RowError) {
	row := Row{Line: line}
	fail := func(c column, reason string) (Row, *RowError) {
		return Row{}, &RowError{Line: line, Column: c.String(), Reason: reason}
	}
	var cells [numColumns]string
	for c := range numColumns {
		i := h.index[c]
		if i < 0 {
			continue
		}
		v := rec[i]
		if !utf8.ValidString(v) {
			return fail(c, "is not valid UTF-8 (save the file as UTF-8)")
		}
		v = strings.TrimSpace(v)
		if n := utf8.RuneCountInString(v); n > MaxFieldRunes {
			return fail(c, "is "+strconv.Itoa(n)+" characters long; at most "+strconv.Itoa(MaxFieldRunes)+" are allowed")
		}
		if bad := controlChar(v, c == colNarrative); bad >= 0 {
			return fail(c, "contains a control character (U+"+strconv.FormatUint(uint64(bad), 16)+"); remove it")
		}
		cells[c] = v
	}

	if v := cells[colEmail]; v != "" {
		if reason := checkEmail(v); reason != "" {
			return fail(colEmail, reason)
		}
		row.Email = v
	}
	if v := cells[colDID]; v != "" {
		if _, err := did.Parse(v); err != nil {
			return fail(colDID, "is not a DID (did:method:identifier, e.g. did:key:z6Mk…): "+err.Error())
		}
		row.DID = v
	}
	if row.Email == "" && row.DID == "" {
		c := colEmail
		if h.index[colEmail] < 0 {
			c = colDID
		}
		return fail(c, "is empty: every row needs the recipient's e-mail or DID")
	}
	row.Name = cells[colName]
	if v := cells[colShowName]; v != "" {
		b, ok := parseBool(v)
		if !ok {
			return fail(colShowName, "must be true/false, oui/non, yes/no or 1/0")
		}
		row.ShowName = b
	}
	row.Narrative = cells[colNarrative]
	if v := cells[colEvidenceURL]; v != "" {
		if reason := checkEvidenceURL(v); reason != "" {
			return fail(colEvidenceURL, reason)
		}
		row.EvidenceURL = v
	}
	row.EvidenceName = cells[colEvidenceName]
	if row.EvidenceName != "" && row.EvidenceURL == "" {
		return fail(colEvidenceName, "names evidence but evidence_url is empty: give the evidence's https URL")
	}
	if v := cells[colCreditsEarned]; v != "" {
		f, reason := parseCredits(v)
		if reason != "" {
			return fail(colCreditsEarned, reason)
		}
		row.CreditsEarned = &f
	}
	for _, d := range []struct {
		c   column
		dst *time.Time
	}{{colActivityStart, &row.ActivityStart}, {colActivityEnd, &row.ActivityEnd}, {colValidUntil, &row.ValidUntil}} {
		if v := cells[d.c]; v != "" {
			t, ok := parseDate(v)
			if !ok {
				return fail(d.c, "is not a date: write YYYY-MM-DD (2026-01-31) or an RFC 3339 time (2026-01-31T14:00:00Z)")
			}
			*d.dst = t
		}
	}
	if !row.ActivityStart.IsZero() && !row.ActivityEnd.IsZero() && row.ActivityEnd.Before(row.ActivityStart) {
		return fail(colActivityEnd, "is before activity_start")
	}

	switch {
	case cells[colRowKey] != "":
		row.RowKey = cells[colRowKey]
	case row.Email != "":
		row.RowKey = strings.ToLower(row.Email)
	default:
		row.RowKey = row.DID
	}
	return row, nil
}

// controlChar returns the first control character of s (tabs allowed; line breaks allowed
// when multiline), or -1.
func controlChar(s string, multiline bool) rune {
	for _, r := range s {
		if r == '\t' || (multiline && (r == '\n' || r == '\r')) {
			continue
		}
		if r < 0x20 || r == 0x7f {
			return r
		}
	}
	return -1
}

// checkEmail accepts a bare address (no display name) that net/mail parses.
func checkEmail(v string) string {
	a, err := mail.ParseAddress(v)
	if err != nil {
		return "is not an e-mail address like name@example.org"
	}
	if a.Name != "" || a.Address != v {
		return "must hold the e-mail address alone (name@example.org), without a name or angle brackets"
	}
	return ""
}

func checkEvidenceURL(v string) string {
	u, err := url.Parse(v)
	if err != nil || u.Host == "" || u.Scheme == "" {
		return "is not an absolute URL like https://example.org/work.pdf"
	}
	if u.Scheme != "https" {
		return "must be an https:// URL"
	}
	if u.User != nil {
		return "must not carry a user name or password"
	}
	return ""
}

func parseBool(v string) (value, ok bool) {
	switch strings.ToLower(v) {
	case "true", "oui", "yes", "1", "vrai":
		return true, true
	case "false", "non", "no", "0", "faux":
		return false, true
	}
	return false, false
}

// parseCredits reads a non-negative decimal number; a decimal comma (1,5) is accepted.
func parseCredits(v string) (float64, string) {
	if strings.Count(v, ",") == 1 && !strings.Contains(v, ".") {
		v = strings.Replace(v, ",", ".", 1)
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, "is not a number (write 3 or 1.5)"
	}
	if f < 0 {
		return 0, "is negative; credits earned must be 0 or more"
	}
	return f, ""
}

// parseDate reads RFC 3339 or YYYY-MM-DD (the start of that day in UTC).
func parseDate(v string) (time.Time, bool) {
	if len(v) == len(time.DateOnly) {
		t, err := time.Parse(time.DateOnly, v)
		return t, err == nil
	}
	t, err := time.Parse(time.RFC3339, v)
	return t, err == nil
}
