package node

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/communs/communs/internal/httpx"
	"github.com/communs/communs/internal/store"
	"github.com/communs/communs/vc"
)

// bulkAnswer is one NDJSON line of the bulk answer: a row's BulkLine or the BulkSummary.
type bulkAnswer struct {
	BulkLine
	BulkSummary
}

// postCSV posts body as text/csv to the bulk endpoint of achievement ach of issuer a.
func (tn *testNode) postCSV(t testing.TB, ach string, body io.Reader) *http.Response {
	t.Helper()
	req, err := http.NewRequest("POST", tn.srv.URL+"/api/v1/issuers/a/achievements/"+ach+"/awards/bulk", body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tn.admin)
	req.Header.Set("Content-Type", "text/csv; charset=utf-8")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// bulkCSV posts csv and returns the row lines and the summary, failing unless the answer is a
// 200 NDJSON stream that ends with its summary.
func (tn *testNode) bulkCSV(t testing.TB, ach, csv string) ([]BulkLine, BulkSummary) {
	t.Helper()
	resp := tn.postCSV(t, ach, strings.NewReader(csv))
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/x-ndjson" {
		out, _ := io.ReadAll(resp.Body)
		t.Fatalf("bulk = %d %s: %s", resp.StatusCode, resp.Header.Get("Content-Type"), out)
	}
	var lines []BulkLine
	dec := json.NewDecoder(resp.Body)
	for {
		var a bulkAnswer
		if err := dec.Decode(&a); err != nil {
			t.Fatalf("the answer ended without its summary: %v", err)
		}
		if a.Done {
			return lines, a.BulkSummary
		}
		lines = append(lines, a.BulkLine)
	}
}

func setUpIssuerA(t testing.TB, tn *testNode) string {
	t.Helper()
	ctx := context.Background()
	if _, err := tn.CreateIssuer(ctx, IssuerRequest{Slug: "a", Name: "A"}); err != nil {
		t.Fatal(err)
	}
	ach, err := tn.CreateAchievement(ctx, "a", mustAchievement(t))
	if err != nil {
		t.Fatal(err)
	}
	return ach.ID
}

