package node

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/communs/communs/internal/httpx"
	"github.com/communs/communs/node/bulk"
)

// MaxBulkBytes bounds one CSV upload of the bulk award endpoint (about 600,000 rows of
// e-mail, name and row key).
const MaxBulkBytes = 64 << 20

// postBulkAwards awards achievement {id} of issuer {slug} to every row of a CSV body
// (text/csv), streamed: each row is answered with one NDJSON line as soon as it is awarded,
// while the upload goes on, then a BulkSummary line closes the answer. Memory does not grow
// with the number of rows (the CSV reader keeps 24 bytes per row to refuse a recipient twice).
func (n *Node) postBulkAwards(w http.ResponseWriter, r *http.Request, _ *Token) {
	ctx := r.Context()
	slug, achID := r.PathValue("slug"), r.PathValue("id")
	if err := checkCSVType(r.Header.Get("Content-Type")); err != nil {
		n.fail(w, r, err)
		return
	}
	ach, err := n.Achievement(ctx, slug, achID)
	if err != nil {
		n.fail(w, r, fmt.Errorf("bulk award: %w", err))
		return
	}
	if ach.Archived {
		n.fail(w, r, fmt.Errorf("bulk award: achievement %s: %w: it cannot be awarded", ach.ID, ErrArchived))
		return
	}
	if err := httpx.SetBodyLimit(r, MaxBulkBytes); errors.Is(err, httpx.ErrNoBodyLimit) {
		r.Body = http.MaxBytesReader(w, r.Body, MaxBulkBytes)
	} else if err != nil {
		n.fail(w, r, err)
		return
	}
	// Answer rows while the upload is still coming in (HTTP/1.1 otherwise forbids reading the
	// body once the answer has started). HTTP/2 is full duplex already and says so with an error.
	rc := http.NewResponseController(w)
	_ = rc.EnableFullDuplex()

	rd, err := bulk.NewReader(r.Body)
	if err != nil {
		n.fail(w, r, bulkReadError(err))
		return
	}
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	// Send the headers now: the client waits for them before it reads any row's answer.
	if rc.Flush() != nil {
		return
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	var sum BulkSummary
	lastLine := 1
	send := func(l any) bool {
		if err := enc.Encode(l); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	for ctx.Err() == nil {
		row, err := rd.Next()
		if err == io.EOF {
			break
		}
		var line BulkLine
		var re *bulk.RowError
		switch {
		case errors.As(err, &re):
			line = BulkLine{Line: re.Line, Status: BulkError, Error: re.Error()}
		case err != nil:
			// The rest of the file cannot be read: say so on the next line, then sum up.
			sum.Errors++
			send(BulkLine{Line: lastLine + 1, Status: BulkError, Error: bulkReadError(err).Error()})
			n.endBulk(w, r, slug, achID, sum, send)
			return
		default:
			line = n.bulkRow(r, slug, achID, row)
		}
		lastLine = max(lastLine, line.Line)
		switch line.Status {
		case BulkAwarded:
			sum.Awarded++
		case BulkExisting:
			sum.Existing++
		default:
			sum.Errors++
		}
		if !send(line) {
			break // the client went away; rows awarded so far are kept
		}
	}
	n.endBulk(w, r, slug, achID, sum, send)
}

// bulkRow awards one valid row and says how it went.
func (n *Node) bulkRow(r *http.Request, slug, achID string, row bulk.Row) BulkLine {
	res, err := n.Award(r.Context(), slug, BulkRequest(achID, row), nil)
	if err != nil {
		msg := err.Error()
		if statusFor(err) >= 500 {
			n.cfg.Logger.ErrorContext(r.Context(), "bulk award row failed", "issuer", slug, "achievement", achID, "line", row.Line, "requestId", httpx.RequestIDFrom(r.Context()), "error", err)
			msg = "the node could not award this row (internal error"
			if id := httpx.RequestIDFrom(r.Context()); id != "" {
				msg += ", request id " + id
			}
			msg += "); upload the file again later: rows already awarded are not awarded twice"
		}
		return BulkLine{Line: row.Line, RowKey: row.RowKey, Status: BulkError, Error: msg}
	}
	st := BulkAwarded
	if res.Existing {
		st = BulkExisting
	}
	return BulkLine{Line: row.Line, RowKey: row.RowKey, Status: st, ID: res.ID, URL: res.URL, ClaimURL: res.ClaimURL}
}

func (n *Node) endBulk(_ http.ResponseWriter, r *http.Request, slug, achID string, sum BulkSummary, send func(any) bool) {
	sum.Done = true
	if r.Context().Err() == nil {
		send(sum)
	}
	n.cfg.Logger.InfoContext(r.Context(), "bulk award", "issuer", slug, "achievement", achID,
		"awarded", sum.Awarded, "existing", sum.Existing, "errors", sum.Errors, "complete", r.Context().Err() == nil)
}

// checkCSVType accepts text/csv (or application/csv) in UTF-8 (or without a charset).
func checkCSVType(ct string) error {
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || (mt != "text/csv" && mt != "application/csv") {
		return fmt.Errorf("%w: send the CSV file with Content-Type text/csv, not %q", ErrUnsupported, ct)
	}
	if cs := params["charset"]; cs != "" && !strings.EqualFold(cs, "utf-8") && !strings.EqualFold(cs, "utf8") {
		return fmt.Errorf("%w: the CSV must be UTF-8, not %s (save it as \"CSV UTF-8\")", ErrUnsupported, cs)
	}
	return nil
}

// bulkReadError names what stopped the CSV reader in words the uploader can act on.
func bulkReadError(err error) error {
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return fmt.Errorf("%w: the CSV is larger than %d MiB: split it into several files (uploading a file again never awards a row twice)", ErrTooLarge, MaxBulkBytes>>20)
	case errors.Is(err, bulk.ErrHeader), errors.Is(err, bulk.ErrRecordTooLarge):
		return fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return fmt.Errorf("%w: the CSV upload could not be read: %v", ErrInvalid, err)
}
