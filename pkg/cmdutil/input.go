package cmdutil

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

// ReadLimited reads at most limit bytes from r. If r holds more, it stops
// reading at once and reports tooLarge, so oversized input costs neither time
// nor memory.
func ReadLimited(r io.Reader, limit int64, tooLarge error) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading standard input: %w", err)
	}
	if int64(len(data)) > limit {
		return nil, tooLarge
	}
	return data, nil
}

// ParseInstant reads a time given as RFC 3339 or as Unix seconds.
func ParseInstant(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(n, 0).UTC(), nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	return time.Time{}, fmt.Errorf("invalid time %q: use RFC 3339 (2026-11-30T12:00:00Z) or Unix seconds", s)
}

// MaximumArgs is cobra.MaximumNArgs with a usage error (exit 2) that says what was expected.
func MaximumArgs(n int, what string) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) > n {
			return UsageErrorf("too many arguments: %s (got %d)", what, len(args))
		}
		return nil
	}
}

// ExactArgs is cobra.ExactArgs with a usage error (exit 2) that says what was expected.
func ExactArgs(n int, what string) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return UsageErrorf("%s (got %d arguments)", what, len(args))
		}
		return nil
	}
}

// InterruptContext returns a context cancelled by Ctrl-C (SIGINT), for
// commands that must stop cleanly; such a command returns the context's
// error, which pkg/app reports as exit status 130.
func InterruptContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return signal.NotifyContext(ctx, os.Interrupt)
}
