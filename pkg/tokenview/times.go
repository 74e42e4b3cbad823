package tokenview

import (
	"time"

	"github.com/azid-cli/azid/pkg/output"
	"github.com/azid-cli/azid/pkg/timefmt"
)

// IsTimeClaim reports whether a claim's value is a NumericDate.
func IsTimeClaim(name string) bool { return isTimeClaim(name) }

// TimeValue renders the time of claim name (exp, nbf, iat, …) as decode
// shows it: UTC, a relative time ("expires in 42m", "2h ago"), and an
// EXPIRED or NOT YET VALID marker. Every command shows token times so.
func TimeValue(p *output.Palette, name string, tm, now time.Time) string {
	rel := timefmt.Relative(tm, now)
	marker := ""
	switch {
	case name == "exp" && !now.Before(tm):
		rel, marker = "expired "+rel, "  "+p.Red("EXPIRED")
	case name == "exp":
		rel = "expires " + rel
	case name == "nbf" && now.Before(tm):
		rel, marker = "valid "+rel, "  "+p.Red("NOT YET VALID")
	}
	return timefmt.Timestamp(tm) + " (" + rel + ")" + marker
}
