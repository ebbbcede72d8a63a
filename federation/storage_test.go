package federation

import (
	"bytes"
	"context"
	"testing"

	"github.com/cockroachdb/pebble/v2/vfs"

	"github.com/communs/communs/internal/store"
)

// newTestStorage returns an empty Storage of the named backend.
func newTestStorage(tb testing.TB, backend string) Storage {
	tb.Helper()
	switch backend {
	case "memory":
		return NewMemStorage()
	case "pebble":
		db, err := store.Open("fed", store.Options{FS: vfs.NewMem(), OnFatal: func(msg string) { panic(msg) }})
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { db.Close() })
		return NewPebbleStorage(db)
	}
	tb.Fatalf("unknown backend %q", backend)
	return nil
}

func TestStorage(t *testing.T) {
	ctx := context.Background()
	for _, backend := range []string{"memory", "pebble"} {
		t.Run("the "+backend+" storage keeps each origin's log apart, in order, and refuses holes", func(t *testing.T) {
			s := newTestStorage(t, backend)
			const a, b = "https://a.example", "https://a.example/b"
			for i, v := range []string{"one", "two", "three"} {
				if err := s.AppendEntry(ctx, a, uint64(i+1), []byte(v)); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.AppendEntry(ctx, b, 1, []byte("other")); err != nil {
				t.Fatal(err)
			}
			if err := s.AppendEntry(ctx, a, 5, []byte("hole")); err == nil {
				t.Fatal("an entry after a hole was stored")
			}
			if err := s.AppendEntry(ctx, a, 2, []byte("again")); err == nil {
				t.Fatal("a taken seq was overwritten")
			}
			var got []string
			if err := s.Entries(ctx, a, 1, func(seq uint64, v []byte) error {
				got = append(got, string(v))
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if len(got) != 2 || got[0] != "two" || got[1] != "three" {
				t.Fatalf("entries after 1: %q", got)
			}
			if v, err := s.Entry(ctx, a, 3); err != nil || string(v) != "three" {
				t.Fatalf("entry 3: %q %v", v, err)
			}
			if v, err := s.Entry(ctx, a, 4); err != nil || v != nil {
				t.Fatalf("entry 4: %q %v", v, err)
			}
		})
		t.Run("the "+backend+" storage keeps heads and equivocation proofs", func(t *testing.T) {
			s := newTestStorage(t, backend)
			const a = "https://a.example"
			if h, err := s.Head(ctx, a); h != nil || err != nil {
				t.Fatalf("head of an unknown origin: %q %v", h, err)
			}
			if err := s.PutHead(ctx, a, []byte("h")); err != nil {
				t.Fatal(err)
			}
			if h, _ := s.Head(ctx, a); string(h) != "h" {
				t.Fatalf("head %q", h)
			}
			ev := &EquivocationError{Origin: a, Seq: 4, Held: []byte("x"), Conflicting: []byte("y")}
			if err := s.PutEquivocation(ctx, a, ev); err != nil {
				t.Fatal(err)
			}
			got, err := s.Equivocation(ctx, a)
			if err != nil || got.Seq != 4 || !bytes.Equal(got.Held, ev.Held) || !bytes.Equal(got.Conflicting, ev.Conflicting) {
				t.Fatalf("proof %+v %v", got, err)
			}
		})
	}
}
