//go:build unix

package entra

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// checkOwned says why info (a cache directory or entry) is not to be
// trusted: owned by another user, or writable by group or others. Anyone
// who can write the key cache can plant keys.
func checkOwned(info fs.FileInfo) error {
	if info.Mode().Perm()&0o022 != 0 {
		return fmt.Errorf("is writable by group or others (mode %04o)", info.Mode().Perm())
	}
	if st, ok := info.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Geteuid() {
		return fmt.Errorf("is owned by user %d, not by you", st.Uid)
	}
	return nil
}

// readNoFollow reads a cache entry without following a symlink, and checks
// the opened file itself (no race between the check and the read).
func readNoFollow(path string, limit int64) ([]byte, error) {
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_CLOEXEC|syscall.O_NONBLOCK, 0)
	if err != nil {
		if err == syscall.ELOOP {
			return nil, errUntrusted{"is a symbolic link"}
		}
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	fh := os.NewFile(uintptr(fd), path)
	defer fh.Close()
	info, err := fh.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, errUntrusted{"is not a regular file"}
	}
	if err := checkOwned(info); err != nil {
		return nil, errUntrusted{err.Error()}
	}
	return io.ReadAll(io.LimitReader(fh, limit))
}
