package iostreams

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
)

// ErrSecretTooLong means a typed or pasted secret went past the limit.
var ErrSecretTooLong = errors.New("the value typed is too long")

// errInterrupted is Ctrl-C at a secret prompt; it wraps context.Canceled, so
// azid exits 130 as for any interruption.
var errInterrupted error = interrupted{}

type interrupted struct{}

func (interrupted) Error() string { return "interrupted at the prompt" }
func (interrupted) Unwrap() error { return context.Canceled }

// ReadSecret writes prompt to standard error and reads one line from
// standard input, a terminal, without echoing it: a pasted cookie or token
// never lands in the terminal's scrollback. The terminal reads byte by byte
// rather than a line at a time, so a paste longer than the terminal's line
// buffer (1 KiB on macOS, 4 KiB on Linux) is not cut short. Backspace and
// Ctrl-U edit, Ctrl-C interrupts (the terminal is restored first), Ctrl-D on
// an empty line is io.EOF. Where standard input is not a terminal, the line
// is read as it is. Lines over max bytes are ErrSecretTooLong.
func (s *IOStreams) ReadSecret(prompt string, max int) (string, error) {
	fmt.Fprint(s.ErrOut, prompt)
	if f, ok := s.In.(*os.File); ok && s.inTTY {
		line, err := readNoEcho(f, max)
		fmt.Fprintln(s.ErrOut) // the Enter that was not echoed
		return line, err
	}
	return editLine(byteReader{s.In}, max)
}

type byteReader struct{ r io.Reader }

func (b byteReader) ReadByte() (byte, error) {
	var buf [1]byte
	for {
		n, err := b.r.Read(buf[:])
		if n == 1 {
			return buf[0], nil
		}
		if err != nil {
			return 0, err
		}
	}
}

// Bracketed paste markers: a terminal may wrap pasted text in them.
var (
	pasteStart = []byte("\x1b[200~")
	pasteEnd   = []byte("\x1b[201~")
)

// editLine reads bytes up to a newline, applying the editing keys of a
// terminal whose own line editing is off.
func editLine(r io.ByteReader, max int) (string, error) {
	var line []byte
	for {
		c, err := r.ReadByte()
		if err != nil {
			if errors.Is(err, io.EOF) && len(line) > 0 {
				return finish(line), nil
			}
			return "", err
		}
		switch c {
		case '\r', '\n':
			return finish(line), nil
		case 0x03: // Ctrl-C
			return "", errInterrupted
		case 0x04: // Ctrl-D
			if len(line) == 0 {
				return "", io.EOF
			}
		case 0x7f, 0x08: // Backspace
			if len(line) > 0 {
				line = line[:len(line)-1]
			}
		case 0x15: // Ctrl-U
			line = line[:0]
		default:
			if len(line) >= max {
				return "", ErrSecretTooLong
			}
			line = append(line, c)
		}
	}
}

func finish(line []byte) string {
	line = bytes.ReplaceAll(line, pasteStart, nil)
	return string(bytes.ReplaceAll(line, pasteEnd, nil))
}
