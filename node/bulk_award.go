package node

import (
	"time"

	"github.com/communs/communs/node/bulk"
)

// BulkLine is one line of the NDJSON answer of the bulk award endpoint: the outcome of one
// data row of the CSV file.
type BulkLine struct {
	// Line is the line of the CSV file on which the row starts (the header is line 1).
	Line int `json:"line"`
	// RowKey is the row's idempotency key (empty when the row could not be read).
	RowKey string `json:"rowKey,omitempty"`
	// Status is BulkAwarded, BulkExisting or BulkError.
	Status   string `json:"status"`
	ID       string `json:"id,omitempty"`
	URL      string `json:"url,omitempty"`
	ClaimURL string `json:"claimUrl,omitempty"`
	// Error says what is wrong with the row (only with BulkError).
	Error string `json:"error,omitempty"`
}

// BulkSummary is the last line of the bulk award answer.
type BulkSummary struct {
	Done     bool `json:"done"`
	Awarded  int  `json:"awarded"`
	Existing int  `json:"existing"`
	Errors   int  `json:"errors"`
}

// Statuses of a BulkLine.
const (
	BulkAwarded  = "awarded"
	BulkExisting = "existing"
	BulkError    = "error"
)

// BulkRequest turns a valid CSV row into the award request of achievement achID: the
// row's e-mail and/or DID, name, narrative, evidence link, credits, dates and row key.
func BulkRequest(achID string, row bulk.Row) AwardRequest {
	req := AwardRequest{
		AchievementID: achID,
		Recipient:     Recipient{Email: row.Email, DID: row.DID, Name: row.Name, ShowName: row.ShowName},
		Narrative:     row.Narrative,
		CreditsEarned: row.CreditsEarned,
		RowKey:        row.RowKey,
	}
	if row.EvidenceURL != "" {
		req.Evidence = []EvidenceLink{{URL: row.EvidenceURL, Name: row.EvidenceName}}
	}
	req.ActivityStartDate = rfc3339(row.ActivityStart)
	req.ActivityEndDate = rfc3339(row.ActivityEnd)
	req.ValidUntil = rfc3339(row.ValidUntil)
	return req
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}
