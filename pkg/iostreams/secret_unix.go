//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package iostreams

import (
	"bufio"
	"os"

	"golang.org/x/sys/unix"
)

// readNoEcho turns off echo and line buffering (keeping output processing),
// reads the line with editLine, and puts the terminal back as it was, also
// on Ctrl-C, which arrives as a byte rather than a signal while reading.
func readNoEcho(f *os.File, max int) (string, error) {
	fd := int(f.Fd())
	old, err := unix.IoctlGetTermios(fd, ioctlGetTermios)
	if err != nil {
		return editLine(bufio.NewReader(f), max)
	}
	raw := *old
	raw.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
	raw.Cc[unix.VMIN], raw.Cc[unix.VTIME] = 1, 0
	if err := unix.IoctlSetTermios(fd, ioctlSetTermios, &raw); err != nil {
		return editLine(bufio.NewReader(f), max)
	}
	defer unix.IoctlSetTermios(fd, ioctlSetTermios, old)
	return editLine(byteReader{f}, max)
}
