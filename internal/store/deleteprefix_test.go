package store

import (
	"errors"
	"testing"

	"github.com/cockroachdb/pebble/v2/vfs"
)

func TestDeletePrefix(t *testing.T) {
	db, err := Open("", Options{FS: vfs.NewMem()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	keep := [][]byte{[]byte("acct/b/profile"), []byte("acct/a"), []byte("acct/a0/x")}
	gone := [][]byte{[]byte("acct/a/profile"), []byte("acct/a/coll/1"), []byte("acct/a/\xff\xff")}
	err = db.Update(func(t *Txn) error {
		for _, k := range append(append([][]byte{}, keep...), gone...) {
			if err := t.Set(k, []byte(`{"v":1}`)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("removes every key under the prefix and nothing else", func(t *testing.T) {
		if err := db.Update(func(t *Txn) error { return t.DeletePrefix([]byte("acct/a/")) }); err != nil {
			t.Fatal(err)
		}
		for _, k := range gone {
			if _, err := db.Get(k); !errors.Is(err, ErrNotFound) {
				t.Errorf("%q still there (err %v)", k, err)
			}
		}
		for _, k := range keep {
			if _, err := db.Get(k); err != nil {
				t.Errorf("%q lost: %v", k, err)
			}
		}
		if err := db.Purge([]byte("acct/a/")); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("refuses an empty prefix", func(t *testing.T) {
		if err := db.Update(func(t *Txn) error { return t.DeletePrefix(nil) }); err == nil {
			t.Fatal("empty prefix accepted")
		}
	})
}
