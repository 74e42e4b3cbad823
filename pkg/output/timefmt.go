package output

import (
	"time"

	"github.com/azid-cli/azid/pkg/timefmt"
)

// Timestamp formats t as a UTC timestamp people can read.
func Timestamp(t time.Time) string { return timefmt.Timestamp(t) }

// Duration formats d compactly, with at most two units: "42m", "3h12m".
func Duration(d time.Duration) string { return timefmt.Duration(d) }

// Relative describes t relative to now: "in 42m", "3h12m ago", "now".
func Relative(t, now time.Time) string { return timefmt.Relative(t, now) }
