// Package store is the node's storage: an embedded pebble database behind a small API of gets,
// prefix scans, synced batches and serialised read-modify-write transactions. It is the only
// package of Communs that imports pebble, and keys.go is the one file that says how keys are
// laid out.
package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/vfs"
)

// ErrNotFound is returned by Get when the key holds no value.
var ErrNotFound = errors.New("not found")

// ErrClosed is returned by operations on a closed database.
var ErrClosed = errors.New("store is closed")

// ErrStop, returned by a Scan callback, ends the scan without error.
var ErrStop = errors.New("stop scan")

// Options configure Open.
type Options struct {
	// FS is the file system; nil means the operating system's (tests use vfs.NewMem()).
	FS vfs.FS
	// Migrations run at open, in order, for every version above the stored schema version.
	// Nil means the migrations of this package (Migrations).
	Migrations []Migration
	// OnFatal is called when the storage engine meets an error it cannot recover from (a failed
	// write-ahead-log write: the write may be visible in memory but is not on disk). It must not
	// return. Nil means: write the message to standard error and exit with status 70, so that a
	// supervisor restarts the node on its durable state (a recovered panic would let the node keep
	// serving writes that were never stored). Tests set it to panic.
	OnFatal func(msg string)
}

// DB is an open store. It is safe for concurrent use.
type DB struct {
	db *pebble.DB
	// mu serialises Update transactions so that a read-modify-write sees no concurrent writer.
	mu     sync.Mutex
	closed bool
}

// Open opens (creating if needed) the store in dir and brings its schema up to date.
func Open(dir string, opts Options) (*DB, error) {
	onFatal := opts.OnFatal
	if onFatal == nil {
		onFatal = exitOnFatal
	}
	po := &pebble.Options{FS: opts.FS, Logger: quietLogger{onFatal: onFatal}}
	if po.FS == nil {
		po.FS = vfs.Default
	}
	pdb, err := pebble.Open(dir, po)
	if err != nil {
		return nil, fmt.Errorf("open store in %s: %w", dir, err)
	}
	d := &DB{db: pdb}
	migs := opts.Migrations
	if migs == nil {
		migs = Migrations
	}
	if err := d.migrate(migs); err != nil {
		pdb.Close()
		return nil, fmt.Errorf("open store in %s: %w", dir, err)
	}
	return d, nil
}

// Close flushes and closes the store.
func (d *DB) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return nil
	}
	d.closed = true
	if err := d.db.Close(); err != nil {
		return fmt.Errorf("close store: %w", err)
	}
	return nil
}

// Get returns a copy of the value of key, or ErrNotFound.
func (d *DB) Get(key []byte) ([]byte, error) {
	return get(d.db, key)
}

type reader interface {
	Get(key []byte) ([]byte, io.Closer, error)
	NewIter(o *pebble.IterOptions) (*pebble.Iterator, error)
}

func get(r reader, key []byte) ([]byte, error) {
	v, closer, err := r.Get(key)
	if errors.Is(err, pebble.ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("get %q: %w", key, err)
	}
	out := bytes.Clone(v)
	if out == nil {
		out = []byte{}
	}
	closer.Close()
	return out, nil
}

// Scan calls fn for every key that starts with prefix and sorts after after (all of them when
// after is nil), in key order. The key and value passed to fn are only valid during the call.
// A callback returning ErrStop ends the scan with a nil error; any other error ends it with that
// error.
func (d *DB) Scan(prefix, after []byte, fn func(key, value []byte) error) error {
	return scan(d.db, prefix, after, fn)
}

func scan(r reader, prefix, after []byte, fn func(key, value []byte) error) error {
	lower := prefix
	if after != nil {
		// The smallest key strictly greater than after.
		lower = append(bytes.Clone(after), 0)
		if bytes.Compare(lower, prefix) < 0 {
			lower = prefix
		}
	}
	it, err := r.NewIter(&pebble.IterOptions{LowerBound: lower, UpperBound: prefixEnd(prefix)})
	if err != nil {
		return fmt.Errorf("scan %q: %w", prefix, err)
	}
	for ok := it.First(); ok; ok = it.Next() {
		v, err := it.ValueAndErr()
		if err != nil {
			it.Close()
			return fmt.Errorf("scan %q: %w", prefix, err)
		}
		if err := fn(it.Key(), v); err != nil {
			it.Close()
			if errors.Is(err, ErrStop) {
				return nil
			}
			return err
		}
	}
	if err := it.Close(); err != nil {
		return fmt.Errorf("scan %q: %w", prefix, err)
	}
	return nil
}

// prefixEnd returns the smallest key greater than every key starting with prefix (nil: none).
func prefixEnd(prefix []byte) []byte {
	end := bytes.Clone(prefix)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

type quietLogger struct{ onFatal func(string) }

func (quietLogger) Infof(string, ...any)  {}
func (quietLogger) Errorf(string, ...any) {}
func (l quietLogger) Fatalf(format string, args ...any) {
	l.onFatal(fmt.Sprintf(format, args...))
	panic("store: OnFatal returned") // never reached: OnFatal must not return
}

// exitOnFatal is the default OnFatal.
func exitOnFatal(msg string) {
	fmt.Fprintf(os.Stderr, "communs: storage failure, stopping: %s\n", msg)
	os.Exit(70)
}

// Purge compacts the key range of prefix so that deleted values are rewritten out of the
// database's files (deletion first writes tombstones; a person's right to erasure wants the
// bytes gone too).
func (d *DB) Purge(prefix []byte) error {
	d.mu.Lock()
	closed := d.closed
	d.mu.Unlock()
	if closed {
		return ErrClosed
	}
	end := prefixEnd(prefix)
	if len(prefix) == 0 || end == nil {
		return fmt.Errorf("purge: bad prefix %q", prefix)
	}
	if err := d.db.Compact(context.Background(), prefix, end, false); err != nil {
		return fmt.Errorf("purge %q: %w", prefix, err)
	}
	return nil
}
