// Package timefmt formats durations and times for people: compact durations
// ("3h12m"), relative times ("in 42m", "3h ago") and UTC timestamps.
package timefmt

import (
	"fmt"
	"time"
)

// Timestamp formats t as a UTC timestamp people can read.
func Timestamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 UTC") }

// Duration formats d compactly, with at most two units: "42m", "3h12m", "2d4h", "15s".
func Duration(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	d = d.Round(time.Second)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		m := int(d / time.Minute)
		if s := int((d % time.Minute) / time.Second); s != 0 && m < 10 {
			return fmt.Sprintf("%dm%ds", m, s)
		}
		return fmt.Sprintf("%dm", m)
	case d < 48*time.Hour:
		h, m := int(d/time.Hour), int((d%time.Hour)/time.Minute)
		if m == 0 {
			return fmt.Sprintf("%dh", h)
		}
		return fmt.Sprintf("%dh%dm", h, m)
	case d < 365*24*time.Hour:
		days, h := int(d/(24*time.Hour)), int((d%(24*time.Hour))/time.Hour)
		if h == 0 {
			return fmt.Sprintf("%dd", days)
		}
		return fmt.Sprintf("%dd%dh", days, h)
	default:
		years := int(d / (365 * 24 * time.Hour))
		days := int((d % (365 * 24 * time.Hour)) / (24 * time.Hour))
		if days == 0 {
			return fmt.Sprintf("%dy", years)
		}
		return fmt.Sprintf("%dy%dd", years, days)
	}
}

// Relative describes t relative to now: "in 42m", "3h12m ago", "now".
func Relative(t, now time.Time) string {
	d := t.Sub(now)
	if d > -time.Second && d < time.Second {
		return "now"
	}
	if d > 0 {
		return "in " + Duration(d)
	}
	return Duration(d) + " ago"
}
