package bulk

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
)

// writeRows writes a header and n generated rows (about 200 bytes each) to w.
func writeRows(w io.Writer, n int) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "email;name;show_name;narrative;credits_earned;activity_start;activity_end")
	narrative := strings.Repeat("Atelier de réparation de vélos, ", 4)
	for i := range n {
		fmt.Fprintf(bw, "learner%07d@example.org;Learner %d;oui;\"%s\";1,5;2026-01-05;2026-02-01T17:00:00Z\n", i, i, narrative)
	}
	return bw.Flush()
}

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func TestStreaming(t *testing.T) {
	t.Run("100,000 rows stream through a pipe with memory that does not grow with the file", func(t *testing.T) {
		const n = 100_000
		pr, pw := io.Pipe()
		written := make(chan int64, 1)
		go func() {
			cw := &countWriter{w: pw}
			err := writeRows(cw, n)
			pw.CloseWithError(err)
			written <- cw.n
		}()
		r, err := NewReader(pr)
		if err != nil {
			t.Fatal(err)
		}
		var atTenK uint64
		count := 0
		for {
			row, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("row %d: %v", count, err)
			}
			count++
			if row.Line != count+1 {
				t.Fatalf("row %d on line %d", count, row.Line)
			}
			if count == 10_000 {
				atTenK = heapInUse()
			}
		}
		end := heapInUse()
		runtime.KeepAlive(r)
		total := <-written
		if count != n {
			t.Fatalf("read %d rows, want %d", count, n)
		}
		// Between row 10,000 and row 100,000 the reader saw 90% of the file; the only state
		// that grows is the 16-byte hash per recipient (about 3 MB of map for 90,000 rows),
		// well under a quarter of the bytes streamed.
		grown := int64(end) - int64(atTenK)
		streamed := total * 9 / 10
		t.Logf("streamed %d bytes, heap grew %d bytes from row 10,000 to row 100,000", total, grown)
		if grown > streamed/4 {
			t.Fatalf("heap grew %d bytes while %d bytes streamed: the reader holds the file", grown, streamed)
		}
	})
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// BenchmarkNext reads a 10,000-row file and reports allocations and bytes per row.
func BenchmarkNext(b *testing.B) {
	const n = 10_000
	var sb strings.Builder
	if err := writeRows(&sb, n); err != nil {
		b.Fatal(err)
	}
	data := sb.String()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var rows int
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for b.Loop() {
		r, err := NewReader(strings.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		for {
			_, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			rows++
		}
	}
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(rows), "ns/row")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(rows), "allocs/row")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(rows), "B/row")
}
