package verifier

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/communs/communs/internal/web"
)

// CSVOptions adjusts WriteCSV.
type CSVOptions struct {
	// Lang is the language of the header row and of the words in cells ("fr" or "en").
	Lang string
	// BOM starts the file with a UTF-8 byte order mark, which spreadsheet programs need to read
	// accents right.
	BOM bool
}

// csvHeader is the column list of WriteCSV, as message keys of the catalog (or literal names).
var csvHeader = []string{"#", "col.input", "col.learner", "col.achievement", "col.issuer", "d.issuerId",
	"col.recognised", "col.status", "col.issued", "col.expires", "col.credits", "col.activity", "d.results",
	"col.verdict", "col.reason", "checks.detail"}

// WriteCSV writes rows as CSV (RFC 4180: UTF-8, a header row, CRLF line ends, quotes where
// needed). Cells that a spreadsheet would run as a formula (starting with = + - @) are prefixed
// with an apostrophe: credentials come from anyone.
func WriteCSV(w io.Writer, rows []Row, o CSVOptions) error {
	lang := o.Lang
	if lang != "en" {
		lang = web.DefaultLang
	}
	if o.BOM {
		if _, err := io.WriteString(w, "\ufeff"); err != nil {
			return fmt.Errorf("write CSV: %w", err)
		}
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	head := make([]string, len(csvHeader))
	for i, k := range csvHeader {
		switch k {
		case "#":
			head[i] = "#"
		case "checks.detail":
			head[i] = msgs.T(lang, "col.detail")
		default:
			head[i] = msgs.T(lang, k)
		}
	}
	if err := cw.Write(head); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	for _, r := range rows {
		credits := ""
		if r.CreditsEarned != nil {
			credits = strconv.FormatFloat(*r.CreditsEarned, 'f', -1, 64)
		}
		activity := r.ActivityStart
		if r.ActivityEnd != "" && r.ActivityEnd != r.ActivityStart {
			activity = strings.TrimPrefix(activity+"/"+r.ActivityEnd, "/")
		}
		rec := []string{strconv.Itoa(r.N), r.Input, r.Learner, r.Achievement, r.Issuer, r.IssuerID,
			msgs.T(lang, r.Recognised), msgs.T(lang, "status."+r.Status), r.IssuedOn, r.ExpiresOn, credits, activity, r.Results,
			msgs.T(lang, "verdict."+r.Verdict), r.ReasonIn(lang), r.Detail}
		for i := range rec {
			rec[i] = defuse(rec[i])
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write CSV: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	return nil
}

// defuse keeps a spreadsheet from reading a cell as a formula.
func defuse(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
