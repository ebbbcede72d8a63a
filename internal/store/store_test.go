package store

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/cockroachdb/pebble/v2/vfs"
)

func openMem(t testing.TB, fs vfs.FS) *DB {
	t.Helper()
	db, err := Open("db", Options{FS: fs})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func TestStore(t *testing.T) {
	t.Run("a missing key is ErrNotFound", func(t *testing.T) {
		db := openMem(t, vfs.NewMem())
		defer db.Close()
		if _, err := db.Get([]byte("nope")); !errors.Is(err, ErrNotFound) {
			t.Fatalf("err = %v, want ErrNotFound", err)
		}
	})
	t.Run("a committed batch is read back and survives a reopen", func(t *testing.T) {
		fs := vfs.NewMem()
		db := openMem(t, fs)
		b := db.NewBatch()
		b.Set([]byte("a/1"), []byte(`{"v":1}`))
		b.Set([]byte("a/2"), []byte(`{"v":2}`))
		b.Delete([]byte("a/2"))
		if err := b.Commit(); err != nil {
			t.Fatal(err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		db = openMem(t, fs)
		defer db.Close()
		v, err := db.Get([]byte("a/1"))
		if err != nil || string(v) != `{"v":1}` {
			t.Fatalf("got %q, %v", v, err)
		}
		if _, err := db.Get([]byte("a/2")); !errors.Is(err, ErrNotFound) {
			t.Fatalf("deleted key still there: %v", err)
		}
	})
	t.Run("scan walks one prefix in order and resumes after a key", func(t *testing.T) {
		db := openMem(t, vfs.NewMem())
		defer db.Close()
		b := db.NewBatch()
		for _, k := range []string{"p/3", "p/1", "p/2", "q/1", "o/9"} {
			b.Set([]byte(k), []byte(k))
		}
		b.Commit()
		var got []string
		db.Scan([]byte("p/"), nil, func(k, v []byte) error { got = append(got, string(k)); return nil })
		if fmt.Sprint(got) != "[p/1 p/2 p/3]" {
			t.Fatalf("scan = %v", got)
		}
		got = nil
		db.Scan([]byte("p/"), []byte("p/1"), func(k, v []byte) error { got = append(got, string(k)); return nil })
		if fmt.Sprint(got) != "[p/2 p/3]" {
			t.Fatalf("scan after = %v", got)
		}
		got = nil
		err := db.Scan([]byte("p/"), nil, func(k, v []byte) error { got = append(got, string(k)); return ErrStop })
		if err != nil || len(got) != 1 {
			t.Fatalf("stop: %v %v", got, err)
		}
	})
	t.Run("a transaction reads its own writes and a failed one writes nothing", func(t *testing.T) {
		db := openMem(t, vfs.NewMem())
		defer db.Close()
		err := db.Update(func(tx *Txn) error {
			tx.Set([]byte("k"), []byte("1"))
			v, err := tx.Get([]byte("k"))
			if err != nil || string(v) != "1" {
				return fmt.Errorf("own write not visible: %q %v", v, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		boom := errors.New("boom")
		err = db.Update(func(tx *Txn) error {
			tx.Set([]byte("k"), []byte("2"))
			tx.Set([]byte("other"), []byte("x"))
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		if v, _ := db.Get([]byte("k")); string(v) != "1" {
			t.Fatalf("failed transaction wrote k = %q", v)
		}
		if _, err := db.Get([]byte("other")); !errors.Is(err, ErrNotFound) {
			t.Fatal("failed transaction wrote other")
		}
	})
	t.Run("concurrent read-modify-write updates lose no increment", func(t *testing.T) {
		db := openMem(t, vfs.NewMem())
		defer db.Close()
		var wg sync.WaitGroup
		for range 20 {
			wg.Go(func() {
				db.Update(func(tx *Txn) error {
					v, _ := tx.Get([]byte("n"))
					return tx.Set([]byte("n"), append(v, 'x'))
				})
			})
		}
		wg.Wait()
		v, _ := db.Get([]byte("n"))
		if len(v) != 20 {
			t.Fatalf("counter = %d, want 20", len(v))
		}
	})
	t.Run("open records the schema version and refuses a newer one", func(t *testing.T) {
		fs := vfs.NewMem()
		db := openMem(t, fs)
		if v, err := db.SchemaVersion(); err != nil || v != 1 {
			t.Fatalf("schema version = %d, %v", v, err)
		}
		db.Update(func(tx *Txn) error { return tx.Set(KeySchema(), []byte(`{"v":1,"version":99}`)) })
		db.Close()
		if _, err := Open("db", Options{FS: fs}); !errors.Is(err, ErrNewerSchema) {
			t.Fatalf("err = %v, want ErrNewerSchema", err)
		}
	})
	t.Run("migrations run once, in order", func(t *testing.T) {
		fs := vfs.NewMem()
		runs := 0
		migs := append(Migrations, Migration{To: 2, Name: "test", Apply: func(tx *Txn) error {
			runs++
			return tx.Set([]byte("migrated"), []byte("yes"))
		}})
		for range 2 {
			db, err := Open("db", Options{FS: fs, Migrations: migs})
			if err != nil {
				t.Fatal(err)
			}
			db.Close()
		}
		if runs != 1 {
			t.Fatalf("migration ran %d times", runs)
		}
	})
}

func BenchmarkGet(b *testing.B) {
	db := openMem(b, vfs.NewMem())
	defer db.Close()
	bt := db.NewBatch()
	for i := range 1000 {
		bt.Set(fmt.Appendf(nil, "cred/%06d", i), make([]byte, 2048))
	}
	bt.Commit()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := db.Get(fmt.Appendf(nil, "cred/%06d", i%1000)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkBatchCommitSynced(b *testing.B) {
	db, err := Open(b.TempDir(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	val := make([]byte, 4096)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		bt := db.NewBatch()
		bt.Set(fmt.Appendf(nil, "cred/%08d", i), val)
		bt.Set(fmt.Appendf(nil, "salloc/x/1/%08d", i), []byte("{}"))
		bt.Set(fmt.Appendf(nil, "audit/%08d", i), []byte(`{"v":1}`))
		if err := bt.Commit(); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkScan(b *testing.B) {
	db := openMem(b, vfs.NewMem())
	defer db.Close()
	bt := db.NewBatch()
	for i := range 1000 {
		bt.Set(fmt.Appendf(nil, "ach/demo/%06d", i), make([]byte, 512))
	}
	bt.Commit()
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		db.Scan([]byte("ach/demo/"), nil, func(k, v []byte) error { n++; return nil })
		if n != 1000 {
			b.Fatal(n)
		}
	}
}
