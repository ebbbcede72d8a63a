package store

import (
	"errors"
	"os"
	"os/exec"
	"testing"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/cockroachdb/pebble/v2/vfs/errorfs"
)

// TestFatalStorageErrorStopsTheProcess runs itself as a subprocess: there a write-ahead-log write
// fails, and the process must exit with status 70 instead of going on with a write that is
// visible in memory but not on disk.
func TestFatalStorageErrorStopsTheProcess(t *testing.T) {
	if os.Getenv("COMMUNS_STORE_FATAL_CHILD") == "1" {
		fail := &errorfs.Toggle{Injector: errorfs.ErrInjected}
		db, err := Open("data", Options{FS: errorfs.Wrap(vfs.NewMem(), fail)})
		if err != nil {
			os.Exit(2)
		}
		fail.On()
		b := db.NewBatch()
		b.Set([]byte("k"), []byte("v"))
		b.Commit()
		os.Exit(0) // not reached when the failure stops the process
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestFatalStorageErrorStopsTheProcess$")
	cmd.Env = append(os.Environ(), "COMMUNS_STORE_FATAL_CHILD=1")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 70 {
		t.Fatalf("want exit status 70, got %v\n%s", err, out)
	}
}
