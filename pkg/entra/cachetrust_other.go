//go:build !unix

package entra

import (
	"io"
	"io/fs"
	"os"
)

// checkOwned has no owner to check on this platform.
func checkOwned(fs.FileInfo) error { return nil }

// readNoFollow refuses a symlinked entry (checked before opening).
func readNoFollow(path string, limit int64) ([]byte, error) {
	info, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, errUntrusted{"is not a regular file"}
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	return io.ReadAll(io.LimitReader(fh, limit))
}
