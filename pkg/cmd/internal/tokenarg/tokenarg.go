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
		if strings.Count(arg, ".") != 2 && len(arg) < 4096 {
			// a newcomer's azid decode token.txt: say how to read a file
			if fi, err := os.Stat(arg); err == nil && fi.Mode().IsRegular() {
				return "", cmdutil.UsageErrorf("%q is a file, not a token: pass it on standard input instead (< %s)", arg, arg)
			}
		}
		data = []byte(arg)
	} else {
		if arg == "" && ios.IsStdinTTY() {
			return "", cmdutil.UsageErrorf("no token given: pass a token as an argument, or pipe one on standard input")
		}
		var err error
		if data, err = cmdutil.ReadLimited(ios.In, token.MaxTokenSize, token.ErrTooLarge); err != nil {
			return "", err
		}
	}
	return string(data), nil
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
