package verifier

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/communs/communs/vc"
)

// ErrBusy reports that the batch job table is full.
var ErrBusy = errors.New("too many batch jobs")

// job is one batch verification: its rows fill in as badges are verified. The uploaded badges
// are dropped as soon as each is verified; only the rows stay, until the job expires.
type job struct {
	id      string
	created time.Time

	mu        sync.Mutex
	total     int
	processed int
	byItem    [][]Row
	done      bool
	finished  time.Time
}

// JobStatus is the JSON form of a batch job (GET /verify/batch/{job}.json).
type JobStatus struct {
	ID        string    `json:"id"`
	Total     int       `json:"total"`
	Processed int       `json:"processed"`
	Done      bool      `json:"done"`
	Valid     int       `json:"valid"`
	Warnings  int       `json:"warnings"`
	Invalid   int       `json:"invalid"`
	Expires   time.Time `json:"expires,omitzero"`
	Rows      []Row     `json:"rows,omitempty"`
	Totals    []Total   `json:"totals,omitempty"`
}

// rows returns the rows so far, numbered in the order of the upload.
func (j *job) rows() []Row {
	j.mu.Lock()
	defer j.mu.Unlock()
	var out []Row
	for _, rs := range j.byItem {
		for _, r := range rs {
			r.N = len(out) + 1
			out = append(out, r)
		}
	}
	return out
}

func (j *job) status(ttl time.Duration) JobStatus {
	rows := j.rows()
	j.mu.Lock()
	st := JobStatus{ID: j.id, Total: j.total, Processed: j.processed, Done: j.done}
	if j.done {
		st.Expires = j.finished.Add(ttl)
	}
	j.mu.Unlock()
	st.Valid, st.Warnings, st.Invalid = Counts(rows)
	if st.Done {
		st.Rows, st.Totals = rows, Totals(rows)
	}
	return st
}

// jobs holds the batch jobs in memory.
type jobs struct {
	mu   sync.Mutex
	byID map[string]*job
}

// newJobID returns 128 random bits in lowercase base32 (26 characters): the report's address
// is its only key.
func newJobID() string {
	var b [16]byte
	rand.Read(b[:])
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
}

// startBatch registers a job for items and verifies them in the background.
func (v *Verifier) startBatch(items []BatchItem) (*job, error) {
	now := v.cfg.Now()
	v.jobs.mu.Lock()
	v.expireJobs(now)
	if len(v.jobs.byID) >= v.cfg.MaxJobs {
		v.jobs.mu.Unlock()
		return nil, ErrBusy
	}
	j := &job{id: newJobID(), created: now, total: len(items), byItem: make([][]Row, len(items))}
	v.jobs.byID[j.id] = j
	v.jobs.mu.Unlock()
	v.wg.Add(1)
	go func() {
		defer v.wg.Done()
		v.runBatch(j, items)
	}()
	return j, nil
}

// expireJobs drops finished jobs older than the TTL, and running ones stuck for longer than
// the TTL (the lock is held).
func (v *Verifier) expireJobs(now time.Time) {
	for id, j := range v.jobs.byID {
		j.mu.Lock()
		old := (j.done && now.Sub(j.finished) > v.cfg.JobTTL) || (!j.done && now.Sub(j.created) > 2*v.cfg.JobTTL)
		j.mu.Unlock()
		if old {
			delete(v.jobs.byID, id)
		}
	}
}

func (v *Verifier) job(id string) (*job, bool) {
	v.jobs.mu.Lock()
	defer v.jobs.mu.Unlock()
	v.expireJobs(v.cfg.Now())
	j, ok := v.jobs.byID[id]
	return j, ok
}

// runBatch verifies items with bounded concurrency, each within the configured timeout.
func (v *Verifier) runBatch(j *job, items []BatchItem) {
	begin := time.Now()
	sem := make(chan struct{}, v.cfg.BatchConcurrency)
	var wg sync.WaitGroup
	for i := range items {
		if v.ctx.Err() != nil {
			break
		}
		sem <- struct{}{}
		wg.Add(1)
		go func(i int) {
			defer func() { <-sem; wg.Done() }()
			it := items[i]
			items[i].Data = nil // not kept past its verification
			rows := v.batchRows(v.ctx, it)
			j.mu.Lock()
			j.byItem[i] = rows
			j.processed++
			j.mu.Unlock()
		}(i)
	}
	wg.Wait()
	j.mu.Lock()
	j.done, j.finished = true, v.cfg.Now()
	j.mu.Unlock()
	st := j.status(v.cfg.JobTTL)
	v.cfg.Logger.Info("batch verification done", "job", j.id, "badges", st.Total, "valid", st.Valid,
		"warnings", st.Warnings, "invalid", st.Invalid, "duration", time.Since(begin).Round(time.Millisecond))
}

// batchRows verifies one item of a batch into its rows; an item that cannot be read or fetched
// gets one row saying why.
func (v *Verifier) batchRows(ctx context.Context, it BatchItem) []Row {
	data := it.Data
	var err error
	if it.URL != "" {
		ctx, cancel := context.WithTimeout(ctx, v.cfg.Timeout)
		data, err = v.fetch(ctx, it.URL)
		cancel()
	}
	if err == nil {
		var rep *vc.Report
		if rep, err = v.Verify(ctx, data, it.Name); err == nil {
			return RowsFromReport(1, it.Name, rep)
		}
	}
	row := Row{N: 1, Input: it.Name, Status: StatusUnknown, Verdict: VerdictInvalid, Recognised: RecognisedUnchecked, Reasons: map[string]string{}}
	var ie *inputError
	if !errors.As(err, &ie) {
		ie = inErr(http.StatusGatewayTimeout, "err.timeout")
	}
	for _, l := range []string{"fr", "en"} {
		row.Reasons[l] = ie.Message(l)
	}
	return []Row{row}
}
