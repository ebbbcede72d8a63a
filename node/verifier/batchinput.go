package verifier

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"net/http"
	"path"
	"strings"
)

// BatchItem is one badge of a batch: a URL to fetch, or the bytes of a file, named by Name.
type BatchItem struct {
	Name string
	URL  string
	Data []byte
}

// ReadBatchCSV reads badge URLs from a CSV file: one per line, or a column named "url" (any
// case) when the header row has one. The delimiter (',' or ';') is taken from the first line; a
// UTF-8 byte order mark is skipped; blank lines are ignored; a first line with no URL is read as
// a header. More than max badges is an error.
func ReadBatchCSV(r io.Reader, max int) ([]BatchItem, error) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\ufeff")) {
		br.Discard(3)
	}
	first, _ := br.Peek(4096)
	line, _, _ := bytes.Cut(first, []byte("\n"))
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = true
	if bytes.Count(line, []byte(";")) > bytes.Count(line, []byte(",")) {
		cr.Comma = ';'
	}
	col := -1
	var items []BatchItem
	for n := 0; ; n++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, inErr(http.StatusBadRequest, "b.err.csv", pe.Err.Error())
			}
			return nil, inErr(http.StatusBadRequest, "b.err.csv", "read error")
		}
		if n == 0 {
			for i, c := range rec {
				if strings.EqualFold(strings.TrimSpace(c), "url") {
					col = i
				}
			}
			if col >= 0 {
				continue
			}
		}
		u := ""
		if col >= 0 {
			if col < len(rec) {
				u = strings.TrimSpace(rec[col])
			}
		} else {
			for _, c := range rec {
				if c = strings.TrimSpace(c); c != "" {
					u = c
					break
				}
			}
			if n == 0 && !looksLikeURL(u) {
				continue // a header of another name
			}
		}
		if u == "" {
			continue
		}
		if len(items) >= max {
			return nil, inErr(http.StatusRequestEntityTooLarge, "b.err.tooMany", max)
		}
		items = append(items, BatchItem{Name: u, URL: u})
	}
	if len(items) == 0 {
		return nil, inErr(http.StatusBadRequest, "b.err.none")
	}
	return items, nil
}

func looksLikeURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://")
}

// ReadBatchZIP reads the badge files of a ZIP archive (folders, hidden files and macOS
// resource forks are skipped). Each file may hold up to maxFile bytes once uncompressed, all of
// them together up to maxTotal; more than max files is an error.
func ReadBatchZIP(data []byte, max int, maxFile, maxTotal int64) ([]BatchItem, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, inErr(http.StatusBadRequest, "b.err.zip")
	}
	var items []BatchItem
	var total int64
	for _, f := range zr.File {
		name := f.Name
		base := path.Base(name)
		if f.FileInfo().IsDir() || strings.HasPrefix(name, "__MACOSX/") || strings.HasPrefix(base, ".") {
			continue
		}
		if len(items) >= max {
			return nil, inErr(http.StatusRequestEntityTooLarge, "b.err.tooMany", max)
		}
		if f.UncompressedSize64 > uint64(maxFile) {
			return nil, errTooLarge(maxFile)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, inErr(http.StatusBadRequest, "b.err.zip")
		}
		// The sizes in the archive may lie: the reads themselves are bounded.
		b, err := io.ReadAll(io.LimitReader(rc, maxFile+1))
		rc.Close()
		if err != nil {
			return nil, inErr(http.StatusBadRequest, "b.err.zip")
		}
		if int64(len(b)) > maxFile {
			return nil, errTooLarge(maxFile)
		}
		if total += int64(len(b)); total > maxTotal {
			return nil, errTooLarge(maxTotal)
		}
		items = append(items, BatchItem{Name: name, Data: b})
	}
	if len(items) == 0 {
		return nil, inErr(http.StatusBadRequest, "b.err.none")
	}
	return items, nil
}

// ReadBatch reads a batch upload: a ZIP archive (by its signature) or a CSV of URLs.
func ReadBatch(data []byte, max int, maxFile, maxTotal int64) ([]BatchItem, error) {
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) || bytes.HasPrefix(data, []byte("PK\x05\x06")) {
		return ReadBatchZIP(data, max, maxFile, maxTotal)
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return nil, inErr(http.StatusBadRequest, "b.err.kind")
	}
	return ReadBatchCSV(bytes.NewReader(data), max)
}
