// Package iostreams holds the standard streams a command reads and writes,
// and decides, per stream, whether it is a terminal and whether to colour it.
package iostreams

import (
	"bytes"
	"io"
	"os"

	"github.com/mattn/go-isatty"
)

// ColorMode is the user's colour choice: auto, always or never.
type ColorMode string

// The colour modes accepted by --color.
const (
	ColorAuto   ColorMode = "auto"
	ColorAlways ColorMode = "always"
	ColorNever  ColorMode = "never"
)

// IOStreams is the set of streams a command uses. Nothing in azid writes to
// os.Stdout or os.Stderr directly: commands receive an IOStreams.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	inTTY  bool
	outTTY bool
	errTTY bool

	// noColorEnv is true when NO_COLOR is set to a non-empty value or TERM=dumb.
	noColorEnv bool
	colorMode  ColorMode
}

// System returns the process's real streams. getenv is used for NO_COLOR and TERM.
func System(getenv func(string) string) *IOStreams {
	return &IOStreams{
		In:         os.Stdin,
		Out:        os.Stdout,
		ErrOut:     os.Stderr,
		inTTY:      isTerminal(os.Stdin),
		outTTY:     isTerminal(os.Stdout),
		errTTY:     isTerminal(os.Stderr),
		noColorEnv: getenv("NO_COLOR") != "" || getenv("TERM") == "dumb",
		colorMode:  ColorAuto,
	}
}

func isTerminal(f *os.File) bool {
	fd := f.Fd()
	return isatty.IsTerminal(fd) || isatty.IsCygwinTerminal(fd)
}

// Test returns streams backed by buffers, none of them a terminal, and the
// buffers for standard input, output and error.
func Test() (ios *IOStreams, in *bytes.Buffer, out *bytes.Buffer, errOut *bytes.Buffer) {
	in, out, errOut = &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut, colorMode: ColorAuto}, in, out, errOut
}

// SetTTY marks the three streams as terminals or not (for tests).
func (s *IOStreams) SetTTY(in, out, errOut bool) { s.inTTY, s.outTTY, s.errTTY = in, out, errOut }

// SetNoColorEnv records whether NO_COLOR (or TERM=dumb) is in effect (for tests).
func (s *IOStreams) SetNoColorEnv(v bool) { s.noColorEnv = v }

// SetColorMode records the --color choice.
func (s *IOStreams) SetColorMode(m ColorMode) { s.colorMode = m }

// IsStdinTTY reports whether standard input is a terminal.
func (s *IOStreams) IsStdinTTY() bool { return s.inTTY }

// IsStdoutTTY reports whether standard output is a terminal.
func (s *IOStreams) IsStdoutTTY() bool { return s.outTTY }

// IsStderrTTY reports whether standard error is a terminal.
func (s *IOStreams) IsStderrTTY() bool { return s.errTTY }

// ColorOut reports whether standard output should be coloured.
func (s *IOStreams) ColorOut() bool { return s.colorFor(s.outTTY) }

// ColorErr reports whether standard error should be coloured.
func (s *IOStreams) ColorErr() bool { return s.colorFor(s.errTTY) }

func (s *IOStreams) colorFor(tty bool) bool {
	switch s.colorMode {
	case ColorAlways:
		return true
	case ColorNever:
		return false
	}
	return tty && !s.noColorEnv
}
