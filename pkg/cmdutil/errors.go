// Package cmdutil holds what every command shares: the factory of
// dependencies, global options, typed errors that map to exit codes, and
// small input helpers.
package cmdutil

import (
	"errors"
	"fmt"
)

// Exit codes, as documented in `azid help exit-codes`.
const (
	ExitOK          = 0
	ExitFailure     = 1
	ExitUsage       = 2
	ExitInvalid     = 3
	ExitAuth        = 4
	ExitInterrupted = 130
)

// ExitError is an error with a chosen exit code and an optional hint, the
// next step for the user, printed on its own line.
type ExitError struct {
	Code int
	Err  error
	Hint string
	// Details are printed one per line under the error (e.g. every failed check).
	Details []string
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

// WithExit wraps err with an exit code and hint.
func WithExit(code int, err error, hint string) error {
	if err == nil {
		return nil
	}
	return &ExitError{Code: code, Err: err, Hint: hint}
}

// FlagError is a usage error: a bad flag, argument or combination (exit 2).
type FlagError struct{ Err error }

func (e *FlagError) Error() string { return e.Err.Error() }
func (e *FlagError) Unwrap() error { return e.Err }

// UsageErrorf returns a FlagError with a formatted message.
func UsageErrorf(format string, a ...any) error {
	return &FlagError{Err: fmt.Errorf(format, a...)}
}

// SilentError exits with a code without printing anything more: the command
// has already reported the problem.
type SilentError struct{ Code int }

func (e *SilentError) Error() string { return fmt.Sprintf("exit status %d", e.Code) }

// Details returns the detail lines attached to err, if any.
func Details(err error) []string {
	var exit *ExitError
	if errors.As(err, &exit) {
		return exit.Details
	}
	return nil
}

// ExitCode returns the exit code for err, and the hint to print, if any.
func ExitCode(err error) (int, string) {
	if err == nil {
		return ExitOK, ""
	}
	var silent *SilentError
	if errors.As(err, &silent) {
		return silent.Code, ""
	}
	var exit *ExitError
	if errors.As(err, &exit) {
		return exit.Code, exit.Hint
	}
	var flag *FlagError
	if errors.As(err, &flag) {
		return ExitUsage, ""
	}
	return ExitFailure, ""
}
