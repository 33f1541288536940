//go:build unix

package graphtest

import (
	"os"
	"syscall"
)

// heldLock stays open, and so locked, until the process exits.
var heldLock *os.File

func lockFile(path string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return err
	}
	heldLock = f
	return nil
}
