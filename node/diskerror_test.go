package node

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/cockroachdb/pebble/v2/vfs/errorfs"
	"github.com/communs/communs/internal/store"
)

// A disk that fails while an award is written. pebble (v2.1.7, DB.applyInternal) answers any
// error of its commit pipeline, a failed WAL write or sync included, with
// Options.Logger.Fatalf("pebble: fatal commit error: …"): the WAL writer's error is sticky
// (record.LogWriter keeps flusher.err and refuses every later record), and by then the batch
// has already been applied to the memtable and made visible (commitPipeline.Commit applies and
// publishes before it waits for the sync). So a disk error is not an error the node can return:
// the process must stop, and what counts is what a restart finds on disk. These tests show it
// finds every acknowledged award and nothing of the one being written.

// dumpStore returns every key and value of the store. (A nil prefix: pebble built with
// invariants, as under -race, may index an empty non-nil lower bound.)
func dumpStore(t *testing.T, db *store.DB) map[string]string {
	t.Helper()
	all := map[string]string{}
	if err := db.Scan(nil, nil, func(k, v []byte) error {
		all[string(k)] = string(v)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return all
}

// nodeOn opens a node over the store in fs (no HTTP server: these tests call it directly).
func nodeOn(t *testing.T, fs vfs.FS) (*Node, *store.DB) {
	t.Helper()
	db, err := store.Open("data", store.Options{FS: fs, OnFatal: func(msg string) { panic(msg) }})
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	n, err := New(context.Background(), cfg, db, masterKey)
	if err != nil {
		t.Fatal(err)
	}
	return n, db
}

func reopen(t *testing.T, fs vfs.FS) (*Node, *store.DB) {
	t.Helper()
	n, db := nodeOn(t, fs)
	t.Cleanup(func() { db.Close() })
	return n, db
}

// awardCatchingPanic runs an award and returns its error or the value it panicked with.
func awardCatchingPanic(n *Node, ach, email string) (res *AwardResult, err error, panicked any) {
	defer func() { panicked = recover() }()
	res, err = n.Award(context.Background(), "a", AwardRequest{AchievementID: ach, Recipient: Recipient{Email: email}}, nil)
	return res, err, nil
}

func updateCatchingPanic(db *store.DB) (err error, panicked any) {
	defer func() { panicked = recover() }()
	return db.Update(func(tx *store.Txn) error { return tx.Set([]byte("probe"), []byte("{}")) }), nil
}

func setUpAwarded(t *testing.T, n *Node) (ach string, first *AwardResult) {
	t.Helper()
	ctx := context.Background()
	if _, err := n.CreateIssuer(ctx, IssuerRequest{Slug: "a", Name: "A"}); err != nil {
		t.Fatal(err)
	}
	a, err := n.CreateAchievement(ctx, "a", mustAchievement(t))
	if err != nil {
		t.Fatal(err)
	}
	first, err = n.Award(ctx, "a", AwardRequest{AchievementID: a.ID, Recipient: Recipient{Email: "ada@example.org"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return a.ID, first
}

// checkOnlyFirst checks, on a restarted node, that the first award is whole and the second
// left nothing: the store is exactly as it was before, and awarding the second recipient
// again makes a new badge (no row key was left) on a status index of its own.
func checkOnlyFirst(t *testing.T, n *Node, db *store.DB, before map[string]string, first *AwardResult, ach string) {
	t.Helper()
	t.Run("the store holds exactly what it held before the interrupted award", func(t *testing.T) {
		after := dumpStore(t, db)
		if !maps.Equal(before, after) {
			for k := range after {
				if _, ok := before[k]; !ok {
					t.Errorf("left by the interrupted award: %s", k)
				}
			}
			for k := range before {
				if _, ok := after[k]; !ok {
					t.Errorf("lost: %s", k)
				}
			}
			t.FailNow()
		}
		var creds, allocs int
		for k := range after {
			creds += b2i(strings.HasPrefix(k, "cred/"))
			allocs += b2i(strings.HasPrefix(k, "salloc/"))
		}
		if creds != 1 || allocs != 1 {
			t.Errorf("%d credentials and %d status allocations, want 1 and 1", creds, allocs)
		}
	})
	t.Run("the earlier award is untouched", func(t *testing.T) {
		a, err := n.GetAward(context.Background(), first.ID)
		if err != nil || !bytes.Equal(a.Credential, first.Credential) {
			t.Fatalf("award %s after restart: %v", first.ID, err)
		}
	})
	t.Run("awarding the same recipient again issues a new badge on a free status index", func(t *testing.T) {
		res, err := n.Award(context.Background(), "a", AwardRequest{AchievementID: ach, Recipient: Recipient{Email: "grace@example.org"}}, nil)
		if err != nil || res.Existing {
			t.Fatalf("award after restart: %+v, %v", res, err)
		}
		a, _ := n.GetAward(context.Background(), res.ID)
		f, _ := n.GetAward(context.Background(), first.ID)
		if a.StatusList == f.StatusList && a.StatusIndex == f.StatusIndex {
			t.Errorf("the new badge reuses the status index %d of the earlier one", a.StatusIndex)
		}
	})
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestWALWriteErrorDuringAward(t *testing.T) {
	mem := vfs.NewCrashableMem()
	var failing atomic.Bool
	var injected atomic.Int64
	fs := errorfs.Wrap(mem, errorfs.InjectorFunc(func(op errorfs.Op) error {
		if failing.Load() && op.Kind.ReadOrWrite() == errorfs.OpIsWrite {
			injected.Add(1)
			return errorfs.ErrInjected
		}
		return nil
	}))
	n, db := nodeOn(t, fs)
	ach, first := setUpAwarded(t, n)
	before := dumpStore(t, db)

	failing.Store(true)
	res, err, panicked := awardCatchingPanic(n, ach, "grace@example.org")
	failing.Store(false)

	t.Run("the failed write stops the award with pebble's fatal commit error, not a result", func(t *testing.T) {
		if injected.Load() == 0 {
			t.Fatal("no write was failed")
		}
		msg := fmt.Sprint(panicked)
		if res != nil || !strings.Contains(msg, "pebble: fatal commit error") || !strings.Contains(msg, "injected error") {
			t.Fatalf("award = %+v, %v; panic = %q", res, err, msg)
		}
		t.Logf("the store panicked with: %s", msg)
	})
	t.Run("pebble has already applied the batch in memory, so the process must not go on", func(t *testing.T) {
		got := dumpStore(t, db)
		var creds int
		for k := range got {
			creds += b2i(strings.HasPrefix(k, "cred/"))
		}
		if creds != 2 {
			t.Errorf("%d credentials visible in memory after the failed commit, want 2 (pebble's documented order changed?)", creds)
		}
		err, panicked := updateCatchingPanic(db)
		if err == nil && panicked == nil {
			t.Error("a later write succeeded after the WAL failed")
		}
		t.Logf("a later write: error %v, panic %v", err, panicked)
	})
	// The failed database is abandoned as a stopped process would leave it (its commit pipeline
	// holds a semaphore for ever); a restart reads what reached the disk: only synced data.
	restarted := mem.CrashClone(vfs.CrashCloneCfg{UnsyncedDataPercent: 0})
	n2, db2 := reopen(t, restarted)
	checkOnlyFirst(t, n2, db2, before, first, ach)
}

// tearingFS cuts the WAL write of an award in two: when armed, the next write to a WAL file
// writes its first half, hands a crash image of the disk holding that half to onTear, then
// writes the rest (so the running node goes on and acknowledges the award).
type tearingFS struct {
	vfs.FS
	armed  atomic.Bool
	onTear func()
	torn   int // the length of the torn write
}

func (fs *tearingFS) wrap(name string, f vfs.File, err error) (vfs.File, error) {
	if err != nil || !strings.HasSuffix(name, ".log") {
		return f, err
	}
	return &tearingFile{File: f, fs: fs}, nil
}

func (fs *tearingFS) Create(name string, c vfs.DiskWriteCategory) (vfs.File, error) {
	f, err := fs.FS.Create(name, c)
	return fs.wrap(name, f, err)
}

func (fs *tearingFS) ReuseForWrite(old, name string, c vfs.DiskWriteCategory) (vfs.File, error) {
	f, err := fs.FS.ReuseForWrite(old, name, c)
	return fs.wrap(name, f, err)
}

func (fs *tearingFS) OpenReadWrite(name string, c vfs.DiskWriteCategory, opts ...vfs.OpenOption) (vfs.File, error) {
	f, err := fs.FS.OpenReadWrite(name, c, opts...)
	return fs.wrap(name, f, err)
}

type tearingFile struct {
	vfs.File
	fs *tearingFS
}

func (f *tearingFile) Write(p []byte) (int, error) {
	if len(p) < 2 || !f.fs.armed.CompareAndSwap(true, false) {
		return f.File.Write(p)
	}
	half := len(p) / 2
	f.fs.torn = len(p)
	if n, err := f.File.Write(p[:half]); err != nil {
		return n, err
	}
	f.fs.onTear()
	n, err := f.File.Write(p[half:])
	return half + n, err
}

func TestTornAwardWrite(t *testing.T) {
	mem := vfs.NewCrashableMem()
	var torn *vfs.MemFS
	fs := &tearingFS{FS: mem}
	fs.onTear = func() {
		// Everything written so far, synced or not, reaches the disk: the torn half included.
		torn = mem.CrashClone(vfs.CrashCloneCfg{UnsyncedDataPercent: 100, RNG: rand.New(rand.NewPCG(1, 2))})
	}
	n, db := nodeOn(t, fs)
	defer db.Close()
	ach, first := setUpAwarded(t, n)
	before := dumpStore(t, db)

	fs.armed.Store(true)
	second, err := n.Award(context.Background(), "a", AwardRequest{AchievementID: ach, Recipient: Recipient{Email: "grace@example.org"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if torn == nil || fs.torn < len(second.Credential) {
		t.Fatalf("the award's WAL write (%d bytes, credential %d bytes) was not torn", fs.torn, len(second.Credential))
	}
	acked := mem.CrashClone(vfs.CrashCloneCfg{UnsyncedDataPercent: 0})

	t.Run("a crash in the middle of the award's write", func(t *testing.T) {
		n, db := reopen(t, torn)
		checkOnlyFirst(t, n, db, before, first, ach)
	})
	t.Run("a crash right after the award was acknowledged keeps all of it", func(t *testing.T) {
		n, _ := reopen(t, acked)
		a, err := n.GetAward(context.Background(), second.ID)
		if err != nil || !bytes.Equal(a.Credential, second.Credential) {
			t.Fatalf("acknowledged award %s after the crash: %v", second.ID, err)
		}
		again, err := n.Award(context.Background(), "a", AwardRequest{AchievementID: ach, Recipient: Recipient{Email: "grace@example.org"}}, nil)
		if err != nil || !again.Existing || again.ID != second.ID {
			t.Fatalf("the row key of the acknowledged award is gone: %+v, %v", again, err)
		}
	})
}
