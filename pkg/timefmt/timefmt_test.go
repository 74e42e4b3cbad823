package timefmt

import (
	"testing"
	"time"
)

func TestDuration(t *testing.T) {
	cases := map[time.Duration]string{
		0:                               "0s",
		42 * time.Second:                "42s",
		90 * time.Second:                "1m30s",
		42 * time.Minute:                "42m",
		42*time.Minute + 10*time.Second: "42m",
		3*time.Hour + 12*time.Minute:    "3h12m",
		3 * time.Hour:                   "3h",
		50 * time.Hour:                  "2d2h",
		-(3*time.Hour + 12*time.Minute): "3h12m",
		400 * 24 * time.Hour:            "1y35d",
		2 * 365 * 24 * time.Hour:        "2y",
	}
	for d, want := range cases {
		t.Run(d.String(), func(t *testing.T) {
			if got := Duration(d); got != want {
				t.Errorf("Duration(%v) = %q, want %q", d, got, want)
			}
		})
	}
}

func TestRelative(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	if got := Relative(now.Add(42*time.Minute), now); got != "in 42m" {
		t.Errorf("future = %q", got)
	}
	if got := Relative(now.Add(-3*time.Hour), now); got != "3h ago" {
		t.Errorf("past = %q", got)
	}
	if got := Relative(now, now); got != "now" {
		t.Errorf("now = %q", got)
	}
	if got := Timestamp(now.In(time.FixedZone("X", 3600))); got != "2026-11-30 12:00:00 UTC" {
		t.Errorf("Timestamp = %q", got)
	}
}