func TestBulkAward(t *testing.T) {
	tn := startNode(t, vfs.NewMem(), nil)
	defer tn.stop()
	ach := setUpIssuerA(t, tn)
	csv := "\ufeffEmail;Name;Show_Name;Narrative;Evidence_URL;Evidence_Name;Credits_Earned;Activity_Start;Activity_End\n" +
		"ada@example.org;Ada;oui;A conçu une séquence;https://example.org/ada.pdf;Séquence;1,5;2026-01-05;2026-01-30\n" +
		"not-an-email;Bob;non;;;;;;\n" +
		"ADA@example.org;Ada bis;non;;;;;;\n" +
		"\n" +
		"grace@example.org;;;;;;;;\n"
	lines, sum := tn.bulkCSV(t, ach, csv)

	t.Run("every valid row is awarded and every wrong row is answered with its line and reason", func(t *testing.T) {
		if sum != (BulkSummary{Done: true, Awarded: 2, Errors: 2}) || len(lines) != 4 {
			t.Fatalf("summary %+v lines %+v", sum, lines)
		}
		want := []struct {
			line   int
			status string
			in     string
		}{{2, BulkAwarded, ""}, {3, BulkError, "column email"}, {4, BulkError, "same recipient as line 2"}, {6, BulkAwarded, ""}}
		for i, w := range want {
			l := lines[i]
			if l.Line != w.line || l.Status != w.status || !strings.Contains(l.Error, w.in) {
				t.Errorf("line %d = %+v, want line %d %s %q", i, l, w.line, w.status, w.in)
			}
		}
		if lines[0].RowKey != "ada@example.org" || !strings.HasPrefix(lines[0].URL, tn.srv.URL+"/credentials/") || !strings.Contains(lines[0].ClaimURL, "/claim/") {
			t.Fatalf("awarded line = %+v", lines[0])
		}
		if strings.Contains(lines[1].Error, "not-an-email") {
			t.Fatalf("the error quotes the cell: %s", lines[1].Error)
		}
	})
	t.Run("a row's evidence_url, credits and dates reach the signed credential", func(t *testing.T) {
		a, err := tn.GetAward(context.Background(), lines[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		c, err := vc.ParseCredential(a.Credential)
		if err != nil {
			t.Fatal(err)
		}
		ev := c.Evidence.First()
		s := c.CredentialSubject
		if ev.ID != "https://example.org/ada.pdf" || ev.Name.String() != "Séquence" || s.CreditsEarned == nil || *s.CreditsEarned != 1.5 ||
			!strings.HasPrefix(s.ActivityStartDate, "2026-01-05") || !a.ShowName || a.RecipientName != "Ada" {
			t.Fatalf("evidence %+v subject %+v", ev, s)
		}
	})
	t.Run("uploading the same file again awards nothing new", func(t *testing.T) {
		again, sum2 := tn.bulkCSV(t, ach, csv)
		if sum2 != (BulkSummary{Done: true, Existing: 2, Errors: 2}) {
			t.Fatalf("summary %+v", sum2)
		}
		if again[0].Status != BulkExisting || again[0].ID != lines[0].ID || again[3].ID != lines[3].ID {
			t.Fatalf("again = %+v", again)
		}
	})
	t.Run("a row whose recipient got the badge through the single award API is existing", func(t *testing.T) {
		res, err := tn.Award(context.Background(), "a", AwardRequest{AchievementID: ach, Recipient: Recipient{Email: "Linus@example.org"}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		l, _ := tn.bulkCSV(t, ach, "email\nlinus@example.org\n")
		if l[0].Status != BulkExisting || l[0].ID != res.ID {
			t.Fatalf("= %+v, want existing %s", l[0], res.ID)
		}
	})
	t.Run("a header naming an unknown column is a 400 problem naming it", func(t *testing.T) {
		st, out := tn.do(t, "POST", "/api/v1/issuers/a/achievements/"+ach+"/awards/bulk", tn.admin, "text/csv", []byte("email,colour\nx@example.org,red\n"))
		if st != 400 || !bytes.Contains(out, []byte("colour")) || !bytes.Contains(out, []byte(`"status":400`)) {
			t.Fatalf("= %d %s", st, out)
		}
	})
	t.Run("a body that is not text/csv is a 415", func(t *testing.T) {
		st, out := tn.do(t, "POST", "/api/v1/issuers/a/achievements/"+ach+"/awards/bulk", tn.admin, "application/json", []byte(`{}`))
		if st != 415 || !bytes.Contains(out, []byte("text/csv")) {
			t.Fatalf("= %d %s", st, out)
		}
	})
	t.Run("a CSV in another charset than UTF-8 is a 415", func(t *testing.T) {
		st, out := tn.do(t, "POST", "/api/v1/issuers/a/achievements/"+ach+"/awards/bulk", tn.admin, "text/csv; charset=windows-1252", []byte("email\nx@example.org\n"))
		if st != 415 || !bytes.Contains(out, []byte("UTF-8")) {
			t.Fatalf("= %d %s", st, out)
		}
	})
	t.Run("an unknown achievement is a 404", func(t *testing.T) {
		st, out := tn.do(t, "POST", "/api/v1/issuers/a/achievements/nope/awards/bulk", tn.admin, "text/csv", []byte("email\nx@example.org\n"))
		if st != 404 {
			t.Fatalf("= %d %s", st, out)
		}
	})
	t.Run("an archived achievement refuses the upload with a 409", func(t *testing.T) {
		other, err := tn.CreateAchievement(context.Background(), "a", mustAchievement(t))
		if err != nil {
			t.Fatal(err)
		}
		tn.ArchiveAchievement(context.Background(), "a", other.ID)
		st, out := tn.do(t, "POST", "/api/v1/issuers/a/achievements/"+other.ID+"/awards/bulk", tn.admin, "text/csv", []byte("email\nx@example.org\n"))
		if st != 409 || !bytes.Contains(out, []byte("archived")) {
			t.Fatalf("= %d %s", st, out)
		}
	})
	t.Run("a quote left open stops the file with an error line, then the summary", func(t *testing.T) {
		open := "email,narrative\nopen@example.org,\"" + strings.Repeat("x", 300<<10) + "\n"
		l, s := tn.bulkCSV(t, ach, open)
		if len(l) != 1 || l[0].Status != BulkError || !strings.Contains(l[0].Error, "quote") || s.Errors != 1 {
			t.Fatalf("lines %+v summary %+v", l, s)
		}
	})
}

func TestBulkAwardThroughMiddleware(t *testing.T) {
	node := startNode(t, vfs.NewMem(), nil)
	defer node.stop()
	ach := setUpIssuerA(t, node)
	// The server-wide body cap of the middleware stack is 1 MiB; the upload routes raise it.
	srv := httptest.NewServer(httpx.Chain(node.Handler(), httpx.Stack(httpx.StackOptions{Logger: node.cfg.Logger})...))
	defer srv.Close()
	tn := &testNode{Node: node.Node, srv: srv, db: node.db, admin: node.admin}

	t.Run("a CSV larger than the server-wide 1 MiB body cap is read to the end", func(t *testing.T) {
		var b strings.Builder
		b.WriteString("email,narrative\nfirst@example.org,short\n")
		for b.Len() < 3<<20 {
			b.WriteString(",\n") // blank rows (spreadsheets write them) are skipped
		}
		b.WriteString("last@example.org," + strings.Repeat("n", 1900) + "\n")
		lines, sum := tn.bulkCSV(t, ach, b.String())
		if sum.Awarded != 2 || sum.Errors != 0 || len(lines) != 2 {
			t.Fatalf("summary %+v lines %+v", sum, lines)
		}
	})
	t.Run("an achievement image of exactly the image limit (1 MiB) is accepted", func(t *testing.T) {
		img := append(DefaultBadgePNG("x"), make([]byte, 1<<20)...)[:1<<20]
		if st, out := tn.do(t, "PUT", "/api/v1/issuers/a/achievements/"+ach+"/image", tn.admin, "image/png", img); st != 200 {
			t.Fatalf("= %d %s", st, out)
		}
	})
	t.Run("a JSON body of 1.5 MiB is accepted (the JSON limit is 2 MiB)", func(t *testing.T) {
		a := map[string]any{"name": "Long", "description": strings.Repeat("d", 3<<19), "criteria": map[string]any{"narrative": "N"}}
		raw, _ := json.Marshal(a)
		if st, out := tn.do(t, "POST", "/api/v1/issuers/a/achievements", tn.admin, "application/json", raw); st != 201 {
			t.Fatalf("= %d %.300s", st, out)
		}
	})
	t.Run("a multipart award with evidence larger than 1 MiB is accepted", func(t *testing.T) {
		big := append([]byte(testPDF), bytes.Repeat([]byte{' '}, 3<<19)...)
		ct, body := multipartAward(t, map[string]any{"achievementId": ach, "recipient": map[string]any{"did": "did:example:big"}}, map[string][]byte{"big.pdf": big})
		if st, out := tn.do(t, "POST", "/api/v1/issuers/a/awards", tn.admin, ct, body); st != 201 {
			t.Fatalf("= %d %s", st, out)
		}
	})
}

func TestBulkAnswersRowsWhileTheUploadStreams(t *testing.T) {
	tn := startNode(t, vfs.NewMem(), nil)
	defer tn.stop()
	ach := setUpIssuerA(t, tn)
	pr, pw := io.Pipe()
	defer pw.Close()
	go io.WriteString(pw, "email\nr0@example.org\n")
	resp := tn.postCSV(t, ach, pr)
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("= %d", resp.StatusCode)
	}
	sc := bufio.NewScanner(resp.Body)
	for i := range 3 {
		// Row i is answered before row i+1 is even written.
		if !sc.Scan() {
			t.Fatalf("no answer for row %d: %v", i, sc.Err())
		}
		var l BulkLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil || l.Status != BulkAwarded || l.Line != i+2 {
			t.Fatalf("row %d answered %s (%v)", i, sc.Bytes(), err)
		}
		if i < 2 {
			fmt.Fprintf(pw, "r%d@example.org\n", i+1)
		}
	}
	pw.Close()
	if !sc.Scan() || !strings.Contains(sc.Text(), `"done":true`) {
		t.Fatalf("last line %q", sc.Text())
	}
}

// startNodeOnDisk runs a node over pebble in a temporary directory of the real file system
// (the in-memory file system would keep every stored credential on the heap).
func startNodeOnDisk(t testing.TB) *testNode {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "data"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return serveNode(t, db, nil, nil)
}

// writeRows writes a CSV of rows recipients to w, then closes it.
func writeRows(w *io.PipeWriter, rows int) {
	bw := bufio.NewWriter(w)
	bw.WriteString("email,name,show_name,narrative,activity_start\n")
	for i := range rows {
		fmt.Fprintf(bw, "learner%06d@example.org,Learner %d,true,A soumis une séquence d'enseignement,2026-01-15\n", i, i)
	}
	w.CloseWithError(bw.Flush())
}

// heapPeaks uploads rows rows through a pipe and samples the heap every 5 ms; it returns the
// peak heap in use while the first and the last fifth of the rows were answered, and overall.
func heapPeaks(t testing.TB, tn *testNode, ach string, rows int) (first, last, all uint64, sum BulkSummary) {
	t.Helper()
	runtime.GC()
	var answered atomic.Int64
	var mu sync.Mutex
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			runtime.ReadMemStats(&ms)
			n := answered.Load()
			mu.Lock()
			all = max(all, ms.HeapInuse)
			switch {
			case n < int64(rows/5):
				first = max(first, ms.HeapInuse)
			case n >= int64(rows-rows/5):
				last = max(last, ms.HeapInuse)
			}
			mu.Unlock()
		}
	}()
	pr, pw := io.Pipe()
	go writeRows(pw, rows)
	resp := tn.postCSV(t, ach, pr)
	defer resp.Body.Close()
	dec := json.NewDecoder(resp.Body)
	for {
		var a bulkAnswer
		if err := dec.Decode(&a); err != nil {
			t.Fatalf("after %d rows: %v", answered.Load(), err)
		}
		if a.Done {
			sum = a.BulkSummary
			break
		}
		if a.Status != BulkAwarded {
			t.Fatalf("row %+v", a.BulkLine)
		}
		answered.Add(1)
	}
	close(stop)
	<-done
	mu.Lock()
	defer mu.Unlock()
	return first, last, all, sum
}

func TestBulkMemoryStaysFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("awards 10,000 badges")
	}
	rows := 10_000
	if raceEnabled {
		rows = 300 // signing is ten times slower and heap figures mean nothing under -race
	}
	tn := startNodeOnDisk(t)
	defer tn.stop()
	ach := setUpIssuerA(t, tn)
	start := time.Now()
	first, last, all, sum := heapPeaks(t, tn, ach, rows)
	t.Logf("%d rows in %v (%.0f rows/s); heap in use: peak %.1f MiB, peak over the first fifth %.1f MiB, over the last fifth %.1f MiB",
		rows, time.Since(start).Round(time.Millisecond), float64(rows)/time.Since(start).Seconds(), mib(all), mib(first), mib(last))
	if sum != (BulkSummary{Done: true, Awarded: rows}) {
		t.Fatalf("summary %+v", sum)
	}
	if !raceEnabled && last > first+16<<20 {
		t.Fatalf("the heap grew with the rows: peak %.1f MiB over the first fifth, %.1f MiB over the last", mib(first), mib(last))
	}
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }

// BenchmarkBulkAward measures rows awarded per second through the bulk endpoint (on disk,
// synced batches) and the peak heap in use, with 10,000 rows per upload.
func BenchmarkBulkAward(b *testing.B) {
	const rows = 10_000
	tn := startNodeOnDisk(b)
	defer tn.stop()
	ach := setUpIssuerA(b, tn)
	var peak uint64
	b.ReportAllocs()
	for b.Loop() {
		// A fresh achievement each time, so that every row is a new award.
		a, err := tn.CreateAchievement(context.Background(), "a", mustAchievement(b))
		if err != nil {
			b.Fatal(err)
		}
		ach = a.ID
		_, _, all, _ := heapPeaks(b, tn, ach, rows)
		peak = max(peak, all)
	}
	b.ReportMetric(float64(b.N*rows)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(mib(peak), "peak-heap-MiB")
}
