//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package iostreams

import (
	"os"

	"golang.org/x/term"
)

// readNoEcho reads a line without echo with the console's own line editing.
func readNoEcho(f *os.File, max int) (string, error) {
	b, err := term.ReadPassword(int(f.Fd()))
	if err != nil {
		return "", err
	}
	if len(b) > max {
		return "", ErrSecretTooLong
	}
	return finish(b), nil
}
