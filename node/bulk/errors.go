package bulk

import (
	"errors"
	"fmt"
)

var (
	// ErrHeader means the first line does not name a usable set of columns.
	ErrHeader = errors.New("bad CSV header")
	// ErrInvalidRow matches every *RowError (errors.Is).
	ErrInvalidRow = errors.New("invalid row")
	// ErrRecordTooLarge means one record is longer than MaxRecordBytes, which is almost
	// always a quote left open; reading stops there.
	ErrRecordTooLarge = errors.New("CSV record too large")
)

// RowError says what is wrong with one data row. Reader.Next returns it and carries on with
// the next row. Reasons never quote the cell's value (it may be a person's e-mail or name);
// Line and Column say where to look.
type RowError struct {
	// Line is the line of the file on which the row starts (the header is line 1).
	Line int
	// Column is the column at fault ("email", "activity_end", …), or "" when the row as a
	// whole is wrong (CSV syntax, number of cells).
	Column string
	// Reason says what is wrong and what is expected.
	Reason string
}

func (e *RowError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("line %d: %s", e.Line, e.Reason)
	}
	return fmt.Sprintf("line %d, column %s: %s", e.Line, e.Column, e.Reason)
}

// Is reports whether target is ErrInvalidRow.
func (e *RowError) Is(target error) bool { return target == ErrInvalidRow }
