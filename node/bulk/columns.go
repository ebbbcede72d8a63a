package bulk

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// column is one known CSV column.
type column int

const (
	colEmail column = iota
	colDID
	colName
	colShowName
	colNarrative
	colEvidenceURL
	colEvidenceName
	colCreditsEarned
	colActivityStart
	colActivityEnd
	colValidUntil
	colRowKey
	numColumns
)

// columnNames are the column names a file may use, in the order of the documentation.
var columnNames = [numColumns]string{
	colEmail:         "email",
	colDID:           "did",
	colName:          "name",
	colShowName:      "show_name",
	colNarrative:     "narrative",
	colEvidenceURL:   "evidence_url",
	colEvidenceName:  "evidence_name",
	colCreditsEarned: "credits_earned",
	colActivityStart: "activity_start",
	colActivityEnd:   "activity_end",
	colValidUntil:    "valid_until",
	colRowKey:        "row_key",
}

// Columns returns the names of the columns a file may use.
func Columns() []string { return append([]string(nil), columnNames[:]...) }

func (c column) String() string { return columnNames[c] }

func lookupColumn(name string) (column, bool) {
	for c, n := range columnNames {
		if n == name {
			return column(c), true
		}
	}
	return 0, false
}

// header maps each known column to its cell index in a record (-1 when absent).
type header struct {
	index  [numColumns]int
	fields int
}

// parseHeader checks the header record: every name known, none twice, email or did present.
func parseHeader(rec []string) (header, error) {
	var h header
	for i := range h.index {
		h.index[i] = -1
	}
	h.fields = len(rec)
	for i, raw := range rec {
		if !utf8.ValidString(raw) {
			return h, fmt.Errorf("%w: column %d of the first line is not valid UTF-8 (save the file as UTF-8)", ErrHeader, i+1)
		}
		name := strings.ToLower(strings.TrimSpace(raw))
		if name == "" {
			return h, fmt.Errorf("%w: column %d of the first line has no name (remove the empty column or name it; known columns: %s)", ErrHeader, i+1, strings.Join(columnNames[:], ", "))
		}
		c, ok := lookupColumn(name)
		if !ok {
			return h, fmt.Errorf("%w: unknown column %q (column %d); known columns: %s", ErrHeader, clip(name, 40), i+1, strings.Join(columnNames[:], ", "))
		}
		if prev := h.index[c]; prev >= 0 {
			return h, fmt.Errorf("%w: column %q appears twice (columns %d and %d)", ErrHeader, name, prev+1, i+1)
		}
		h.index[c] = i
	}
	if h.index[colEmail] < 0 && h.index[colDID] < 0 {
		return h, fmt.Errorf("%w: the file has neither an email nor a did column: name the recipients by one of them (or both)", ErrHeader)
	}
	return h, nil
}

// sniffComma picks ';' when the header line holds more semicolons than commas outside
// quotes, ',' otherwise.
func sniffComma(line []byte) rune {
	commas, semis, quoted := 0, 0, false
	for _, b := range line {
		switch b {
		case '"':
			quoted = !quoted
		case ',':
			if !quoted {
				commas++
			}
		case ';':
			if !quoted {
				semis++
			}
		}
	}
	if semis > commas {
		return ';'
	}
	return ','
}

// clip shortens s to at most n runes for an error message.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
