package wallet

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/communs/communs/vc"
)

// transcriptText holds the words of a transcript in one language.
type transcriptText struct {
	title, prepared, holder, issuer, issued, expires, status, credits, checked, none, page string
	statuses                                                                               map[badgeState]string
	months                                                                                 [12]string
	firstDay                                                                               string // how day 1 is written ("1er" in French)
}

// badgeState is what the last verification says of a badge, in one word.
type badgeState int

const (
	stateValid badgeState = iota
	stateRevoked
	stateSuspended
	stateExpired
	stateNotYetValid
	stateBadSignature
	stateNotVerified
)

var transcriptTexts = map[string]*transcriptText{
	"fr": {
		title: "Relevé de badges", prepared: "Établi le %s", holder: "Titulaire\u00a0: %s",
		issuer: "Émetteur\u00a0: %s", issued: "Délivré le %s", expires: "expire le %s",
		status: "Statut\u00a0: %s", credits: "Crédits\u00a0: %s", checked: "vérifié le %s",
		none: "Aucun badge dans ce relevé.", page: "Page %d / %s",
		statuses: map[badgeState]string{
			stateValid: "valide", stateRevoked: "révoqué", stateSuspended: "suspendu", stateExpired: "expiré",
			stateNotYetValid: "pas encore valide", stateBadSignature: "signature non valide", stateNotVerified: "non vérifié",
		},
		months: [12]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
			"septembre", "octobre", "novembre", "décembre"},
		firstDay: "1er",
	},
	"en": {
		title: "Badge transcript", prepared: "Prepared on %s", holder: "Holder: %s",
		issuer: "Issuer: %s", issued: "Issued on %s", expires: "expires on %s",
		status: "Status: %s", credits: "Credits: %s", checked: "checked on %s",
		none: "No badge in this transcript.", page: "Page %d of %s",
		statuses: map[badgeState]string{
			stateValid: "valid", stateRevoked: "revoked", stateSuspended: "suspended", stateExpired: "expired",
			stateNotYetValid: "not yet valid", stateBadSignature: "invalid signature", stateNotVerified: "not verified",
		},
		months: [12]string{"January", "February", "March", "April", "May", "June", "July", "August",
			"September", "October", "November", "December"},
		firstDay: "1",
	},
}

// date writes a calendar date ("1er octobre 2026", "1 October 2026").
func (tt *transcriptText) date(t time.Time) string {
	day := strconv.Itoa(t.Day())
	if t.Day() == 1 {
		day = tt.firstDay
	}
	return fmt.Sprintf("%s %s %d", day, tt.months[t.Month()-1], t.Year())
}

// dateOf formats an RFC 3339 date of a credential, or "" when it cannot be read.
func (tt *transcriptText) dateOf(s string) string {
	if s == "" {
		return ""
	}
	t, err := vc.ParseDateTime(s)
	if err != nil {
		return ""
	}
	return tt.date(t.UTC())
}

// number writes credits as a person reads them ("1,5" in French).
func (tt *transcriptText) number(f float64) string {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if tt == transcriptTexts["fr"] {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// stateOf reads the last verification of b.
func stateOf(b *Badge) badgeState {
	if b.Verified {
		return stateValid
	}
	switch b.Report.State() {
	case vc.StateSuspended:
		return stateSuspended
	case vc.StateRevoked:
		return stateRevoked
	case vc.StateExpired:
		return stateExpired
	case vc.StateNotYetValid:
		return stateNotYetValid
	case vc.StateNotGenuine:
		return stateBadSignature
	}
	return stateNotVerified
}

// printable removes control and format characters (a name is one line) and folds white space.
func printable(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			space = b.Len() > 0
			continue
		}
		if unicode.Is(unicode.Cf, r) {
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}
