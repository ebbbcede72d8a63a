package bulk

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

const (
	// MaxHeaderBytes bounds the first line.
	MaxHeaderBytes = 4096
	// MaxRecordBytes bounds one record (all its cells and quotes): far more than the
	// columns at MaxFieldRunes each, small enough that a quote left open cannot make the
	// reader hold the rest of the file.
	MaxRecordBytes = 256 << 10
)

// Reader streams the rows of a CSV file. It is not safe for concurrent use.
type Reader struct {
	csv    *csv.Reader
	src    *countingReader
	header header
	// seen maps a hash of each valid row's RowKey to its line, to refuse a recipient twice
	// (16 bytes of SHA-256 per row rather than the key itself).
	seen     map[[16]byte]int
	lastLine int
	err      error // sticky: io.EOF or a fatal error
}

// NewReader reads and checks the header line of r. It returns an error wrapping ErrHeader
// when the columns are unusable, naming the column at fault.
func NewReader(r io.Reader) (*Reader, error) {
	br := bufio.NewReaderSize(r, MaxHeaderBytes)
	first, err := br.ReadSlice('\n')
	switch {
	case errors.Is(err, bufio.ErrBufferFull):
		return nil, fmt.Errorf("%w: the first line is longer than %d bytes; it must name the columns (%s)", ErrHeader, MaxHeaderBytes, strings.Join(columnNames[:], ", "))
	case err != nil && err != io.EOF:
		return nil, fmt.Errorf("read CSV header: %w", err)
	}
	first = bytes.Clone(bytes.TrimPrefix(first, []byte("\xef\xbb\xbf")))
	if len(bytes.TrimSpace(first)) == 0 {
		return nil, fmt.Errorf("%w: the file is empty or starts with a blank line; the first line must name the columns (%s)", ErrHeader, strings.Join(columnNames[:], ", "))
	}
	src := &countingReader{r: io.MultiReader(bytes.NewReader(first), br)}
	cr := csv.NewReader(src)
	cr.Comma = sniffComma(first)
	cr.ReuseRecord = true
	rec, err := cr.Read()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("%w: the first line is not valid CSV: %v", ErrHeader, pe.Err)
		}
		return nil, fmt.Errorf("read CSV header: %w", err)
	}
	h, err := parseHeader(rec)
	if err != nil {
		return nil, err
	}
	cr.FieldsPerRecord = h.fields
	return &Reader{csv: cr, src: src, header: h, seen: map[[16]byte]int{}, lastLine: 1}, nil
}

// Next returns the next valid row. A wrong row comes back as a *RowError (matching
// ErrInvalidRow) and the following call goes on with the next row. At the end of the file
// Next returns io.EOF; after ErrRecordTooLarge or a read error it returns that error again.
func (r *Reader) Next() (Row, error) {
	if r.err != nil {
		return Row{}, r.err
	}
	for {
		r.src.n = 0
		before := r.csv.InputOffset()
		rec, err := r.csv.Read()
		if err == io.EOF {
			r.err = io.EOF
			return Row{}, io.EOF
		}
		if r.src.tooLarge {
			r.err = fmt.Errorf("%w: the record after line %d is longer than %d bytes; is a quote (\") left open?", ErrRecordTooLarge, r.lastLine, MaxRecordBytes)
			return Row{}, r.err
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) || r.csv.InputOffset() == before {
				r.err = fmt.Errorf("read CSV after line %d: %w", r.lastLine, err)
				return Row{}, r.err
			}
			r.lastLine = pe.Line
			return Row{}, &RowError{Line: pe.StartLine, Reason: syntaxReason(pe, len(rec), r.header.fields)}
		}
		line, _ := r.csv.FieldPos(0)
		r.lastLine = line
		if blank(rec) {
			continue
		}
		row, rowErr := parseRow(&r.header, rec, line)
		if rowErr != nil {
			return Row{}, rowErr
		}
		sum := sha256.Sum256([]byte(row.RowKey))
		key := [16]byte(sum[:16])
		if prev, dup := r.seen[key]; dup {
			col := colRowKey
			if i := r.header.index[colRowKey]; i < 0 || strings.TrimSpace(rec[i]) == "" {
				col = colEmail
				if row.Email == "" {
					col = colDID
				}
			}
			return Row{}, &RowError{Line: line, Column: col.String(), Reason: "same recipient as line " + strconv.Itoa(prev) + " (each recipient once per file)"}
		}
		r.seen[key] = line
		return row, nil
	}
}

func syntaxReason(pe *csv.ParseError, got, want int) string {
	switch {
	case errors.Is(pe.Err, csv.ErrFieldCount):
		return fmt.Sprintf("has %d cells but the first line names %d columns (check the separator and quotes)", got, want)
	case errors.Is(pe.Err, csv.ErrBareQuote):
		return fmt.Sprintf("a quote (\") in an unquoted cell (line %d, character %d): put the cell in quotes and double the quote (\"\")", pe.Line, pe.Column)
	case errors.Is(pe.Err, csv.ErrQuote):
		return fmt.Sprintf("a quoted cell is not closed or is followed by text (line %d, character %d): double quotes inside a quoted cell (\"\")", pe.Line, pe.Column)
	}
	return "is not valid CSV: " + pe.Err.Error()
}

// blank reports whether every cell is empty or spaces (the tail rows spreadsheets write).
func blank(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// countingReader counts the bytes read since n was last reset and stops at MaxRecordBytes.
type countingReader struct {
	r        io.Reader
	n        int
	tooLarge bool
}

func (c *countingReader) Read(p []byte) (int, error) {
	if c.n >= MaxRecordBytes {
		c.tooLarge = true
		return 0, ErrRecordTooLarge
	}
	if rest := MaxRecordBytes - c.n; len(p) > rest {
		p = p[:rest]
	}
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}
