// Package tokenarg reads the token a command is given ("paste what you
// have": an argument, or standard input for "-" or no argument) and the
// --at evaluation instant, for decode and verify.
package tokenarg

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/iostreams"
	"github.com/azid-cli/azid/pkg/token"
)

// Read reads the token argument or standard input and extracts the token.
// A terminal on standard input with no argument is a usage error, not a hang.
func Read(ios *iostreams.IOStreams, arg string) (token.Extracted, error) {
	data, err := ReadInput(ios, arg)
	if err != nil {
		return token.Extracted{}, err
	}
	return token.Extract(data)
}

// ReadInput reads the token argument or standard input, as Read does, and
// returns the text without extracting a token from it.
func ReadInput(ios *iostreams.IOStreams, arg string) (string, error) {
	var data []byte
	if arg != "" && arg != "-" {
		if len(arg) > token.MaxTokenSize {
			return "", token.ErrTooLarge
		}
		if !strings.HasPrefix(strings.TrimSpace(arg), "eyJ") && len(arg) < 4096 {
			// a file given as the argument is read, as headers reads one
			if fi, err := os.Stat(arg); err == nil {
				if fi.IsDir() {
					return "", cmdutil.UsageErrorf("%s is a directory: give a token, or a file holding one", arg)
				}
				f, err := os.Open(arg)
				if err != nil {
					return "", fmt.Errorf("reading %s: %w", arg, err)
				}
				defer f.Close()
				data, err := cmdutil.ReadLimited(f, token.MaxTokenSize, token.ErrTooLarge)
				return string(data), err
			} else if looksLikePath(arg) {
				return "", cmdutil.WithExit(cmdutil.ExitFailure, fmt.Errorf("%s: no such file", arg), "give the file the token was saved in, or the token itself")
			}
		}
		data = []byte(arg)
	} else {
		if arg == "" && ios.IsStdinTTY() {
			// the same answer as an empty pipe gets (token.Extract of nothing)
			return "", token.ErrEmpty
		}
		if ios.IsStdinTTY() {
			fmt.Fprintln(ios.ErrOut, "Reading the token from standard input: paste it, then press Ctrl-D")
		}
		var err error
		if data, err = cmdutil.ReadLimited(ios.In, token.MaxTokenSize, token.ErrTooLarge); err != nil {
			return "", err
		}
	}
	return string(data), nil
}

// looksLikePath reports whether an argument that names no file was meant as
// one: it has a path separator or a file extension, and no character a
// token or pasted text would have instead.
func looksLikePath(s string) bool {
	if strings.ContainsAny(s, " \t\n\"'{}=:") {
		return false
	}
	if strings.ContainsAny(s, "/\\") {
		return true
	}
	for _, ext := range []string{".txt", ".json", ".jwt", ".jwe", ".log", ".token"} {
		if strings.HasSuffix(strings.ToLower(s), ext) {
			return true
		}
	}
	return false
}

// Now resolves the evaluation instant: --at, or the clock.
func Now(at string, clock func() time.Time) (time.Time, error) {
	if at == "" {
		return clock(), nil
	}
	t, err := cmdutil.ParseInstant(at)
	if err != nil {
		return time.Time{}, &cmdutil.FlagError{Err: fmt.Errorf("--at: %w", err)}
	}
	return t, nil
}
